// Package feeds turns what outlets publish to announce articles — RSS
// 0.9x/1.0/2.0, Atom, JSON Feed, news sitemaps and sitemap indexes — into
// one Feed of Items. It also discovers feeds on a homepage and reads and
// writes OPML outlet lists. It does no network I/O: the fetch package gets
// the bytes and decodes them to UTF-8 (fetch.DecodeText) first.
package feeds

import (
	"bytes"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Format names the syntax a Feed was parsed from.
type Format string

const (
	RSS          Format = "RSS"
	Atom         Format = "Atom"
	JSONFeed     Format = "JSON Feed"
	Sitemap      Format = "sitemap"
	SitemapIndex Format = "sitemap index"
)

// Feed is one parsed document.
type Feed struct {
	Format   Format
	Title    string
	Link     string // the site's homepage, absolute when resolvable
	Language string
	// TTL is RSS <ttl>: how long the publisher says the feed may be cached.
	// Zero when absent. The poller takes the longest of TTL, Cache-Control
	// max-age and its own minimum interval.
	TTL   time.Duration
	Items []Item
	// Sitemaps lists the child sitemaps of a sitemap index; the caller
	// fetches and parses each.
	Sitemaps []SitemapRef
}

// Item is one announced article, whatever the source format.
type Item struct {
	// URL is the article the item is about, absolute: the RSS <link>, the
	// Atom rel="alternate" link, JSON Feed's external_url (else url), or the
	// sitemap <loc>. Link blogs point these at the article they discuss, so
	// the choice is consistent across formats.
	URL   string
	Title string
	// Published is when the item was published, falling back to its update
	// time; zero when the feed gives neither.
	Published time.Time
	Author    string
	// Summary is the item's description (or content when there is none),
	// as the feed gives it: it may contain HTML.
	Summary string
	// GUID identifies the item within its feed (RSS guid, Atom id, JSON id;
	// the URL for sitemaps).
	GUID string
	// Language is set by news sitemaps (<news:language>).
	Language string
}

// Parse parses a feed or sitemap. data should be UTF-8 (fetch.DecodeText),
// though an XML declaration naming another charset is honoured. baseURL is
// the address the document was fetched from; relative links resolve against
// it. Malformed input gives a *ParseError, never a panic.
func Parse(data []byte, baseURL string) (*Feed, error) {
	feed, err := parse(data)
	if err != nil {
		var perr *ParseError
		if errors.As(err, &perr) {
			perr.URL = baseURL
		}
		return nil, err
	}
	feed.resolve(baseURL)
	return feed, nil
}

func parse(data []byte) (*Feed, error) {
	root, err := sniffRoot(data)
	if err != nil {
		return nil, err
	}
	switch root {
	case "urlset":
		return parseURLSet(data)
	case "sitemapindex":
		return parseSitemapIndex(data)
	}
	return parseWithGofeed(data, root)
}

// resolve makes the feed's links absolute.
func (f *Feed) resolve(baseURL string) {
	base, _ := url.Parse(baseURL)
	f.Link = ResolveURL(base, f.Link)
	if base == nil || base.Host == "" {
		base, _ = url.Parse(f.Link)
	}
	for i := range f.Items {
		f.Items[i].URL = ResolveURL(base, f.Items[i].URL)
	}
	for i := range f.Sitemaps {
		f.Sitemaps[i].URL = ResolveURL(base, f.Sitemaps[i].URL)
	}
}

// ResolveURL resolves ref, trimmed, against base; an empty ref, a nil base
// or a ref that does not parse comes back as it is.
func ResolveURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ref
	}
	u, err := base.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}

// sniffRoot returns "json" for a JSON document, else the lower-case local
// name of the XML root element.
func sniffRoot(data []byte) (string, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return "", &ParseError{Msg: "empty document"}
	}
	if trimmed[0] == '{' {
		return "json", nil
	}
	if trimmed[0] != '<' {
		return "", &ParseError{Line: 1, Msg: "not XML or JSON: starts with " + quoteStart(trimmed)}
	}
	d := newXMLDecoder(data)
	for {
		tok, err := d.Token()
		if err != nil {
			return "", xmlError("", err)
		}
		if start, ok := tok.(startElement); ok {
			return strings.ToLower(start.Name.Local), nil
		}
	}
}

func quoteStart(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return `"` + strings.ToValidUTF8(string(b), "?") + `…"`
}
