package studio_test

// The analysis, event and image screens pass the Nu Html Checker and
// axe-core like the rest of the studio (the tools are found by
// internal/web/webtest). With PRESSREVIEW_SCREENSHOTS=DIR the browser walk
// saves docs/screenshots/studio-analysis-edit.png, studio-event-edit.png
// and studio-images.png.

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/webtest"
)

// postPages are the screens' GET pages, as the editor sees them.
var postPages = []string{
	"/studio/analyses",
	"/studio/analyses/new",
	"/studio/analyses/mediation-offer-splits-tehran-press",
	"/studio/events",
	"/studio/events/new",
	"/studio/events/tehran-press-briefing",
	"/studio/images",
	"/studio/images/camps-mediation",
}

// previewBody is an analysis body with what a preview must handle:
// headings, emphasis, a list, a quotation, Persian in its own direction,
// and a script that must not survive.
const previewBody = "The hard-line press read the offer as a trap.\n\n## What Kayhan wrote\n\n" +
	"Kayhan called it **a Russian favour Iran does not need**, under the headline " +
	"<q lang=\"fa\" dir=\"rtl\">میانجی‌گری بی‌حاصل</q>.\n\n" +
	"> Mediation is welcome only when it serves the nation.\n\n" +
	"- Kayhan: against\n- Etemad: cautiously for\n- IRNA: silent\n\n<script>alert('x')</script>"

// postsDesk is the demo desk with an event in Tehran's time zone.
func postsDesk(t *testing.T) *deskSite {
	t.Helper()
	d := newPostsSite(t, storetest.SQLite(t))
	start := time.Date(2026, 3, 19, 15, 0, 0, 0, time.UTC)
	e := posts.Event{Slug: "tehran-press-briefing", Title: "Briefing: The Tehran Press After Nowruz",
		Summary: "What the camps wrote over the new year holidays.", Body: "An online briefing for subscribers.\n\n*Written for the pressreview demo.*",
		StartsAt: start, EndsAt: start.Add(90 * time.Minute), TimeZone: "Asia/Tehran",
		OnlineURL: "https://events.example.org/nowruz-briefing", Capacity: 120, Image: "event-briefing", Status: "draft"}
	if err := posts.SaveEvent(context.Background(), d.db, &e); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPostPagesAreValidHTML(t *testing.T) {
	vnu := webtest.NewVNU(t)
	d := postsDesk(t)
	eddie, ana := d.as(t, "eddie"), d.as(t, "ana")
	var pages []webtest.Page
	for _, p := range postPages {
		resp, body := eddie.do(http.MethodGet, p, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", p, resp.Status)
		}
		pages = append(pages, webtest.Page{Name: p, HTML: body})
	}
	post := func(name string, c *client, path string, form url.Values) {
		_, body := c.do(http.MethodPost, path, form)
		pages = append(pages, webtest.Page{Name: name, HTML: body})
	}
	post("analysis preview", eddie, "/studio/analyses", analysisForm("preview", "body", previewBody))
	post("analysis with errors", eddie, "/studio/analyses", analysisForm("save", "authors", "nobody", "slug", "Bad Slug"))
	post("event preview", eddie, "/studio/events", eventForm("preview"))
	post("event with errors", eddie, "/studio/events", eventForm("save", "time_zone", "Asia/Tehrn"))
	post("analyst publishes (403)", ana, "/studio/analyses", analysisForm("save", "status", "published"))
	_, body := ana.do(http.MethodGet, "/studio/analyses/mediation-offer-splits-tehran-press", nil)
	pages = append(pages, webtest.Page{Name: "analyst on a published analysis", HTML: body})
	_, body = upload(t, ana, pngImage(t, 64, 64), "x.png", "alt", "")
	pages = append(pages, webtest.Page{Name: "upload without alt text", HTML: body})

	vnu.Check(t, pages)
}

// TestPostPagesHaveNoAxeViolations signs in as an editor in Chromium and
// runs axe-core on every page of the screens, and on the preview and the
// forms sent back with errors, pressing their buttons as a person would.
func TestPostPagesHaveNoAxeViolations(t *testing.T) {
	axe := webtest.NewAxe(t)
	browser := webtest.Browser(t, chromedp.WindowSize(1280, 900))
	d := postsDesk(t)
	ctx, check := editorWalk(t, axe, browser, d.url)
	for _, p := range postPages {
		if err := chromedp.Do(ctx, chromedp.Navigate(d.url+p)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		shot := ""
		switch p {
		case "/studio/events/tehran-press-briefing":
			shot = "event-edit"
		case "/studio/images":
			shot = "images"
		}
		check(p, shot)
	}

	// The analysis editor with its preview beside the form.
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/studio/analyses/new"),
		chromedp.SendKeys(chromedp.CSS("#analysis-title"), "Mediation Offer: What the Camps Wrote"),
		chromedp.SendKeys(chromedp.CSS("#analysis-dek"), "Kayhan saw a trap, Etemad an opening."),
		chromedp.SendKeys(chromedp.CSS("#analysis-authors"), "leila-navabi"),
		chromedp.SendKeys(chromedp.CSS("#analysis-tags"), "diplomacy, iranian-media"),
		chromedp.SetValue(chromedp.CSS("#analysis-image"), "camps-mediation"),
		chromedp.SetValue(chromedp.CSS("#analysis-body"), previewBody),
		chromedp.Click(chromedp.CSS(`button[value="preview"]`)),
		chromedp.WaitVisible(chromedp.CSS("#preview-title")),
	); err != nil {
		t.Fatalf("preview: %v", err)
	}
	scripts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".post-preview script").length`))
	if err != nil || scripts != 0 {
		t.Errorf("the preview holds %d scripts (%v)", scripts, err)
	}
	check("analysis preview", "analysis-edit")

	// Forms sent back with their errors.
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/studio/events/tehran-press-briefing"),
		chromedp.SetValue(chromedp.CSS("#event-time_zone"), "Asia/Tehrn"),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS("#event-errors"))); err != nil {
		t.Fatalf("bad time zone: %v", err)
	}
	check("event with a bad time zone", "")
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/studio/images"),
		chromedp.Click(chromedp.CSS(`main .upload-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#upload-errors"))); err != nil {
		t.Fatalf("empty upload: %v", err)
	}
	check("empty upload", "")
}
