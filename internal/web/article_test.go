package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
)

// The seed edition reads as an article: category, title, dek, byline with
// date and reading time, body, disclaimer and author card.
func TestSeedEditionPage(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		resp, body := get(t, ts, seedPath)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d:\n%s", resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		mustContain(t, body,
			`<a href="/category/analysis">Analysis</a>`,
			`<h1 id="article-title">Russian Nuclear Mediation a Nonstarter</h1>`,
			`<p class="dek">The March 7 edition of the Iran Media Review analyzes Iranian media responses`,
			`<a href="/author/ali-alfoneh" rel="author">Ali Alfoneh</a>`,
			`<time datetime="2025-03-07">March 7, 2025</time>`,
			`min read</span>`,
			`Iranian analysts are reacting to a Bloomberg News report`,
			`Hard-line Kayhan`,
			`do not necessarily reflect the views of AGSI, its staff, or its board of directors.`,
			`<p class="author-affiliation">Senior Fellow, AGSI</p>`,
			`<link rel="canonical" href="https://desk.example/analysis/russian-nuclear-mediation-a-nonstarter">`,
			`"@type":"NewsArticle"`,
			`<a class="skip-link" href="#main">`,
			`<form action="/newsletter/subscribe" method="post">`,
		)
	})
}

func TestUnknownArticleIs404Page(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		resp, body := get(t, ts, "/analysis/no-such-thing")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Page not found", `<a href="/">the home page</a>`)
	})
}
