package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/store"
)

// An edition with a Persian title marks its <h1> as Persian, right to left
// (issue 11, item 20); an English title stays unmarked (TestSeedEditionPage).
func TestPersianTitleHasLangAndDir(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		const src = `{"format": "pressreview/1", "editions": [{"slug": "persian-edition", "series": "iran-media-review",
			"date": "2025-03-14", "title": "رسانه‌های ایران و میانجی‌گری روسیه", "status": "published", "publish_at": "2025-03-14T14:00:00Z",
			"entries": [{"date": "2025-03-10", "outlet": "kayhan", "verb": "said",
			"items": [{"parts": [{"kind": "text", "text": "Narration."}]}]}]}]}`
		b, err := exchange.Decode("persian.json", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exchange.Import(context.Background(), db, "persian.json", b); err != nil {
			t.Fatal(err)
		}
		resp, body := get(t, ts, "/analysis/persian-edition")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d:\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, `<h1 id="article-title" lang="fa" dir="rtl">رسانه‌های ایران و میانجی‌گری روسیه</h1>`)
	})
}
