package clips_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// persian is pasted text with half-spaces (ZWNJ) and emoji of one, two
// and seven code points before the passage, so byte, UTF-16 and code
// point offsets all differ.
const persian = "کیهان نوشت 🇮🇷: گفت‌وگو با آمریکا 👍🏽 بی‌فایده است.\n" +
	"غریب‌آبادی گفت: «ما به دیپلماسی پایبندیم 👨‍👩‍👧 اما زیر بار فشار نمی‌رویم.»\n" +
	"او افزود که تحریم‌ها باید برداشته شوند."

const passage = "ما به دیپلماسی پایبندیم 👨‍👩‍👧 اما زیر بار فشار نمی‌رویم."

// TestClipAnchorsCodePoints clips a passage that follows emoji and
// half-spaces and checks the anchor counts code points, keeps the exact
// text and its context, and takes the article's outlet, date and source.
func TestClipAnchorsCodePoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		a := d.paste(t, persian)
		start, end := span(t, a.Text, passage)
		if byteStart := strings.Index(a.Text, passage); byteStart == start {
			t.Fatalf("the test text must tell bytes from code points")
		}
		status, body := d.call(t, "POST", "/api/clips", map[string]any{"article": a.ID, "start": start, "end": end,
			"speaker": "kazem-gharibabadi", "translation": "We are committed to diplomacy but will not bow to pressure."})
		if status != http.StatusCreated {
			t.Fatalf("POST /api/clips: %d %v", status, body)
		}
		c, err := d.clips.Get(context.Background(), int64(body["id"].(float64)))
		if err != nil {
			t.Fatal(err)
		}
		an := c.Anchor
		runes := []rune(a.Text)
		switch {
		case c.Original != passage || an.Exact != passage:
			t.Errorf("original %q, exact %q, want %q", c.Original, an.Exact, passage)
		case an.Start != start || an.End != end || string(runes[an.Start:an.End]) != passage:
			t.Errorf("anchor %d–%d, want %d–%d", an.Start, an.End, start, end)
		case an.Prefix != string(runes[start-clips.ContextLen:start]) || utf8.RuneCountInString(an.Prefix) != clips.ContextLen:
			t.Errorf("prefix %q", an.Prefix)
		case an.Suffix != string(runes[end:end+clips.ContextLen]):
			t.Errorf("suffix %q", an.Suffix)
		case an.Revision != nil || an.Capture != nil || an.CaptureDigest != "":
			t.Errorf("a pasted article has no capture: %+v", an)
		case c.Outlet.Key != "kayhan" || c.Outlet.Orientation != "hard-line" || c.Date != "2025-03-04" || c.OriginalLang != "fa":
			t.Errorf("defaults: outlet %+v, date %s, lang %s", c.Outlet, c.Date, c.OriginalLang)
		case c.Speaker.Key != "kazem-gharibabadi" || c.Status != clips.StatusOK || len(c.Anchors) != 1 || c.TranslationMachine:
			t.Errorf("clip %+v", c)
		}

		// The end of the text is a valid end; a clip at the very start
		// has an empty prefix.
		n := utf8.RuneCountInString(a.Text)
		c2, err := d.clips.Save(context.Background(), clips.NewClip{Article: a.ID, Start: ptr(0), End: ptr(n),
			Speaker: clips.SpeakerRef{Key: "hossein-shariatmadari"}, Translation: "The whole text.", TranslationMachine: true,
			Outlet: "shargh", Date: "2025-03-05", Intermediary: "as reported by Shargh", CreatedBy: "analyst@desk.example"})
		if err != nil {
			t.Fatal(err)
		}
		if c2.Anchor.Prefix != "" || c2.Anchor.Suffix != "" || c2.Original != a.Text || c2.Outlet.Key != "shargh" ||
			c2.Date != "2025-03-05" || !c2.TranslationMachine || c2.Intermediary != "as reported by Shargh" || c2.CreatedBy != "analyst@desk.example" {
			t.Errorf("whole-text clip: %+v", c2)
		}
	})
}

func ptr(n int) *int { return &n }

// TestClipRequestErrors sends bad requests and checks each answer names
// the field with the right status, and that nothing was saved.
func TestClipRequestErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		a := d.paste(t, persian)
		n := utf8.RuneCountInString(a.Text)
		ok := func(change map[string]any) map[string]any {
			b := map[string]any{"article": a.ID, "start": 3, "end": 9, "speaker": "kazem-gharibabadi", "translation": "said"}
			for k, v := range change {
				if v == nil {
					delete(b, k)
				} else {
					b[k] = v
				}
			}
			return b
		}
		for _, tc := range []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"start past the end", ok(map[string]any{"start": n, "end": n + 2}), 422, "start"},
			{"negative start", ok(map[string]any{"start": -1}), 422, "start"},
			{"end past the end", ok(map[string]any{"end": n + 1}), 422, "end"},
			{"end before start", ok(map[string]any{"start": 9, "end": 3}), 422, "end"},
			{"empty passage", ok(map[string]any{"start": 9, "end": 9}), 422, "end"},
			{"white space only", ok(map[string]any{"start": 5, "end": 6}), 422, "end"},
			{"missing start", ok(map[string]any{"start": nil}), 422, "start"},
			{"unknown speaker", ok(map[string]any{"speaker": "zarif"}), 422, "speaker"},
			{"no speaker", ok(map[string]any{"speaker": nil}), 422, "speaker"},
			{"empty translation", ok(map[string]any{"translation": "  "}), 422, "translation"},
			{"unknown outlet", ok(map[string]any{"outlet": "kayhn"}), 422, "outlet"},
			{"bad date", ok(map[string]any{"date": "4 March 2025"}), 422, "date"},
			{"unknown article", ok(map[string]any{"article": a.ID + 100}), 404, "article"},
			{"start not a number", ok(map[string]any{"start": "3"}), 400, "start"},
			{"unknown field", ok(map[string]any{"quote": "x"}), 400, "quote"},
			{"speaker neither key nor person", ok(map[string]any{"speaker": 7}), 400, "speaker"},
			{"not JSON", `{"article": `, 400, ""},
		} {
			status, body := d.call(t, "POST", "/api/clips", tc.body)
			if status != tc.status || body["field"] != nilIfEmpty(tc.field) || body["error"] == "" {
				t.Errorf("%s: %d %v, want %d with field %q", tc.name, status, body, tc.status, tc.field)
			}
		}
		if status, body := d.call(t, "GET", "/api/clips/999", nil); status != 404 || body["field"] != "id" {
			t.Errorf("GET unknown clip: %d %v", status, body)
		}
		if status, body := d.call(t, "GET", "/api/clips?status=flagged", nil); status != 422 || body["field"] != "status" {
			t.Errorf("bad status filter: %d %v", status, body)
		}
		if status, body := d.call(t, "GET", "/api/clips.csv?after=March", nil); status != 422 || body["field"] != "after" {
			t.Errorf("bad date filter: %d %v", status, body)
		}
		if cs, _ := d.clips.List(context.Background(), clips.Filter{}); len(cs) != 0 {
			t.Errorf("%d clips saved by bad requests", len(cs))
		}
	})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestInlineSpeaker creates a speaker with the clip, refuses to add the
// same person twice (in either script and spelling) and accepts a
// namesake with a key of their own.
func TestInlineSpeaker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		a := d.paste(t, persian)
		start, end := span(t, a.Text, "تحریم‌ها باید برداشته شوند")
		clip := func(speaker any) (int, map[string]any) {
			return d.call(t, "POST", "/api/clips", map[string]any{"article": a.ID, "start": start, "end": end,
				"speaker": speaker, "translation": "Sanctions must be lifted."})
		}
		status, body := clip(map[string]any{"name": "Mohammad Eslami", "role": "head of the Atomic Energy Organization", "native_name": "محمد اسلامی"})
		if status != http.StatusCreated {
			t.Fatalf("inline speaker: %d %v", status, body)
		}
		sp := body["speaker"].(map[string]any)
		if sp["key"] != "mohammad-eslami" || sp["native_name"] != "محمد اسلامی" || sp["role"] != "head of the Atomic Energy Organization" {
			t.Errorf("speaker %v", sp)
		}
		if p, err := outlets.PersonByKey(ctx, db, "mohammad-eslami"); err != nil || p.Name != "Mohammad Eslami" {
			t.Errorf("not on the roster: %+v %v", p, err)
		}
		for _, dup := range []map[string]any{
			{"name": "mohammad  ESLAMI"},
			{"name": "M. Eslami", "native_name": "محمد اسلامي"},       // Arabic yeh
			{"name": "Kazem G.", "native_name": "كاظم غريب آبادي"},    // an alias, Arabic kaf and yeh
			{"name": "Kazem Gharibabadi", "role": "a different role"}, // same name, other role
		} {
			if status, body := clip(dup); status != http.StatusConflict || body["field"] != "speaker.name" {
				t.Errorf("duplicate %v: %d %v", dup, status, body)
			}
		}
		if status, body := clip(map[string]any{"key": "mohammad-eslami-jr", "name": "Mohammad Eslami", "role": "a student"}); status != http.StatusCreated {
			t.Errorf("namesake with a key: %d %v", status, body)
		}
		if status, body := clip(map[string]any{"key": "mohammad-eslami", "name": "Someone"}); status != http.StatusConflict || body["field"] != "speaker.key" {
			t.Errorf("taken key: %d %v", status, body)
		}
		if status, body := clip(map[string]any{"name": "علی لاریجانی"}); status != 422 || body["field"] != "speaker.name" {
			t.Errorf("a name without Latin letters: %d %v", status, body)
		}
		if status, body := clip(map[string]any{"name": "Ali Larijani", "aliases": []string{""}}); status != 422 || body["field"] != "speaker.aliases[0]" {
			t.Errorf("an empty alias: %d %v", status, body)
		}
		if status, body := clip(map[string]any{"name": "Ali Larijani", "title": "x"}); status != 400 || body["field"] != "speaker" {
			t.Errorf("an unknown speaker field: %d %v", status, body)
		}
	})
}

// TestSpeakerLookup finds people by key, name, native name and alias in
// either script, with Arabic yeh and kaf folded to their Persian forms.
func TestSpeakerLookup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		for _, q := range []string{"kazem-gharibabadi", "Kazem", "gharibabadi", "کاظم غریب‌آبادی", "كاظم غريب‌آبادي",
			"غريب آبادي", "gharib-abadi", "GHARIB"} {
			ps, err := outlets.FindPeople(ctx, db, q, 0)
			if err != nil || len(ps) != 1 || ps[0].Key != "kazem-gharibabadi" {
				t.Errorf("FindPeople(%q) = %+v %v", q, ps, err)
			}
		}
		if ps, _ := outlets.FindPeople(ctx, db, "شریعتمداري", 0); len(ps) != 1 || ps[0].Key != "hossein-shariatmadari" {
			t.Errorf("native name with Arabic yeh: %+v", ps)
		}
		if ps, _ := outlets.FindPeople(ctx, db, "zarif", 0); len(ps) != 0 {
			t.Errorf("zarif: %+v", ps)
		}
		if p, _ := outlets.PersonByKey(ctx, db, "kazem-gharibabadi"); len(p.Aliases) != 2 || p.Aliases[1] != "كاظم غريب آبادي" {
			t.Errorf("aliases not kept: %q", p.Aliases)
		}
		status, body := d.call(t, "GET", "/api/speakers?q="+"كاظم", nil)
		if people := body["people"].([]any); status != 200 || len(people) != 1 || people[0].(map[string]any)["key"] != "kazem-gharibabadi" {
			t.Errorf("GET /api/speakers: %d %v", status, body)
		}
	})
}

// TestListAndExport lists clips by speaker (an Arabic spelling), outlet,
// camp, edition and status, and exports them as CSV and JSON.
func TestListAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		a := d.paste(t, persian)
		save := func(exact, speaker, outlet, translation string) clips.Clip {
			s, e := span(t, a.Text, exact)
			c, err := d.clips.Save(ctx, clips.NewClip{Article: a.ID, Start: &s, End: &e, Speaker: clips.SpeakerRef{Key: speaker},
				Outlet: outlet, Translation: translation})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c1 := save(passage, "kazem-gharibabadi", "", "We are committed to diplomacy, but will not bow to pressure.")
		c2 := save("گفت‌وگو با آمریکا", "hossein-shariatmadari", "", "Talks with America, \"useless\"")
		c3 := save("تحریم‌ها باید برداشته شوند", "kazem-gharibabadi", "shargh", "Sanctions must be lifted,\nhe said.")
		for _, q := range []string{
			`INSERT INTO series (key, name) VALUES ('imr', 'Iran Media Review')`,
			`INSERT INTO editions (slug, series_id, edition_date, title, status) SELECT 'imr-2025-03-07', id, '2025-03-07', 'IMR', 'draft' FROM series`,
			`INSERT INTO entries (edition_id, position, entry_date) SELECT id, 1, '2025-03-04' FROM editions`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO entry_parts (entry_id, item, position, kind, text, clip_id)
			SELECT id, 1, 1, 'quote', 'We are committed to diplomacy.', ? FROM entries`, c1.ID); err != nil {
			t.Fatal(err)
		}
		for query, want := range map[string][]int64{
			"":                                    {c3.ID, c2.ID, c1.ID},
			"?speaker=كاظم":                       {c3.ID, c1.ID},
			"?speaker=hossein-shariatmadari":      {c2.ID},
			"?outlet=shargh":                      {c3.ID},
			"?camp=Hard-Line":                     {c2.ID, c1.ID},
			"?edition=imr-2025-03-07":             {c1.ID},
			"?status=ok&speaker=gharib-abadi":     {c3.ID, c1.ID},
			"?status=changed":                     {},
			"?speaker=nobody":                     {},
			"?limit=1&offset=1":                   {c2.ID},
			"?after=2025-03-04&before=2025-03-05": {c3.ID, c2.ID, c1.ID},
			"?before=2025-03-04":                  {},
			"?article=" + strconv.FormatInt(a.ID, 10) + "&camp=reformist": {c3.ID},
		} {
			status, body := d.call(t, "GET", "/api/clips"+query, nil)
			var got []int64
			for _, c := range body["clips"].([]any) {
				got = append(got, int64(c.(map[string]any)["id"].(float64)))
			}
			if status != 200 || !equal(got, want) {
				t.Errorf("GET /api/clips%s: %d %v, want %v", query, status, got, want)
			}
		}
		if c, _ := d.clips.Get(ctx, c1.ID); len(c.Editions) != 1 || c.Editions[0] != "imr-2025-03-07" {
			t.Errorf("editions of clip 1: %v", c.Editions)
		}

		w := httptest.NewRecorder()
		d.api.ServeHTTP(w, httptest.NewRequest("GET", "/api/clips.csv?speaker=kazem-gharibabadi", nil))
		if ct := w.Header().Get("Content-Type"); w.Code != 200 || !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("CSV export: %d %s", w.Code, ct)
		}
		recs, err := csv.NewReader(w.Body).ReadAll()
		if err != nil {
			t.Fatalf("CSV export does not parse: %v", err)
		}
		if len(recs) != 3 {
			t.Fatalf("CSV export: %d records, want a header and 2 clips", len(recs))
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		for _, h := range []string{"outlet", "camp", "speaker", "role", "date", "source_url", "archive_url", "original", "translation"} {
			if _, ok := col[h]; !ok {
				t.Errorf("CSV export has no %q column: %v", h, recs[0])
			}
		}
		last := recs[2] // c1, the older id on the same date
		if last[col["original"]] != passage || last[col["camp"]] != "hard-line" || last[col["role"]] != "Iran’s deputy foreign minister" ||
			last[col["editions"]] != "imr-2025-03-07" || last[col["date"]] != "2025-03-04" {
			t.Errorf("CSV row %q", last)
		}
		if first := recs[1]; first[col["translation"]] != "Sanctions must be lifted,\nhe said." || first[col["camp"]] != "reformist" {
			t.Errorf("CSV row with a comma and a new line: %q", first)
		}

		status, body := d.call(t, "GET", "/api/clips.json?outlet=kayhan", nil)
		rows := body["clips"].([]any)
		if status != 200 || len(rows) != 2 || rows[0].(map[string]any)["speaker_name"] != "Hossein Shariatmadari" {
			t.Errorf("JSON export: %d %v", status, body)
		}
	})
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAPIBehindToken clips through the studio's authentication with an
// analyst's API token, which the clip records as its author.
func TestAPIBehindToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		a := d.paste(t, persian)
		secret, _, err := accounts.CreateToken(ctx, db, "clipper", accounts.Analyst)
		if err != nil {
			t.Fatal(err)
		}
		auth := accounts.New(db, accounts.Config{SiteURL: "http://desk.example"})
		h := auth.RequireRole(accounts.Analyst)(d.api)
		start, end := span(t, a.Text, passage)
		body := fmt.Sprintf(`{"article": %d, "start": %d, "end": %d, "speaker": "kazem-gharibabadi", "translation": "We are committed."}`, a.ID, start, end)
		for token, want := range map[string]int{"": http.StatusUnauthorized, "Bearer " + secret: http.StatusCreated} {
			r := httptest.NewRequest("POST", "/api/clips", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			if token != "" {
				r.Header.Set("Authorization", token)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != want {
				t.Errorf("token %t: %d %s, want %d", token != "", w.Code, w.Body, want)
			}
		}
		if cs, _ := d.clips.List(ctx, clips.Filter{}); len(cs) != 1 || cs[0].CreatedBy != "token clipper" {
			t.Errorf("clips %+v", cs)
		}
	})
}
