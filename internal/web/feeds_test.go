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
