package studio_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestOutOfRangeInputIsNotAServerError: ids, offsets and versions that are
// negative, huge or not numbers are the client's mistake (4xx), never a 500.
func TestOutOfRangeInputIsNotAServerError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newWorkDesk(t, db)
		c := d.signIn(analystEmail)
		slug := newEdition(t, c, "Probe edition")
		art := fmt.Sprint(d.article.ID)
		huge := "99999999999999999999"
		for _, p := range []struct {
			method, path string
			form         url.Values
			header       []string
		}{
			{"GET", "/studio/articles/-1", nil, nil},
			{"GET", "/studio/articles/" + huge, nil, nil},
			{"GET", "/studio/articles/abc", nil, nil},
			{"GET", "/studio/articles/" + art + "?clipped=-5", nil, nil},
			{"POST", "/studio/articles/" + art + "/clips", url.Values{"start": {"-5"}, "end": {"3"}, "translation": {"x"}, "speaker": {"abbas-araghchi"}}, nil},
			{"POST", "/studio/articles/" + art + "/clips", url.Values{"start": {"0"}, "end": {huge}, "translation": {"x"}, "speaker": {"abbas-araghchi"}}, nil},
			{"POST", "/studio/articles/" + art + "/clips", url.Values{"start": {"abc"}, "end": {"def"}, "translation": {"x"}, "speaker": {"abbas-araghchi"}}, nil},
			{"POST", "/studio/articles/" + art + "/clips", url.Values{"start": {"5"}, "end": {"2"}, "translation": {"x"}, "speaker": {"abbas-araghchi"}}, nil},
			{"GET", "/studio/clips?offset=-1&limit=-1", nil, nil},
			{"GET", "/studio/clips?offset=" + huge + "&limit=" + huge, nil, nil},
			{"GET", "/studio/editions/" + slug + "/diff?from=-1&to=" + huge, nil, nil},
			{"GET", "/studio/editions/" + slug + "/diff?from=abc&to=1", nil, nil},
			{"POST", "/studio/editions/" + slug + "/versions/-1/restore", url.Values{"version": {"1"}}, nil},
			{"POST", "/studio/editions/" + slug + "/versions/" + huge + "/restore", url.Values{"version": {huge}}, nil},
			{"POST", "/studio/editions/" + slug + "/versions/1/restore", url.Values{"version": {"-3"}}, nil},
			{"POST", "/studio/editions/" + slug, url.Values{"version": {"-1"}}, nil},
			{"POST", "/studio/editions/" + slug, url.Values{"version": {"1"}, "entries.-1.date": {"x"}}, nil},
			{"POST", "/studio/editions/" + slug, url.Values{"version": {"1"}, "entries." + huge + ".date": {"x"}}, nil},
			{"POST", "/studio/editions/" + slug, url.Values{"version": {"1"}, "entries.0.items.99999999.parts.0.text": {"x"}}, nil},
			{"POST", "/studio/clips/entry", url.Values{"edition": {slug}, "clip": {"-1", huge, "abc"}}, nil},
			{"GET", "/studio/archive?q=%22&page=-1", nil, nil},
			{"GET", "/studio/archive?q=x&page=" + huge, nil, nil},
			{"GET", "/api/clips/-1", nil, nil},
			{"GET", "/api/clips/" + huge, nil, nil},
			{"GET", "/api/clips?offset=-1&limit=" + huge, nil, nil},
			{"GET", "/api/clips?article=abc", nil, nil},
			{"GET", "/api/editions/" + slug + "/versions/" + huge, nil, nil},
			{"GET", "/api/editions/" + slug + "/diff?from=1&to=" + huge, nil, nil},
			{"POST", "/api/editions/" + slug + "/versions/1/restore", nil, []string{"If-Match", `"` + huge + `"`}},
			{"PUT", "/api/editions/" + slug, nil, []string{"If-Match", `"-1"`, "Content-Type", "application/json"}},
		} {
			resp, body := c.do(p.method, p.path, p.form, p.header...)
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s %v: %s\n%.300s", p.method, p.path, p.form, resp.Status, body)
			}
		}
		// JSON API with offsets out of range.
		for _, b := range []string{
			fmt.Sprintf(`{"article": %s, "start": -5, "end": 3, "speaker": "abbas-araghchi", "translation": "x"}`, art),
			fmt.Sprintf(`{"article": %s, "start": 0, "end": 99999999999, "speaker": "abbas-araghchi", "translation": "x"}`, art),
			fmt.Sprintf(`{"article": %s, "start": 0, "end": 1e400, "speaker": "abbas-araghchi", "translation": "x"}`, art),
			`{"article": -1, "start": 0, "end": 3, "speaker": "abbas-araghchi", "translation": "x"}`,
			`{"article": 99999999999999999999, "start": 0, "end": 3}`,
		} {
			resp, body := c.json("POST", "/api/clips", b)
			if resp.StatusCode >= 500 || resp.StatusCode < 400 {
				t.Errorf("POST /api/clips %s: %s\n%.300s", b, resp.Status, body)
			}
		}
	})
}

// json sends body as application/json.
func (c *client) json(method, path, body string, header ...string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

// hostile is markup an analyst (or an outlet's page) might slip into a
// field; no studio page may carry it unescaped.
var editorActor = accounts.Actor{Email: editorEmail, Role: accounts.Editor}

const hostile = `"><script>xss()</script><img src=x onerror=xss()>`

// TestStoredMarkupIsEscaped: roster names, clip text, edition fields and
// source URLs full of markup come out of every studio page and the
// preview escaped, and a javascript: URL is never a link.
func TestStoredMarkupIsEscaped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newWorkDesk(t, db)
		ed := d.signIn(editorEmail)
		o := outlets.Outlet{Key: "evil", Name: "Evil" + hostile, NativeName: "شرور" + hostile, Kind: outlets.Newspaper,
			Language: "fa", Orientation: "camp" + hostile, Affiliation: "owned by" + hostile, Homepage: "https://evil.example/"}
		if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
			t.Fatal(err)
		}
		c := d.signIn(analystEmail)
		id := d.clipOf(t, c, url.Values{"passage": {deskPassage}, "translation": {"We accept" + hostile},
			"new_name": {"Ali" + hostile}, "new_native": {"علی" + hostile}, "new_role": {"role" + hostile},
			"outlet": {"evil"}, "intermediary": {"as reported by" + hostile}})
		slug := newEdition(t, c, "Title"+hostile)
		resp, body := c.do("POST", "/studio/clips/entry", url.Values{"clip": {fmt.Sprint(id)}, "edition": {slug}, "verb": {"said" + hostile}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		doc, err := editorial.Get(ctx, db, slug)
		if err != nil {
			t.Fatal(err)
		}
		e := doc.Edition
		e.Dek, e.Intro = "dek"+hostile, "intro"+hostile
		e.Entries[0].LeadIn = "Lead" + hostile + ":"
		e.Entries[0].Outlets[0].Label = "label" + hostile
		e.Entries[0].Speakers[0].Label = "speaker" + hostile
		e.Entries[0].Items[0].Parts = append(e.Entries[0].Items[0].Parts,
			reviews.Part{Kind: reviews.Narration, Text: "narration" + hostile},
			reviews.Part{Kind: reviews.Quote, Text: "quote" + hostile, Original: "اصل" + hostile, OriginalLang: "fa",
				SourceURL: "javascript:xss()"})
		// A javascript: source is refused before it can become a link.
		if _, err := editorial.Save(ctx, db, editorActor, slug, doc.Version, e); err == nil || !strings.Contains(err.Error(), "source_url") {
			t.Fatalf("a javascript: source URL saved: %v", err)
		}
		e.Entries[0].Items[0].Parts[2].SourceURL = ""
		if _, err := editorial.Save(ctx, db, editorActor, slug, doc.Version, e); err != nil {
			t.Fatal(err)
		}
		pages := []string{"/studio/", "/studio/outlets", "/studio/outlets/evil", "/studio/people", "/studio/people/ali",
			fmt.Sprintf("/studio/articles/%d", d.article.ID), fmt.Sprintf("/studio/articles/%d?clipped=%d", d.article.ID, id),
			"/studio/clips", "/studio/clips?speaker=" + url.QueryEscape(hostile), "/studio/editions", "/studio/editions/" + slug,
			"/studio/editions/" + slug + "/versions", "/studio/editions/" + slug + "/diff?from=1&to=3",
			"/studio/archive?q=" + url.QueryEscape(hostile), "/api/editions/" + slug + "/preview"}
		for _, who := range []*client{c, ed} {
			for _, p := range append(pages, "/studio/editions/"+slug+"/confirm/publish") {
				resp, page := who.do("GET", p, nil)
				if resp.StatusCode >= 500 {
					t.Errorf("GET %s: %s", p, resp.Status)
				}
				for _, bad := range []string{"<script>xss", "<img src=x", `onmouseover="xss`, `href="javascript:`} {
					if strings.Contains(page, bad) {
						i := strings.Index(page, bad)
						t.Errorf("GET %s carries %s unescaped: …%s…", p, bad, page[max(0, i-200):min(len(page), i+80)])
					}
				}
			}
		}
	})
}

// TestApprovalBindsTheVersionRead: a save while an edition is in review
// keeps it in review, so an editor who read version N and approves must
// not approve the analyst's version N+1 unseen; the approve button and the
// publish confirmation carry the version they show, and the API honours
// If-Match on actions.
func TestApprovalBindsTheVersionRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newWorkDesk(t, db)
		ana := d.signIn(analystEmail)
		slug := newEdition(t, ana, "Responses to the talks")
		path := "/studio/editions/" + slug
		resp, body := ana.do("POST", path+"/do/submit", url.Values{})
		wantStatus(t, resp, http.StatusSeeOther, body)

		ed := d.signIn(editorEmail)
		_, page := ed.do("GET", path, nil)
		approve := regexp.MustCompile(`(?s)<form method="post" action="` + regexp.QuoteMeta(path) + `/do/approve"[^>]*>(.*?)</form>`).FindStringSubmatch(page)
		if approve == nil {
			t.Fatal("no approve form")
		}
		seen := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(approve[1])
		if seen == nil {
			t.Fatalf("the approve form does not carry the version it approves: %s", approve[0])
		}
		// The analyst edits the edition in review after the editor read it.
		doc, err := editorial.Get(ctx, db, slug)
		if err != nil {
			t.Fatal(err)
		}
		e := doc.Edition
		e.Intro = "Words the editor never read."
		if _, err := editorial.Save(ctx, db, accounts.Actor{Email: analystEmail, Role: accounts.Analyst}, slug, doc.Version, e); err != nil {
			t.Fatal(err)
		}
		resp, page = ed.do("POST", path+"/do/approve", url.Values{"version": {seen[1]}})
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("approving version %s after a newer save: %s", seen[1], resp.Status)
		}
		if doc, _ = editorial.Get(ctx, db, slug); doc.State != editorial.InReview {
			t.Fatalf("the unseen version was %s", doc.State)
		}
		// Approving what is now on screen works.
		_, page = ed.do("GET", path, nil)
		wantIn(t, page, fmt.Sprintf(`name="version" value="%d"><button type="submit">Approve`, doc.Version))
		resp, body = ed.do("POST", path+"/do/approve", url.Values{"version": {fmt.Sprint(doc.Version)}})
		wantStatus(t, resp, http.StatusSeeOther, body)

		// The publish confirmation names a version and publishes only it.
		_, page = ed.do("GET", path+"/confirm/publish", nil)
		wantIn(t, page, fmt.Sprintf(`<input type="hidden" name="version" value="%d">`, doc.Version))
		resp, _ = ed.do("POST", path+"/do/publish", url.Values{"confirm": {"yes"}, "version": {fmt.Sprint(doc.Version - 1)}})
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("publishing a version that is not current: %s", resp.Status)
		}
		resp, _ = ed.do("POST", path+"/do/publish", url.Values{"confirm": {"yes"}, "version": {"-1"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("publishing version -1: %s", resp.Status)
		}

		// The API: If-Match on an action is checked.
		resp, body = ed.json("POST", "/api/editions/"+slug+"/publish", "", "If-Match", fmt.Sprintf(`"%d"`, doc.Version-1))
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("API publish with a stale If-Match: %s %s", resp.Status, body)
		}
		resp, body = ed.json("POST", "/api/editions/"+slug+"/publish", "", "If-Match", fmt.Sprintf(`"%d"`, doc.Version))
		wantStatus(t, resp, http.StatusOK, body)
	})
}

// TestAnalystCannotRewordPublicImages: an image's alt text, caption and
// credit print on the public analysis or event that shows it, so an
// analyst may correct them only while nothing public shows the image.
func TestAnalystCannotRewordPublicImages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newPostsSite(t, db)
		ana, ed := d.as(t, "ana"), d.as(t, "eddie")
		// event-water is on a published event of the demo content.
		before, err := posts.ImageMetaByKey(ctx, db, "event-water")
		if err != nil {
			t.Fatal(err)
		}
		words := url.Values{"alt": {"Something else entirely"}, "caption": {"A new caption"}, "credit": {"(Nobody)"}}
		resp, page := ana.do(http.MethodPost, "/studio/images/event-water", words)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "only an editor can change its words") {
			t.Errorf("analyst rewording a public image: %s", resp.Status)
		}
		if im, _ := posts.ImageMetaByKey(ctx, db, "event-water"); im.Alt != before.Alt || im.Caption != before.Caption {
			t.Errorf("a public image was reworded by an analyst: %+v", im)
		}
		resp, _ = ed.do(http.MethodPost, "/studio/images/event-water", words)
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("editor rewording a public image: %s", resp.Status)
		}
		// An image nothing public shows stays the analyst's to correct.
		resp, _ = upload(t, ana, pngImage(t, 64, 64), "fresh.png", "alt", "A fresh picture")
		wantStatus(t, resp, http.StatusSeeOther, "")
		resp, _ = ana.do(http.MethodPost, "/studio/images/fresh", url.Values{"alt": {"A fresher picture"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("analyst correcting an unused image: %s", resp.Status)
		}
	})
}

// TestEveryStaffRouteNeedsTheRightRole walks the routes RegisterWork,
// Register and the staff APIs mount: signed out, each sends to the sign-in
// page (HTML) or answers 401 (API); an analyst gets 403 from every editor
// action, by form, confirmation page, API and API token; cross-site
// writes are refused before they reach a handler, cookies or not.
func TestEveryStaffRouteNeedsTheRightRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newWorkDesk(t, db)
		ana := d.signIn(analystEmail)
		slug := newEdition(t, ana, "Responses to the talks")
		ed := "/studio/editions/" + slug
		api := "/api/editions/" + slug
		art := fmt.Sprintf("/studio/articles/%d", d.article.ID)

		out := newClient(t, d.ts.URL)
		for _, r := range []struct{ method, path string }{
			{"GET", "/studio/"}, {"GET", "/studio/editions"}, {"GET", "/studio/editions/new"}, {"POST", "/studio/editions/new"},
			{"GET", ed}, {"POST", ed}, {"POST", ed + "/merge"}, {"GET", ed + "/confirm/publish"}, {"POST", ed + "/do/submit"},
			{"POST", ed + "/do/publish"}, {"GET", ed + "/versions"}, {"GET", ed + "/diff?from=1&to=1"},
			{"POST", ed + "/versions/1/restore"}, {"GET", ed + "/newsletter"}, {"POST", ed + "/newsletter"},
			{"POST", ed + "/newsletter/test"}, {"GET", art}, {"POST", art + "/clips"}, {"GET", "/studio/clips"},
			{"POST", "/studio/clips/entry"}, {"GET", "/studio/analyses"}, {"POST", "/studio/analyses"}, {"GET", "/studio/events"},
			{"POST", "/studio/events"}, {"GET", "/studio/images"}, {"POST", "/studio/images"}, {"POST", "/studio/images/x"},
			{"POST", "/studio/people"}, {"POST", "/studio/authors"},
		} {
			resp, _ := out.do(r.method, r.path, url.Values{})
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/studio/login") {
				t.Errorf("%s %s signed out: %s → %q", r.method, r.path, resp.Status, resp.Header.Get("Location"))
			}
		}
		for _, r := range []struct{ method, path string }{
			{"GET", "/api/editions"}, {"POST", "/api/editions"}, {"GET", api}, {"PUT", api}, {"POST", api + "/publish"},
			{"GET", api + "/versions"}, {"GET", api + "/versions/1"}, {"POST", api + "/versions/1/restore"},
			{"GET", api + "/diff?from=1&to=1"}, {"GET", api + "/preview"}, {"GET", "/api/clips"}, {"POST", "/api/clips"},
			{"GET", "/api/clips/1"}, {"GET", "/api/clips.csv"}, {"GET", "/api/clips.json"}, {"GET", "/api/speakers?q=a"},
			{"GET", "/api/search?q=a"},
		} {
			resp, body := out.json(r.method, r.path, "{}")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s signed out: %s %.200s", r.method, r.path, resp.Status, body)
			}
		}

		// The analyst: editor actions are refused by every path.
		resp, body := ana.do("POST", ed+"/do/submit", url.Values{})
		wantStatus(t, resp, http.StatusSeeOther, body)
		for _, r := range []struct {
			method, path string
			form         url.Values
		}{
			{"POST", ed + "/do/approve", url.Values{}},
			{"POST", ed + "/do/publish", url.Values{"confirm": {"yes"}}},
			{"POST", ed + "/do/schedule", url.Values{"confirm": {"yes"}, "at": {"2099-01-01T10:00"}}},
			{"POST", ed + "/do/unpublish", url.Values{"confirm": {"yes"}}},
			{"GET", ed + "/confirm/publish", nil}, {"GET", ed + "/confirm/schedule", nil}, {"GET", ed + "/confirm/unpublish", nil},
			{"GET", ed + "/newsletter", nil}, {"POST", ed + "/newsletter", url.Values{}},
			{"POST", ed + "/newsletter/test", url.Values{"campaign": {"1"}}},
		} {
			if resp, _ := ana.do(r.method, r.path, r.form); resp.StatusCode != http.StatusForbidden {
				t.Errorf("analyst %s %s: %s", r.method, r.path, resp.Status)
			}
		}
		secret, _, err := accounts.CreateToken(ctx, db, "script", accounts.Analyst)
		if err != nil {
			t.Fatal(err)
		}
		bot := newClient(t, d.ts.URL)
		for _, a := range []string{"approve", "publish", "unpublish"} {
			for _, who := range []struct {
				c      *client
				header []string
			}{{ana, nil}, {bot, []string{"Authorization", "Bearer " + secret}}} {
				if resp, body := who.c.json("POST", api+"/"+a, "", who.header...); resp.StatusCode != http.StatusForbidden {
					t.Errorf("analyst API %s: %s %s", a, resp.Status, body)
				}
			}
		}
		if resp, body := bot.json("POST", api+"/schedule", `{"at": "2099-01-01T10:00:00Z"}`, "Authorization", "Bearer "+secret); resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst API schedule: %s %s", resp.Status, body)
		}
		if doc, _ := editorial.Get(ctx, db, slug); doc.State != editorial.InReview || doc.Status != reviews.Draft {
			t.Fatalf("after the analyst's attempts the edition is %s/%s", doc.State, doc.Status)
		}

		// Cross-site writes: refused with a session cookie and with a
		// bearer token alike, and nothing is saved.
		doc, _ := editorial.Get(ctx, db, slug)
		cross := []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}
		for _, r := range []struct {
			c      *client
			method string
			path   string
			body   string
			header []string
		}{
			{ana, "PUT", api, `{"title": "Hijacked"}`, append([]string{"If-Match", fmt.Sprintf(`"%d"`, doc.Version)}, cross...)},
			{ana, "POST", "/api/editions", `{"series": "imr", "date": "2025-03-08", "title": "Hijacked"}`, cross},
			{ana, "POST", api + "/versions/1/restore", "", append([]string{"If-Match", fmt.Sprintf(`"%d"`, doc.Version)}, cross...)},
			{ana, "POST", "/api/clips", `{}`, cross},
			{bot, "PUT", api, `{"title": "Hijacked"}`, append([]string{"Authorization", "Bearer " + secret, "If-Match", fmt.Sprintf(`"%d"`, doc.Version)}, cross...)},
			// An old browser sends Origin without Sec-Fetch-Site.
			{ana, "PUT", api, `{"title": "Hijacked"}`, []string{"If-Match", fmt.Sprintf(`"%d"`, doc.Version), "Origin", "https://evil.example"}},
		} {
			if resp, body := r.c.json(r.method, r.path, r.body, r.header...); resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site %s %s: %s %.200s", r.method, r.path, resp.Status, body)
			}
		}
		for _, p := range []string{ed, ed + "/do/submit", ed + "/versions/1/restore", art + "/clips"} {
			if resp, _ := ana.do("POST", p, url.Values{"version": {fmt.Sprint(doc.Version)}}, cross...); resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site form POST %s: %s", p, resp.Status)
			}
		}
		if after, _ := editorial.Get(ctx, db, slug); after.Version != doc.Version {
			t.Errorf("a cross-site request saved version %d", after.Version)
		}
	})
}

// TestFormBodiesAreCapped: every studio form post is read up to a cap and
// a larger body answers 413, whether it comes urlencoded or as a
// multipart upload to a form that takes none (whose files Go would
// otherwise spool to disk without a bound).
func TestFormBodiesAreCapped(t *testing.T) {
	d := newWorkDesk(t, storetest.SQLite(t))
	ed := d.signIn(editorEmail)
	slug := newEdition(t, ed, "Responses to the talks")
	big := strings.Repeat("x", 3<<20)
	var multipart strings.Builder
	multipart.WriteString("--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nT\r\n--b\r\n" +
		"Content-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
	multipart.WriteString(big)
	multipart.WriteString("\r\n--b--\r\n")
	for _, p := range []string{"/studio/analyses", "/studio/events", "/studio/people", "/studio/outlets", "/studio/authors",
		"/studio/editions/new", "/studio/editions/" + slug, "/studio/editions/" + slug + "/do/submit",
		"/studio/editions/" + slug + "/versions/1/restore", "/studio/clips/entry",
		fmt.Sprintf("/studio/articles/%d/clips", d.article.ID)} {
		if resp, _ := ed.do("POST", p, url.Values{"title": {big}}); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with a 3 MB form: %s", p, resp.Status)
		}
		resp, _ := ed.json("POST", p, multipart.String(), "Content-Type", "multipart/form-data; boundary=b")
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with a 3 MB multipart body: %s", p, resp.Status)
		}
	}
}

// TestJSONBodiesAreCapped: a JSON body over the API's cap is 413, named
// as too large, not a truncated "invalid JSON".
func TestJSONBodiesAreCapped(t *testing.T) {
	d := newWorkDesk(t, storetest.SQLite(t))
	c := d.signIn(analystEmail)
	slug := newEdition(t, c, "Responses to the talks")
	body := `{"title": "` + strings.Repeat("x", 5<<20) + `"}`
	resp, page := c.json("PUT", "/api/editions/"+slug, body, "If-Match", `"1"`)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "too large") {
		t.Errorf("PUT of a 5 MB edition: %s %.200s", resp.Status, page)
	}
	body = fmt.Sprintf(`{"article": %d, "start": 0, "end": 3, "speaker": "abbas-araghchi", "translation": "%s"}`, d.article.ID, strings.Repeat("x", 2<<20))
	resp, page = c.json("POST", "/api/clips", body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "too large") {
		t.Errorf("POST of a 2 MB clip: %s %.200s", resp.Status, page)
	}
}

// TestPostMarkupIsSanitized: raw HTML in an analysis's or event's
// Markdown, and markup in image words, reach neither the studio's preview
// nor its pages as markup.
func TestPostMarkupIsSanitized(t *testing.T) {
	d := newPostsSite(t, storetest.SQLite(t))
	ana := d.as(t, "ana")
	body := "Text <script>xss()</script> <img src=x onerror=xss()> [link](javascript:xss()) <a href=\"javascript:xss()\">a</a>\r\n\r\n<iframe src=\"https://evil.example\"></iframe>"
	resp, page := ana.do("POST", "/studio/analyses", analysisForm("preview", "body", body, "title", "T"+hostile))
	wantStatus(t, resp, http.StatusOK, page)
	resp, page2 := ana.do("POST", "/studio/analyses", analysisForm("save", "body", body, "slug", "probe", "title", "T"+hostile))
	wantStatus(t, resp, http.StatusSeeOther, page2)
	_, page2 = ana.do("GET", "/studio/analyses/probe", nil)
	resp, up := upload(t, ana, pngImage(t, 64, 64), "probe.png", "alt", "alt"+hostile, "caption", "cap"+hostile, "credit", "cr"+hostile)
	wantStatus(t, resp, http.StatusSeeOther, up)
	_, page3 := ana.do("GET", "/studio/images", nil)
	_, page4 := ana.do("GET", "/studio/images/probe", nil)
	// An event's link must be http(s); its words are text.
	resp, page5 := ana.do("POST", "/studio/events", eventForm("save", "slug", "probe-event", "online_url", "javascript:xss()"))
	if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(page5, "event-online_url") == "" {
		t.Errorf("event with a javascript: link: %s, error %q", resp.Status, fieldError(page5, "event-online_url"))
	}
	resp, page6 := ana.do("POST", "/studio/events", eventForm("save", "slug", "probe-event", "title", "T"+hostile,
		"place", "P"+hostile, "summary", "S"+hostile, "body", body))
	wantStatus(t, resp, http.StatusSeeOther, page6)
	_, page6 = ana.do("GET", "/studio/events/probe-event", nil)
	_, page7 := ana.do("GET", "/studio/events", nil)
	for i, p := range []string{page, page2, page3, page4, page5, page6, page7} {
		for _, bad := range []string{"<script>xss", "<img src=x", `href="javascript:`, "<iframe src=\"https://evil"} {
			if strings.Contains(p, bad) {
				t.Errorf("page %d carries %s", i, bad)
			}
		}
	}
}

// TestUploadRefusesSVGAndBombs: the type comes from the bytes, so an SVG
// (script-capable) named .png is refused, and a PNG that declares a huge
// canvas is refused from its header before anything decodes it.
func TestUploadRefusesSVGAndBombs(t *testing.T) {
	d := newPostsSite(t, storetest.SQLite(t))
	ana := d.as(t, "ana")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>xss()</script></svg>`)
	resp, page := upload(t, ana, svg, "pic.png", "alt", "A picture")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(page, "upload-data"), "not a JPEG, PNG or GIF") {
		t.Errorf("SVG upload: %s %q", resp.Status, fieldError(page, "upload-data"))
	}
	bomb := pngImage(t, 1, 1)
	binary.BigEndian.PutUint32(bomb[16:], 60000)
	binary.BigEndian.PutUint32(bomb[20:], 60000)
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))
	resp, page = upload(t, ana, bomb, "bomb.png", "alt", "A picture")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(page, "upload-data"), "megapixels") {
		t.Errorf("60000×60000 PNG: %s %q", resp.Status, fieldError(page, "upload-data"))
	}
}
