package studio_test

// The studio's pages meet the public site's bar: the Nu Html Checker
// (vnu-jar) and axe-core in headless Chromium report nothing. The tools
// are found by internal/web/webtest; without them the tests skip, and
// under CI they fail. With PRESSREVIEW_SCREENSHOTS=DIR the browser walk
// also saves the docs' pictures of the desk screens
// (docs/screenshots/studio-*.png).

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/webtest"
)

// deskPages are the desk, roster, archive and intake screens, each in the
// states worth checking: empty and filled lists, forms, search results in
// Persian and English, none, and a malformed query. shot names the
// screenshot a page gives, if any.
var deskPages = []struct{ path, shot string }{
	{"/studio/", "desk"},
	{"/studio/editions", ""},
	{"/studio/editions?state=draft", ""},
	{"/studio/outlets", "outlets"},
	{"/studio/outlets/new", ""},
	{"/studio/outlets/kayhan", "outlet-edit"},
	{"/studio/outlets/kayhan?added=1&removed=https%3A%2F%2Fkayhan.ir%2Frss%2Fold.xml", ""},
	{"/studio/outlets/javan", ""},
	{"/studio/feeds", ""},
	{"/studio/feeds?status=failing", ""},
	{"/studio/people", "people"},
	{"/studio/people/new", ""},
	{"/studio/people/qassem-moheb-ali", ""},
	{"/studio/authors", ""},
	{"/studio/authors/new", ""},
	{"/studio/authors/ali-alfoneh", ""},
	{"/studio/archive", ""},
	{"/studio/archive?" + url.Values{"q": {"مذاکرات"}}.Encode(), "archive"},
	{"/studio/archive?q=talks", ""},
	{"/studio/archive?q=zzyzx", ""},
	{"/studio/archive?q=%22unclosed", ""},
	{"/studio/intake", ""},
}

// qualityDesk is a desk with something on every screen: the demo roster,
// Persian and English articles this week, a topic with alerts, a working
// and a failing feed.
func qualityDesk(t *testing.T) *deskSite {
	t.Helper()
	ctx := context.Background()
	d := newDeskSite(t, storetest.SQLite(t))
	if err := search.SaveTopic(ctx, d.db, &search.Topic{Name: "Nuclear talks", Query: "مذاکرات OR talks"}); err != nil {
		t.Fatal(err)
	}
	d.pasteAll(t, time.Now().UTC().Add(-24*time.Hour))
	if _, err := search.CheckTopics(ctx, d.db); err != nil {
		t.Fatal(err)
	}
	fs := newFeedServer(t)
	if _, err := d.svc.PollFeed(ctx, d.addFeed(t, "kayhan", fs.URL+"/feed.xml").ID); err != nil {
		t.Fatal(err)
	}
	fs.broken.Store(true)
	if _, err := d.svc.PollFeed(ctx, d.addFeed(t, "etemad", fs.URL+"/feed.xml?etemad").ID); err != nil {
		t.Fatal(err)
	}
	// Spellings in Persian and Arabic letters, as an analyst records them.
	if _, err := d.db.ExecContext(ctx, `UPDATE people SET aliases = ? WHERE key = 'qassem-moheb-ali'`, "قاسم محب علی\nقاسم محب علي\nGhasem Moheb Ali"); err != nil {
		t.Fatal(err)
	}
	// A week of coverage for the chart, and an edition waiting for review.
	for i, outlet := range []string{"kayhan", "javan", "etemad", "irna", "kayhan", "shargh-daily"} {
		if _, _, err := d.svc.AddPasted(ctx, ingest.Paste{OutletKey: outlet, Date: time.Now().UTC().AddDate(0, 0, -2-i), Source: "print edition",
			Title: fmt.Sprintf("یادداشت روز %d درباره مذاکرات", i+1),
			Body:  []byte(fmt.Sprintf("مذاکرات روز %d: متن نمونه‌ای که برای آزمون pressreview نوشته شده و خبر واقعی نیست.", i+1))}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO editions (slug, series_id, edition_date, title, status)
		 SELECT 'imr-2099-01-01', id, '2099-01-01', 'Tehran reads the Oman talks', 'draft' FROM series WHERE key = 'iran-media-review'`,
		`INSERT INTO edition_workflow (edition_id, state, version) SELECT id, 'in_review', 1 FROM editions WHERE slug = 'imr-2099-01-01'`,
	} {
		if _, err := d.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// editorWalk signs the editor in, in the browser, on the studio at base,
// and returns a context bounding the rest of the walk by three minutes
// and the check to run on each page: axe-core, and a screenshot named
// studio-SHOT when shot is not "".
func editorWalk(t *testing.T, axe *webtest.Axe, browser context.Context, base string) (context.Context, func(name, shot string)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(browser, 3*time.Minute)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/studio/login"),
		chromedp.SendKeys(chromedp.CSS("#login-email"), "eddie@example.org"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), password),
		chromedp.Click(chromedp.CSS(`main button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#desk-title")),
	); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	return ctx, func(name, shot string) {
		t.Helper()
		axe.Check(t, ctx, name)
		if shot != "" {
			webtest.Screenshot(t, ctx, "studio-"+shot)
		}
	}
}

func TestDeskPagesAreValidHTML(t *testing.T) {
	vnu := webtest.NewVNU(t)
	d := qualityDesk(t)
	eddie := d.as(t, "eddie")
	var pages []webtest.Page
	for _, p := range deskPages {
		resp, body := eddie.do(http.MethodGet, p.path, nil)
		if want := http.StatusOK; resp.StatusCode != want && !strings.Contains(p.path, "unclosed") {
			t.Errorf("%s: %s, want %d", p.path, resp.Status, want)
		}
		pages = append(pages, webtest.Page{Name: p.path, HTML: body})
	}
	// Forms that come back with errors, and the analyst's read-only outlet.
	_, body := eddie.do(http.MethodPost, "/studio/outlets", url.Values{"key": {"Bad Key"}, "name": {""}})
	pages = append(pages, webtest.Page{Name: "POST /studio/outlets (invalid)", HTML: body})
	_, body = eddie.do(http.MethodPost, "/studio/people", url.Values{"key": {"x"}, "name": {""}, "aliases": {"a\nb"}})
	pages = append(pages, webtest.Page{Name: "POST /studio/people", HTML: body})
	_, body = eddie.do(http.MethodPost, "/studio/intake", url.Values{"form": {"paste"}, "outlet": {"kayhan"}})
	pages = append(pages, webtest.Page{Name: "POST /studio/intake (invalid)", HTML: body})
	_, body = eddie.do(http.MethodPost, "/studio/outlets/javan/feeds", url.Values{"url": {"javan.ir"}})
	pages = append(pages, webtest.Page{Name: "POST /studio/outlets/javan/feeds (invalid)", HTML: body})
	_, body = d.as(t, "ana").do(http.MethodGet, "/studio/outlets/kayhan", nil)
	pages = append(pages, webtest.Page{Name: "analyst /studio/outlets/kayhan", HTML: body})

	vnu.Check(t, pages)
}

// TestDeskPagesHaveNoAxeViolations signs in as an editor in Chromium and
// runs axe-core on every desk page, and on forms returned with errors.
func TestDeskPagesHaveNoAxeViolations(t *testing.T) {
	axe := webtest.NewAxe(t)
	browser := webtest.Browser(t, chromedp.WindowSize(1280, 900))
	d := qualityDesk(t)
	ctx, check := editorWalk(t, axe, browser, d.url)
	for _, p := range deskPages {
		if err := chromedp.Do(ctx, chromedp.Navigate(d.url+p.path)); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		check(p.path, p.shot)
	}
	// A form sent back with its errors beside the fields.
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/studio/people/new"),
		chromedp.Click(chromedp.CSS(`main button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#person-errors"))); err != nil {
		t.Fatalf("empty person form: %v", err)
	}
	check("POST /studio/people (empty)", "")
	// The outlet's feed form sent back with its error.
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/studio/outlets/javan"),
		chromedp.SendKeys(chromedp.CSS("#feed-url"), "javan.ir"),
		chromedp.Click(chromedp.CSS(`#add-feed + form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#feed-errors"))); err != nil {
		t.Fatalf("invalid feed form: %v", err)
	}
	check("POST /studio/outlets/javan/feeds (invalid)", "")
}
