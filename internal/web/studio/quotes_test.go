package studio_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/webtest"
)

// bagheriQuote is the candidate the quote finder makes of the desk
// article's «…» quote (found when the article was pasted).
func bagheriQuote(t *testing.T, d *workDesk) candidates.Candidate {
	t.Helper()
	cs, err := candidates.ForArticle(context.Background(), d.db, d.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		// The finder leaves the closing full stop out of the quote.
		if strings.HasPrefix(deskPassage, c.Quote) && c.Quote != "" {
			return c
		}
	}
	t.Fatalf("the finder did not find %q in the desk article: %+v", deskPassage, cs)
	return candidates.Candidate{}
}

// TestReaderMarksQuoteCandidates: the article reader marks the quotes
// the finder found, labelled and listed; "Clip quote N" fills the clip
// panel with the quote and its speaker — a new one, the roster not
// knowing him — and the clip made from it replaces the candidate's mark.
// The speaker is proposed as a new person on the people page until he is
// added or dismissed.
func TestReaderMarksQuoteCandidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		c := d.signIn(analystEmail)
		q := bagheriQuote(t, d)
		path := fmt.Sprintf("/studio/articles/%d", d.article.ID)
		resp, page := c.do("GET", path, nil)
		wantStatus(t, resp, http.StatusOK, page)
		mark := fmt.Sprintf(`<mark id="quote-%d" class="quote-mark" tabindex="-1" title="Quote `, q.ID)
		wantIn(t, page, mark, fmt.Sprintf(`aria-describedby="quote-%d-about" data-start="%d" data-end="%d" data-speaker="" data-native="علی باقری"`, q.ID, q.Start, q.End),
			`<h2 id="quotes-title">Quotes found</h2>`, fmt.Sprintf(`<li id="quote-%d-about">`, q.ID),
			`(not on the roster)`, fmt.Sprintf(`<a href="?quote=%d#clip-panel">Clip quote`, q.ID), `<kbd>n</kbd> and <kbd>p</kbd>`)

		// "کیهان نوشت که …": a newspaper, which the reader says, and which
		// is not proposed as a person.
		if cs, _ := candidates.ForArticle(context.Background(), db, d.article.ID); slices.ContainsFunc(cs, func(c candidates.Candidate) bool {
			return c.SpeakerName == "کیهان"
		}) {
			wantIn(t, page, `کیهان</span> (an outlet)`)
		}

		// Without JavaScript: the panel filled from the candidate.
		resp, page = c.do("GET", path+"?quote="+strconv.FormatInt(q.ID, 10), nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, fmt.Sprintf(`name="start" inputmode="numeric" pattern="[0-9]*" value="%d"`, q.Start),
			fmt.Sprintf(`name="end" inputmode="numeric" pattern="[0-9]*" value="%d"`, q.End),
			`name="new_native" value="علی باقری"`, `role="status">Filled with quote`)

		// The people page proposes him, with an Add link that opens the form filled.
		resp, page = c.do("GET", "/studio/people", nil)
		wantStatus(t, resp, http.StatusOK, page)
		add := "/studio/people/new?" + url.Values{"native_name": {"علی باقری"}}.Encode()
		// html/template writes the + of the query's space as &#43;.
		addHref := strings.ReplaceAll(add, "+", "&#43;")
		wantIn(t, page, `<h2 id="proposals-title">Proposed from the quotes found</h2>`, `href="`+addHref+`"`)
		if strings.Contains(page, `value="کیهان"`) {
			t.Errorf("the outlet Kayhan is proposed as a person")
		}
		resp, page = c.do("GET", add, nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `value="علی باقری"`)

		// Clipped as the filled panel posts it, with his name in Latin letters.
		id := d.clipOf(t, c, url.Values{"start": {strconv.Itoa(q.Start)}, "end": {strconv.Itoa(q.End)},
			"translation": {"We accept no Russian mediation."}, "new_name": {"Ali Bagheri"}, "new_native": {"علی باقری"}})
		_, page = c.do("GET", path, nil)
		if strings.Contains(page, mark) || strings.Contains(page, fmt.Sprintf(`id="quote-%d-about"`, q.ID)) {
			t.Errorf("the clipped candidate is still marked or listed")
		}
		wantIn(t, page, fmt.Sprintf(`<mark id="clip-%d" class="clip-mark">%s</mark>`, id, q.Quote))
		_, page = c.do("GET", "/studio/people", nil)
		if strings.Contains(page, addHref) {
			t.Errorf("Bagheri, on the roster now, is still proposed")
		}
	})
}

// TestDismissProposal: a dismissed name is not proposed again.
func TestDismissProposal(t *testing.T) {
	d := newWorkDesk(t, storetest.SQLite(t))
	c := d.signIn(analystEmail)
	resp, body := c.do("POST", "/studio/people/proposals/dismiss", url.Values{"name": {"علی باقری"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := c.do("GET", resp.Header.Get("Location"), nil)
	wantIn(t, page, `will not be proposed again`)
	if strings.Contains(page, `name="name" value="علی باقری"`) {
		t.Errorf("the dismissed speaker is still proposed")
	}
	resp, body = c.do("POST", "/studio/people/proposals/dismiss", url.Values{"name": {" "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
}

// whoSaidDesk is the work desk with Bagheri on the roster and quoted in
// three outlets of three camps over three months.
func whoSaidDesk(t *testing.T, db *store.DB) *workDesk {
	t.Helper()
	ctx := context.Background()
	d := newWorkDesk(t, db)
	bagheri := outlets.Person{Key: "ali-bagheri", Name: "Ali Bagheri", NativeName: "علی باقری",
		Role: "Iran’s deputy foreign minister", Aliases: []string{"باقری"}}
	if err := outlets.SavePerson(ctx, db, &bagheri); err != nil {
		t.Fatal(err)
	}
	for i, p := range []struct{ outlet, text string }{
		{"irna", "علی باقری، معاون وزیر امور خارجه، گفت: «گفت‌وگوها در مسقط ادامه دارد.»"},
		{"shargh", "باقری در نشست خبری گفت: «هیچ توافقی بدون لغو تحریم‌ها ممکن نیست.»\nوی افزود: «ما عجله‌ای نداریم.»"},
		{"kayhan", "علی باقری گفت: «آمریکا باید ضمانت بدهد.»"},
		{"irna", "علی باقری تصریح کرد: «دور بعدی در ژنو برگزار می‌شود.»"},
	} {
		if _, _, err := d.intake.AddPasted(ctx, ingest.Paste{OutletKey: p.outlet, Date: time.Date(2025, time.Month(1+i), 10, 9, 0, 0, 0, time.UTC),
			Source: "print edition", Title: fmt.Sprintf("باقری %d", i+1), Lang: "fa", Body: []byte(p.text)}); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// TestWhoSaidWhat: the person page counts the quotes found and clipped
// by month and camp, in a chart with a title and a description and in a
// table, and lists them by outlet and newest first.
func TestWhoSaidWhat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := whoSaidDesk(t, db)
		c := d.signIn(analystEmail)
		resp, page := c.do("GET", "/studio/people/ali-bagheri/quotes", nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `<h1 id="who-title">Who said what: Ali Bagheri</h1>`,
			`role="img" aria-labelledby="quotes-chart-title quotes-chart-desc"`, `<title id="quotes-chart-title">Quotes of Ali Bagheri by month and camp</title>`,
			`<caption>Quotes by month and camp</caption>`, `<th scope="row">Jan 2025</th>`, `<th scope="row">Mar 2025</th>`,
			`IRNA (state): `, `Shargh Daily (reformist): `, `Kayhan (hard-line): `, `گفت‌وگوها در مسقط ادامه دارد`,
			`دور بعدی در ژنو برگزار می‌شود`)
		// Newest first: April's Geneva before January's Muscat.
		if strings.Index(page, "ژنو") > strings.Index(page, "مسقط") {
			t.Errorf("the quotes are not newest first")
		}
		resp, page = c.do("GET", "/studio/people/abbas-araghchi/quotes", nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `No quotes yet`)
		resp, _ = c.do("GET", "/studio/people/nobody/quotes", nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown person's quotes: %s", resp.Status)
		}
		_, page = c.do("GET", "/studio/people/ali-bagheri", nil)
		wantIn(t, page, `<a href="/studio/people/ali-bagheri/quotes">Who said what`)
		// The archive's speaker: search lists the quotes found, linked to their place.
		_, page = c.do("GET", "/studio/archive?"+url.Values{"q": {"speaker:ali-bagheri quotes:direct"}}.Encode(), nil)
		wantIn(t, page, `found in the article, not clipped yet`, `گفت‌وگوها در مسقط ادامه دارد`)
		if strings.Contains(page, "تحریم‌ها باید برداشته شوند") {
			t.Errorf("quotes:direct lists an indirect quote")
		}
	})
}

// quotePages are the pages this file adds or changes, on the who-said
// desk, with the screenshot each gives.
func quotePages(t *testing.T, d *workDesk) []struct{ path, shot string } {
	q := bagheriQuote(t, d)
	article := fmt.Sprintf("/studio/articles/%d", d.article.ID)
	return []struct{ path, shot string }{
		{article, "article-quotes"},
		{article + "?quote=" + strconv.FormatInt(q.ID, 10), ""},
		{"/studio/people", ""},
		{"/studio/people/ali-bagheri/quotes", "who-said"},
		{"/studio/people/abbas-araghchi/quotes", ""},
		{"/studio/people/new?native_name=%D8%B9%D9%84%DB%8C", ""},
		{"/studio/archive?" + url.Values{"q": {"speaker:ali-bagheri"}}.Encode(), ""},
	}
}

func TestQuotePagesAreValidHTML(t *testing.T) {
	vnu := webtest.NewVNU(t)
	d := whoSaidDesk(t, storetest.SQLite(t))
	// Bagheri is on the roster here: an unknown speaker for the proposals.
	if _, _, err := d.intake.AddPasted(context.Background(), ingest.Paste{OutletKey: "shargh", Date: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC),
		Source: "print edition", Title: "عباسی", Lang: "fa", Body: []byte("حسن عباسی، کارشناس مسائل بین‌الملل، گفت: «باید صبر کرد.»")}); err != nil {
		t.Fatal(err)
	}
	c := d.signIn(analystEmail)
	var pages []webtest.Page
	for _, p := range quotePages(t, d) {
		resp, body := c.do("GET", p.path, nil)
		wantStatus(t, resp, http.StatusOK, body)
		pages = append(pages, webtest.Page{Name: p.path, HTML: body})
	}
	vnu.Check(t, pages)
}

// TestQuotePagesHaveNoAxeViolations runs axe-core on the pages, and goes
// through the article's candidates by keyboard: n focuses the first, c
// fills the clip panel with it and its speaker (on the roster here).
func TestQuotePagesHaveNoAxeViolations(t *testing.T) {
	axe := webtest.NewAxe(t)
	ctx := chrome(t)
	d := whoSaidDesk(t, storetest.SQLite(t))
	ana := d.person(t, ctx, analystEmail)
	for _, p := range quotePages(t, d) {
		ana.open(p.path)
		func() {
			sctx, cancel := ana.step()
			defer cancel()
			axe.Check(t, sctx, p.path)
			if p.shot != "" {
				webtest.Screenshot(t, sctx, "studio-"+p.shot)
			}
		}()
	}
	q := bagheriQuote(t, d)
	ana.open(fmt.Sprintf("/studio/articles/%d", d.article.ID))
	ana.do(chromedp.KeyEvent("n"))
	if id := ana.eval(`document.activeElement.id`); id != "quote-"+strconv.FormatInt(firstQuote(t, d), 10) {
		t.Fatalf("n focused %q, want the first quote", id)
	}
	ana.eval(fmt.Sprintf(`document.getElementById("quote-%d").focus(); "ok"`, q.ID))
	ana.do(chromedp.KeyEvent("c"))
	got := ana.eval(`[document.activeElement.id, document.getElementById("clip-start").value, document.getElementById("clip-end").value, document.getElementById("clip-speaker").value].join(" ")`)
	if want := fmt.Sprintf("clip-translation %d %d ali-bagheri", q.Start, q.End); got != want {
		t.Errorf("after c on quote %d: %q, want %q", q.ID, got, want)
	}
}

// firstQuote is the id of the desk article's first candidate.
func firstQuote(t *testing.T, d *workDesk) int64 {
	cs, err := candidates.ForArticle(context.Background(), d.db, d.article.ID)
	if err != nil || len(cs) == 0 {
		t.Fatalf("candidates %v %v", cs, err)
	}
	return cs[0].ID
}
