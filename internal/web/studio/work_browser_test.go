package studio_test

// The analyst's and the editor's day in headless Chromium, on both stores:
// search, read, clip by keyboard, compose, submit, approve, publish, send a
// test newsletter; and two people editing one edition at once. Without
// /usr/bin/chromium the tests skip, except under CI. With
// PRESSREVIEW_SCREENSHOTS=DIR they save the docs' pictures of these
// screens (docs/screenshots/studio-article.png and the rest).

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/webtest"
)

// chrome starts headless Chromium at 1280 wide. It is running when chrome
// returns, so each person can open a browser context of their own on it.
func chrome(t *testing.T) context.Context {
	t.Helper()
	return webtest.Browser(t, chromedp.WindowSize(1280, 1000))
}

// tab is one signed-in person in the browser, with a bound on each step.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// person opens a browser context of its own (its own cookies) on the
// browser, and signs email in.
func (d *workDesk) person(t *testing.T, browser context.Context, email string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first action opens the context's tab, unbounded.
	if err := chromedp.Do(ctx, chromedp.Navigate(d.ts.URL+"/studio/login")); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, base: d.ts.URL}
	b.do(chromedp.SendKeys(chromedp.CSS("#login-email"), email),
		chromedp.SendKeys(chromedp.CSS("#login-password"), password))
	b.submit(chromedp.CSS(`#login-password`))
	return b
}

func (b *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 60*time.Second)
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// submit submits the form of sel and waits for the page it leads to.
func (b *tab) submit(sel chromedp.CSS) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(sel)); err != nil {
		b.t.Fatalf("submit %s: %v", sel, err)
	}
}

// click clicks sel and waits for the page it leads to.
func (b *tab) click(sel chromedp.CSS) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(sel)); err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
}

func (b *tab) open(path string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(b.base+path)); err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
}

func (b *tab) text(sel chromedp.CSS) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// waitFor waits until the JavaScript condition holds.
func (b *tab) waitFor(cond string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond))
		// A page that navigates (the conflict view is a form post) ends
		// the poll; it starts again on the new page.
		if err != nil && ctx.Err() == nil && strings.Contains(err.Error(), "(-32000)") {
			continue
		}
		if err == nil {
			return
		}
		b.t.Fatalf("waiting for %s: %v (page: %s)", cond, err, b.eval(`location.href + "\n" + (document.body ? document.body.innerText.slice(0, 3000) : "")`))
	}
}

// appendTo types text at the end of the field sel, as a person does.
func (b *tab) appendTo(sel, text string) {
	b.t.Helper()
	b.do(chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(kb.End), chromedp.KeyEvent(text))
}

func (b *tab) heading(want string) {
	b.t.Helper()
	if got := b.text("h1"); !strings.Contains(got, want) {
		b.t.Fatalf("page heading %q, want %q", got, want)
	}
}

// shot saves a screenshot for the docs when PRESSREVIEW_SCREENSHOTS says
// where.
func (b *tab) shot(name string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	webtest.WindowScreenshot(b.t, ctx, "studio-"+name)
}

// saved waits until the composer's autosave has caught up.
func (b *tab) saved() {
	b.t.Helper()
	b.waitFor(`document.getElementById("save-status").textContent.startsWith("Saved as version")`)
}

// TestBrowserDeskDay is the walk through the studio.
func TestBrowserDeskDay(t *testing.T) {
	ctx := chrome(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		ana := d.person(t, ctx, analystEmail)

		// Search with Arabic kaf and yeh; the Persian article is found.
		ana.open("/studio/archive?" + url.Values{"q": {"كيهان"}}.Encode())
		article := fmt.Sprintf("/studio/articles/%d", d.article.ID)
		ana.click(chromedp.CSS(`a[href="` + article + `"]`))
		ana.heading("مذاکره بی‌فایده است")

		// Select the passage, "c", type, Ctrl+Enter. The passage may span
		// text nodes: the quote the finder found in it is marked.
		ana.eval(`(function (want) {
			var el = document.getElementById("article-text"), walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), n;
			var i = el.textContent.indexOf(want), at = 0, r = document.createRange();
			if (i < 0) return "not found";
			while ((n = walk.nextNode())) {
				if (i >= at && i <= at + n.data.length) r.setStart(n, i - at);
				if (i + want.length <= at + n.data.length) { r.setEnd(n, i + want.length - at); break; }
				at += n.data.length;
			}
			var s = getSelection(); s.removeAllRanges(); s.addRange(r); return "ok";
		})(` + jsString(deskPassage) + `)`)
		ana.waitFor(`document.getElementById("clip-passage").value === ` + jsString(deskPassage))
		ana.do(chromedp.KeyEvent("c"))
		ana.waitFor(`document.activeElement.id === "clip-translation"`)
		ana.do(chromedp.KeyEvent("We accept no Russian mediation."))
		ana.do(chromedp.SendKeys(chromedp.CSS("#clip-new-name"), "Ali Bagheri"),
			chromedp.SendKeys(chromedp.CSS("#clip-new-native"), "علی باقری"),
			chromedp.SendKeys(chromedp.CSS("#clip-new-role"), "Iran’s deputy foreign minister"),
			chromedp.Focus(chromedp.CSS("#clip-translation")))
		ana.shot("article")
		start := codePointAt(t, d.article.Text, deskPassage)
		if got := ana.eval(`document.getElementById("clip-start").value + "-" + document.getElementById("clip-end").value`); got != fmt.Sprintf("%d-%d", start, start+len([]rune(deskPassage))) {
			t.Fatalf("offsets %s, want from %d", got, start)
		}
		func() {
			sctx, cancel := ana.step()
			defer cancel()
			if _, err := chromedp.RunResponse(sctx, chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
				t.Fatal(err)
			}
		}()
		ana.waitFor(`document.querySelector("mark.clip-mark.current") !== null`)
		if got := ana.text("mark.clip-mark"); got != deskPassage {
			t.Fatalf("highlighted %q", got)
		}

		// A new edition, and an entry made of the clip on the clipboard.
		ana.open("/studio/editions/new")
		ana.do(chromedp.SendKeys(chromedp.CSS("#new-title-field"), "Responses to the talks"),
			chromedp.SetValue(chromedp.CSS("#new-date"), "2025-03-07"))
		ana.submit(chromedp.CSS("#new-title-field"))
		slug := strings.TrimPrefix(ana.eval(`location.pathname`), "/studio/editions/")
		ana.open("/studio/clips")
		ana.do(chromedp.Click(chromedp.CSS(`input[name="clip"]`)), chromedp.SetValue(chromedp.CSS("#entry-edition"), slug),
			chromedp.SendKeys(chromedp.CSS("#entry-verb"), "rejected mediation"))
		ana.shot("clips")
		ana.submit(chromedp.CSS("#entry-verb"))
		ana.heading("Responses to the talks")

		// Entry 1 gets a second outlet that relayed it, and the new
		// suggested lead-in.
		ana.click(chromedp.CSS(`button[value^="add-outlet:"]`))
		ana.do(chromedp.SendKeys(chromedp.CSS(`.compose-entry [data-ref]:nth-of-type(2) input[name$=".key"]`), "irna"),
			chromedp.SetValue(chromedp.CSS(`.compose-entry [data-ref]:nth-of-type(2) select`), "via"),
			chromedp.SendKeys(chromedp.CSS(`.compose-entry [data-ref]:nth-of-type(2) input[name$=".via"]`), "as reported by"))
		ana.saved()
		ana.waitFor(`document.querySelector("[data-suggestion]").textContent.includes("as reported by the state news agency IRNA")`)
		ana.do(chromedp.Click(chromedp.CSS("[data-accept]")))
		ana.waitFor(`document.querySelector("textarea[name$='.lead_in']").value.includes("as reported by the state news agency IRNA")`)
		ana.saved()

		// Entry 2: an outlet that speaks, with an inline quote.
		ana.click(chromedp.CSS(`button[value="add-entry"]`))
		ana.click(chromedp.CSS(`#entry-2 button[value^="add-outlet:"]`))
		ana.do(chromedp.SendKeys(chromedp.CSS(`#entry-2 input[name$=".key"]`), "shargh"),
			chromedp.SendKeys(chromedp.CSS(`#entry-2 input[name$=".verb"]`), "wrote"))
		ana.click(chromedp.CSS(`#entry-2 button[value^="add-inline:"]`))
		ana.do(chromedp.SendKeys(chromedp.CSS(`#entry-2 textarea[name$=".text"]`), "Talks are the only way forward."))
		ana.saved()

		// Alt+ArrowUp moves the focused entry, announced; Alt+ArrowDown
		// moves it back. Each move is saved.
		ana.do(chromedp.Focus(chromedp.CSS(`#entry-2 input[type="date"]`)), chromedp.KeyEvent(kb.ArrowUp, chromedp.KeyModifiers(chromedp.ModifierAlt)))
		ana.waitFor(`document.getElementById("move-status").textContent === "Entry moved to position 1 of 2."`)
		ana.saved()
		if doc, err := editorial.Get(context.Background(), db, slug); err != nil || len(doc.Entries) != 2 || doc.Entries[0].Outlets[0].Key != "shargh" {
			t.Fatalf("after Alt+ArrowUp: %v %+v", err, doc.Entries)
		}
		ana.do(chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(chromedp.ModifierAlt)))
		ana.waitFor(`document.getElementById("move-status").textContent === "Entry moved to position 2 of 2."`)
		ana.saved()
		ana.waitFor(`(d => !!(d && d.body && d.body.innerText.includes("Talks are the only way forward.")))(document.getElementById("preview").contentDocument)`)
		ana.shot("composer")

		doc, err := editorial.Get(context.Background(), db, slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Entries) != 2 || len(doc.Entries[0].Outlets) != 2 || len(doc.Entries[1].Inline) != 1 {
			t.Fatalf("composed %+v", doc.Entries)
		}
		lead1 := doc.Entries[0].LeadIn
		if lead1 != "Ali Bagheri, Iran’s deputy foreign minister, rejected mediation in the hard-line newspaper Kayhan, as reported by the state news agency IRNA:" {
			t.Errorf("entry 1 lead-in %q", lead1)
		}

		ana.click(chromedp.CSS(`form[data-workflow] button`))
		if got := ana.text("#state-label"); got != "in review" {
			t.Fatalf("after submit: %q", got)
		}
		ana.open("/studio/editions/" + slug + "/confirm/publish")
		ana.heading("Not allowed")

		ed := d.person(t, ctx, editorEmail)
		ed.open("/studio/editions/" + slug)
		ed.click(chromedp.CSS(`form[action$="/do/approve"] button`))
		ed.click(chromedp.CSS(`a[href$="/confirm/publish"]`))
		ed.heading("Publish “Responses to the talks”?")
		ed.click(chromedp.CSS(`form[action$="/do/publish"] button`))
		if got := ed.text("#state-label"); got != "published" {
			t.Fatalf("after publish: %q", got)
		}
		ed.open("/analysis/" + slug)
		body := ed.text("main")
		for _, w := range []string{lead1, "Reformist Shargh Daily wrote:", "Talks are the only way forward.", "We accept no Russian mediation."} {
			if !strings.Contains(body, w) {
				t.Errorf("public page lacks %q:\n%s", w, body)
			}
		}

		ed.open("/studio/editions/" + slug + "/versions")
		ed.shot("versions")
		ed.open("/studio/editions/" + slug)
		ed.click(chromedp.CSS(`a[href$="/newsletter"]`))
		ed.submit(chromedp.CSS("#nl-list"))
		ed.heading("Send “Responses to the talks” as a newsletter")
		ed.click(chromedp.CSS(`form[action$="/newsletter/test"] button`))
		if got := ed.text(".notice"); got != "A test was sent to "+editorEmail+"." {
			t.Fatalf("after the test send: %q", got)
		}
		m := d.sink.To(editorEmail)
		if len(m) != 1 || !strings.Contains(m[0].Header.Get("Subject"), "[Test] Iran Media Review: Responses to the talks") {
			t.Fatalf("test mail: %+v", m)
		}
		if _, html, err := m[0].Parts(); err != nil || !strings.Contains(html, "Talks are the only way forward.") {
			t.Errorf("test mail body (%v) lacks the entry", err)
		}
	})
}

// TestBrowserConcurrentEdits: two people edit one edition at once. The
// first autosave wins; the second, stale, gets the conflict view with both
// texts, merges by hand, and both edits end up in the edition.
func TestBrowserConcurrentEdits(t *testing.T) {
	ctx := chrome(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		slug := newEdition(t, d.signIn(analystEmail), "Responses to the talks")
		path := "/studio/editions/" + slug
		ana := d.person(t, ctx, analystEmail)
		ed := d.person(t, ctx, editorEmail)
		ana.open(path)
		ed.open(path)

		ana.appendTo("#ed-intro", " The analyst's words.")
		ana.saved()
		ed.appendTo("#ed-dek", " and the editor's")
		ed.waitFor(`document.querySelector("h1") && document.querySelector("h1").textContent.startsWith("Someone else saved")`)
		page := ed.text("main")
		for _, w := range []string{"Dek: What the papers said and the editor's", "Intro: This week the press answered the talks. The analyst's words."} {
			if !strings.Contains(page, w) {
				t.Errorf("the conflict view lacks %q", w)
			}
		}
		ed.shot("conflict")
		ed.click(chromedp.CSS(`button[value="hand"]`))
		ed.waitFor(`document.querySelector(".mine pre").textContent.includes("and the editor's")`)
		ed.appendTo("#ed-dek", " and the editor's")
		ed.saved()
		doc, err := editorial.Get(context.Background(), db, slug)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Dek != "What the papers said and the editor's" || doc.Intro != "This week the press answered the talks. The analyst's words." {
			t.Errorf("an edit was lost: dek %q, intro %q", doc.Dek, doc.Intro)
		}
	})
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return "\"" + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + "\""
}
