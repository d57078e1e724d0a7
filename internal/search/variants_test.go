package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// spelling is one way of writing a word of the variant list.
type spelling struct{ word, kind, text string }

// loadVariants reads internal/text/testdata/variants.txt: words of real
// Persian news with their spelling variants (the list's header says where
// they come from and what the kinds are).
func loadVariants(t *testing.T) [][]spelling {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "text", "testdata", "variants.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]spelling
	for line := range strings.Lines(string(data)) {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Split(strings.TrimRight(line, "\n"), "\t")
		group := []spelling{{fields[0], "canonical", fields[0]}}
		for _, f := range fields[1:] {
			kind, v, ok := strings.Cut(f, "=")
			if !ok {
				t.Fatalf("variants.txt: %q: variant %q is not kind=spelling", fields[0], f)
			}
			group = append(group, spelling{fields[0], kind, v})
		}
		out = append(out, group)
	}
	return out
}

// TestSpellingVariantsAgree writes one article per spelling of every word
// of the variant list, then searches for each spelling: each must find
// exactly the articles of its word, in every spelling, on both stores.
func TestSpellingVariantsAgree(t *testing.T) {
	groups := loadVariants(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		want := make([][]int64, len(groups))
		err := db.InTx(ctx, func(tx *store.Tx) error {
			o := outlets.Outlet{Key: "hamshahri", Name: "Hamshahri", Kind: outlets.Newspaper, Language: "fa"}
			if err := outlets.SaveOutlet(ctx, tx, &o); err != nil {
				return err
			}
			published := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
			for i, g := range groups {
				for j, s := range g {
					// The word sits between words that join with nothing.
					body := "در گزارش امروز " + s.text + " و موضوعات دیگر آمده است."
					url := fmt.Sprintf("https://example.org/%d/%d", i, j)
					id, err := insertArticle(ctx, tx, o.ID, url, "گزارش", body, "fa", published)
					if err != nil {
						return err
					}
					if err := IndexArticle(ctx, tx, id); err != nil {
						return err
					}
					want[i] = append(want[i], id)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		agree, total := 0, 0
		for i, g := range groups {
			for _, s := range g {
				total++
				res, err := Search(ctx, db, Request{Query: s.text, Sort: SortNewest, Limit: MaxLimit})
				if err != nil {
					t.Fatalf("%q (%s of %q): %v", s.text, s.kind, s.word, err)
				}
				var got []int64
				for _, h := range res.Hits {
					got = append(got, h.ArticleID)
				}
				slices.Sort(got)
				if slices.Equal(got, want[i]) {
					agree++
				} else {
					t.Errorf("%q (%s of %q) finds articles %v, want %v", s.text, s.kind, s.word, got, want[i])
				}
			}
		}
		t.Logf("%d of %d spellings of %d words find the same articles", agree, total, len(groups))
	})
}
