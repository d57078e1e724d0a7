package feeds

import (
	"bytes"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Link is a feed advertised by a page.
type Link struct {
	URL   string // absolute
	Title string
	Type  string // media type, e.g. "application/rss+xml"
}

// feedTypes are the media types of <link rel="alternate"> that announce a
// feed. application/rdf+xml is RSS 1.0.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/rdf+xml":   true,
}

// Discover lists the feeds a homepage advertises with <link rel="alternate"
// type="application/rss+xml|atom+xml|feed+json">, in document order,
// without duplicates. Relative hrefs resolve against <base href> when
// present, else pageURL. page should be UTF-8 (fetch.DecodeText).
func Discover(page []byte, pageURL string) []Link {
	base, _ := url.Parse(pageURL)
	var links []Link
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return links
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !hasAttr {
				continue
			}
			attrs := tagAttrs(z)
			switch string(name) {
			case "base":
				if href, ok := attrs["href"]; ok && base != nil {
					if b, err := base.Parse(strings.TrimSpace(href)); err == nil {
						base = b
					}
				}
			case "link":
				mt, _, _ := mime.ParseMediaType(attrs["type"])
				if !hasToken(attrs["rel"], "alternate") || !feedTypes[mt] || strings.TrimSpace(attrs["href"]) == "" {
					continue
				}
				u := ResolveURL(base, attrs["href"])
				if !seen[u] {
					seen[u] = true
					links = append(links, Link{URL: u, Title: strings.TrimSpace(attrs["title"]), Type: mt})
				}
			}
		}
	}
}

// CommonPaths are where feeds and news sitemaps usually live when a
// homepage advertises none. Discover does not probe them; the caller may,
// politely, through fetch.
var CommonPaths = []string{
	"/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml",
	"/feeds/posts/default", "/?feed=rss2", "/fa/rss", "/rss/all", "/feed/rss",
	"/news-sitemap.xml", "/sitemap_news.xml", "/sitemap-news.xml", "/sitemap.xml",
}

// CandidateURLs resolves CommonPaths against a site's URL.
func CandidateURLs(siteURL string) []string {
	base, err := url.Parse(siteURL)
	if err != nil || base.Host == "" {
		return nil
	}
	out := make([]string, 0, len(CommonPaths))
	for _, p := range CommonPaths {
		out = append(out, ResolveURL(base, p))
	}
	return out
}

func tagAttrs(z *html.Tokenizer) map[string]string {
	attrs := map[string]string{}
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		attrs[strings.ToLower(string(k))] = string(v)
	}
	return attrs
}

func hasToken(list, token string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}
