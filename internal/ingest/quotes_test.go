package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

const (
	zarifText = "ظریف: ایران به مذاکره پایبند است\n\n" +
		"محمدجواد ظریف، وزیر امور خارجه، روز دوشنبه در نشست خبری گفت: «ایران به مذاکره پایبند است.»\n\n" +
		"وی افزود: ما زیر بار فشار نمی‌رویم و این موضع روشن است."
	zarifEdited = "ظریف: ایران به مذاکره پایبند است\n\n" +
		"محمدجواد ظریف، وزیر امور خارجه، روز دوشنبه در نشست خبری گفت: «ایران به گفت‌وگو پایبند است.»"
)

func quoteDesk(t *testing.T, db *store.DB) (*Service, outlets.Outlet) {
	t.Helper()
	o := outlets.Outlet{Key: "irna", Name: "IRNA", NativeName: "ایرنا", Kind: outlets.Website, Language: "fa", Orientation: "government"}
	if err := outlets.SaveOutlet(context.Background(), db, &o); err != nil {
		t.Fatal(err)
	}
	svc, err := New(db, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc, o
}

func quotesOf(t *testing.T, db *store.DB, id int64) []candidates.Candidate {
	t.Helper()
	cs, err := candidates.ForArticle(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestQuotesFoundAtIngest pastes a Persian article with a «…» quote and
// a «وی افزود:» continuation: the finder's candidates are stored with it,
// the continuation attributed to Zarif; pasting it again stores no second
// set. An edit seen on a re-fetch replaces the candidates with those of
// the new text.
func TestQuotesFoundAtIngest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		paste := Paste{OutletKey: o.Key, Source: "IRNA wire", Date: time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), Lang: "fa",
			Body: []byte(zarifText)}
		a, created, err := svc.AddPasted(ctx, paste)
		if err != nil || !created {
			t.Fatalf("paste: %v %v", created, err)
		}
		first := quotesOf(t, db, a.ID)
		var continued bool
		for _, c := range first {
			if strings.HasPrefix(c.Quote, "ما زیر بار فشار نمی‌رویم") && c.Speaker != nil && c.Speaker.Text == "وی" &&
				c.SpeakerName == "محمدجواد ظریف" && c.Cue != nil && c.Cue.Text == "افزود" {
				continued = true
			}
		}
		if !continued {
			t.Fatalf("no «وی افزود:» candidate attributed to Zarif among %+v", first)
		}
		if scan, ok, err := candidates.ScanOf(ctx, db, a.ID); err != nil || !ok || scan.Found != len(first) || scan.Error != "" {
			t.Errorf("scan %+v %v %v", scan, ok, err)
		}
		if _, created, err := svc.AddPasted(ctx, paste); err != nil || created {
			t.Fatalf("paste again: %v %v", created, err)
		}
		if again := quotesOf(t, db, a.ID); len(again) != len(first) {
			t.Errorf("%d candidates after pasting again, want %d", len(again), len(first))
		}

		// An article met under a URL, then edited.
		save := func(text string) (int64, saved) {
			t.Helper()
			na := &Article{OutletID: o.ID, URL: "https://www.irna.ir/news/1", CanonicalURL: "https://www.irna.ir/news/1",
				Lang: "fa", Text: text, Title: "ظریف", FetchedAt: time.Now().UTC(), Source: "url"}
			var how saved
			err := svc.inTx(ctx, func(tx *store.Tx) error {
				var err error
				how, err = svc.saveArticle(ctx, tx, na, nil, nil, nil)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return na.ID, how
		}
		// Another paragraph, so that it is not the pasted article again.
		id, how := save(zarifText + "\n\nاین نشست یک ساعت به طول انجامید.")
		if how != savedNew || len(quotesOf(t, db, id)) != len(first) {
			t.Fatalf("stored %v with %d candidates", how, len(quotesOf(t, db, id)))
		}
		if _, how = save(zarifEdited); how != savedEdit {
			t.Fatalf("the edit was %v", how)
		}
		edited := quotesOf(t, db, id)
		if len(edited) == 0 {
			t.Fatal("no candidates after the edit")
		}
		for _, c := range edited {
			if strings.Contains(c.Quote, "فشار") || strings.Contains(c.Quote, "مذاکره") {
				t.Errorf("a candidate of the old text survived the edit: %+v", c)
			}
		}
	})
}

// TestQuoteFinderFailureKeepsArticle: when the finder fails on an
// article's text, the article is stored all the same, without candidates,
// and the scan says why. The failure is the finder's own, on invalid
// UTF-8, which the fetcher never lets through and PostgreSQL would not
// store: it is made on a copy of the text and put in the article's keys.
func TestQuoteFinderFailureKeepsArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		na := &Article{OutletID: o.ID, URL: "https://www.irna.ir/news/2", CanonicalURL: "https://www.irna.ir/news/2",
			Lang: "fa", Text: "وی افزود: «ما نمی‌رویم.»", Title: "خبر", FetchedAt: time.Now().UTC(), Source: "url"}
		na.keys()
		if na.quotes = candidates.Find("وی افزود: «ما \xff نمی‌رویم.»", "fa"); na.quotes.Err == nil {
			t.Fatalf("the finder took invalid UTF-8: %+v", na.quotes)
		}
		err := svc.inTx(ctx, func(tx *store.Tx) error {
			_, err := svc.saveArticle(ctx, tx, na, nil, nil, nil)
			return err
		})
		if err != nil {
			t.Fatalf("an article the finder fails on was not stored: %v", err)
		}
		if _, err := ArticleByID(ctx, db, na.ID); err != nil {
			t.Fatal(err)
		}
		scan, ok, err := candidates.ScanOf(ctx, db, na.ID)
		switch {
		case err != nil:
			t.Fatal(err)
		case !ok || scan.Error == "" || scan.Found != 0:
			t.Errorf("scan %+v (recorded %v), want the finder's error", scan, ok)
		case !strings.Contains(scan.Error, "invalid UTF-8"):
			t.Errorf("scan error %q does not say what is wrong", scan.Error)
		case len(quotesOf(t, db, na.ID)) != 0:
			t.Errorf("candidates stored despite the error")
		}
	})
}

// TestRefetchFindsQuotesOfTheEdit: a re-fetch keys the new text without
// the finder and finds the quotations only for an edit; the edit's
// candidates replace the old ones, and the scan records the new text.
func TestRefetchFindsQuotesOfTheEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateQueue(t, db)
		d := newDesk(t, db)
		if _, err := d.svc.PollFeed(ctx, d.feeds["hamshahri"]); err != nil {
			t.Fatal(err)
		}
		if err := d.svc.FetchEntry(ctx, firstEntry(t, db, d.feeds["hamshahri"])); err != nil {
			t.Fatal(err)
		}
		a := d.articleAt(t, "/fa/news/0")
		if r, err := d.svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "unchanged" {
			t.Fatalf("unchanged page: %+v %v", r, err)
		}
		s := d.stories[0]
		said := "سخنگوی دولت در نشست خبری گفت: «این تصمیم پس از انتشار گزارش گرفته شد.»"
		d.press.set("/fa/news/0", page{ctype: "text/html; charset=utf-8",
			body: []byte(articleHTML("fa", "utf-8", d.url("/fa/news/0"), s.Title, "", time.Time{}, append([]string{s.Lead, said}, s.Paras...)))})
		if r, err := d.svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "edited" {
			t.Fatalf("edited page: %+v %v", r, err)
		}
		cs := quotesOf(t, db, a.ID)
		found := false
		for _, c := range cs {
			found = found || c.Quote == "این تصمیم پس از انتشار گزارش گرفته شد" && c.SpeakerName == "سخنگوی دولت"
		}
		if !found {
			t.Errorf("the edit's quotation is not among the %d candidates", len(cs))
		}
		cur, err := ArticleByID(ctx, db, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if scan, ok, err := candidates.ScanOf(ctx, db, a.ID); err != nil || !ok || scan.ContentHash != cur.ContentHash || scan.ContentHash == a.ContentHash {
			t.Errorf("scan %+v %v %v after the edit (hash before %s, now %s)", scan, ok, err, a.ContentHash, cur.ContentHash)
		}
	})
}
