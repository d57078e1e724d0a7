package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
)

// searchFor fetches the results page of q.
func searchFor(t *testing.T, ts *httptest.Server, q string, extra ...string) string {
	t.Helper()
	path := "/search?q=" + url.QueryEscape(q) + strings.Join(extra, "")
	resp, body := get(t, ts, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", path, resp.StatusCode)
	}
	return body
}

func saveAnalysis(t *testing.T, db *store.DB, a posts.Analysis) {
	t.Helper()
	if err := posts.SaveAnalysis(context.Background(), db, &a); err != nil {
		t.Fatal(err)
	}
}

func TestSiteSearch(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		// Editions, analyses, events and authors are all found, words
		// marked whole.
		body := searchFor(t, ts, "Bloomberg")
		mustContain(t, body, `href="`+seedPath+`"`, `<mark>Bloomberg</mark>`, `Iran Media Review`)
		body = searchFor(t, ts, `"Iranian press"`)
		mustContain(t, body, `href="/events/the-week-in-the-iranian-press"`, `<p class="category">Event`)
		body = searchFor(t, ts, "alfoneh")
		mustContain(t, body, `href="/author/ali-alfoneh"`, `<p class="category">Author</p>`)
		// OR joins what either side finds; AND (the default) keeps what both do.
		body = searchFor(t, ts, "Bloomberg OR capitulation")
		mustContain(t, body, `href="`+seedPath+`"`, `href="/analysis/irans-strategic-dilemma-capitulation-or-parity"`)
		if body := searchFor(t, ts, "Bloomberg capitulation"); strings.Contains(body, `href="`+seedPath+`"`) {
			t.Error("an AND query found a page with only one of its words")
		}

		// Persian typed on an Arabic keyboard, with a space where the
		// page has a half-space, finds the page as written.
		body = searchFor(t, ts, "تسليم نمي شود")
		mustContain(t, body, `href="/analysis/irans-strategic-dilemma-capitulation-or-parity"`, `<mark>تسلیم نمی‌شود</mark>`)

		// Only what readers may see: not a scheduled analysis, not a draft.
		at := testNow.Add(-time.Hour)
		saveAnalysis(t, db, posts.Analysis{Slug: "draft-only", Title: "Quokka draft", Body: "Quokka.", Status: "draft"})
		for _, q := range []string{"quokka", `"Not Yet Public"`} {
			if body := searchFor(t, ts, q); !strings.Contains(body, "Nothing on the site matches") {
				t.Errorf("%s: found unpublished content", q)
			}
		}

		// A publish is found at once (the index follows site_version),
		// and Persian titles read right to left.
		saveAnalysis(t, db, posts.Analysis{Slug: "persian-title", Title: "مذاکرات هسته‌ای و رسانه‌های ایران",
			Body: "یک تحلیل کوتاه دربارهٔ مذاکرات.", Status: "published", PublishAt: &at})
		body = searchFor(t, ts, "مذاكرات")
		mustContain(t, body, `<a href="/analysis/persian-title" lang="fa" dir="rtl"><mark>مذاکرات</mark> هسته‌ای`,
			`<p class="snippet" lang="fa" dir="rtl">`)

		// Malformed queries and filters the site lacks are explained on
		// the page; dates narrow the results.
		mustContain(t, searchFor(t, ts, `"unclosed`), `role="alert">query: at character 1: unclosed quote &#34;`)
		mustContain(t, searchFor(t, ts, "outlet:kayhan iran"), "the site search has no outlet: filter")
		body = searchFor(t, ts, "iran before:2025-06-01")
		if strings.Contains(body, `href="/analysis/persian-title"`) || !strings.Contains(body, `href="`+seedPath+`"`) {
			t.Error("before: did not narrow the results")
		}
	})
}

func TestSiteSearchPages(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		for i := range 12 {
			at := testNow.Add(-time.Duration(i+1) * time.Hour)
			saveAnalysis(t, db, posts.Analysis{Slug: fmt.Sprintf("axolotl-%02d", i), Title: fmt.Sprintf("Axolotl %02d", i),
				Body: "On axolotls.", Status: "published", PublishAt: &at})
		}
		body := searchFor(t, ts, "axolotl")
		mustContain(t, body, "12 results for <q>axolotl</q>; 1–10 shown.", `<ol class="results" start="1">`,
			`href="/search?q=axolotl&amp;page=2" rel="next">Next</a>`)
		// Equal scores: newest first.
		if strings.Index(body, "axolotl-00") > strings.Index(body, "axolotl-01") {
			t.Error("ties are not newest first")
		}
		body = searchFor(t, ts, "axolotl", "&page=2")
		mustContain(t, body, `<ol class="results" start="11">`, `href="/search?q=axolotl" rel="prev">Previous</a>`, "axolotl-11")
		if resp, _ := get(t, ts, "/search?q=axolotl&page=3"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("page past the end: %d", resp.StatusCode)
		}
	})
}
