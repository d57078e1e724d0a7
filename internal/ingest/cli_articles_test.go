package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestPasteStoresWholeText pastes through the command line with the
// settings a user has (no fetch cap configured): the whole Persian text is
// stored, not its first byte; a text over the cap is refused, not cut.
func TestPasteStoresWholeText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		migrateQueue(t, db)
		ctx := context.Background()
		newDesk(t, db) // the roster
		svc, err := New(db, Config{DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		text := "متن کامل سخنرانی رئیس‌جمهور در تلویزیون\n\nبند دوم: دولت برای مذاکره آماده است، اما نه زیر فشار."
		out, err := runCLI(svc, text, "articles", "paste", "--outlet", "hamshahri", "--date", "2025-03-04", "--source", "IRIB 1")
		if err != nil {
			t.Fatalf("articles paste: %v\n%s", err, out)
		}
		var id int64
		if _, err := fmt.Sscanf(out, "article %d stored", &id); err != nil {
			t.Fatalf("articles paste printed %q", out)
		}
		a, err := ArticleByID(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != text || a.Title != "متن کامل سخنرانی رئیس‌جمهور در تلویزیون" {
			t.Errorf("stored title %q and text %q, want the whole paste", a.Title, a.Text)
		}

		small, err := New(db, Config{DataDir: t.TempDir(), MaxBytes: 16})
		if err != nil {
			t.Fatal(err)
		}
		defer small.Close()
		_, err = runCLI(small, text, "articles", "paste", "--outlet", "hamshahri", "--date", "2025-03-05", "--source", "IRIB 2")
		if err == nil || !strings.Contains(err.Error(), "larger than 16 bytes") {
			t.Errorf("a paste over the cap: %v", err)
		}
	})
}

// TestDeleteArticle deletes the original of a story: it leaves the index
// and search, its capture stays, its two reprints stay one story; a quoted
// article is refused.
func TestDeleteArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		migrateQueue(t, db)
		ctx := context.Background()
		d := newDesk(t, db)
		orig, _, err := d.svc.AddURL(ctx, "hamshahri", d.url("/fa/news/1"))
		if err != nil {
			t.Fatal(err)
		}
		reprint, _, err := d.svc.AddURL(ctx, "agency", d.url("/agency/news/1"))
		if err != nil {
			t.Fatal(err)
		}
		// A second reprint, on another outlet's site: the story has three
		// articles.
		s := d.stories[1]
		d.press.set("/alef/news/1", page{ctype: "text/html; charset=utf-8",
			body: []byte(articleHTML("fa", "utf-8", d.url("/alef/news/1"), s.Title, "الف", d.feedDate.Add(2*time.Hour),
				append([]string{agencyCredit}, append([]string{s.Lead}, s.Paras...)...)))})
		printed, _, err := d.svc.AddURL(ctx, "alef", d.url("/alef/news/1"))
		if err != nil {
			t.Fatal(err)
		}
		if reprint.StoryID != orig.ID || printed.StoryID != orig.ID {
			t.Fatalf("stories before the delete: %d and %d, want %d", reprint.StoryID, printed.StoryID, orig.ID)
		}
		quoted, _, err := d.svc.AddURL(ctx, "hamshahri", d.url("/fa/news/2"))
		if err != nil {
			t.Fatal(err)
		}
		if orig.CaptureID == nil {
			t.Fatal("the fetched article has no capture")
		}
		captures := count(t, db, `SELECT COUNT(*) FROM captures`)

		out, err := runCLI(d.svc, "", "articles", "delete", fmt.Sprint(orig.ID))
		if err != nil || !strings.Contains(out, "deleted") {
			t.Fatalf("articles delete: %v\n%s", err, out)
		}
		if _, err := ArticleByID(ctx, db, orig.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the deleted article is still there: %v", err)
		}
		for table, query := range map[string]string{
			"search_docs":  `SELECT COUNT(*) FROM search_docs WHERE article_id = ?`,
			"article_urls": `SELECT COUNT(*) FROM article_urls WHERE article_id = ?`,
		} {
			if n := count(t, db, query, orig.ID); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM captures`); n != captures {
			t.Errorf("%d captures after the delete, want the %d archived", n, captures)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM captures WHERE id = ?`, *orig.CaptureID); n != 1 {
			t.Error("the deleted article's capture is gone")
		}
		// The reprints stay one story, under the older of them.
		for _, id := range []int64{reprint.ID, printed.ID} {
			story, err := Story(ctx, db, id)
			if err != nil || len(story) != 2 || story[0].ID != min(reprint.ID, printed.ID) {
				t.Errorf("the story of article %d after its original went: %d articles, %v", id, len(story), err)
			}
		}

		// An edition quotes the third article: it stays.
		bundle := fmt.Sprintf(`{"format": "pressreview/1",
			"series": [{"key": "imr", "name": "Iran Media Review"}],
			"editions": [{"slug": "quoting", "series": "imr", "date": "2025-03-07", "title": "Quoting", "status": "draft",
				"entries": [{"date": "2025-03-04", "outlet": "hamshahri", "verb": "wrote",
					"items": [{"parts": [{"kind": "quote", "text": "A quote.", "source_url": %q}]}]}]}]}`,
			d.url("/fa/news/2?utm_source=telegram"))
		b, err := exchange.Decode("quoting.json", []byte(bundle))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exchange.Import(ctx, db, "quoting.json", b); err != nil {
			t.Fatal(err)
		}
		err = d.svc.DeleteArticle(ctx, quoted.ID)
		if !errors.Is(err, ErrQuoted) || !strings.Contains(err.Error(), `"quoting"`) {
			t.Errorf("deleting a quoted article: %v", err)
		}
		if _, err := ArticleByID(ctx, db, quoted.ID); err != nil {
			t.Errorf("the quoted article went: %v", err)
		}
		// A clip was taken from the first reprint: it stays.
		if _, err := db.ExecContext(ctx, `INSERT INTO people (key, name) VALUES ('speaker', 'A Speaker')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO clips (article_id, speaker_id, outlet_id, clip_date, original, translation)
			SELECT ?, p.id, ?, '2025-03-04', 'متن', 'Text' FROM people p WHERE p.key = 'speaker'`, reprint.ID, reprint.OutletID); err != nil {
			t.Fatal(err)
		}
		if err := d.svc.DeleteArticle(ctx, reprint.ID); !errors.Is(err, ErrClipped) || !strings.Contains(err.Error(), "1 clip holds a passage") {
			t.Errorf("deleting a clipped article: %v", err)
		}
		if err := d.svc.DeleteArticle(ctx, orig.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting it again: %v", err)
		}
		if _, err := runCLI(d.svc, "", "articles", "delete", "x"); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("articles delete x: %v, want a usage error", err)
		}
	})
}

// TestShowArticleHeader: `articles show` names only what the article has
// (no "-" for a missing byline) and prints the paste's source whole, with
// no dangling space after a feed's.
func TestShowArticleHeader(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		migrateQueue(t, db)
		newDesk(t, db)
		svc, err := New(db, Config{DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		out, err := runCLI(svc, "متن کامل سخنرانی\n\nبند دوم", "articles", "paste", "--outlet", "hamshahri", "--date", "2025-03-04", "--source", "IRIB 1")
		if err != nil {
			t.Fatalf("articles paste: %v\n%s", err, out)
		}
		var id int64
		if _, err := fmt.Sscanf(out, "article %d stored", &id); err != nil {
			t.Fatalf("articles paste printed %q", out)
		}
		out, err = runCLI(svc, "", "articles", "show", fmt.Sprint(id))
		if err != nil {
			t.Fatal(err)
		}
		want := "متن کامل سخنرانی\nhamshahri · fa · 2025-03-04 00:00 UTC\nurl: -\nsource: paste (IRIB 1)\n"
		if !strings.HasPrefix(out, want) {
			t.Errorf("articles show:\n%s\nwant it to begin:\n%s", out, want)
		}
		for i, line := range strings.Split(out, "\n") {
			if strings.HasSuffix(line, " ") {
				t.Errorf("line %d ends in a space: %q", i+1, line)
			}
		}
	})
}
