package site

import (
	"encoding/xml"
	"math"
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
)

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap serves /sitemap.xml: every public page a search engine should
// know, with the last change of posts and events.
func (s *Site) sitemap(r *http.Request) (*Response, error) {
	ctx := r.Context()
	doc := urlSet{}
	add := func(path, lastmod string) {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.URL(path), LastMod: lastmod})
	}
	for _, p := range []string{"/", "/analysis", "/series", "/events", "/privacy"} {
		add(p, "")
	}
	all, _, err := posts.List(ctx, s.db, posts.Filter{}, s.now(), math.MaxInt32, 0)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	once := func(path string) {
		if !seen[path] {
			seen[path] = true
			add(path, "")
		}
	}
	for _, p := range all {
		add(postPath(p), p.UpdatedAt.UTC().Format(time.RFC3339))
		if c := categoryPath(p.Category); c != "" {
			once(c)
		}
		if p.SeriesKey != "" {
			once("/series/" + p.SeriesKey)
		}
		for _, a := range p.Authors {
			once("/author/" + a.Key)
		}
		for _, t := range p.Tags {
			once("/tag/" + t.Key)
		}
	}
	for _, upcoming := range []bool{true, false} {
		evs, _, err := posts.ListEvents(ctx, s.db, s.now(), upcoming, math.MaxInt32, 0)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			// An event's page changes when it is rescheduled or edited:
			// its lastmod is that time, so crawlers come back for it.
			lastmod := ""
			if !e.UpdatedAt.IsZero() {
				lastmod = e.UpdatedAt.UTC().Format(time.RFC3339)
			}
			add("/events/"+e.Slug, lastmod)
		}
	}
	return xmlResponse("application/xml; charset=utf-8", doc)
}

// robots serves /robots.txt: everything may be crawled except search
// results, and the sitemap is named.
func (s *Site) robots(*http.Request) (*Response, error) {
	body := "User-agent: *\nDisallow: /search\n\nSitemap: " + s.URL("/sitemap.xml") + "\n"
	return &Response{ContentType: "text/plain; charset=utf-8", Raw: []byte(body)}, nil
}
