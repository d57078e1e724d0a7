package searchbench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/pressreview/pressreview/internal/search"
)

// variantsFile is the list of corpus words and their spelling variants
// that internal/text and internal/search test against; each line is the
// word, then kind=spelling fields separated by tabs.
const variantsFile = "../../internal/text/testdata/variants.txt"

type variant struct{ word, kind, spelling string }

func readVariants(t *testing.T) []variant {
	f, err := os.Open(variantsFile)
	if err != nil {
		t.Skipf("no variant list: %v", err)
	}
	defer f.Close()
	var out []variant
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		for _, f := range fields[1:] {
			kind, spelling, ok := strings.Cut(f, "=")
			if !ok {
				t.Fatalf("%s: %q is not kind=spelling", variantsFile, f)
			}
			out = append(out, variant{fields[0], kind, spelling})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// answer is what a search shows first: the total and the 20 newest hits.
type answer struct {
	total int
	ids   []string
}

func (a answer) equal(b answer) bool { return a.total == b.total && slices.Equal(a.ids, b.ids) }

// TestVariants searches every word of the list and each of its spelling
// variants on both systems, newest first, and counts the variants that
// give the same total and the same first page as the word as written.
func TestVariants(t *testing.T) {
	n, dir := benchArchive(t)
	variants := readVariants(t)
	db := openSQLite(t, dir, n)
	idx := openBleve(t, db, dir, n)
	tr := translator{idx.Mapping()}
	ctx := context.Background()
	systems := []struct {
		name string
		run  func(q string) (answer, error)
	}{
		{"pressreview", func(q string) (answer, error) {
			res, err := search.Search(ctx, db, search.Request{Query: q, Sort: search.SortNewest})
			var a answer
			a.total = res.Total
			for _, h := range res.Hits {
				a.ids = append(a.ids, fmt.Sprint(h.ArticleID))
			}
			return a, err
		}},
		{"Bleve", func(q string) (answer, error) {
			bq, err := tr.query(q)
			if err != nil {
				return answer{}, err
			}
			req := bleve.NewSearchRequestOptions(bq, 20, 0, false)
			req.SortBy([]string{"-published", "-_id"})
			res, err := idx.SearchInContext(ctx, req)
			if err != nil {
				return answer{}, err
			}
			a := answer{total: int(res.Total)}
			for _, h := range res.Hits {
				a.ids = append(a.ids, h.ID)
			}
			return a, nil
		}},
	}
	var b strings.Builder
	for _, s := range systems {
		agree, empty := map[string]int{}, 0
		total := map[string]int{}
		var misses []string
		canonical := map[string]answer{}
		for _, v := range variants {
			want, ok := canonical[v.word]
			if !ok {
				var err error
				if want, err = s.run(v.word); err != nil {
					t.Fatalf("%s: %s: %v", s.name, v.word, err)
				}
				canonical[v.word] = want
				if want.total == 0 {
					empty++
				}
			}
			got, err := s.run(v.spelling)
			if err != nil {
				t.Fatalf("%s: %s: %v", s.name, v.spelling, err)
			}
			total[v.kind]++
			total["all"]++
			if got.equal(want) {
				agree[v.kind]++
				agree["all"]++
			} else if len(misses) < 12 {
				misses = append(misses, fmt.Sprintf("%s %s=%s: %d hits, the word %d", v.word, v.kind, v.spelling, got.total, want.total))
			}
		}
		fmt.Fprintf(&b, "\n%s: %d of %d variants find the same articles (%d words, %d of them without any match)", s.name, agree["all"], total["all"], len(canonical), empty)
		for _, k := range []string{"arabic", "harakat", "nozwnj", "space", "ascii", "indic", "persian"} {
			if total[k] > 0 {
				fmt.Fprintf(&b, "; %s %d/%d", k, agree[k], total[k])
			}
		}
		for _, m := range misses {
			b.WriteString("\n    differs: " + m)
		}
	}
	t.Log(b.String())
}
