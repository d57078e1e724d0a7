package accounts

import (
	"net/url"
	"strings"
)

// LocalPath returns next when it is a path on this site, so that a link
// like /studio/login?next=https://evil.example cannot turn sign-in into a
// redirect elsewhere, and fallback otherwise. Browsers read "//host",
// "/\host" and paths with tabs or newlines inside as other hosts, so all
// of those are refused.
func LocalPath(next, fallback string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, `\`) {
		return fallback
	}
	for _, c := range next {
		if c < 0x21 || c == 0x7f {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	return next
}
