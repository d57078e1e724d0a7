package studio_test

// The analysis, event and image screens pass the Nu Html Checker and
// axe-core like the rest of the studio (the tools are found as in
// quality_test.go). With PRESSREVIEW_SCREENSHOTS=DIR the browser walk
// saves docs/screenshots/studio-analysis-edit.png, studio-event-edit.png
// and studio-images.png.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store/storetest"
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
	jar := nodeModule(t, "vnu-jar/build/dist/vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		toolMissing(t, "java is not installed")
	}
	d := postsDesk(t)
	eddie, ana := d.as(t, "eddie"), d.as(t, "ana")
	type page struct{ name, body string }
	var pages []page
	for _, p := range postPages {
		resp, body := eddie.do(http.MethodGet, p, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", p, resp.Status)
		}
		pages = append(pages, page{p, body})
	}
	post := func(name string, c *client, path string, form url.Values) {
		_, body := c.do(http.MethodPost, path, form)
		pages = append(pages, page{name, body})
	}
	post("analysis preview", eddie, "/studio/analyses", analysisForm("preview", "body", previewBody))
	post("analysis with errors", eddie, "/studio/analyses", analysisForm("save", "authors", "nobody", "slug", "Bad Slug"))
	post("event preview", eddie, "/studio/events", eventForm("preview"))
	post("event with errors", eddie, "/studio/events", eventForm("save", "time_zone", "Asia/Tehrn"))
	post("analyst publishes (403)", ana, "/studio/analyses", analysisForm("save", "status", "published"))
	_, body := ana.do(http.MethodGet, "/studio/analyses/mediation-offer-splits-tehran-press", nil)
	pages = append(pages, page{"analyst on a published analysis", body})
	_, body = upload(t, ana, pngImage(t, 64, 64), "x.png", "alt", "")
	pages = append(pages, page{"upload without alt text", body})

	dir := t.TempDir()
	var files []string
	for i, p := range pages {
		f := filepath.Join(dir, fmt.Sprintf("page%02d.html", i))
		if err := os.WriteFile(f, []byte(p.body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(java, append([]string{"-jar", jar, "--format", "json", "--stdout", "--errors-only"}, files...)...).Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("vnu: %v", err)
	}
	var report struct {
		Messages []struct {
			Type, URL, Message string
			LastLine           int
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out)
	}
	for _, m := range report.Messages {
		if m.Type == "error" {
			var i int
			fmt.Sscan(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m.URL), "page"), ".html"), &i)
			t.Errorf("%s line %d: %s", pages[i].name, m.LastLine, m.Message)
		}
	}
}

// TestPostPagesHaveNoAxeViolations signs in as an editor in Chromium and
// runs axe-core on every page of the screens, and on the preview and the
// forms sent back with errors, pressing their buttons as a person would.
func TestPostPagesHaveNoAxeViolations(t *testing.T) {
	axe, err := os.ReadFile(nodeModule(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	const chromium = "/usr/bin/chromium"
	if !fileExists(chromium) {
		toolMissing(t, "chromium is not installed")
	}
	d := postsDesk(t)
	shots := os.Getenv("PRESSREVIEW_SCREENSHOTS")
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900))
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first action starts the browser and must carry no timeout.
	if err := chromedp.Do(bctx, chromedp.Navigate(d.url+"/studio/login")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(bctx, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#login-email"), "eddie@example.org"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), password),
		chromedp.Click(chromedp.CSS(`main button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#desk-title")),
	); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	check := func(name, shot string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](string(axe)+`;
			axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v =>
				({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))))`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe: %v", name, err)
		}
		if got != "[]" {
			t.Errorf("%s: axe violations: %s", name, got)
		}
		if shots != "" && shot != "" {
			// Every picture in the shot, the lazy ones too.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Promise.all([...document.images].map(i => {
				i.loading = "eager";
				return i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; });
			})).then(a => a.length)`, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatalf("%s: images: %v", name, err)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err == nil {
				err = os.WriteFile(filepath.Join(shots, "studio-"+shot+".png"), png, 0o644)
			}
			if err != nil {
				t.Fatalf("%s: screenshot: %v", name, err)
			}
		}
	}
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
