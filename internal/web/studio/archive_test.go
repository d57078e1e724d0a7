package studio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestArchiveSearch: the archive reader runs the query language, finds a
// Persian word typed with Arabic yeh and kaf, shows each snippet in its
// own language and direction with the matches marked, and offers facets,
// the coverage chart and further pages.
func TestArchiveSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDeskSite(t, db)
		ids := d.pasteAll(t, time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC))
		ana := d.as(t, "ana")

		// "مذاكرات كرمان" with Arabic kaf; the article has Persian keheh.
		q := "مذاكرات كرمان"
		resp, page := ana.do(http.MethodGet, "/studio/archive?"+url.Values{"q": {q}}.Encode(), nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("archive search: %s", resp.Status)
		}
		for _, want := range []string{
			`<h2 id="results-title">1 article</h2>`,
			`<h3 lang="fa" dir="rtl"><a href="/studio/articles/` + fmt.Sprint(ids[0]) + `"><mark>مذاکرات</mark> هسته‌ای در <mark>کرمان</mark></a></h3>`,
			`<p class="snippet" lang="fa" dir="rtl">`,
			`<img src="/studio/archive/coverage.svg?q=`,
			`<a href="/studio/archive?q=` + url.QueryEscape(q+" orientation:hard-line") + `">hard-line</a> <span class="count">1</span>`,
			`<input id="archive-q" type="search" name="q" value="` + q + `" dir="auto"`,
		} {
			if !strings.Contains(strings.ReplaceAll(page, "&#43;", "+"), want) {
				t.Errorf("archive page lacks %s", want)
			}
		}
		if t.Failed() {
			t.Logf("%s", page)
		}
		// A facet narrows the search it was offered for.
		_, page = ana.do(http.MethodGet, "/studio/archive?"+url.Values{"q": {"مذاکرات outlet:etemad"}}.Encode(), nil)
		if !strings.Contains(page, `<h2 id="results-title">1 article</h2>`) || !strings.Contains(page, "اعتماد: فرصت دیپلماسی") {
			t.Errorf("outlet facet:\n%s", page)
		}
		resp, svg := ana.do(http.MethodGet, "/studio/archive/coverage.svg?"+url.Values{"q": {q}}.Encode(), nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" || !strings.Contains(svg, "<svg") || !strings.Contains(svg, "hard-line") {
			t.Errorf("coverage chart: %s %s", resp.Status, resp.Header.Get("Content-Type"))
		}
		resp, page = ana.do(http.MethodGet, "/studio/archive?q=%22unclosed", nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="archive-error" role="alert">`) || !strings.Contains(page, `aria-invalid="true"`) {
			t.Errorf("malformed query: %s", resp.Status)
		}

		// Paging: 25 more Kayhan articles, 20 a page.
		for i := range 25 {
			if _, _, err := d.svc.AddPasted(context.Background(), ingest.Paste{OutletKey: "kayhan", Date: time.Date(2025, 2, 1+i, 0, 0, 0, 0, time.UTC),
				Source: "print edition", Title: fmt.Sprintf("یادداشت شماره %d", i), Body: []byte(fmt.Sprintf("یادداشت روزانه شماره %d درباره بازار.", i))}); err != nil {
				t.Fatal(err)
			}
		}
		_, page = ana.do(http.MethodGet, "/studio/archive?q=outlet%3Akayhan", nil)
		next := regexp.MustCompile(`<a href="([^"]+)" rel="next">Next page</a>`).FindStringSubmatch(page)
		if !strings.Contains(page, `<h2 id="results-title">27 articles</h2>`) || strings.Count(page, `<li class="result">`) != 20 || next == nil {
			t.Fatalf("first page of outlet:kayhan: %d results, next %v", strings.Count(page, `<li class="result">`), next)
		}
		_, page = ana.do(http.MethodGet, strings.ReplaceAll(next[1], "&amp;", "&"), nil)
		if strings.Count(page, `<li class="result">`) != 7 || !strings.Contains(page, `<a href="/studio/archive?q=outlet%3Akayhan">First page</a>`) || strings.Contains(page, "Next page") {
			t.Errorf("second page: %d results\n%s", strings.Count(page, `<li class="result">`), page)
		}
	})
}

// TestIntakeForm: pasted text and a URL go through the intake's own
// functions and open the new article; a missing field is shown at it.
func TestIntakeForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDeskSite(t, db)
		ana := d.as(t, "ana")
		_, page := ana.do(http.MethodGet, "/studio/intake", nil)
		for _, want := range []string{`<option value="kayhan">Kayhan</option>`, `<textarea id="paste-text" name="text" rows="12" dir="auto" required>`,
			`<input type="hidden" name="form" value="paste">`, `<input id="by-url-url" type="url" name="url" value="" required>`} {
			if !strings.Contains(page, want) {
				t.Errorf("intake page lacks %s", want)
			}
		}
		paste := url.Values{"form": {"paste"}, "outlet": {"kayhan"}, "date": {"2025-03-06"}, "source": {""},
			"text": {"متن چاپی کیهان درباره مذاکرات، نوشته شده برای آزمون."}}
		resp, page := ana.do(http.MethodPost, "/studio/intake", paste)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `<p class="field-error" id="paste-source-error">the source is required`) ||
			!strings.Contains(page, `<option value="kayhan" selected>Kayhan</option>`) || !strings.Contains(page, "متن چاپی کیهان") {
			t.Errorf("paste without a source: %s\n%s", resp.Status, page)
		}
		paste.Set("source", "print edition, p. 2")
		resp, _ = ana.do(http.MethodPost, "/studio/intake", paste)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/studio/articles/") {
			t.Fatalf("paste: %s %q", resp.Status, loc)
		}
		var id int64
		fmt.Sscan(strings.TrimPrefix(loc, "/studio/articles/"), &id)
		a, err := ingest.ArticleByID(context.Background(), db, id)
		if err != nil || a.Source != "paste" || a.SourceDetail != "print edition, p. 2" || a.Lang != "fa" || a.OutletKey != "kayhan" {
			t.Errorf("pasted article: %+v %v", a, err)
		}

		fs := newFeedServer(t)
		byURL := url.Values{"form": {"by-url"}, "url": {fs.URL + "/news/1"}}
		resp, page = ana.do(http.MethodPost, "/studio/intake", byURL)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="by-url-outlet-error">no outlet has a homepage or feed on 127.0.0.1`) {
			t.Errorf("URL of no known outlet: %s\n%s", resp.Status, page)
		}
		byURL.Set("outlet", "etemad")
		resp, _ = ana.do(http.MethodPost, "/studio/intake", byURL)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/studio/articles/") {
			t.Fatalf("URL intake: %s %q", resp.Status, loc)
		} else {
			fmt.Sscan(strings.TrimPrefix(loc, "/studio/articles/"), &id)
		}
		if a, err := ingest.ArticleByID(context.Background(), db, id); err != nil || a.Title != "گزارش کرمان" || a.CaptureID == nil {
			t.Errorf("fetched article: %+v %v", a, err)
		}
		byURL.Set("url", fs.URL+"/gone")
		if resp, page := ana.do(http.MethodPost, "/studio/intake", byURL); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, `id="by-url-url-error">GET `+fs.URL+`/gone: server answered 404 Not Found`) {
			t.Errorf("URL that answers 404: %s", resp.Status)
		}
	})
}

// TestArticlesAPI: POST /api/articles takes an article as JSON and answers
// 201 with its id; problems come as {"error", "field"}.
func TestArticlesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDeskSite(t, db)
		ana := d.as(t, "ana")
		post := func(body string) (int, map[string]any) {
			t.Helper()
			req, _ := http.NewRequest(http.MethodPost, d.url+"/api/articles", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := ana.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var out map[string]any
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatalf("%s: %s", resp.Status, raw)
			}
			return resp.StatusCode, out
		}
		body := `{"outlet": "etemad", "date": "2025-03-06", "title": "اعتماد: متن چاپی", "text": "متن چاپی اعتماد درباره گفت‌وگو، نوشته شده برای آزمون.", "source": "print edition, p. 1", "language": "fa"}`
		status, out := post(body)
		if status != http.StatusCreated || out["id"] == nil || out["created"] != true {
			t.Fatalf("POST /api/articles: %d %v", status, out)
		}
		id := int64(out["id"].(float64))
		a, err := ingest.ArticleByID(context.Background(), db, id)
		if err != nil || a.Title != "اعتماد: متن چاپی" || a.Lang != "fa" || a.Published == nil || a.Published.Format("2006-01-02") != "2025-03-06" {
			t.Errorf("stored: %+v %v", a, err)
		}
		if status, out := post(body); status != http.StatusOK || out["id"] != float64(id) || out["created"] != false {
			t.Errorf("the same article again: %d %v", status, out)
		}
		html := `{"outlet": "kayhan", "date": "2025-03-06T08:00:00Z", "html": "<html><head><title>کیهان</title></head><body><article><p>متن کیهان درباره تحریم‌ها که برای آزمون نوشته شده و خبر واقعی نیست.</p></article></body></html>", "source": "Telegram @kayhan"}`
		if status, out := post(html); status != http.StatusCreated {
			t.Errorf("HTML article: %d %v", status, out)
		}
		for _, c := range []struct {
			body   string
			status int
			field  string
		}{
			{`{"outlet": "etemad", "date": "2025-03-06", "text": "x y z"}`, 422, "source"},
			{`{"date": "2025-03-06", "text": "x y z", "source": "s"}`, 422, "outlet"},
			{`{"outlet": "nobody", "date": "2025-03-06", "text": "x y z", "source": "s"}`, 422, "outlet"},
			{`{"outlet": "etemad", "date": "6 March", "text": "x y z", "source": "s"}`, 422, "date"},
			{`{"outlet": "etemad", "date": "2025-03-06", "source": "s"}`, 422, "text"},
			{`{"outlet": "etemad", "date": "2025-03-06", "text": "a", "html": "<p>a</p>", "source": "s"}`, 422, "html"},
			{`{"outlet": "etemad", "body": "x"}`, 400, ""},
		} {
			status, out := post(c.body)
			if status != c.status || (c.field != "" && out["field"] != c.field) || out["error"] == nil {
				t.Errorf("%s: %d %v, want %d field %q", c.body, status, out, c.status, c.field)
			}
		}
	})
}
