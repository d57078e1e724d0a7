package editorial_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

const seed = "../demo/data/russian-nuclear-mediation-a-nonstarter.json"

var (
	analyst = accounts.Actor{UserID: 1, Email: "ana@example.org", Role: accounts.Analyst}
	editor  = accounts.Actor{UserID: 2, Email: "ed@example.org", Role: accounts.Editor}
)

// roster imports the seed bundle's outlets, people, authors and series.
func roster(t *testing.T, db *store.DB) {
	t.Helper()
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	b, err := exchange.Decode(seed, data)
	if err != nil {
		t.Fatal(err)
	}
	b.Editions = nil
	if _, err := exchange.Import(context.Background(), db, seed, b); err != nil {
		t.Fatal(err)
	}
}

func draft() reviews.Edition {
	return reviews.Edition{
		Series: "iran-media-review", Date: "2026-12-04", Title: "Tehran Weighs the Talks",
		Dek: "Camps split.", Intro: "Iranian papers are reacting.", Authors: []string{"ali-alfoneh"},
		Entries: []reviews.Entry{{
			Date: "2026-12-01", Outlet: "kayhan", Verb: "warned",
			Items: []reviews.Item{{Parts: []reviews.Part{{Kind: reviews.Quote, Text: "Talks are a trap."}}}},
		}},
	}
}

func html(t *testing.T, db *store.DB, slug string) string {
	t.Helper()
	p, err := reviews.LoadPage(context.Background(), db, slug)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := reviews.RenderHTML(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		roster(t, db)
		d, err := editorial.Create(ctx, db, analyst, draft())
		if err != nil {
			t.Fatal(err)
		}
		if d.Slug != "tehran-weighs-the-talks" || d.Version != 1 || d.State != editorial.Draft {
			t.Fatalf("created %q v%d %s", d.Slug, d.Version, d.State)
		}

		e := d.Edition
		e.Entries[0].Verb = "warned against the talks"
		d, err = editorial.Save(ctx, db, analyst, d.Slug, 1, e)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != 2 {
			t.Fatalf("version after save = %d", d.Version)
		}
		// A save based on version 1 is stale now.
		e.Title = "Stale"
		_, err = editorial.Save(ctx, db, editor, d.Slug, 1, e)
		var ce *editorial.ConflictError
		if !errors.As(err, &ce) || ce.Current.Version != 2 || ce.Current.Entries[0].Verb != "warned against the talks" {
			t.Fatalf("stale save: %v", err)
		}

		// Analysts submit; only editors approve and publish.
		if _, err := editorial.Do(ctx, db, analyst, d.Slug, editorial.Publish, time.Time{}, 0); !errors.Is(err, editorial.ErrForbidden) {
			t.Fatalf("analyst publish: %v", err)
		}
		if _, err := editorial.Do(ctx, db, editor, d.Slug, editorial.Approve, time.Time{}, 0); !errors.Is(err, editorial.ErrState) {
			t.Fatalf("approve a draft: %v", err)
		}
		for _, step := range []struct {
			who accounts.Actor
			a   editorial.Action
		}{{analyst, editorial.Submit}, {editor, editorial.Approve}, {editor, editorial.Publish}} {
			if d, err = editorial.Do(ctx, db, step.who, d.Slug, step.a, time.Time{}, 0); err != nil {
				t.Fatalf("%s: %v", step.a, err)
			}
		}
		if d.State != editorial.Published || d.Status != reviews.Published || d.PublishAt == nil {
			t.Fatalf("after publish: %s %s %v", d.State, d.Status, d.PublishAt)
		}
		published := html(t, db, d.Slug)

		// A roster change does not reach the published page …
		o, err := outlets.OutletByKey(ctx, db, "kayhan")
		if err != nil {
			t.Fatal(err)
		}
		o.Orientation = "ultra-conservative"
		if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
			t.Fatal(err)
		}
		if got := html(t, db, d.Slug); got != published {
			t.Fatalf("roster change rewrote the published page:\n%s\nwas\n%s", got, published)
		}
		// … but the preview of the next version shows it.
		p, err := editorial.Preview(ctx, db, d.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if p.Outlets["kayhan"].Orientation != "ultra-conservative" {
			t.Fatalf("preview outlet = %+v", p.Outlets["kayhan"])
		}

		// Revising a published edition leaves readers' page alone until
		// an editor publishes again.
		e = d.Edition
		e.Title = "Tehran Weighs the Talks Again"
		d, err = editorial.Save(ctx, db, analyst, d.Slug, d.Version, e)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != editorial.Draft || d.Status != reviews.Published {
			t.Fatalf("revision: state %s status %s", d.State, d.Status)
		}
		if got := html(t, db, d.Slug); got != published {
			t.Fatal("a draft revision changed the published page")
		}

		vs, err := editorial.Versions(ctx, db, d.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 || vs[0].Version != 3 || !vs[1].Published {
			t.Fatalf("versions = %+v", vs)
		}
		v1, err := editorial.GetVersion(ctx, db, d.Slug, 1)
		if err != nil {
			t.Fatal(err)
		}
		lines := editorial.Diff(v1.Edition, d.Edition)
		var changed int
		for _, l := range lines {
			if l.Op != " " {
				changed++
			}
		}
		if changed != 4 { // title and verb, each removed and added
			t.Fatalf("diff v1..v3 has %d changed lines: %+v", changed, lines)
		}

		d, err = editorial.Restore(ctx, db, editor, d.Slug, 1, d.Version)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != 4 || d.Title != "Tehran Weighs the Talks" || d.Entries[0].Verb != "warned" {
			t.Fatalf("restored: v%d %q %q", d.Version, d.Title, d.Entries[0].Verb)
		}

		if d, err = editorial.Do(ctx, db, editor, d.Slug, editorial.Unpublish, time.Time{}, 0); err != nil {
			t.Fatal(err)
		}
		if d.Status != reviews.Draft {
			t.Fatalf("unpublished status = %s", d.Status)
		}
	})
}

func TestSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		roster(t, db)
		d, err := editorial.Create(ctx, db, analyst, draft())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []editorial.Action{editorial.Submit, editorial.Approve} {
			if d, err = editorial.Do(ctx, db, editor, d.Slug, a, time.Time{}, 0); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := editorial.Do(ctx, db, editor, d.Slug, editorial.Schedule, time.Now().Add(-time.Hour), 0); !errors.Is(err, editorial.ErrState) {
			t.Fatalf("schedule in the past: %v", err)
		}
		at := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
		if d, err = editorial.Do(ctx, db, editor, d.Slug, editorial.Schedule, at, 0); err != nil {
			t.Fatal(err)
		}
		if d.Status != reviews.Scheduled || d.PublishAt == nil || !d.PublishAt.Equal(at) {
			t.Fatalf("scheduled: %s %v", d.Status, d.PublishAt)
		}
	})
}

// TestConcurrentSaves: of many saves based on the same version, exactly
// one wins and every other gets the conflict, on both stores.
func TestConcurrentSaves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		roster(t, db)
		d, err := editorial.Create(ctx, db, analyst, draft())
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				e := d.Edition
				e.Dek = "writer " + string(rune('A'+i))
				_, errs[i] = editorial.Save(ctx, db, analyst, d.Slug, d.Version, e)
			})
		}
		wg.Wait()
		var won, lost int
		for _, err := range errs {
			var ce *editorial.ConflictError
			switch {
			case err == nil:
				won++
			case errors.As(err, &ce):
				lost++
			default:
				// SQLite may report a busy database instead of waiting
				// when the writers collide; that is a refused save too.
				t.Logf("save: %v", err)
				lost++
			}
		}
		if won != 1 || lost != n-1 {
			t.Fatalf("won %d, lost %d", won, lost)
		}
		vs, err := editorial.Versions(ctx, db, d.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 {
			t.Fatalf("%d versions, want 2", len(vs))
		}
	})
}
