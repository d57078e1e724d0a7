package search

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/text"
)

// fixedContent is site content held in memory: the site's own source is
// tested through its search page (internal/web); here the index and the
// engine are.
type fixedContent struct {
	version int64
	pages   []PublishedPage
	next    time.Time
	reads   int
}

func (c *fixedContent) Version(context.Context, store.Querier) (int64, error) { return c.version, nil }

func (c *fixedContent) Pages(_ context.Context, _ store.Querier, now time.Time) ([]PublishedPage, time.Time, error) {
	c.reads++
	var out []PublishedPage
	for _, p := range c.pages {
		if !p.Date.After(now) || p.Day == "" {
			out = append(out, p)
		}
	}
	return out, c.next, nil
}

var publishedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func publishedFixture() *fixedContent {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(9 * time.Hour) }
	return &fixedContent{version: 1, pages: []PublishedPage{
		{Path: "/analysis/talks", Label: "Analysis", Title: "مذاکرات هسته‌ای", Text: "روزنامه‌های اصلاح‌طلب از مذاکرات استقبال کردند.",
			Day: "2025-05-01", Date: day("2025-05-01"), Extra: []string{"Ali Alfoneh"}},
		{Path: "/analysis/press", Label: "Analysis", Title: "The week in the press", Text: "Kayhan and Shargh on the talks (مذاکرات).",
			Day: "2025-05-20", Date: day("2025-05-20")},
		{Path: "/events/panel", Label: "Event", Title: "Panel on sanctions", Text: "A panel on sanctions and the press.",
			Day: "2025-07-01", Date: day("2025-04-01")},
		{Path: "/author/ali-alfoneh", Label: "Author", Title: "Ali Alfoneh", Text: "Senior fellow."},
	}}
}

func TestSearchPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := publishedFixture()
		if err := SyncPublished(ctx, db, c, publishedNow); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			// The archive's spelling rules: Arabic keyboard, a space for
			// the half-space, prefixes, phrases.
			{"مذاكرات", []string{"/analysis/talks", "/analysis/press"}},
			{"اصلاح طلب", []string{"/analysis/talks"}},
			{"هسته ای", []string{"/analysis/talks"}},
			{"sanction*", []string{"/events/panel"}},
			// A match in the title ranks first.
			{`"the press"`, []string{"/analysis/press", "/events/panel"}},
			// Names of authors are searched but not shown; the title
			// ranks first.
			{"alfoneh", []string{"/author/ali-alfoneh", "/analysis/talks"}},
			{"press -sanctions", []string{"/analysis/press"}},
			{"talks OR panel", []string{"/events/panel", "/analysis/press"}},
			// Dates: undated pages match no date filter.
			{"after:2025-05-10", []string{"/analysis/press", "/events/panel"}},
			{"senior before:2025-05-10", nil},
			{"-after:2025-05-10 alfoneh", []string{"/author/ali-alfoneh", "/analysis/talks"}},
		} {
			res, err := SearchPublished(ctx, db, PublishedRequest{Query: tc.q})
			if err != nil {
				t.Fatalf("%s: %v", tc.q, err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Path)
			}
			if !slices.Equal(got, tc.want) || res.Total != len(tc.want) || !res.Searched {
				t.Errorf("%s: %v (total %d), want %v", tc.q, got, res.Total, tc.want)
			}
		}
		res, err := SearchPublished(ctx, db, PublishedRequest{Query: "مذاكرات"})
		if err != nil {
			t.Fatal(err)
		}
		if h := res.Hits[0]; h.TitleHTML != "<mark>مذاکرات</mark> هسته‌ای" {
			t.Errorf("title marked as %q", h.TitleHTML)
		}
		if res, err := SearchPublished(ctx, db, PublishedRequest{Query: "— ؟"}); err != nil || res.Searched {
			t.Errorf("punctuation alone: %+v, %v", res, err)
		}
		var qe *Error
		if _, err := SearchPublished(ctx, db, PublishedRequest{Query: "outlet:kayhan talks"}); !errors.As(err, &qe) {
			t.Errorf("outlet: on the site: %v", err)
		}
		res, err = SearchPublished(ctx, db, PublishedRequest{Query: "the", Offset: 1, Limit: 1})
		if err != nil || res.Total != 2 || len(res.Hits) != 1 {
			t.Errorf("second page of one: %+v, %v", res, err)
		}
	})
}

// TestSyncPublished checks when the index is rebuilt: on a new content
// version, when a scheduled page goes live, and not otherwise.
func TestSyncPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := publishedFixture()
		c.next = publishedNow.Add(time.Hour)
		find := func(q string) int {
			t.Helper()
			res, err := SearchPublished(ctx, db, PublishedRequest{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		sync := func(now time.Time) {
			t.Helper()
			if err := SyncPublished(ctx, db, c, now); err != nil {
				t.Fatal(err)
			}
		}
		sync(publishedNow)
		sync(publishedNow.Add(time.Minute))
		if c.reads != 1 {
			t.Errorf("the content was read %d times for one version, want once", c.reads)
		}
		c.pages = append(c.pages, PublishedPage{Path: "/analysis/new", Title: "Axolotl", Day: "2025-06-01", Date: publishedNow})
		sync(publishedNow.Add(time.Minute))
		if find("axolotl") != 0 {
			t.Error("found a page written without a new content version")
		}
		c.version++
		sync(publishedNow.Add(time.Minute))
		if find("axolotl") != 1 || c.reads != 2 {
			t.Errorf("a new version: found %d, content read %d times", find("axolotl"), c.reads)
		}
		c.next = time.Time{}
		sync(publishedNow.Add(2 * time.Hour)) // past the scheduled change
		if c.reads != 3 {
			t.Errorf("a scheduled change did not rebuild the index (%d reads)", c.reads)
		}
		sync(publishedNow.Add(48 * time.Hour))
		if c.reads != 3 {
			t.Errorf("rebuilt with nothing scheduled (%d reads)", c.reads)
		}
	})
}

// TestUpgradeIndex checks that an archive indexed with older spelling
// rules is reindexed when the store is opened, and a current one is not.
func TestUpgradeIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedFixture(t, db)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		found := func() int {
			t.Helper()
			res, err := Search(ctx, db, Request{Query: "پوتین"})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		// Index entries gone stand for terms that queries no longer
		// produce: either way the index must be rebuilt.
		for _, q := range []string{`DELETE FROM search_docs`, `UPDATE search_state SET analyzer = 1`} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if found() != 0 {
			t.Fatal("the emptied index still finds articles")
		}
		if err := UpgradeIndex(ctx, db, log); err != nil {
			t.Fatal(err)
		}
		if found() != 2 {
			t.Errorf("after the upgrade: %d matches, want 2", found())
		}
		var v int
		if err := db.QueryRowContext(ctx, `SELECT analyzer FROM search_state`).Scan(&v); err != nil || v != text.AnalyzerVersion {
			t.Errorf("recorded analyzer %d (%v), want %d", v, err, text.AnalyzerVersion)
		}
		// Current: nothing is rebuilt.
		if _, err := db.ExecContext(ctx, `DELETE FROM search_docs`); err != nil {
			t.Fatal(err)
		}
		if err := UpgradeIndex(ctx, db, log); err != nil {
			t.Fatal(err)
		}
		if found() != 0 {
			t.Error("a current index was rebuilt")
		}
	})
}
