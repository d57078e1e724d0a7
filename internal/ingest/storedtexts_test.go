package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestStoredTextsHintGoneStale: a page whose fetch worker took it for an
// unchanged copy (storedTexts), and so made neither index terms nor
// quotations, is stored right when the store finds otherwise. Instance A
// stores an article; instance B, on the same database, stores an edit of
// it, which A's hint does not know; the outlet then goes back to the first
// text, under another address, and A fetches it. The article has the
// first text again, with its quotations, and the search index is what
// reading the articles back makes of it. A copy the hint knows is stored
// as a copy.
func TestStoredTextsHintGoneStale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPress(t)
		instance := func() *Service {
			svc, err := New(db, testConfig(t, p))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { svc.Close() })
			return svc
		}
		a, b := instance(), instance()
		canonical := p.URL + "/news/1"
		var items []feedItem
		var fd outlets.Feed
		// list puts the article on the press under a new address, with
		// text, and has svc check the feed and fetch it.
		list := func(svc *Service, text string) {
			t.Helper()
			path := fmt.Sprintf("/print/%d/news/1", len(items))
			p.set(path, page{ctype: "text/html; charset=utf-8", body: []byte(articleHTML("fa", "utf-8", canonical,
				"ظریف: ایران به مذاکره پایبند است", "ایرنا", time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), strings.Split(text, "\n\n")))})
			items = append(items, feedItem{"ظریف", p.URL + path, time.Date(2025, 3, 4, 9, len(items), 0, 0, time.UTC)})
			p.set("/rss.xml", page{ctype: "application/rss+xml", body: []byte(rssFeed("ایرنا", p.URL, items))})
			if _, err := svc.PollFeed(ctx, fd.ID); err != nil {
				t.Fatal(err)
			}
			fetchAll(t, db, svc)
		}
		fd = subscribe(t, db, a, p.URL+"/rss.xml")
		list(a, zarifText)
		first, err := ArticleByID(ctx, db, int64(count(t, db, `SELECT id FROM articles WHERE canonical_url = ?`, canonical)))
		if err != nil {
			t.Fatal(err)
		}
		list(a, zarifText) // a copy the hint knows
		list(b, zarifEdited)
		if !a.stored.unchanged(&first) {
			t.Fatal("instance A's hint does not take the first text for the stored one")
		}
		list(a, zarifText)

		got, err := ArticleByID(ctx, db, first.ID)
		if err != nil || got.ContentHash != first.ContentHash {
			t.Fatalf("the article has %.30q (%v), want the first text again", got.Text, err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM articles`); n != 1 {
			t.Errorf("%d articles, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM article_revisions WHERE article_id = ?`, first.ID); n != 2 {
			t.Errorf("%d revisions, want 2: B's edit and A's", n)
		}
		if !slices.ContainsFunc(quotesOf(t, db, first.ID), func(c candidates.Candidate) bool { return strings.Contains(c.Quote, "فشار") }) {
			t.Errorf("the first text's quotations were not found again: %+v", quotesOf(t, db, first.ID))
		}
		stored := searchIndex(t, db)
		if err := a.inTx(ctx, func(tx *store.Tx) error { return search.IndexArticles(ctx, tx, []int64{first.ID}) }); err != nil {
			t.Fatal(err)
		}
		if readBack := searchIndex(t, db); !slices.Equal(stored, readBack) {
			t.Errorf("index as stored:\n%q\nread back:\n%q", stored, readBack)
		}
	})
}
