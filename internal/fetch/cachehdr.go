package fetch

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseMaxAge returns Cache-Control max-age, or -1 when the directive is
// absent or unreadable. s-maxage is ignored: we are not a shared cache.
func parseMaxAge(cacheControl string) time.Duration {
	for _, directive := range strings.Split(cacheControl, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(directive), "=")
		if !ok || !strings.EqualFold(name, "max-age") {
			continue
		}
		secs, err := strconv.ParseInt(strings.Trim(value, `" `), 10, 64)
		if err != nil || secs < 0 {
			return -1
		}
		return time.Duration(secs) * time.Second
	}
	return -1
}

// parseHTTPDate parses Expires-style dates; invalid dates ("0", "-1") give
// the zero time, which callers treat as absent.
func parseHTTPDate(value string) time.Time {
	if value == "" {
		return time.Time{}
	}
	t, err := http.ParseTime(value)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP-date
// relative to now (RFC 9110 §10.2.3). It returns 0 when absent, invalid or
// already past.
func parseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t := parseHTTPDate(value); !t.IsZero() && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
