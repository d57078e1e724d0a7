package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/pressreview/pressreview/internal/store"
)

// A crawl from the home page finds no broken internal link, image or
// stylesheet, and never a page without a title or a main landmark.
func TestCrawlFindsNoBrokenLinks(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		pages := crawl(t, ts)
		for _, must := range []string{"/", seedPath, "/analysis", "/events", "/privacy", "/series/iran-media-review",
			"/author/ali-alfoneh", "/tag/nuclear-talks", "/events/the-week-in-the-iranian-press", "/feed.xml", "/sitemap.xml"} {
			if !pages[must] {
				t.Errorf("crawl never reached %s", must)
			}
		}
		if pages["/analysis/a-scheduled-analysis"] {
			t.Error("crawl reached a scheduled analysis before its time")
		}
	})
}

// crawl follows every same-site link, src and srcset from "/" and fails
// on any answer but 200. It returns the paths it visited.
func crawl(t *testing.T, ts *httptest.Server) map[string]bool {
	t.Helper()
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		resp, body := get(t, ts, path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		if !strings.Contains(body, "<title>") || !strings.Contains(body, `<main id="main"`) {
			t.Errorf("%s: no title or main landmark", path)
		}
		for _, ref := range references(t, body) {
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad link %q", path, ref)
				continue
			}
			if u.Host != "" && u.Host != "desk.example" || u.Scheme == "mailto" {
				continue
			}
			p := u.Path
			if u.RawQuery != "" {
				p += "?" + u.RawQuery
			}
			if p != "" && !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return seen
}

// references lists the href, src and srcset URLs of a page (not form
// actions: posting is not crawling).
func references(t *testing.T, page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for n := range doc.Descendants() {
		for _, a := range n.Attr {
			switch a.Key {
			case "href", "src":
				out = append(out, a.Val)
			case "srcset":
				for _, c := range strings.Split(a.Val, ",") {
					out = append(out, strings.Fields(c)[0])
				}
			}
		}
	}
	return out
}
