package clips_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// The article as first published, and the passages clipped from it.
var (
	firstParas = []string{
		"روزنامه کیهان در سرمقاله امروز نوشت که مذاکره با آمریکا بی‌فایده است و نتیجه‌ای جز اتلاف وقت نخواهد داشت.",
		"سخنگوی وزارت خارجه در نشست خبری گفت: «ما به دیپلماسی پایبندیم 🤝 اما زیر بار فشار نمی‌رویم.»",
		"او افزود که تحریم‌ها باید برداشته شوند و این شرط اصلی ماست.",
		"به گزارش این روزنامه، دور بعدی گفت‌وگوها هفته آینده در مسقط برگزار خواهد شد و هیئت‌ها آماده‌اند.",
	}
	kept     = "ما به دیپلماسی پایبندیم 🤝 اما زیر بار فشار نمی‌رویم." // stays, after a copy of it in other words
	reworded = "تحریم‌ها باید برداشته شوند"                           // the outlet rewords it
	repeated = "بی‌فایده است"                                         // its sentence is rewritten and it appears twice
)

// TestRecheckAfterEditAndDeletion clips three passages of a fetched
// article; the outlet edits the article, then deletes it. After the edit
// the passage that still stands is anchored anew (the first anchor kept),
// the reworded one and the one now found twice are flagged with the
// diff; after the deletion all are flagged deleted and the archived copy
// they were clipped from is still served. No clip ever points at other
// text.
func TestRecheckAfterEditAndDeletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		d.page("/news/1", 200, "سرمقاله کیهان", firstParas...)
		firstPage := d.pages["/news/1"].body
		a := d.fetchArticle(t, "/news/1")
		ids := map[string]int64{}
		for _, exact := range []string{kept, reworded, repeated} {
			s, e := span(t, a.Text, exact)
			c, err := d.clips.Save(ctx, clips.NewClip{Article: a.ID, Start: &s, End: &e,
				Speaker: clips.SpeakerRef{Key: "kazem-gharibabadi"}, Translation: "translation of " + exact})
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte(firstPage))
			if c.Anchor.Capture == nil || c.Anchor.CaptureDigest != "sha256:"+hex.EncodeToString(sum[:]) || c.SourceURL != d.press.URL+"/news/1" {
				t.Fatalf("anchor of a fetched article: capture %v digest %q (want the payload's), source %q",
					c.Anchor.Capture, c.Anchor.CaptureDigest, c.SourceURL)
			}
			ids[exact] = c.ID
		}

		// An edition quoting a clip is published before the outlet edits.
		quoted, err := d.clips.Get(ctx, ids[reworded])
		if err != nil {
			t.Fatal(err)
		}
		slug := publishQuoting(t, db, quoted)
		published := editionHTML(t, db, slug)

		d.page("/news/1", 200, "سرمقاله کیهان",
			"در بیانیه‌ای دیگر آمده بود: «ما به دیپلماسی پایبندیم 🤝 اما زیر بار فشار نمی‌رویم.»",
			"به نوشته کیهان، گفت‌وگو بی‌فایده است؛ این را بارها گفته‌ایم.",
			firstParas[1],
			"او افزود که تحریم‌ها باید فوراً لغو شوند و این شرط اصلی ماست.",
			firstParas[3],
			"منتقدان می‌گویند تحریم بی‌فایده است.")
		if r, err := d.intake.Refetch(ctx, a.ID); err != nil || r.Outcome != "edited" {
			t.Fatalf("re-fetch of the edited article: %+v %v", r, err)
		}
		edited, err := d.clips.Get(ctx, ids[kept])
		if err != nil {
			t.Fatal(err)
		}
		now := []rune(textOf(t, db, a.ID))
		an := edited.Anchor
		switch {
		case edited.Status != clips.StatusOK || len(edited.Anchors) != 2 || edited.Anchors[0].Revision != nil:
			t.Errorf("kept passage: status %s, %d anchors (the first must stay)", edited.Status, len(edited.Anchors))
		case an.Revision == nil || an.Capture == nil || *an.Capture == *edited.Anchors[0].Capture || an.CaptureDigest == edited.Anchors[0].CaptureDigest:
			t.Errorf("new anchor not on the new revision and capture: %+v", an)
		case an.Start == edited.Anchors[0].Start || string(now[an.Start:an.End]) != kept:
			t.Errorf("new anchor %d–%d does not address the passage in the new text", an.Start, an.End)
		case !strings.HasSuffix(an.Prefix, "در نشست خبری گفت: «"):
			t.Errorf("anchored on the copy in other words: prefix %q", an.Prefix)
		case len(edited.Checks) != 1 || edited.Checks[0].Anchor == nil || *edited.Checks[0].Anchor != an.ID:
			t.Errorf("checks %+v", edited.Checks)
		}
		for exact, note := range map[string]string{reworded: "no longer in the text", repeated: "occurs 2 times"} {
			c, _ := d.clips.Get(ctx, ids[exact])
			if c.Status != clips.StatusChanged || !strings.Contains(c.Note, note) || len(c.Anchors) != 1 ||
				c.Anchor.Exact != exact || c.Anchor.Revision != nil {
				t.Errorf("%s: status %s, note %q, %d anchors; want changed, %q, the first anchor only", exact, c.Status, c.Note, len(c.Anchors), note)
			}
		}
		if c, _ := d.clips.Get(ctx, ids[reworded]); !strings.Contains(c.Diff, "- او افزود که تحریم‌ها باید برداشته شوند") ||
			!strings.Contains(c.Diff, "+ او افزود که تحریم‌ها باید فوراً لغو شوند") || strings.Contains(c.Diff, "مسقط") {
			t.Errorf("reworded passage: diff\n%s\nwant its paragraph, before and after, and nothing else", c.Diff)
		}
		if c, _ := d.clips.Get(ctx, ids[repeated]); !strings.Contains(c.Diff, "+ منتقدان می‌گویند تحریم بی‌فایده است.") {
			t.Errorf("repeated passage: diff\n%s\nwant the new copy", c.Diff)
		}
		if status, body := d.call(t, "GET", "/api/clips?status=changed", nil); status != 200 || len(body["clips"].([]any)) != 2 {
			t.Errorf("changed clips: %d %v", status, body)
		}

		d.gone("/news/1")
		if r, err := d.intake.Refetch(ctx, a.ID); err != nil || r.Outcome != "deleted" {
			t.Fatalf("re-fetch of the deleted article: %+v %v", r, err)
		}
		for exact, id := range ids {
			c, _ := d.clips.Get(ctx, id)
			if c.Status != clips.StatusDeleted || c.Note == "" || c.Anchor.Exact != exact || c.CheckedAt == nil {
				t.Errorf("%s after the deletion: %s %q", exact, c.Status, c.Note)
			}
			last := c.Checks[len(c.Checks)-1]
			if last.Status != clips.StatusDeleted || last.Anchor != nil {
				t.Errorf("%s: last check %+v", exact, last)
			}
			w := httptest.NewRecorder()
			d.archive.ServeHTTP(w, httptest.NewRequest("GET", c.Archive, nil))
			if body, _ := io.ReadAll(w.Body); w.Code != http.StatusOK || string(body) != firstPage {
				t.Errorf("%s: archived copy %s: %d, %d bytes", exact, c.Archive, w.Code, len(body))
			}
		}
		if c, _ := d.clips.Get(ctx, ids[kept]); !strings.Contains(c.Diff, "- سخنگوی وزارت خارجه") || strings.Contains(c.Diff, "مسقط") {
			t.Errorf("deleted: diff\n%s\nwant the clip's paragraph only", c.Diff)
		}
		// The outlet's edit and deletion flag the clips; the published
		// edition that quotes one reads as it was published.
		if got := editionHTML(t, db, slug); got != published {
			t.Errorf("the published edition changed after its source was edited and deleted:\n%s\nwas\n%s", got, published)
		}
	})
}

// publishQuoting publishes an edition with one entry quoting clip c and
// returns its slug.
func publishQuoting(t *testing.T, db *store.DB, c clips.Clip) string {
	t.Helper()
	ctx := context.Background()
	if err := reviews.SaveSeries(ctx, db, &reviews.Series{Key: "imr", Name: "Iran Media Review"}); err != nil {
		t.Fatal(err)
	}
	e := reviews.Edition{Series: "imr", Date: "2026-12-01", Title: "Kayhan on Sanctions", Entries: []reviews.Entry{{
		Date:    "2026-11-30",
		Outlets: []reviews.OutletRef{{Key: "kayhan", Label: "hard-line Kayhan", Role: reviews.Source}},
		LeadIn:  "Hard-line Kayhan wrote:",
		Items: []reviews.Item{{Parts: []reviews.Part{{Kind: reviews.Quote, Text: c.Translation,
			Original: c.Anchor.Exact, OriginalLang: "fa", SourceURL: c.SourceURL, Clip: c.ID}}}},
	}}}
	editor := accounts.Actor{Email: "ed@example.org", Role: accounts.Editor}
	doc, err := editorial.Create(ctx, db, editor, e)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []editorial.Action{editorial.Submit, editorial.Approve, editorial.Publish} {
		if _, err := editorial.Do(ctx, db, editor, doc.Slug, a, time.Time{}, 0); err != nil {
			t.Fatal(err)
		}
	}
	return doc.Slug
}

func editionHTML(t *testing.T, db *store.DB, slug string) string {
	t.Helper()
	p, err := reviews.LoadPage(context.Background(), db, slug)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := reviews.RenderHTML(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func textOf(t *testing.T, db *store.DB, articleID int64) string {
	t.Helper()
	var s string
	if err := db.QueryRowContext(context.Background(), `SELECT text FROM articles WHERE id = ?`, articleID).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}
