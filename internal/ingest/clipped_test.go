package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestClippedArticlesAreRefetched makes a clipped article due for
// re-fetching, as a quoted one is, so that its clips are checked when the
// outlet edits it; a pasted article, with no page to fetch, is not.
func TestClippedArticlesAreRefetched(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		fetched, _, err := d.svc.AddURL(ctx, "", d.url("/fa/news/2"))
		if err != nil {
			t.Fatal(err)
		}
		pasted, _, err := d.svc.AddPasted(ctx, Paste{OutletKey: fetched.OutletKey, Date: time.Now(), Source: "print edition, p. 2",
			Body: []byte("سخنگوی دولت گفت که مذاکرات ادامه دارد.")})
		if err != nil {
			t.Fatal(err)
		}
		if due, err := d.svc.dueRefetches(ctx, time.Now()); err != nil || len(due) != 0 {
			t.Fatalf("nothing clipped or quoted, yet due: %v %v", due, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO people (key, name) VALUES ('spokesman', 'Spokesman')`); err != nil {
			t.Fatal(err)
		}
		for _, a := range []Article{fetched, pasted} {
			if _, err := db.ExecContext(ctx, `INSERT INTO clips (article_id, speaker_id, outlet_id, clip_date, original, translation)
				SELECT ?, id, ?, '2025-03-04', 'مذاکرات', 'talks' FROM people`, a.ID, a.OutletID); err != nil {
				t.Fatal(err)
			}
		}
		due, err := d.svc.dueRefetches(ctx, time.Now())
		if err != nil || len(due) != 1 || due[0] != fetched.ID {
			t.Errorf("due re-fetches %v (%v), want the fetched clipped article %d", due, err, fetched.ID)
		}
	})
}
