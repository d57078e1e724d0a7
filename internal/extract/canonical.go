package extract

import (
	"net/url"
	"slices"
	"strings"
)

// trackingParams are query parameters that identify a campaign or a click,
// not a resource. utm_* is matched by prefix.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "msclkid": true, "yclid": true,
	"twclid": true, "ttclid": true, "igshid": true, "mc_cid": true, "mc_eid": true, "mkt_tok": true,
	"_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true, "ref": true, "ref_src": true, "ref_url": true,
	"at_medium": true, "at_campaign": true, "xtor": true, "ito": true, "cmpid": true, "ncid": true, "ocid": true,
	"s_kwcid": true, "oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "wickedid": true,
}

// CanonicalURL normalises a URL so that the addresses under which one
// article circulates compare equal — the first level of deduplication. It
// lower-cases scheme and host, drops the default port, the fragment and
// tracking parameters (utm_*, fbclid, gclid, mc_cid, mc_eid, yclid, _ga,
// ref …), sorts the remaining query parameters by name (keeping the order
// of repeated names), gives an empty path "/" and normalises percent-
// encoding. The path is otherwise kept: a trailing slash or letter case in
// it can name a different resource. Unparseable input is returned trimmed.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	host = strings.TrimSuffix(host, ".")
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" || (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		u.Host = host
	} else {
		u.Host = host + ":" + port
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	// Re-encode the path the one way Go does, unless that would turn an
	// encoded slash into a path separator.
	if !strings.Contains(strings.ToLower(u.RawPath), "%2f") {
		u.RawPath = ""
	}
	u.RawQuery = cleanQuery(u.RawQuery)
	u.ForceQuery = false
	return u.String()
}

// cleanQuery drops tracking parameters and sorts the rest, working on the
// raw pairs so values keep their encoding.
func cleanQuery(rawQuery string) string {
	type pair struct{ key, raw string }
	var pairs []pair
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, _, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		lower := strings.ToLower(key)
		if strings.HasPrefix(lower, "utm_") || trackingParams[lower] {
			continue
		}
		pairs = append(pairs, pair{key, part})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.raw
	}
	return strings.Join(parts, "&")
}
