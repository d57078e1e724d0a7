package ingest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/text"
)

// quote puts an article's URL (with a tracking parameter, as analysts
// paste them) into an edition entry, which makes it due for re-fetching.
func quote(t *testing.T, db *store.DB, outletID int64, sourceURL string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO series (key, name) VALUES ('imr', 'Iran Media Review')`, nil},
		{`INSERT INTO editions (slug, series_id, edition_date, title, status) VALUES ('e1', (SELECT id FROM series WHERE key = 'imr'), '2024-03-07', 'Edition', 'draft')`, nil},
		{`INSERT INTO entries (edition_id, position, entry_date) VALUES ((SELECT id FROM editions WHERE slug = 'e1'), 1, '2024-03-07')`, nil},
		{`INSERT INTO entry_outlets (entry_id, position, outlet_id, role) VALUES ((SELECT MIN(id) FROM entries), 0, ?, 'source')`, []any{outletID}},
		{`INSERT INTO entry_parts (entry_id, item, position, kind, text, source_url) VALUES ((SELECT MIN(id) FROM entries), 1, 1, 'quote', 'a quote', ?)`, []any{sourceURL}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
}

// TestQuotedArticleEditsAndDeletion re-fetches a quoted article after the
// outlet edited it, then after it deleted it, and checks both are on
// record with a diff, the time seen and the archived copy.
func TestQuotedArticleEditsAndDeletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateQueue(t, db)
		d := newDesk(t, db)
		if _, err := d.svc.PollFeed(ctx, d.feeds["hamshahri"]); err != nil {
			t.Fatal(err)
		}
		e := firstEntry(t, db, d.feeds["hamshahri"])
		if err := d.svc.FetchEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		a := d.articleAt(t, "/fa/news/0")
		quote(t, db, a.OutletID, d.url("/fa/news/0?utm_source=twitter"))
		due, err := d.svc.dueRefetches(ctx, time.Now())
		if err != nil || len(due) != 1 || due[0] != a.ID {
			t.Fatalf("due re-fetches %v (%v), want [%d]", due, err, a.ID)
		}

		r, err := d.svc.Refetch(ctx, a.ID)
		if err != nil || r.Outcome != "unchanged" {
			t.Fatalf("unchanged page: %+v %v", r, err)
		}
		if due, _ := d.svc.dueRefetches(ctx, time.Now()); len(due) != 0 {
			t.Errorf("just re-fetched, yet due again: %v", due)
		}

		s := d.stories[0]
		edited := append([]string{s.Lead}, s.Paras...)
		removed := edited[1]
		edited[1] = "این بند پس از انتشار اصلاح شد و جمله‌ای تازه جای آن را گرفت."
		old := d.press.pages["/fa/news/0"].body
		d.press.set("/fa/news/0", page{ctype: "text/html; charset=utf-8",
			body: []byte(articleHTML("fa", "utf-8", d.url("/fa/news/0"), s.Title, "", time.Time{}, edited))})
		if r, err = d.svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "edited" {
			t.Fatalf("edited page: %+v %v", r, err)
		}
		// The article's page is now the edited one, read from the new capture.
		if cur, err := ArticleByID(ctx, db, a.ID); err != nil || cur.HTML != "" {
			t.Errorf("edited article: html column %d bytes, %v", len(cur.HTML), err)
		} else if page, err := d.svc.ArticleHTML(ctx, cur); err != nil || !strings.Contains(page, edited[1]) {
			t.Errorf("edited article's page not read from its new capture: %v", err)
		}
		d.press.set("/fa/news/0", page{status: 410, ctype: "text/html", body: []byte("<p>gone</p>")})
		if r, err = d.svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "deleted" {
			t.Fatalf("deleted page: %+v %v", r, err)
		}
		if r, err = d.svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "unchanged" {
			t.Fatalf("still deleted: %+v %v (a deletion is recorded once)", r, err)
		}

		revs, err := Revisions(ctx, db, a.ID)
		if err != nil || len(revs) != 2 {
			t.Fatalf("revisions: %+v %v", revs, err)
		}
		ed, del := revs[0], revs[1]
		if ed.Kind != "edited" || !strings.Contains(ed.Diff, "- "+removed) || !strings.Contains(ed.Diff, "+ "+edited[1]) || ed.CaptureID == nil {
			t.Errorf("edit revision: %+v", ed)
		}
		if del.Kind != "deleted" || del.Status != 410 || del.SeenAt.IsZero() || del.CaptureID == nil {
			t.Errorf("deletion revision: %+v", del)
		}
		now, _ := ArticleByID(ctx, db, a.ID)
		if now.GoneAt == nil || !strings.Contains(now.Text, edited[1]) {
			t.Errorf("article after edit and deletion: gone %v, text %.60q", now.GoneAt, now.Text)
		}
		// The first capture still holds the original bytes.
		c, _ := loadCapture(ctx, db, *a.CaptureID)
		rec, err := archive.Read(t.Context(), d.svc.cfg.Archive(), c.Loc)
		if err != nil || !bytes.Equal(rec.Body, old) {
			t.Errorf("original capture: %v", err)
		}
	})
}

func firstEntry(t *testing.T, db *store.DB, feedID int64) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRowContext(context.Background(), `SELECT MIN(id) FROM feed_entries WHERE feed_id = ?`, feedID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestManualIntake adds articles by URL and by pasted text and HTML.
func TestManualIntake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		a, created, err := d.svc.AddURL(ctx, "", d.url("/fa/news/2?utm_campaign=x"))
		if err != nil || !created || a.OutletKey != "hamshahri" || a.Source != "url" || a.Title != d.stories[2].Title {
			t.Fatalf("add by URL: %+v created %v: %v", a.Title, created, err)
		}
		if again, created, err := d.svc.AddURL(ctx, "", d.url("/fa/news/2")); err != nil || created || again.ID != a.ID {
			t.Errorf("adding the URL again: %d created %v %v", again.ID, created, err)
		}
		if _, _, err := d.svc.AddURL(ctx, "hamshahri", d.url("/fa/news/missing")); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("missing page: %v", err)
		}
		if _, _, err := d.svc.AddURL(ctx, "", "http://unknown.invalid/x"); err == nil || !strings.Contains(err.Error(), "--outlet") {
			t.Errorf("unknown host: %v", err)
		}

		s := d.stories[3]
		body := strings.Join(append([]string{s.Title}, s.Paras...), "\n\n")
		p := Paste{OutletKey: "alef", Date: time.Date(2024, 3, 7, 0, 0, 0, 0, time.UTC), Source: "print edition, p. 2", Body: win1256(body)}
		pa, created, err := d.svc.AddPasted(ctx, p)
		if err != nil || !created || pa.Source != "paste" || pa.SourceDetail != "print edition, p. 2" || pa.Lang != "fa" ||
			pa.Published == nil || !pa.Published.Equal(p.Date) || pa.Title == "" {
			t.Fatalf("paste: %+v created %v: %v", pa, created, err)
		}
		if again, created, err := d.svc.AddPasted(ctx, p); err != nil || created || again.ID != pa.ID {
			t.Errorf("same paste twice: %d created %v %v", again.ID, created, err)
		}
		html := articleHTML("fa", "utf-8", "", "عنوان تلویزیونی", "", time.Time{}, s.Paras)
		tv, created, err := d.svc.AddPasted(ctx, Paste{OutletKey: "hamshahri", Date: p.Date, Source: "IRIB 1 news", Body: []byte(html)})
		if err != nil || !created || tv.Title != "عنوان تلویزیونی" || !strings.Contains(text.Normalize(tv.Text), text.Normalize(firstWords(s.Paras[0], 5))) || tv.StoryID != pa.ID {
			t.Errorf("pasted HTML: %q story %d (want %d) created %v: %v", tv.Title, tv.StoryID, pa.ID, created, err)
		}
		// Pasted HTML has no WARC capture: the article row keeps it.
		if stored, err := ArticleByID(ctx, db, tv.ID); err != nil || stored.HTML != html || stored.CaptureID != nil {
			t.Errorf("pasted HTML not kept in the row (%d bytes, capture %v): %v", len(stored.HTML), stored.CaptureID, err)
		} else if page, err := d.svc.ArticleHTML(ctx, stored); err != nil || page != html {
			t.Errorf("ArticleHTML of pasted HTML: %d bytes, %v", len(page), err)
		}
		if _, _, err := d.svc.AddPasted(ctx, Paste{OutletKey: "alef", Date: p.Date, Body: []byte("x")}); err == nil || !strings.Contains(err.Error(), "source") {
			t.Errorf("paste without source: %v", err)
		}
		if _, _, err := d.svc.AddPasted(ctx, Paste{OutletKey: "nope", Date: p.Date, Source: "x", Body: []byte("x")}); err == nil {
			t.Error("paste for an unknown outlet was accepted")
		}
	})
}

// TestSaveCapturesGivesEachItsRow records a group's captures in one
// statement and checks that each gets the row of its own record (RETURNING
// lists rows in no set order), and that one saved already is not
// recorded again.
func TestSaveCapturesGivesEachItsRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2024, 3, 7, 8, 0, 0, 0, time.UTC)
		var cs []*capture
		for i := range 5 {
			cs = append(cs, &capture{URL: "https://example.ir/news/" + string(rune('a'+i)), Status: 200, FetchedAt: at,
				Loc: archive.Location{File: "pressreview-1.warc.gz", Offset: int64(1000 * (5 - i)), Length: int64(100 + i),
					RecordID: "urn:uuid:" + string(rune('a'+i)), SHA256: strings.Repeat(string(rune('a'+i)), 4)}})
		}
		if err := cs[2].save(ctx, db); err != nil {
			t.Fatal(err)
		}
		saved := cs[2].ID
		if err := saveCaptures(ctx, db, append(cs, nil)); err != nil {
			t.Fatal(err)
		}
		if cs[2].ID != saved {
			t.Errorf("the capture saved before got row %d, then %d", saved, cs[2].ID)
		}
		for _, c := range cs {
			got, err := loadCapture(ctx, db, c.ID)
			if err != nil || got.URL != c.URL || got.Loc != c.Loc {
				t.Errorf("capture of %s: row %d holds %s at %+v (%v)", c.URL, c.ID, got.URL, got.Loc, err)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM captures`); n != len(cs) {
			t.Errorf("%d capture rows for %d captures", n, len(cs))
		}
	})
}
