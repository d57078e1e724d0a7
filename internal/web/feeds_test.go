package web_test

import (
	"context"
	"encoding/xml"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

// Text that breaks feeds written carelessly: markup characters, a CDATA
// terminator, Persian and an emoji.
const (
	trickyTitle = `Tom & Jerry <b>not bold</b> "quoted" ]]> پایان 🎉`
	trickyDek   = `A & B < C > D "E" 'F' ]]> <script>alert(1)</script> گزارش هفتگی 🕊️`
)

// TestFeedsCarryTextExactly: RSS descriptions were escaped once, so
// readers that treat them as HTML (as RSS 2.0 says they are) dropped the
// <brackets>. Each feed is parsed back with gofeed and the text must come
// out as it went in; the RSS description must also parse as HTML whose
// text is exactly the dek.
func TestFeedsCarryTextExactly(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		pub := testNow.Add(-time.Minute) // the newest post, first in every feed
		a := posts.Analysis{Slug: "tricky-text", Title: trickyTitle, Dek: trickyDek, Body: "Body.",
			Status: "published", PublishAt: &pub}
		if err := posts.SaveAnalysis(context.Background(), db, &a); err != nil {
			t.Fatal(err)
		}
		link := "https://desk.example/analysis/tricky-text"
		for _, path := range []string{"/feed.xml", "/atom.xml", "/feed.json"} {
			_, body := get(t, ts, path)
			feed, err := gofeed.NewParser().ParseString(body)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var item *gofeed.Item
			for _, it := range feed.Items {
				if it.Link == link {
					item = it
				}
			}
			if item == nil {
				t.Fatalf("%s: no item for %s", path, link)
			}
			if item.Title != trickyTitle {
				t.Errorf("%s: title %q, want %q", path, item.Title, trickyTitle)
			}
			got := item.Description
			if path == "/feed.xml" {
				got = htmlText(t, got)
			}
			if got != trickyDek {
				t.Errorf("%s: description reads %q, want %q", path, got, trickyDek)
			}
		}

		// The same without gofeed's leniency: the description element's
		// character data, per the XML spec, is HTML for the dek.
		_, body := get(t, ts, "/feed.xml")
		var doc struct {
			Items []struct {
				Link        string `xml:"link"`
				Description string `xml:"description"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Items) == 0 || doc.Items[0].Link != link {
			t.Fatalf("the tricky post is not first in the RSS feed")
		}
		if got := htmlText(t, doc.Items[0].Description); got != trickyDek {
			t.Errorf("RSS description as HTML reads %q, want %q", got, trickyDek)
		}
		if !strings.Contains(body, "<![CDATA[") {
			t.Error("the RSS description is not in a CDATA section")
		}
	})
}

// htmlText parses s as an HTML fragment and returns its text; it fails
// the test if s holds any element, since a dek is plain text.
func htmlText(t *testing.T, s string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range nodes {
		if n.Type != html.TextNode {
			t.Errorf("the description holds a <%s> element: %q", n.Data, s)
			continue
		}
		b.WriteString(n.Data)
	}
	return b.String()
}

// TestFeedsFollowRevisions: an analysis edited while public tells feed
// readers and crawlers so (Atom updated, JSON Feed date_modified, the
// sitemap's lastmod), and a post only published, or saved again with the
// same words, says it was last changed when it went out.
func TestFeedsFollowRevisions(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		ctx := context.Background()
		pub := testNow.Add(-time.Hour).Truncate(time.Second)
		a := posts.Analysis{Slug: "revised-post", Title: "Before the correction", Body: "First words.",
			Status: "published", PublishAt: &pub}
		save := func() {
			t.Helper()
			if err := posts.SaveAnalysis(ctx, db, &a); err != nil {
				t.Fatal(err)
			}
		}
		save()
		save() // the same words again: no revision
		link := "https://desk.example/analysis/revised-post"
		modified := func(ts *httptest.Server) (atomUpdated, jsonModified, lastmod string) {
			t.Helper()
			var feed struct {
				Entries []struct {
					ID      string `xml:"id"`
					Updated string `xml:"updated"`
				} `xml:"entry"`
			}
			_, body := get(t, ts, "/atom.xml")
			if err := xml.Unmarshal([]byte(body), &feed); err != nil {
				t.Fatal(err)
			}
			for _, e := range feed.Entries {
				if e.ID == link {
					atomUpdated = e.Updated
				}
			}
			_, body = get(t, ts, "/feed.json")
			jf, err := gofeed.NewParser().ParseString(body)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range jf.Items {
				if it.Link == link {
					jsonModified = it.Updated
				}
			}
			var sm struct {
				URLs []struct {
					Loc     string `xml:"loc"`
					LastMod string `xml:"lastmod"`
				} `xml:"url"`
			}
			_, body = get(t, ts, "/sitemap.xml")
			if err := xml.Unmarshal([]byte(body), &sm); err != nil {
				t.Fatal(err)
			}
			for _, u := range sm.URLs {
				if u.Loc == link {
					lastmod = u.LastMod
				}
			}
			if atomUpdated == "" || jsonModified == "" || lastmod == "" {
				t.Fatalf("the post is missing: atom updated %q, date_modified %q, lastmod %q", atomUpdated, jsonModified, lastmod)
			}
			return
		}
		want := pub.UTC().Format(time.RFC3339)
		if u, j, l := modified(ts); u != want || j != want || l != want {
			t.Errorf("before any revision: atom %s, json %s, sitemap %s; want the publish time %s", u, j, l, want)
		}

		before := time.Now().UTC().Truncate(time.Second) // feeds give whole seconds
		a.Body = "Corrected words."
		save()
		// A new instance: the first one may serve its cached feeds until
		// its next check of the content version.
		u, j, l := modified(newTestServer(t, db, web.Options{}))
		if u != j || u != l {
			t.Errorf("after the revision the feeds disagree: atom %s, json %s, sitemap %s", u, j, l)
		}
		at, err := time.Parse(time.RFC3339, u)
		if err != nil {
			t.Fatal(err)
		}
		if at.Before(before) {
			t.Errorf("after the revision atom updated is %s, before the edit at %s", u, before.Format(time.RFC3339))
		}
	})
}
