package studio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
	"github.com/pressreview/pressreview/internal/web/studio"
)

// deskText is a Persian article written for these tests (not real press
// coverage), with half-spaces and Persian kaf and yeh, so that code-point
// offsets differ from bytes and UTF-16 units.
const deskText = "کیهان نوشت که مذاکره با آمریکا بی‌فایده است.\n" +
	"علی باقری گفت: «ما هیچ میانجی‌گری روسیه را نمی‌پذیریم.»\n" +
	"او افزود که تحریم‌ها باید برداشته شوند."

const deskPassage = "ما هیچ میانجی‌گری روسیه را نمی‌پذیریم."

// The desk's staff in these tests.
const (
	analystEmail = "analyst@desk.example"
	editorEmail  = "editor@desk.example"
)

// workDesk is one pressreview instance as serve mounts it: the site, the
// studio with its working screens, and the clips, editions and search
// APIs, with a loopback SMTP server for the newsletter.
type workDesk struct {
	t       testing.TB
	db      *store.DB
	intake  *ingest.Service
	ts      *httptest.Server
	sink    *mailtest.Server
	article ingest.Article
}

func newWorkDesk(t testing.TB, db *store.DB) *workDesk {
	t.Helper()
	ctx := context.Background()
	d := &workDesk{t: t, db: db}
	sink, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	d.sink = sink
	var root http.Handler
	d.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { root.ServeHTTP(w, r) }))
	t.Cleanup(d.ts.Close)
	srv, err := web.New(db, web.Options{SiteName: "pressreview", SiteURL: d.ts.URL, CachePages: -1, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	letters, err := newsletter.New(db, newsletter.Config{SiteURL: d.ts.URL,
		SigningKey: []byte("0123456789abcdef0123456789abcdef-studio"), From: "Iran Media Review <review@desk.example>",
		SMTP: newsletter.SMTP{Host: sink.Host, Port: sink.Port, TLS: "none", Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := ingest.Config{DataDir: t.TempDir(), UserAgent: "pressreview-test/1.0", Timeout: 5 * time.Second, ArchiveNoSync: true}
	intake, err := ingest.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { intake.Close() })
	d.intake = intake
	auth := accounts.New(db, accounts.Config{SiteURL: d.ts.URL, Forbidden: studio.Forbidden(srv), Logger: quiet})
	studio.Register(srv, db, auth)
	clipper := clips.New(db, cfg.Archive())
	studio.RegisterWork(srv, db, auth, studio.Work{Clips: clipper, Letters: letters})
	staff := auth.RequireRole(accounts.Analyst)
	srv.Handle("/api/", staff(search.Handler(db)))
	clipsAPI := staff(clips.Handler(clipper, d.ts.URL))
	for _, p := range clips.Patterns {
		srv.Handle(p, clipsAPI)
	}
	editions := staff(editorial.APIHandler(db, srv.ServePreview))
	srv.Handle("/api/editions", editions)
	srv.Handle("/api/editions/", editions)
	root = srv.Handler()

	for _, u := range []accounts.NewUser{
		{Email: analystEmail, Name: "Ana Analyst", Role: accounts.Analyst, Password: password},
		{Email: editorEmail, Name: "Eddie Editor", Role: accounts.Editor, Password: password},
	} {
		if _, err := accounts.CreateUser(ctx, db, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range []outlets.Outlet{
		{Key: "kayhan", Name: "Kayhan", NativeName: "کیهان", Kind: outlets.Newspaper, Language: "fa", Orientation: "hard-line"},
		{Key: "shargh", Name: "Shargh Daily", NativeName: "شرق", Kind: outlets.Newspaper, Language: "fa", Orientation: "reformist"},
		{Key: "irna", Name: "IRNA", NativeName: "ایرنا", Kind: outlets.NewsAgency, Language: "fa", Orientation: "state"},
	} {
		if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
			t.Fatal(err)
		}
	}
	araghchi := outlets.Person{Key: "abbas-araghchi", Name: "Abbas Araghchi", NativeName: "عباس عراقچی",
		Role: "Iran’s foreign minister", Aliases: []string{"عباس عراقچي"}}
	if err := outlets.SavePerson(ctx, db, &araghchi); err != nil {
		t.Fatal(err)
	}
	if err := reviews.SaveSeries(ctx, db, &reviews.Series{Key: "imr", Name: "Iran Media Review"}); err != nil {
		t.Fatal(err)
	}
	if err := newsletter.SaveList(ctx, db, &newsletter.List{Key: "imr", Name: "Iran Media Review", Public: true}); err != nil {
		t.Fatal(err)
	}
	d.article, _, err = intake.AddPasted(ctx, ingest.Paste{OutletKey: "kayhan", Date: time.Date(2025, 3, 4, 6, 30, 0, 0, time.UTC),
		Source: "print edition, p. 2", Title: "مذاکره بی‌فایده است", Lang: "fa", Body: []byte(deskText)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// storyAndRevision gives the desk's article a reprint in another outlet
// and a recorded edit, as the intake would after a re-fetch, and returns
// the reprint's id.
func (d *workDesk) storyAndRevision(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	re, _, err := d.intake.AddPasted(ctx, ingest.Paste{OutletKey: "shargh", Date: time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC),
		Source: "print edition, p. 1", Title: "بازنشر: مذاکره بی‌فایده است", Lang: "fa", Body: []byte(deskText + "\nبازنشر از کیهان.")})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE articles SET story_id = ? WHERE id IN (?, ?)`, []any{d.article.ID, d.article.ID, re.ID}},
		{`INSERT INTO article_revisions (article_id, kind, seen_at, status, title_before, title_after, hash_before, hash_after, diff)
			VALUES (?, 'edited', ?, 200, 'مذاکره بیهوده است', ?, 'a', 'b', ?)`,
			[]any{d.article.ID, time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC), d.article.Title, "- او گفت که تحریم‌ها باید برداشته شوند.\n+ او افزود که تحریم‌ها باید برداشته شوند.\n"}},
	} {
		if _, err := d.db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	return re.ID
}

// signIn is a client of the desk signed in as email.
func (d *workDesk) signIn(email string) *client {
	d.t.Helper()
	c := newClient(d.t.(*testing.T), d.ts.URL)
	if resp, _ := c.login(email, password, "/studio/"); resp.StatusCode != http.StatusSeeOther {
		d.t.Fatalf("sign in %s: %s", email, resp.Status)
	}
	return c
}

// codePointAt is the code-point offset of sub in s.
func codePointAt(t testing.TB, s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		t.Fatalf("%q not in text", sub)
	}
	return len([]rune(s[:i]))
}

func wantIn(t *testing.T, page string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(page, p) {
			t.Errorf("page lacks %s", p)
		}
	}
}

func wantStatus(t *testing.T, resp *http.Response, code int, body string) {
	t.Helper()
	if resp.StatusCode != code {
		t.Fatalf("%s %s: %s, want %d\n%s", resp.Request.Method, resp.Request.URL.Path, resp.Status, code, body)
	}
}

// clipOf clips the desk's passage through the article page's form, as a
// browser without JavaScript posts it (the exact passage), and returns the
// clip's id.
func (d *workDesk) clipOf(t *testing.T, c *client, form url.Values) int64 {
	t.Helper()
	resp, body := c.do("POST", fmt.Sprintf("/studio/articles/%d/clips", d.article.ID), form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	m := regexp.MustCompile(`clipped=(\d+)`).FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("clip saved to %q", resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// TestArticlePageClips: the article page shows the text in its own
// direction with its metadata; a clip made by the form (exact passage,
// new speaker) is anchored by code points and highlighted; offsets work
// too; bad input is named.
func TestArticlePageClips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		c := d.signIn(analystEmail)
		reprint := d.storyAndRevision(t)
		path := fmt.Sprintf("/studio/articles/%d", d.article.ID)
		resp, page := c.do("GET", path, nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `<div id="article-text" class="article-text" tabindex="0" aria-describedby="clip-how" lang="fa" dir="rtl">`+deskText[:20],
			`Kayhan (<span dir="auto">کیهان</span>), <span class="camp">hard-line</span>`, `4 Mar 2025 06:30 UTC`,
			`<option value="kayhan" selected>Kayhan</option>`, `value="2025-03-04"`, `<textarea id="clip-translation"`,
			`none (pasted text)`, `studio-clip.`,
			`<li><span aria-current="page"><span lang="fa" dir="rtl">مذاکره بی‌فایده است</span></span> <span class="meta">kayhan, 4 Mar 2025, original</span></li>`,
			fmt.Sprintf(`<a href="/studio/articles/%d"><span lang="fa" dir="rtl">بازنشر: مذاکره بی‌فایده است</span></a> <span class="meta">shargh, 4 Mar 2025, reprint</span>`, reprint),
			`<h3>edited, seen 5 Mar 2025 08:00 UTC</h3>`, `<del dir="auto">مذاکره بیهوده است</del>`,
			`<span class="del">− او گفت که تحریم‌ها باید برداشته شوند.</span><span class="ins">&#43; او افزود که`)

		id := d.clipOf(t, c, url.Values{"passage": {deskPassage}, "translation": {"We accept no Russian mediation."},
			"new_name": {"Ali Bagheri"}, "new_native": {"علی باقری"}, "new_role": {"Iran’s deputy foreign minister"}})
		_, page = c.do("GET", path+"?clipped="+strconv.FormatInt(id, 10), nil)
		wantIn(t, page, fmt.Sprintf(`<mark id="clip-%d" class="clip-mark">%s</mark>`, id, deskPassage),
			fmt.Sprintf(`Clip %d saved`, id), `Ali Bagheri, 2025-03-04`,
			// The next clip defaults to the same speaker.
			`name="speaker" value="ali-bagheri"`)
		got, err := clips.New(db, archive.Dir("")).Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if start := codePointAt(t, deskText, deskPassage); got.Anchor.Start != start || got.Anchor.End != start+len([]rune(deskPassage)) ||
			got.Outlet.Key != "kayhan" || got.Date != "2025-03-04" || got.CreatedBy != analystEmail {
			t.Errorf("clip %+v", got)
		}

		// By offsets, with a speaker named by an alias in Arabic letters.
		start := codePointAt(t, deskText, "تحریم‌ها")
		id2 := d.clipOf(t, c, url.Values{"start": {strconv.Itoa(start)}, "end": {strconv.Itoa(start + len([]rune("تحریم‌ها")))},
			"translation": {"sanctions"}, "speaker": {"عباس عراقچي"}, "outlet": {"shargh"}, "intermediary": {"as reported by"}})
		got, err = clips.New(db, archive.Dir("")).Get(context.Background(), id2)
		if err != nil {
			t.Fatal(err)
		}
		if got.Speaker.Key != "abbas-araghchi" || got.Outlet.Key != "shargh" || got.Original != "تحریم‌ها" || got.Intermediary != "as reported by" {
			t.Errorf("clip by offsets %+v", got)
		}

		for _, tc := range []struct {
			form url.Values
			code int
			msg  string
		}{
			{url.Values{"passage": {"not in the text"}, "translation": {"x"}, "speaker": {"abbas-araghchi"}}, 422, "passage: this passage is not in the article"},
			{url.Values{"passage": {"که"}, "translation": {"x"}, "speaker": {"abbas-araghchi"}}, 422, "occurs more than once"},
			{url.Values{"passage": {deskPassage}, "translation": {""}, "speaker": {"abbas-araghchi"}}, 422, "translation: is required"},
			{url.Values{"passage": {deskPassage}, "translation": {"x"}}, 422, "speaker: pick a speaker"},
			{url.Values{"passage": {deskPassage}, "translation": {"x"}, "speaker": {"nobody at all"}}, 422, "no one on the roster"},
			{url.Values{"passage": {deskPassage}, "translation": {"x"}, "new_name": {"Ali Bagheri"}}, 409, "already on the roster"},
		} {
			resp, page := c.do("POST", path+"/clips", tc.form)
			if resp.StatusCode != tc.code || !strings.Contains(page, tc.msg) {
				t.Errorf("%v: %s, want %d with %q", tc.form, resp.Status, tc.code, tc.msg)
			}
			// What the analyst typed stays in the form.
			if tc.form.Get("passage") != "" && !strings.Contains(page, tc.form.Get("passage")+"</textarea>") {
				t.Errorf("%v: the form lost the passage", tc.form)
			}
		}
		resp, _ = c.do("GET", "/studio/articles/999999", nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown article: %s", resp.Status)
		}
	})
}

// newEdition creates a draft through the studio's form and returns its slug.
func newEdition(t *testing.T, c *client, title string) string {
	t.Helper()
	resp, body := c.do("POST", "/studio/editions/new", url.Values{"series": {"imr"}, "date": {"2025-03-07"}, "title": {title},
		"dek": {"What the papers said"}, "intro": {"This week the press answered the talks."}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	return strings.TrimPrefix(resp.Header.Get("Location"), "/studio/editions/")
}

// TestClipboardMakesEntry: the clipboard filters clips and turns the
// ticked ones into one entry with outlets, speakers, labels from the
// roster, a quote per clip and the suggested lead-in.
func TestClipboardMakesEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		c := d.signIn(analystEmail)
		id := d.clipOf(t, c, url.Values{"passage": {deskPassage}, "translation": {"We accept no Russian mediation."},
			"new_name": {"Ali Bagheri"}, "new_native": {"علی باقری"}, "new_role": {"Iran’s deputy foreign minister"}})
		slug := newEdition(t, c, "Responses to the talks")

		resp, page := c.do("GET", "/studio/clips?camp=HARD-LINE&speaker="+url.QueryEscape("علي باقري"), nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, fmt.Sprintf(`<input type="checkbox" name="clip" value="%d"`, id), `<blockquote lang="fa" dir="rtl">`+deskPassage,
			`href="/api/clips.csv?camp=HARD-LINE&amp;speaker=`, `<option value="`+slug+`">2025-03-07 Responses to the talks (draft)</option>`)
		_, page = c.do("GET", "/studio/clips?camp=reformist", nil)
		wantIn(t, page, "No clips match these filters")
		_, page = c.do("GET", "/studio/clips?after=2025-03-05", nil)
		wantIn(t, page, "No clips match these filters")
		resp, page = c.do("GET", "/studio/clips?after=yesterday", nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "after: ") {
			t.Errorf("bad date filter: %s", resp.Status)
		}

		resp, page = c.do("POST", "/studio/clips/entry", url.Values{"clip": {strconv.FormatInt(id, 10)}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Choose the edition") {
			t.Errorf("entry without an edition: %s", resp.Status)
		}
		resp, page = c.do("POST", "/studio/clips/entry", url.Values{"clip": {strconv.FormatInt(id, 10)}, "edition": {slug}, "verb": {"rejected mediation"}})
		wantStatus(t, resp, http.StatusSeeOther, page)
		doc, err := editorial.Get(context.Background(), db, slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Entries) != 1 {
			t.Fatalf("entries %+v", doc.Entries)
		}
		en := doc.Entries[0]
		if en.Date != "2025-03-04" || len(en.Outlets) != 1 || en.Outlets[0].Key != "kayhan" || en.Outlets[0].Label == "" ||
			len(en.Speakers) != 1 || en.Speakers[0].Label != "Ali Bagheri, Iran’s deputy foreign minister" ||
			len(en.Items) != 1 || en.Items[0].Parts[0].Clip != id || en.Items[0].Parts[0].Original != deskPassage ||
			en.LeadIn != "Ali Bagheri, Iran’s deputy foreign minister, rejected mediation in the hard-line newspaper Kayhan:" {
			t.Errorf("entry %+v", en)
		}
		_, page = c.do("GET", "/studio/clips?edition="+slug, nil)
		wantIn(t, page, `in <a href="/studio/editions/`+slug+`">`)
	})
}

// composerForm is the composer's form as the page draws it: every input,
// textarea and select with its value, in document order.
func composerForm(t *testing.T, page string) url.Values {
	t.Helper()
	f := url.Values{}
	field := regexp.MustCompile(`(?s)<input([^>]*)>|<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>|<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	attr := func(s, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(s)
		if m == nil {
			return "", false
		}
		return htmlUnescape(m[1]), true
	}
	start := strings.Index(page, `<form id="composer"`)
	end := strings.Index(page[start:], "</form>")
	for _, m := range field.FindAllStringSubmatch(page[start:start+end], -1) {
		switch {
		case m[1] != "":
			name, ok := attr(m[1], "name")
			typ, _ := attr(m[1], "type")
			if !ok || typ == "submit" || (typ == "checkbox" && !strings.Contains(m[1], " checked")) {
				continue
			}
			v, _ := attr(m[1], "value")
			f.Add(name, v)
		case m[2] != "":
			f.Add(m[2], htmlUnescape(m[3]))
		case m[4] != "":
			sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[5])
			if sel == nil {
				sel = regexp.MustCompile(`<option value="([^"]*)"`).FindStringSubmatch(m[5])
			}
			f.Add(m[4], htmlUnescape(sel[1]))
		}
	}
	return f
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// TestComposer: the composer draws an edition as a form and saves it as a
// new version; ops work without JavaScript; the script's save answers
// JSON; a stale save gets the conflict view with both texts, and each way
// out of it keeps every word.
func TestComposer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		c := d.signIn(analystEmail)
		slug := newEdition(t, c, "Responses to the talks")
		path := "/studio/editions/" + slug
		resp, page := c.do("GET", path, nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `<iframe id="preview" title="Preview of the edition" src="/api/editions/`+slug+`/preview">`,
			`<input type="hidden" name="version" value="1">`, `Submit for review`, `aria-live="polite"`)
		if strings.Contains(page, "Publish") {
			t.Error("an analyst is offered Publish")
		}
		// Only the preview may be framed, and only by the site itself.
		if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("composer X-Frame-Options %q", got)
		}
		resp, body := c.do("GET", "/api/editions/"+slug+"/preview", nil)
		wantStatus(t, resp, http.StatusOK, body)
		if xfo, csp := resp.Header.Get("X-Frame-Options"), resp.Header.Get("Content-Security-Policy"); xfo != "SAMEORIGIN" ||
			!strings.Contains(csp, "frame-ancestors 'self'") || strings.Contains(csp, "'none'; frame") {
			t.Errorf("preview X-Frame-Options %q, CSP %q", xfo, csp)
		}

		// Add an entry (drawn, not saved), fill it, add an outlet, save.
		f := composerForm(t, page)
		f.Set("op", "add-entry")
		resp, page = c.do("POST", path, f)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, "Entry <span data-number>1</span>", "Not saved yet.")
		f = composerForm(t, page)
		eid := f.Get("entry")
		f.Set("op", "add-outlet:"+eid)
		_, page = c.do("POST", path, f)
		f = composerForm(t, page)
		oid := f.Get("e" + eid + ".outlet")
		f.Set("o"+oid+".key", "shargh")
		f.Set("e"+eid+".verb", "wrote")
		f.Set("op", "add-inline:"+eid)
		_, page = c.do("POST", path, f)
		f = composerForm(t, page)
		f.Set("p"+f.Get("e"+eid+".inline")+".text", "Talks are the only way.")
		f.Del("op")
		resp, body = c.do("POST", path, f)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != path+"?saved=2" {
			t.Errorf("saved to %q", loc)
		}
		_, page = c.do("GET", path+"?saved=2", nil)
		wantIn(t, page, "Saved as version 2.", `value="reformist Shargh Daily"`,
			`Suggested: <span data-suggestion>Reformist Shargh Daily wrote:</span>`)

		// The script's save: JSON with the version and the suggestions.
		f = composerForm(t, page)
		eid = f.Get("entry")
		f.Set("e"+eid+".verb", "argued")
		resp, body = c.do("POST", path, f, "Accept", "application/json")
		wantStatus(t, resp, http.StatusOK, body)
		var saved struct {
			Version     int
			Suggestions map[string]string
		}
		if err := json.Unmarshal([]byte(body), &saved); err != nil || saved.Version != 3 || saved.Suggestions[eid] != "Reformist Shargh Daily argued:" {
			t.Errorf("autosave answered %s", body)
		}

		// A second editor saves from the same version 3 first.
		other := d.signIn(editorEmail)
		_, otherPage := other.do("GET", path, nil)
		g := composerForm(t, otherPage)
		g.Set("intro", "Their intro.")
		resp, body = other.do("POST", path, g)
		wantStatus(t, resp, http.StatusSeeOther, body)

		// The analyst's save based on version 2 is now stale.
		f.Set("intro", "My intro.")
		resp, body = c.do("POST", path, f, "Accept", "application/json")
		if resp.StatusCode != http.StatusConflict || !regexp.MustCompile(`"version": ?4`).MatchString(body) {
			t.Errorf("stale autosave: %s %s", resp.Status, body)
		}
		resp, page = c.do("POST", path, f)
		wantStatus(t, resp, http.StatusConflict, page)
		wantIn(t, page, "Someone else saved", editorEmail+" saved version 4", "Intro: My intro.", "Intro: Their intro.",
			`<span class="del">− Intro: Their intro.</span>`, `<span class="ins">&#43; Intro: My intro.</span>`, "Keep mine", "Merge by hand", "Take theirs")
		mine := regexp.MustCompile(`name="mine" value="([^"]*)"`).FindStringSubmatch(page)
		if mine == nil {
			t.Fatal("no mine field")
		}
		resp, page = c.do("POST", path+"/merge", url.Values{"mine": {htmlUnescape(mine[1])}, "version": {"4"}, "choice": {"hand"}})
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, "Your text (not saved)", "Intro: My intro.", `>Their intro.</textarea>`, `name="version" value="4"`)
		resp, body = c.do("POST", path+"/merge", url.Values{"mine": {htmlUnescape(mine[1])}, "version": {"4"}, "choice": {"mine"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		doc, err := editorial.Get(context.Background(), db, slug)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Version != 5 || doc.Intro != "My intro." {
			t.Errorf("after keep mine: version %d intro %q", doc.Version, doc.Intro)
		}
		v4, err := editorial.GetVersion(context.Background(), db, slug, 4)
		if err != nil || v4.Edition.Intro != "Their intro." {
			t.Errorf("their version 4 is lost: %v %q", err, v4.Edition.Intro)
		}

		// Moves without the script; a bad value is named and nothing saved.
		_, page = c.do("GET", path, nil)
		f = composerForm(t, page)
		f.Set("op", "add-entry")
		_, page = c.do("POST", path, f)
		f = composerForm(t, page)
		ids := f["entry"]
		f.Set("e"+ids[1]+".lead_in", "The week ended quietly.")
		f.Set("op", "up:"+ids[1])
		resp, body = c.do("POST", path, f)
		wantStatus(t, resp, http.StatusSeeOther, body)
		doc, _ = editorial.Get(context.Background(), db, slug)
		if len(doc.Entries) != 2 || doc.Entries[0].LeadIn != "The week ended quietly." {
			t.Errorf("after moving up: %+v", doc.Entries)
		}
		_, page = c.do("GET", path, nil)
		f = composerForm(t, page)
		f.Set("e"+f["entry"][0]+".date", "1403-12-14")
		resp, page = c.do("POST", path, f)
		wantStatus(t, resp, http.StatusUnprocessableEntity, page)
		wantIn(t, page, "Not saved: entries[0].date", `value="1403-12-14"`)
	})
}

// TestWorkflowRoles: the analyst submits; their publish is refused with the
// 403 page, and so is the confirmation page; the editor approves and
// publishes through the confirmation; versions list, diff and restore.
func TestWorkflowRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		ana := d.signIn(analystEmail)
		slug := newEdition(t, ana, "Responses to the talks")
		path := "/studio/editions/" + slug
		_, page := ana.do("GET", path, nil)
		f := composerForm(t, page)
		f.Set("op", "add-entry")
		_, page = ana.do("POST", path, f)
		f = composerForm(t, page)
		f.Set("e"+f.Get("entry")+".lead_in", "Kayhan said nothing new.")
		f.Del("op")
		resp, body := ana.do("POST", path, f)
		wantStatus(t, resp, http.StatusSeeOther, body)

		resp, body = ana.do("POST", path+"/do/submit", url.Values{})
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, page = ana.do("GET", resp.Header.Get("Location"), nil)
		wantIn(t, page, "Done: submit. The edition is now in review.")

		for _, p := range []string{path + "/do/approve", path + "/do/publish"} {
			resp, page := ana.do("POST", p, url.Values{"confirm": {"yes"}})
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "Your role (analyst) may not do this") {
				t.Errorf("analyst POST %s: %s", p, resp.Status)
			}
		}
		resp, page = ana.do("GET", path+"/confirm/publish", nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst's confirm page: %s", resp.Status)
		}
		resp, _ = ana.do("GET", path+"/newsletter", nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst's newsletter page: %s", resp.Status)
		}

		ed := d.signIn(editorEmail)
		_, page = ed.do("GET", path, nil)
		wantIn(t, page, `action="`+path+`/do/approve"`)
		resp, body = ed.do("POST", path+"/do/approve", url.Values{})
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, page = ed.do("GET", path, nil)
		wantIn(t, page, `href="`+path+`/confirm/publish">Publish…</a>`, `/confirm/schedule">Schedule…</a>`)
		// Without the confirmation step, publish goes to it.
		resp, body = ed.do("POST", path+"/do/publish", url.Values{})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path+"/confirm/publish" {
			t.Fatalf("unconfirmed publish: %s %q", resp.Status, resp.Header.Get("Location"))
		}
		resp, page = ed.do("GET", path+"/confirm/publish", nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `<input type="hidden" name="confirm" value="yes">`, "Yes, Publish")
		resp, body = ed.do("POST", path+"/do/publish", url.Values{"confirm": {"yes"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		resp, page = ed.do("GET", "/analysis/"+slug, nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, "Kayhan said nothing new.")

		// Versions: list, diff of any two, restore makes a new version.
		resp, page = ana.do("GET", path+"/versions", nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `<th scope="row">2 · <span class="flag">published</span> · <span class="flag">current</span></th>`,
			analystEmail, "Version 1 → version 2", `<span class="ins">&#43; Entry 1`)
		resp, page = ana.do("GET", path+"/diff?from=2&to=1", nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `<span class="del">− Entry 1`)
		resp, _ = ana.do("GET", path+"/diff?from=2&to=9", nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("diff to a version that does not exist: %s", resp.Status)
		}
		resp, body = ana.do("POST", path+"/versions/1/restore", url.Values{"version": {"2"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		doc, _ := editorial.Get(context.Background(), db, slug)
		if doc.Version != 3 || len(doc.Entries) != 0 {
			t.Errorf("after restoring version 1: version %d, %d entries", doc.Version, len(doc.Entries))
		}
		// The published page did not change with the restore.
		_, page = ed.do("GET", "/analysis/"+slug, nil)
		wantIn(t, page, "Kayhan said nothing new.")
		resp, page = ana.do("POST", path+"/versions/1/restore", url.Values{"version": {"2"}})
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("stale restore: %s", resp.Status)
		}

		// Send as newsletter: a draft campaign from the published
		// edition, its preview, and a test to the editor.
		_, page = ed.do("GET", path+"/newsletter", nil)
		wantIn(t, page, `<option value="imr">Iran Media Review</option>`)
		resp, body = ed.do("POST", path+"/newsletter", url.Values{"list": {"imr"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		loc := resp.Header.Get("Location")
		resp, page = ed.do("GET", loc, nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, "Iran Media Review: Responses to the talks", "Send a test to "+editorEmail, `sandbox=""`)
		campaign := regexp.MustCompile(`name="campaign" value="(\d+)"`).FindStringSubmatch(page)[1]
		resp, body = ed.do("POST", path+"/newsletter/test", url.Values{"campaign": {campaign}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		// The test send is done when the relay has taken the message.
		m := d.sink.To(editorEmail)
		if len(m) != 1 || !strings.Contains(m[0].Header.Get("Subject"), "[Test] Iran Media Review: Responses to the talks") {
			t.Errorf("test mail %+v", m)
		}
	})
}

// TestScheduleAndUnpublish: scheduling takes a time from its confirmation
// page (UTC) and refuses one that is not a time; unpublishing takes the
// edition off the site.
func TestScheduleAndUnpublish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		ana := d.signIn(analystEmail)
		slug := newEdition(t, ana, "Responses to the talks")
		path := "/studio/editions/" + slug
		ed := d.signIn(editorEmail)
		for _, a := range []string{"submit", "approve"} {
			resp, body := ed.do("POST", path+"/do/"+a, url.Values{})
			wantStatus(t, resp, http.StatusSeeOther, body)
		}
		resp, page := ed.do("GET", path+"/confirm/schedule", nil)
		wantStatus(t, resp, http.StatusOK, page)
		wantIn(t, page, `<input id="confirm-at" name="at" type="datetime-local"`, "Yes, Schedule")
		resp, page = ed.do("POST", path+"/do/schedule", url.Values{"confirm": {"yes"}, "at": {"next week"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `at: &#34;next week&#34; is not a date and time`) {
			t.Errorf("schedule at a non-time: %s", resp.Status)
		}
		at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
		resp, body := ed.do("POST", path+"/do/schedule", url.Values{"confirm": {"yes"}, "at": {at.Format("2006-01-02T15:04")}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		doc, err := editorial.Get(context.Background(), db, slug)
		if err != nil || doc.State != editorial.Scheduled || doc.PublishAt == nil || !doc.PublishAt.Equal(at) {
			t.Fatalf("after scheduling: %v %s %v", err, doc.State, doc.PublishAt)
		}
		resp, body = ed.do("POST", path+"/do/publish", url.Values{"confirm": {"yes"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		if resp, _ := ed.do("GET", "/analysis/"+slug, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("published page: %s", resp.Status)
		}
		_, page = ed.do("GET", path+"/confirm/unpublish", nil)
		wantIn(t, page, "The edition comes off the site")
		resp, body = ed.do("POST", path+"/do/unpublish", url.Values{"confirm": {"yes"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		if resp, _ := ed.do("GET", "/analysis/"+slug, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unpublished page: %s", resp.Status)
		}
		resp, page = ed.do("POST", path+"/do/approve", url.Values{})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "Cannot approve an edition that is draft") {
			t.Errorf("approving a draft: %s", resp.Status)
		}
	})
}

// TestComposerLegacyEntry: a pressreview/1 entry (one outlet key, its
// lead-in composed when drawn) opens in the composer in the current model
// and a save keeps its outlet, speaker and words.
func TestComposerLegacyEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		ana := d.signIn(analystEmail)
		slug := newEdition(t, ana, "Responses to the talks")
		ctx := context.Background()
		doc, err := editorial.Get(ctx, db, slug)
		if err != nil {
			t.Fatal(err)
		}
		e := doc.Edition
		e.Entries = []reviews.Entry{{Date: "2025-03-04", Outlet: "kayhan", Speaker: "abbas-araghchi", Verb: "said",
			Items: []reviews.Item{{Parts: []reviews.Part{{Kind: reviews.Quote, Text: "Talks are over."}}}}}}
		if _, err := editorial.Save(ctx, db, accounts.Actor{Email: analystEmail, Role: accounts.Analyst}, slug, doc.Version, e); err != nil {
			t.Fatal(err)
		}
		path := "/studio/editions/" + slug
		_, page := ana.do("GET", path, nil)
		wantIn(t, page, `value="kayhan"`, `value="abbas-araghchi"`, `value="Abbas Araghchi, Iran’s foreign minister"`,
			`>Abbas Araghchi, Iran’s foreign minister, said in the hard-line newspaper Kayhan:</textarea>`)
		resp, body := ana.do("POST", path, composerForm(t, page))
		wantStatus(t, resp, http.StatusSeeOther, body)
		doc, _ = editorial.Get(ctx, db, slug)
		en := doc.Entries[0]
		if en.Legacy() || len(en.Outlets) != 1 || en.Outlets[0].Key != "kayhan" || len(en.Speakers) != 1 ||
			en.LeadIn != "Abbas Araghchi, Iran’s foreign minister, said in the hard-line newspaper Kayhan:" {
			t.Errorf("saved %+v", en)
		}
	})
}
