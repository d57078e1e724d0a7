package ingest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestIndexSavedEqualsReadBack: a group that creates an article, edits
// it (a second entry under its canonical URL with another text and
// title, date and language) and creates another leaves the search index as reading the
// articles back would (search.IndexArticles); so does a group that only
// edits.
func TestIndexSavedEqualsReadBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		// Each version says another date and language: an edit keeps the
		// stored row's.
		version := 0
		article := func(url, title, text string) *Article {
			version++
			published := time.Date(2025, 3, version, 9, 0, 0, 0, time.UTC)
			return &Article{OutletID: o.ID, URL: url, CanonicalURL: url, Lang: []string{"fa", "en"}[version%2], Title: title,
				Text: text, Published: &published, FetchedAt: time.Now().UTC(), Source: "url"}
		}
		var ids []int64
		group := func(want []saved, arts ...*Article) {
			t.Helper()
			err := svc.inTx(ctx, func(tx *store.Tx) error {
				var srcs []search.Source
				for i, a := range arts {
					how, err := svc.saveArticle(ctx, tx, a, nil, nil)
					if err != nil {
						return err
					}
					if how != want[i] {
						return fmt.Errorf("article %d of the group was %v, want %v", i, how, want[i])
					}
					if how == savedNew || how == savedEdit {
						srcs = append(srcs, a.searchSource())
					}
					if !slices.Contains(ids, a.ID) {
						ids = append(ids, a.ID)
					}
				}
				return indexSaved(ctx, tx, srcs)
			})
			if err != nil {
				t.Fatal(err)
			}
			saved := searchIndex(t, db)
			if err := svc.inTx(ctx, func(tx *store.Tx) error { return search.IndexArticles(ctx, tx, ids) }); err != nil {
				t.Fatal(err)
			}
			if readBack := searchIndex(t, db); !slices.Equal(saved, readBack) {
				t.Errorf("index from the group's terms:\n%q\nread back:\n%q", saved, readBack)
			}
		}
		group([]saved{savedNew, savedEdit, savedNew},
			article("https://www.irna.ir/news/1", "ظریف", zarifText),
			article("https://www.irna.ir/news/1", "ظریف: گفت‌وگو", zarifEdited),
			article("https://www.irna.ir/news/2", "Talks", "The foreign minister said the talks would resume on Monday in Vienna."))
		group([]saved{savedEdit}, article("https://www.irna.ir/news/2", "Talks resume", "The talks resumed on Monday in Vienna."))
	})
}
