package editorial_test

import (
	"context"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestCorrectionIsARevision: a published edition corrected and published
// again keeps the date it first went out and records when it changed, the
// time feeds and the sitemap give readers; a first publication records
// none.
func TestCorrectionIsARevision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		roster(t, db)
		d, err := editorial.Create(ctx, db, analyst, draft())
		if err != nil {
			t.Fatal(err)
		}
		publish := func() {
			t.Helper()
			for _, step := range []struct {
				who accounts.Actor
				a   editorial.Action
			}{{analyst, editorial.Submit}, {editor, editorial.Approve}, {editor, editorial.Publish}} {
				if d, err = editorial.Do(ctx, db, step.who, d.Slug, step.a, time.Time{}, 0); err != nil {
					t.Fatalf("%s: %v", step.a, err)
				}
			}
		}
		public := func() *posts.Post {
			t.Helper()
			ps, _, err := posts.List(ctx, db, posts.Filter{Slug: d.Slug, Kind: posts.KindEdition}, time.Now(), 1, 0)
			if err != nil || len(ps) != 1 {
				t.Fatalf("the public edition: %v, %d posts", err, len(ps))
			}
			return ps[0]
		}
		publish()
		first := public()
		if !first.UpdatedAt.Equal(first.PublishAt) {
			t.Fatalf("first publication: updated %s, published %s", first.UpdatedAt, first.PublishAt)
		}

		e := d.Edition
		e.Title = "Tehran Weighs the Talks, Corrected"
		if d, err = editorial.Save(ctx, db, analyst, d.Slug, d.Version, e); err != nil {
			t.Fatal(err)
		}
		if p := public(); !p.UpdatedAt.Equal(first.UpdatedAt) {
			t.Fatalf("a draft of the correction moved updated to %s", p.UpdatedAt)
		}
		publish()
		p := public()
		if !p.PublishAt.Equal(first.PublishAt) {
			t.Errorf("the correction moved the publish date from %s to %s", first.PublishAt, p.PublishAt)
		}
		if !p.UpdatedAt.After(first.PublishAt) {
			t.Errorf("after the correction updated is %s, not after the first publication %s", p.UpdatedAt, first.PublishAt)
		}
	})
}
