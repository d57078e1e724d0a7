package search

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/pressreview/pressreview/internal/search/gen"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// publishedBenchPages is the size of a large public site: years of daily
// editions and weekly analyses, with their events and authors.
const publishedBenchPages = 3000

// generatedSite is site content made of generated articles.
func generatedSite(b *testing.B) *fixedContent {
	b.Helper()
	g, err := gen.New(gen.Config{Seed: 7, PersianDir: persianCorpus})
	if err != nil {
		b.Fatal(err)
	}
	c := &fixedContent{version: 1}
	for i := range publishedBenchPages {
		a := g.Article(i)
		c.pages = append(c.pages, PublishedPage{Path: fmt.Sprintf("/analysis/%d", i), Label: "Analysis", Title: a.Title,
			Text: a.Text, Day: a.Published.Format(dayLayout), Date: a.Published})
	}
	return c
}

// BenchmarkSyncPublished rebuilds the site's index after a publish.
func BenchmarkSyncPublished(b *testing.B) {
	for _, d := range publishedStores(b) {
		b.Run(d.name, func(b *testing.B) {
			ctx := context.Background()
			c := generatedSite(b)
			for b.Loop() {
				c.version++
				if err := SyncPublished(ctx, d.db, c, publishedNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchPublished runs site searches on a current index,
// including the check that it is current.
func BenchmarkSearchPublished(b *testing.B) {
	for _, d := range publishedStores(b) {
		ctx := context.Background()
		c := generatedSite(b)
		if err := SyncPublished(ctx, d.db, c, publishedNow); err != nil {
			b.Fatal(err)
		}
		for _, q := range []string{"ایران", "مجلس شورای اسلامی", `"نمایندگان مجلس"`, "iran OR ایران", "تحریم* after:2025-01-01"} {
			b.Run(d.name+"/"+q, func(b *testing.B) {
				for b.Loop() {
					if err := SyncPublished(ctx, d.db, c, publishedNow); err != nil {
						b.Fatal(err)
					}
					if _, err := SearchPublished(ctx, d.db, PublishedRequest{Query: q, Limit: 10}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

type publishedStore struct {
	name string
	db   *store.DB
}

// publishedStores returns SQLite, and PostgreSQL when a server is configured.
func publishedStores(b *testing.B) []publishedStore {
	out := []publishedStore{{"sqlite", storetest.SQLite(b)}}
	if os.Getenv(storetest.EnvPostgres) != "" {
		out = append(out, publishedStore{"postgres", storetest.Postgres(b)})
	}
	return out
}
