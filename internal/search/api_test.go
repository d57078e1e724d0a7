package search

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedFixture(t, db)
		h := Handler(db)
		get := func(path string, params url.Values) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path+"?"+params.Encode(), nil))
			return rec
		}
		rec := get("/api/search", url.Values{"q": {"پوتین OR putin"}, "facets": {"1"}, "limit": {"2"}})
		var res Result
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
			t.Fatalf("search: %d %s", rec.Code, rec.Body)
		}
		if res.Total != 3 || len(res.Hits) != 2 || res.NextCursor == "" || res.Facets == nil {
			t.Errorf("search result = %+v", res)
		}
		rec = get("/api/search", url.Values{"q": {`"unclosed`}})
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"pos": 1`) {
			t.Errorf("malformed query: %d %s", rec.Code, rec.Body)
		}
		rec = get("/api/coverage", url.Values{"q": {"putin OR پوتین"}, "by": {"orientation"}, "interval": {"week"}})
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"periods"`) {
			t.Errorf("coverage: %d %s", rec.Code, rec.Body)
		}
		rec = get("/api/coverage", url.Values{"q": {"x"}, "by": {"camp"}})
		if rec.Code != 400 {
			t.Errorf("coverage by camp: %d", rec.Code)
		}
		rec = get("/api/coverage.svg", url.Values{"q": {"putin OR پوتین"}, "title": {"Putin's offer"}})
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml; charset=utf-8" || !strings.Contains(rec.Body.String(), "Putin&#39;s offer") {
			t.Errorf("svg: %d %s", rec.Code, rec.Header())
		}
		rec = get("/api/terms", url.Values{"q": {"putin OR پوتین"}})
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"word"`) {
			t.Errorf("terms: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestCLI(t *testing.T) {
	db := storetest.SQLite(t)
	seedFixture(t, db)
	ctx := context.Background()
	var out bytes.Buffer
	if err := RunCLI(ctx, db, []string{"--sort", "newest", "--facets", "--", "-oman", "lang:en"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 matches", "Diplomats expect progress in talks", "(Press TV, state-run)", "Orientations: state-run 2"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := RunCLI(ctx, db, []string{"--coverage", "day", "--by", "orientation", "putin OR پوتین"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2025-03-04") || !strings.Contains(out.String(), "total 3") {
		t.Errorf("coverage output:\n%s", out.String())
	}
	out.Reset()
	if err := RunCLI(ctx, db, []string{"--json", "میرود"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `<mark>می رود</mark>`) {
		t.Errorf("json output:\n%s", out.String())
	}
	if err := RunCLI(ctx, db, nil, &out); err == nil {
		t.Error("no query accepted")
	}
}
