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
					how, err := svc.saveArticle(ctx, tx, a, nil, nil, nil)
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

// TestGroupURLsSeenByLaterLookups: in a group whose URLs are recorded at
// its end (groupWrites), an article met under a URL an earlier article of
// the same group was met under is found as that article, as when each
// URL was recorded at once; and every URL is recorded by the group's end.
func TestGroupURLsSeenByLaterLookups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		article := func(canonical, text string) *Article {
			return &Article{OutletID: o.ID, URL: canonical, CanonicalURL: canonical, Lang: "en", Title: "Talks",
				Text: text, FetchedAt: time.Now().UTC(), Source: "url"}
		}
		const alias = "https://www.irna.ir/amp/1"
		var first, second, other *Article
		err := svc.inTx(ctx, func(tx *store.Tx) error {
			var urls groupWrites
			first = article("https://www.irna.ir/news/1", "The foreign minister said the talks would resume on Monday in Vienna.")
			if how, err := svc.saveArticle(ctx, tx, first, []string{alias}, nil, &urls); err != nil || how != savedNew {
				return fmt.Errorf("first article: %v, %v", how, err)
			}
			other = article("https://www.irna.ir/news/2", "The central bank kept its rates unchanged on Tuesday.")
			if how, err := svc.saveArticle(ctx, tx, other, nil, nil, &urls); err != nil || how != savedNew {
				return fmt.Errorf("unrelated article: %v, %v", how, err)
			}
			// Met under another canonical URL and with another text (so
			// neither the canonical URL nor the content hash finds it), but
			// also under the alias the first one was met under: the first
			// article, edited, not a new one.
			second = article("https://www.irna.ir/print/1", "The foreign minister said the talks would resume on Tuesday in Geneva.")
			if how, err := svc.saveArticle(ctx, tx, second, []string{alias}, nil, &urls); err != nil || how != savedEdit {
				return fmt.Errorf("article met under %s again: %v, %v", alias, how, err)
			}
			return urls.flush(ctx, tx, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		if second.ID != first.ID {
			t.Errorf("the article met under %s again is %d, want %d", alias, second.ID, first.ID)
		}
		for u, want := range map[string]int64{alias: first.ID, "https://www.irna.ir/news/2": other.ID} {
			got, err := articleIDByURL(ctx, db, u)
			if err != nil || got != want {
				t.Errorf("article of %s: %d, %v; want %d", u, got, err, want)
			}
		}
	})
}
