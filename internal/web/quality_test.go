package web_test

// Quality checks by real tools: the Nu Html Checker (vnu-jar) and axe-core
// in headless Chromium, run by internal/web/webtest (whose doc comment says
// how to install them). Without them the tests skip; with CI set they fail
// instead, so a green CI run means the pages were checked.

import (
	"net/http/httptest"
	"testing"

	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
	"github.com/pressreview/pressreview/internal/web/webtest"
)

// checkedPages are the pages the issue names: home, article, edition,
// event, listing and privacy, plus search (empty, with results in English
// and Persian, with none, with a malformed query) and the error page.
var checkedPages = []string{
	"/",
	seedPath,
	"/analysis/irans-strategic-dilemma-capitulation-or-parity",
	"/events/the-week-in-the-iranian-press",
	"/events/us-strike-on-iran-regional-and-diplomatic-fallout",
	"/events",
	"/analysis",
	"/series/iran-media-review",
	"/author/ali-alfoneh",
	"/privacy",
	"/search",
	"/search?q=iran",
	"/search?q=%D9%85%DB%8C%D8%A7%D9%86%D8%AC%DB%8C%DA%AF%D8%B1%DB%8C+OR+%D8%AA%D8%B3%D9%84%DB%8C%D9%85",
	"/search?q=zzyzx+nothing",
	"/search?q=%22unclosed",
	"/no-such-page",
}

// qualityServer serves the demo site on SQLite: the markup does not
// depend on the store, which the other tests cover on both.
func qualityServer(t *testing.T) *httptest.Server {
	db := storetest.SQLite(t)
	loadSite(t, db)
	return newTestServer(t, db, web.Options{})
}

func TestPagesAreValidHTML(t *testing.T) {
	vnu := webtest.NewVNU(t)
	ts := qualityServer(t)
	var pages []webtest.Page
	for _, p := range checkedPages {
		_, body := get(t, ts, p)
		pages = append(pages, webtest.Page{Name: p, HTML: body})
	}
	vnu.Check(t, pages)
}

func TestPagesHaveNoAxeViolations(t *testing.T) {
	axe := webtest.NewAxe(t)
	browser := webtest.Browser(t)
	axe.CheckURLs(t, browser, qualityServer(t).URL, checkedPages)
}
