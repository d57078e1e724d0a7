package extract

import (
	"net/url"
	"strings"
	"time"

	"github.com/itlightning/dateparse"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what we read from the page ourselves, before readability
// rewrites the document: what readability does not expose (language
// sources, direction, canonical link) and the published-time sources in
// the order we trust them.
type pageMeta struct {
	base            *url.URL // <base href> resolved against the page URL
	htmlLang        string
	contentLanguage string // <meta http-equiv="content-language"> or <meta name="language">
	ogLocale        string
	dir             string
	canonical       string // <link rel="canonical">
	ogURL           string
	metaPublished   string // article:published_time and kin
	timePublished   string // <time datetime> marked as the publication time
}

// publishedMetaNames are <meta> names or properties that carry the
// publication time, most specific first.
var publishedMetaNames = []string{
	"article:published_time", "og:published_time", "datepublished", "publishdate",
	"pubdate", "dc.date.issued", "dcterms.issued", "sailthru.date", "parsely-pub-date", "date",
}

func readMeta(doc *html.Node, pageURL *url.URL) pageMeta {
	m := pageMeta{base: pageURL}
	metas := map[string]string{}
	var articleTime, anyMarkedTime string
	sawBase := false
	var walk func(n *html.Node, inArticle bool)
	walk = func(n *html.Node, inArticle bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				m.htmlLang, m.dir = attr(n, "lang"), strings.ToLower(attr(n, "dir"))
			case atom.Body:
				if m.dir == "" {
					m.dir = strings.ToLower(attr(n, "dir"))
				}
			case atom.Base:
				if href := attr(n, "href"); href != "" && !sawBase && m.base != nil {
					sawBase = true // only the first <base> counts
					if b, err := m.base.Parse(href); err == nil {
						m.base = b
					}
				}
			case atom.Link:
				if hasToken(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = attr(n, "href")
				}
			case atom.Meta:
				key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop"), attr(n, "http-equiv")))
				if _, seen := metas[key]; !seen && key != "" {
					metas[key] = attr(n, "content")
				}
			case atom.Article:
				inArticle = true
			case atom.Time:
				if dt := attr(n, "datetime"); dt != "" {
					marked := strings.EqualFold(attr(n, "itemprop"), "datePublished") || hasAttr(n, "pubdate")
					if marked && anyMarkedTime == "" {
						anyMarkedTime = dt
					}
					if inArticle && articleTime == "" {
						articleTime = dt
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inArticle)
		}
	}
	walk(doc, false)

	m.contentLanguage = firstNonEmpty(metas["content-language"], metas["language"], metas["dc.language"])
	m.ogLocale = metas["og:locale"]
	m.ogURL = metas["og:url"]
	for _, name := range publishedMetaNames {
		if v := metas[name]; v != "" {
			m.metaPublished = v
			break
		}
	}
	m.timePublished = firstNonEmpty(anyMarkedTime, articleTime)
	return m
}

// language returns the page's declared language: <html lang>, else
// og:locale, else the content-language meta, as a BCP 47 tag ("fa_IR"
// becomes "fa-IR").
func (m pageMeta) language() string {
	lang := firstNonEmpty(m.htmlLang, m.ogLocale, m.contentLanguage)
	lang, _, _ = strings.Cut(lang, ",") // content-language may list several
	return strings.ReplaceAll(strings.TrimSpace(lang), "_", "-")
}

// resolve makes ref absolute against the document base.
func (m pageMeta) resolve(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || m.base == nil {
		return ref
	}
	u, err := m.base.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}

// parseTime reads the date formats found in page metadata (ISO 8601 and
// many others); it returns the zero time when it cannot.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := dateparse.ParseAny(s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func hasToken(list, token string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
