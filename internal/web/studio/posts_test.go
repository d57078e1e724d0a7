package studio_test

import (
	"bytes"
	"context"
	"errors"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// newPostsSite is the desk with the demo's analyses, events and pictures
// too, dated around now.
func newPostsSite(t *testing.T, db *store.DB) *deskSite {
	t.Helper()
	if _, err := demo.Prepare(context.Background(), db, time.Now()); err != nil {
		t.Fatal(err)
	}
	return newDeskSite(t, db)
}

// analysisForm is a complete analysis form as a browser posts it.
func analysisForm(do string, set ...string) url.Values {
	f := url.Values{"title": {"Iran’s Water Crisis Reaches the Front Pages"}, "slug": {""}, "dek": {"How the camps explain the drought."},
		"category": {"Analysis"}, "authors": {"leila-navabi"}, "tags": {"water, iranian-media"}, "image": {"tehran-reservoirs"},
		"status": {"draft"}, "publish_at": {""}, "body": {"## The reservoirs\r\n\r\nKayhan blamed **mismanagement**.\r\n"}, "do": {do}}
	for i := 0; i+1 < len(set); i += 2 {
		f.Set(set[i], set[i+1])
	}
	return f
}

// fieldError is the message the form shows beside field (form-field id).
func fieldError(body, id string) string {
	m := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(id) + `-error">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestAnalysisEditing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newPostsSite(t, db)
		ana, eddie := d.as(t, "ana"), d.as(t, "eddie")

		// Every screen needs a sign-in.
		anon := newClient(t, d.url)
		for _, p := range []string{"/studio/analyses", "/studio/analyses/new", "/studio/events", "/studio/events/new", "/studio/images"} {
			if resp, _ := anon.do(http.MethodGet, p, nil); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/studio/login") {
				t.Errorf("%s signed out: %s", p, resp.Status)
			}
		}
		if resp, _ := anon.do(http.MethodPost, "/studio/analyses", analysisForm("save")); resp.StatusCode == http.StatusSeeOther && !strings.HasPrefix(resp.Header.Get("Location"), "/studio/login") {
			t.Errorf("signed-out save: %s", resp.Status)
		}

		resp, body := ana.do(http.MethodGet, "/studio/analyses", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Mediation Offer Splits") || !strings.Contains(body, `aria-current="page">Analyses`) {
			t.Fatalf("list: %s", resp.Status)
		}
		resp, body = ana.do(http.MethodGet, "/studio/analyses/new", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<label for="analysis-body">`) || strings.Contains(body, `value="published"`) {
			t.Fatalf("new form: %s (an analyst is offered only drafts)", resp.Status)
		}

		// The preview is the site's renderer: Markdown made HTML, a script
		// sanitized away, and nothing saved.
		resp, body = ana.do(http.MethodPost, "/studio/analyses", analysisForm("preview",
			"body", "## The reservoirs\r\n\r\nKayhan blamed **mismanagement**.<script>alert('x')</script>\r\n\r\n<span lang=\"fa\" dir=\"rtl\">آب</span>"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("preview: %s", resp.Status)
		}
		preview := body[strings.Index(body, `<section class="post-preview"`):]
		for _, want := range []string{`<h2>The reservoirs</h2>`, `<strong>mismanagement</strong>`, `<span lang="fa" dir="rtl">آب</span>`} {
			if !strings.Contains(preview, want) {
				t.Errorf("preview lacks %s", want)
			}
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(preview, "alert(") {
			t.Error("the preview lets a script through")
		}
		if !strings.Contains(body, `&lt;script&gt;alert`) {
			t.Error("the textarea does not keep what was typed")
		}
		if _, err := posts.AnalysisBySlug(ctx, db, "irans-water-crisis-reaches-the-front-pages"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a preview saved the analysis: %v", err)
		}

		// Errors come back beside their field, the input kept.
		resp, body = ana.do(http.MethodPost, "/studio/analyses", analysisForm("save", "authors", "leila-navabi, nobody"))
		// The form says where to add a missing author or tag, not the
		// import's "include it in the file".
		if resp.StatusCode != http.StatusUnprocessableEntity ||
			fieldError(body, "analysis-authors") != `no author has the key "nobody"; add them on the Authors page` ||
			!strings.Contains(body, `id="analysis-authors" type="text" name="authors" value="leila-navabi, nobody"`) ||
			strings.Contains(body, "include it in the file") {
			t.Fatalf("unknown author: %s, error %q", resp.Status, fieldError(body, "analysis-authors"))
		}
		resp, body = ana.do(http.MethodPost, "/studio/analyses", analysisForm("save", "tags", "nope"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(fieldError(body, "analysis-tags"), `no tag has the key "nope"; tags are added by importing`) ||
			strings.Contains(body, "include it in the file") {
			t.Fatalf("unknown tag: %s, error %q", resp.Status, fieldError(body, "analysis-tags"))
		}
		resp, body = ana.do(http.MethodPost, "/studio/analyses", analysisForm("save", "publish_at", "March 7"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "analysis-publish_at"), "is not a date and time") {
			t.Fatalf("bad time: %s, error %q", resp.Status, fieldError(body, "analysis-publish_at"))
		}
		resp, body = ana.do(http.MethodPost, "/studio/analyses", analysisForm("save", "slug", "Bad Slug"))
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "analysis-slug") == "" {
			t.Fatalf("bad slug: %s", resp.Status)
		}

		// An analyst saves a draft; the slug comes from the title.
		resp, _ = ana.do(http.MethodPost, "/studio/analyses", analysisForm("save"))
		const slug = "irans-water-crisis-reaches-the-front-pages"
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/studio/analyses/"+slug+"?saved=1" {
			t.Fatalf("save draft: %s → %q", resp.Status, loc)
		}
		a, err := posts.AnalysisBySlug(ctx, db, slug)
		if err != nil || a.Status != "draft" || a.Body != "## The reservoirs\n\nKayhan blamed **mismanagement**." ||
			strings.Join(a.Authors, ",") != "leila-navabi" || strings.Join(a.Tags, ",") != "iranian-media,water" || a.Image != "tehran-reservoirs" {
			t.Fatalf("saved %+v (%v)", a, err)
		}
		// The same slug again is refused, not overwritten.
		resp, body = ana.do(http.MethodPost, "/studio/analyses", analysisForm("save", "title", "Another"+" title", "slug", slug))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "analysis-slug"), "already has this slug") {
			t.Fatalf("taken slug: %s", resp.Status)
		}

		// The analyst may not publish or schedule: a 403 page, nothing changed.
		for _, status := range []string{"published", "scheduled"} {
			resp, body = ana.do(http.MethodPost, "/studio/analyses/"+slug, analysisForm("save", "status", status, "publish_at", "2026-01-01T09:00"))
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "only an editor can schedule or publish") {
				t.Fatalf("analyst %s: %s", status, resp.Status)
			}
		}
		if a, _ := posts.AnalysisBySlug(ctx, db, slug); a.Status != "draft" {
			t.Fatalf("analyst's refused publish changed the status to %s", a.Status)
		}
		if resp, _ := ana.do(http.MethodGet, "/analysis/"+slug, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("draft is public: %s", resp.Status)
		}

		// An editor can; a publish without a time goes public now.
		resp, _ = eddie.do(http.MethodPost, "/studio/analyses/"+slug, analysisForm("save", "status", "published"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("editor publish: %s", resp.Status)
		}
		a, _ = posts.AnalysisBySlug(ctx, db, slug)
		if a.Status != "published" || a.PublishAt == nil || time.Since(*a.PublishAt) > time.Hour {
			t.Fatalf("published %+v", a)
		}
		resp, body = ana.do(http.MethodGet, "/analysis/"+slug, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<strong>mismanagement</strong>") {
			t.Fatalf("public page: %s", resp.Status)
		}
		// Now it is public, the analyst can read it in the studio but not change it.
		_, body = ana.do(http.MethodGet, "/studio/analyses/"+slug, nil)
		if !strings.Contains(body, "only an editor can change it") || strings.Contains(body, `value="save"`) {
			t.Error("the analyst is offered to save a published analysis")
		}
		resp, _ = ana.do(http.MethodPost, "/studio/analyses/"+slug, analysisForm("save"))
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("analyst edits a published analysis: %s", resp.Status)
		}
	})
}

// upload posts a multipart image form; file may be nil.
func upload(t *testing.T, c *client, file []byte, name string, fields ...string) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		fw, err := mw.CreateFormFile("data", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+"/studio/images", &b)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 0x80, 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImageUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newPostsSite(t, db)
		ana := d.as(t, "ana")
		pic := pngImage(t, 640, 360)

		// Without alt text: refused beside the alt field, nothing stored.
		resp, body := upload(t, ana, pic, "Dam at Karaj.png", "alt", "  ", "caption", "The Amir Kabir dam", "credit", "(Demo)")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "upload-alt"), "an image without alt text is refused") ||
			!strings.Contains(body, `id="upload-alt" name="alt"`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("no alt: %s, error %q", resp.Status, fieldError(body, "upload-alt"))
		}
		if _, err := posts.ImageMetaByKey(ctx, db, "dam-at-karaj"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("image without alt stored: %v", err)
		}
		// Not an image, whatever its name says; no file at all.
		resp, body = upload(t, ana, []byte("<html><script>alert(1)</script></html>"), "photo.png", "alt", "A photo")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "upload-data"), "not a JPEG, PNG or GIF image") {
			t.Fatalf("not an image: %s, error %q", resp.Status, fieldError(body, "upload-data"))
		}
		resp, body = upload(t, ana, nil, "", "alt", "A photo")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "upload-data"), "is required") {
			t.Fatalf("no file: %s", resp.Status)
		}
		// Over the size cap.
		big := append(append([]byte{}, pic...), make([]byte, 9<<20)...)
		resp, body = upload(t, ana, big, "big.png", "alt", "A photo")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "upload-data"), "is larger than 8 MB") {
			t.Fatalf("too big: %s, error %q", resp.Status, fieldError(body, "upload-data"))
		}

		// With alt text: stored with its words and size, listed, served.
		resp, _ = upload(t, ana, pic, "Dam at Karaj.png", "alt", "The Amir Kabir reservoir, half empty", "caption", "The Amir Kabir dam", "credit", "(Demo)")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/studio/images?saved=dam-at-karaj#image-dam-at-karaj" {
			t.Fatalf("upload: %s → %q", resp.Status, loc)
		}
		im, err := posts.ImageMetaByKey(ctx, db, "dam-at-karaj")
		if err != nil || im.Alt != "The Amir Kabir reservoir, half empty" || im.Caption != "The Amir Kabir dam" || im.Credit != "(Demo)" ||
			im.ContentType != "image/png" || im.Width != 640 || im.Height != 360 {
			t.Fatalf("stored %+v (%v)", im, err)
		}
		_, body = ana.do(http.MethodGet, "/studio/images?saved=dam-at-karaj", nil)
		src := regexp.MustCompile(`<img src="([^"]+)" alt="The Amir Kabir reservoir, half empty" width="640" height="360"`).FindStringSubmatch(body)
		if src == nil || !strings.Contains(body, "The Amir Kabir dam") {
			t.Fatal("the list does not show the image with its alt text and caption")
		}
		if resp, _ := ana.do(http.MethodGet, src[1], nil); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("thumbnail %s: %s %s", src[1], resp.Status, resp.Header.Get("Content-Type"))
		}
		// The same key again is refused; the image can then be picked.
		resp, body = upload(t, ana, pic, "x.png", "alt", "Other", "key", "dam-at-karaj")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "upload-key"), "already has this key") {
			t.Fatalf("taken key: %s", resp.Status)
		}
		_, body = ana.do(http.MethodGet, "/studio/analyses/new", nil)
		if !strings.Contains(body, `<option value="dam-at-karaj">dam-at-karaj — The Amir Kabir reservoir, half empty</option>`) {
			t.Error("the analysis form does not offer the uploaded image")
		}

		// Its words can be corrected; emptying the alt text is refused.
		resp, body = ana.do(http.MethodPost, "/studio/images/dam-at-karaj", url.Values{"alt": {""}, "caption": {"x"}, "credit": {""}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "image-alt") == "" {
			t.Fatalf("empty alt on edit: %s", resp.Status)
		}
		resp, _ = ana.do(http.MethodPost, "/studio/images/dam-at-karaj", url.Values{"alt": {"The reservoir behind the Amir Kabir dam"}, "caption": {"Karaj, summer"}, "credit": {"(Demo)"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit words: %s", resp.Status)
		}
		if im, _ := posts.ImageByKey(ctx, db, "dam-at-karaj"); im.Alt != "The reservoir behind the Amir Kabir dam" || !bytes.Equal(im.Data, pic) {
			t.Errorf("after edit: %q, data kept %v", im.Alt, bytes.Equal(im.Data, pic))
		}
	})
}

// eventForm is a complete event form as a browser posts it.
func eventForm(do string, set ...string) url.Values {
	f := url.Values{"title": {"The Tehran Press After the Ceasefire"}, "slug": {""}, "summary": {"A panel."},
		"time_zone": {"Asia/Tehran"}, "starts_at": {"2026-03-19T18:30"}, "ends_at": {"2026-03-19T20:00"},
		"place": {""}, "online_url": {"https://events.example.org/ceasefire"}, "capacity": {"40"}, "image": {""},
		"status": {"draft"}, "publish_at": {""}, "body": {"Speakers **to be announced**."}, "registration_open": {"1"}, "do": {do}}
	for i := 0; i+1 < len(set); i += 2 {
		f.Set(set[i], set[i+1])
	}
	return f
}

func TestEventEditing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newPostsSite(t, db)
		ana, eddie := d.as(t, "ana"), d.as(t, "eddie")

		resp, body := ana.do(http.MethodGet, "/studio/events", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Monitoring the Iranian Press") {
			t.Fatalf("list: %s", resp.Status)
		}

		// Refused at the field: an unknown zone, a negative capacity, a
		// link that is not https, an end before the start.
		for _, c := range []struct{ field, value, id, want string }{
			{"time_zone", "Asia/Tehrn", "event-time_zone", `"Asia/Tehrn" is not a known time zone`},
			{"time_zone", "", "event-time_zone", "is required"},
			{"capacity", "-1", "event-capacity", "cannot be negative"},
			{"capacity", "forty", "event-capacity", "is not a whole number"},
			{"online_url", "http://events.example.org/x", "event-online_url", "is not an https:// link"},
			{"online_url", "javascript:alert(1)", "event-online_url", "is not an https:// link"},
			{"ends_at", "2026-03-19T17:00", "event-ends_at", "is before starts_at"},
			{"starts_at", "", "event-starts_at", "is required"},
		} {
			resp, body := ana.do(http.MethodPost, "/studio/events", eventForm("save", c.field, c.value))
			if got := fieldError(body, c.id); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, c.want) {
				t.Errorf("%s=%q: %s, error %q, want %q", c.field, c.value, resp.Status, got, c.want)
			}
		}

		// Tehran local time in, the instant stored in UTC, the same local
		// time out, with the UTC equivalent beside it.
		resp, _ = ana.do(http.MethodPost, "/studio/events", eventForm("save"))
		const slug = "the-tehran-press-after-the-ceasefire"
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %s", resp.Status)
		}
		e, err := posts.EventBySlug(ctx, db, slug)
		want := time.Date(2026, 3, 19, 15, 0, 0, 0, time.UTC)
		if err != nil || !e.StartsAt.Equal(want) || !e.EndsAt.Equal(want.Add(90*time.Minute)) || e.TimeZone != "Asia/Tehran" ||
			e.Capacity != 40 || e.OnlineURL != "https://events.example.org/ceasefire" || e.Status != "draft" {
			t.Fatalf("saved %+v (%v)", e, err)
		}
		_, body = ana.do(http.MethodGet, "/studio/events/"+slug, nil)
		for _, want := range []string{`name="starts_at" value="2026-03-19T18:30"`, `name="ends_at" value="2026-03-19T20:00"`,
			"in UTC that is Thu 19 Mar 2026 15:00.", "in UTC that is Thu 19 Mar 2026 16:30.", `name="time_zone" value="Asia/Tehran"`} {
			if !strings.Contains(body, want) {
				t.Errorf("edit page lacks %s", want)
			}
		}
		// Empty capacity is unlimited.
		if resp, _ := ana.do(http.MethodPost, "/studio/events/"+slug, eventForm("save", "capacity", "")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlimited: %s", resp.Status)
		}
		if e, _ := posts.EventBySlug(ctx, db, slug); e.Capacity != 0 || e.SeatsLeft() != -1 || e.Sequence != 0 {
			t.Fatalf("capacity %d, sequence %d", e.Capacity, e.Sequence)
		}

		// The analyst may not publish it; the editor can.
		if resp, _ := ana.do(http.MethodPost, "/studio/events/"+slug, eventForm("save", "status", "published")); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("analyst publishes an event: %s", resp.Status)
		}
		if resp, _ := eddie.do(http.MethodPost, "/studio/events/"+slug, eventForm("save", "status", "published")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("editor publishes: %s", resp.Status)
		}
		// A new time raises the calendar's SEQUENCE; a new summary does not.
		if resp, _ := eddie.do(http.MethodPost, "/studio/events/"+slug, eventForm("save", "status", "published",
			"starts_at", "2026-03-19T19:00", "ends_at", "2026-03-19T20:30")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reschedule: %s", resp.Status)
		}
		e, _ = posts.EventBySlug(ctx, db, slug)
		if e.Sequence != 1 || !e.StartsAt.Equal(want.Add(30*time.Minute)) {
			t.Fatalf("after reschedule: sequence %d, starts %v", e.Sequence, e.StartsAt)
		}
		if _, body := eddie.do(http.MethodGet, "/studio/events/"+slug, nil); !strings.Contains(body, "<dt>Calendar revision</dt><dd>1 ") ||
			!strings.Contains(html.UnescapeString(body), "Thu 19 Mar 2026, 19:00–20:30 Asia/Tehran (UTC+03:30)") {
			t.Error("the edit page does not show the new revision and time")
		}
		if resp, _ := eddie.do(http.MethodPost, "/studio/events/"+slug, eventForm("save", "status", "published",
			"starts_at", "2026-03-19T19:00", "ends_at", "2026-03-19T20:30", "summary", "A panel of three.")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit summary: %s", resp.Status)
		}
		if e, _ := posts.EventBySlug(ctx, db, slug); e.Sequence != 1 || e.Summary != "A panel of three." {
			t.Fatalf("after summary edit: sequence %d", e.Sequence)
		}
		_, ics := ana.do(http.MethodGet, "/events/"+slug+"/event.ics", nil)
		if !strings.Contains(ics, "SEQUENCE:1") || !strings.Contains(ics, "20260319T153000Z") {
			t.Errorf("calendar:\n%s", ics)
		}

		// The form keeps what it does not show: speakers of an imported event.
		if resp, _ := eddie.do(http.MethodPost, "/studio/events/persian-media-roundtable", nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("empty post: %s", resp.Status)
		}
		before, err := posts.EventBySlug(ctx, db, "persian-media-roundtable")
		if err != nil {
			t.Fatal(err)
		}
		loc := before.Location()
		resp, _ = eddie.do(http.MethodPost, "/studio/events/persian-media-roundtable", eventForm("save", "title", before.Title,
			"time_zone", before.TimeZone, "starts_at", before.StartsAt.In(loc).Format("2006-01-02T15:04"),
			"ends_at", before.EndsAt.In(loc).Format("2006-01-02T15:04"), "online_url", before.OnlineURL, "place", before.Place,
			"status", before.Status, "publish_at", before.PublishAt.UTC().Format("2006-01-02T15:04")))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit imported event: %s", resp.Status)
		}
		after, _ := posts.EventBySlug(ctx, db, "persian-media-roundtable")
		if len(after.Speakers) != len(before.Speakers) || after.RecordingURL != before.RecordingURL || after.Sequence != before.Sequence {
			t.Errorf("speakers %d → %d, recording %q → %q, sequence %d → %d", len(before.Speakers), len(after.Speakers),
				before.RecordingURL, after.RecordingURL, before.Sequence, after.Sequence)
		}
	})
}

// TestEventRegistrationSwitch: the event form's checkbox closes
// registration; the public page and the registration form then say so,
// and a registration posted anyway is refused.
func TestEventRegistrationSwitch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newPostsSite(t, db)
		eddie := d.as(t, "eddie")
		const slug = "the-tehran-press-after-the-ceasefire"
		future := []string{"starts_at", "2099-03-19T18:30", "ends_at", "2099-03-19T20:00", "status", "published", "publish_at", "2025-01-01T00:00"}
		if resp, body := eddie.do(http.MethodPost, "/studio/events", eventForm("save", future...)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %s\n%s", resp.Status, body)
		}
		_, body := eddie.do(http.MethodGet, "/studio/events/"+slug, nil)
		if !strings.Contains(body, `<input id="event-registration_open" type="checkbox" name="registration_open" value="1" checked aria-describedby="event-registration_open-hint">`) {
			t.Fatalf("edit page lacks the ticked registration box:\n%s", body)
		}
		if _, page := eddie.do(http.MethodGet, "/events/"+slug, nil); !strings.Contains(page, `href="/events/`+slug+`/register">Register for this event</a>`) {
			t.Fatal("the open event's page offers no registration")
		}

		// Unticked, the box is absent from the post.
		closed := eventForm("save", future...)
		closed.Del("registration_open")
		if resp, _ := eddie.do(http.MethodPost, "/studio/events/"+slug, closed); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("close registration: %s", resp.Status)
		}
		if e, err := posts.EventBySlug(ctx, db, slug); err != nil || !e.RegistrationClosed {
			t.Fatalf("stored: closed %v, %v", e.RegistrationClosed, err)
		}
		if _, body := eddie.do(http.MethodGet, "/studio/events/"+slug, nil); !strings.Contains(body, `name="registration_open" value="1" aria-describedby`) {
			t.Error("the edit page shows the closed event's box ticked")
		}
		_, page := eddie.do(http.MethodGet, "/events/"+slug, nil)
		if !strings.Contains(page, "<p>Registration is closed.</p>") || strings.Contains(page, "Register for this event") {
			t.Errorf("the closed event's page:\n%s", page)
		}
		_, page = eddie.do(http.MethodGet, "/events/"+slug+"/register", nil)
		if !strings.Contains(page, "Registration is closed.") || strings.Contains(page, `<form action="/events/`+slug+`/register"`) {
			t.Errorf("the closed event's registration form:\n%s", page)
		}
		resp, page := eddie.do(http.MethodPost, "/events/"+slug+"/register", url.Values{"name": {"Reader"}, "email": {"reader@x.example"}, "ft": {"x"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Registration is closed.") || strings.Contains(page, "check your inbox") {
			t.Errorf("a registration posted while closed: %s\n%s", resp.Status, page)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = ?`, slug).Scan(&n); err != nil || n != 0 {
			t.Errorf("registrations stored while closed: %d, %v", n, err)
		}

		if resp, _ := eddie.do(http.MethodPost, "/studio/events/"+slug, eventForm("save", future...)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reopen registration: %s", resp.Status)
		}
		if _, page := eddie.do(http.MethodGet, "/events/"+slug, nil); !strings.Contains(page, "Register for this event") {
			t.Error("the reopened event's page offers no registration")
		}
	})
}
