package studio_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestOutletScreens: analysts read the roster; editors add and change
// outlets through the import's validation, its errors beside the field.
func TestOutletScreens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeskSite(t, db)
		ana, eddie := d.as(t, "ana"), d.as(t, "eddie")

		resp, page := ana.do(http.MethodGet, "/studio/outlets", nil)
		for _, want := range []string{
			`<a href="/studio/outlets/kayhan">Kayhan</a>`, `<span lang="fa" dir="rtl">کیهان</span>`,
			`<span lang="ar" dir="rtl">العالم</span>`, `<td>hard-line</td>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("outlets list lacks %s", want)
			}
		}
		if resp.StatusCode != http.StatusOK || strings.Contains(page, `href="/studio/outlets/new"`) {
			t.Errorf("outlets list for an analyst: %s, offers to add: %v", resp.Status, strings.Contains(page, `href="/studio/outlets/new"`))
		}
		newOutlet := url.Values{"key": {"ham-mihan-2"}, "name": {"Ham-Mihan Weekly"}, "native_name": {"هم‌میهن هفتگی"},
			"kind": {"magazine"}, "language": {"fa"}, "orientation": {"reformist"}}
		if resp, _ := ana.do(http.MethodPost, "/studio/outlets", newOutlet); resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst adds an outlet: %s, want 403", resp.Status)
		}
		if resp, _ := ana.do(http.MethodPost, "/studio/outlets/kayhan", newOutlet); resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst edits an outlet: %s, want 403", resp.Status)
		}
		if _, page := ana.do(http.MethodGet, "/studio/outlets/kayhan", nil); strings.Contains(page, `<form method="post" action="/studio/outlets/kayhan"`) {
			t.Error("an analyst is offered the outlet's form")
		}

		// A missing kind and a blank name: the first problem is shown at
		// its field, as import reports it.
		bad := url.Values{"key": {"ham-mihan-2"}, "name": {"\u200c "}, "kind": {"magazine"}}
		resp, page = eddie.do(http.MethodPost, "/studio/outlets", bad)
		for _, want := range []string{
			`<p class="field-error" id="outlet-name-error">is required (it holds only white space or invisible characters)</p>`,
			`aria-invalid="true" aria-describedby="outlet-name-error"`,
			`<a href="#outlet-name">Name in English: is required`, `value="ham-mihan-2"`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("invalid outlet form lacks %s", want)
			}
		}
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("invalid outlet: %s", resp.Status)
		}
		bad = url.Values{"key": {"Ham Mihan"}, "name": {"Ham-Mihan"}, "kind": {"pamphlet"}}
		if _, page = eddie.do(http.MethodPost, "/studio/outlets", bad); !strings.Contains(page, `id="outlet-key-error">&#34;Ham Mihan&#34;: use lower-case letters, digits and hyphens</p>`) {
			t.Errorf("bad key not shown at the key:\n%s", page)
		}
		// A key in use is not overwritten.
		taken := url.Values{"key": {"kayhan"}, "name": {"Another Kayhan"}, "kind": {"newspaper"}}
		if resp, page := eddie.do(http.MethodPost, "/studio/outlets", taken); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="outlet-key-error">another outlet already has this key`) {
			t.Errorf("taken key: %s", resp.Status)
		}
		if o, _ := outlets.OutletByKey(ctx, db, "kayhan"); o.Name != "Kayhan" {
			t.Errorf("creating over a taken key renamed Kayhan to %q", o.Name)
		}

		resp, _ = eddie.do(http.MethodPost, "/studio/outlets", newOutlet)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/studio/outlets/ham-mihan-2?saved=1" {
			t.Fatalf("editor adds an outlet: %s %q", resp.Status, loc)
		}
		o, err := outlets.OutletByKey(ctx, db, "ham-mihan-2")
		if err != nil || o.NativeName != "هم‌میهن هفتگی" || o.Kind != outlets.Magazine || o.Orientation != "reformist" {
			t.Fatalf("stored outlet: %+v %v", o, err)
		}
		edit := url.Values{"key": {"hijack"}, "name": {"Kayhan"}, "native_name": {"کیهان"}, "kind": {"newspaper"}, "language": {"fa"},
			"orientation": {"ultra-conservative"}, "homepage": {"https://kayhan.ir/"}}
		resp, page = eddie.do(http.MethodPost, "/studio/outlets/kayhan", edit)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("editor edits Kayhan: %s\n%s", resp.Status, page)
		}
		if o, _ := outlets.OutletByKey(ctx, db, "kayhan"); o.Orientation != "ultra-conservative" {
			t.Errorf("edit not stored: %+v", o)
		}
		if _, err := outlets.OutletByKey(ctx, db, "hijack"); err == nil {
			t.Error("the edit form changed the outlet's key")
		}
		_, page = eddie.do(http.MethodGet, "/studio/outlets/kayhan?saved=1", nil)
		for _, want := range []string{`role="status">Saved.`, `value="ultra-conservative"`, `<input id="outlet-key" type="text" name="key" value="kayhan" required readonly`,
			`<input id="outlet-native_name" type="text" name="native_name" value="کیهان" lang="fa" dir="auto"`} {
			if !strings.Contains(page, want) {
				t.Errorf("outlet page after saving lacks %s", want)
			}
		}
	})
}

// TestPeopleAndAuthorScreens: analysts add and edit people (they create
// speakers while clipping), with their spellings in either script;
// authors need an editor.
func TestPeopleAndAuthorScreens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeskSite(t, db)
		ana, eddie := d.as(t, "ana"), d.as(t, "eddie")

		person := url.Values{"key": {"kazem-gharibabadi"}, "name": {"Kazem Gharibabadi"}, "native_name": {"کاظم غریب‌آبادی"},
			"aliases": {"كاظم غريب‌آبادي\r\n\r\n Gharib Abadi \r\n"}, "role": {"Iran’s deputy foreign minister"}}
		resp, _ := ana.do(http.MethodPost, "/studio/people", person)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("analyst adds a person: %s", resp.Status)
		}
		p, err := outlets.PersonByKey(ctx, db, "kazem-gharibabadi")
		if err != nil || len(p.Aliases) != 2 || p.Aliases[0] != "كاظم غريب‌آبادي" || p.Aliases[1] != "Gharib Abadi" {
			t.Fatalf("stored person: %+v %v", p, err)
		}
		// The Arabic spelling finds them, as the clip's speaker picker does.
		if found, _ := outlets.FindPeople(ctx, db, "كاظم", 5); len(found) == 0 || found[0].Key != "kazem-gharibabadi" {
			t.Errorf("FindPeople by the Arabic spelling: %+v", found)
		}
		_, page := ana.do(http.MethodGet, "/studio/people", nil)
		for _, want := range []string{`<a href="/studio/people/kazem-gharibabadi">Kazem Gharibabadi</a>`,
			`<span lang="fa" dir="rtl">کاظم غریب‌آبادی</span>`, `<ul class="aliases"><li><span lang="fa" dir="rtl">كاظم غريب‌آبادي</span></li><li><span>Gharib Abadi</span></li></ul>`} {
			if !strings.Contains(page, want) {
				t.Errorf("people list lacks %s", want)
			}
		}
		person.Set("name", "")
		resp, page = ana.do(http.MethodPost, "/studio/people/kazem-gharibabadi", person)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="person-name-error">is required</p>`) ||
			!strings.Contains(page, `<textarea id="person-aliases" name="aliases" rows="4" dir="auto" aria-describedby="person-aliases-hint">`) {
			t.Errorf("person without a name: %s\n%s", resp.Status, page)
		}
		person.Set("name", "Kazem Gharibabadi")
		person.Set("role", "a deputy foreign minister")
		if resp, _ := ana.do(http.MethodPost, "/studio/people/kazem-gharibabadi", person); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("analyst edits a person: %s", resp.Status)
		}

		author := url.Values{"key": {"sara-mohseni"}, "name": {"Sara Mohseni"}, "title": {"Fellow"}, "organisation": {"pressreview desk"}}
		for _, p := range []string{"/studio/authors/new", "/studio/authors/ali-alfoneh"} {
			if resp, _ := ana.do(http.MethodGet, p, nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("analyst GET %s: %s, want 403", p, resp.Status)
			}
		}
		if resp, _ := ana.do(http.MethodPost, "/studio/authors", author); resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst adds an author: %s, want 403", resp.Status)
		}
		if resp, _ := eddie.do(http.MethodPost, "/studio/authors", author); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("editor adds an author: %s", resp.Status)
		}
		if a, err := posts.AuthorByKey(ctx, db, "sara-mohseni"); err != nil || a.Affiliation() != "Fellow, pressreview desk" {
			t.Errorf("stored author: %+v %v", a, err)
		}
		_, page = ana.do(http.MethodGet, "/studio/authors", nil)
		if !strings.Contains(page, "<td>Sara Mohseni</td>") || !strings.Contains(page, "<td>Fellow, pressreview desk</td>") {
			t.Errorf("authors list for an analyst:\n%s", page)
		}
		author.Set("key", "")
		if resp, page := eddie.do(http.MethodPost, "/studio/authors", author); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, `id="author-key-error">is required</p>`) {
			t.Errorf("author without a key: %s", resp.Status)
		}
	})
}

// TestCheckNow: "check now" fetches the feed at once through the intake,
// records its health, and shows it on the outlet's page.
func TestCheckNow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeskSite(t, db)
		fs := newFeedServer(t)
		f := d.addFeed(t, "etemad", fs.URL+"/feed.xml")
		ana := d.as(t, "ana")

		_, page := ana.do(http.MethodGet, "/studio/outlets/etemad", nil)
		if !strings.Contains(page, `<form method="post" action="/studio/feeds/`+itoa(f.ID)+`/check">`) || !strings.Contains(page, "never") {
			t.Fatalf("outlet page lacks the feed with its check button:\n%s", page)
		}
		resp, _ := ana.do(http.MethodPost, "/studio/feeds/"+itoa(f.ID)+"/check", url.Values{})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/studio/outlets/etemad?checked="+itoa(f.ID)+"#feed-"+itoa(f.ID) {
			t.Fatalf("check now: %s %q", resp.Status, loc)
		}
		if fs.hits.Load() != 1 {
			t.Errorf("the feed was fetched %d times, want 1", fs.hits.Load())
		}
		got, err := outlets.FeedByID(ctx, db, f.ID)
		if err != nil || got.LastSuccessAt == nil || got.Status() != "ok" {
			t.Fatalf("feed after check: %+v %v", got.Health, err)
		}
		_, page = ana.do(http.MethodGet, "/studio/outlets/etemad?checked="+itoa(f.ID), nil)
		if !strings.Contains(page, `role="status">Checked <span class="url">`+fs.URL+`/feed.xml</span> just now: it answered`) ||
			!strings.Contains(page, `<span class="status-ok">ok</span>`) {
			t.Errorf("outlet page after the check:\n%s", page)
		}

		fs.broken.Store(true)
		ana.do(http.MethodPost, "/studio/feeds/"+itoa(f.ID)+"/check", url.Values{})
		_, page = ana.do(http.MethodGet, "/studio/outlets/etemad?checked="+itoa(f.ID), nil)
		if !strings.Contains(page, "it failed — GET "+fs.URL+"/feed.xml: server answered 500") || !strings.Contains(page, `<span class="status-failing">failing</span>`) {
			t.Errorf("outlet page after a failed check:\n%s", page)
		}
		if resp, _ := ana.do(http.MethodPost, "/studio/feeds/999999/check", url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("check of a missing feed: %s", resp.Status)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
