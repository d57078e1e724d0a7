package outlets

import (
	"context"
	"sort"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// FindPeople returns the people a name refers to, best match first: the
// person whose key it is; then those whose name, native name or an alias
// equals it; then those with a word that starts with it; then those whose
// names merely contain it. Names are compared in text.Normalize form, so
// "علي" finds "علی" and "كاظم" finds "کاظم", and case and the half-space
// do not matter. limit <= 0 returns every match.
//
// The roster is read whole and matched in Go: a desk quotes thousands of
// people, not millions, and normalization is not available in SQL.
func FindPeople(ctx context.Context, q store.Querier, name string, limit int) ([]Person, error) {
	want := text.Normalize(name)
	if want == "" {
		return nil, nil
	}
	key := strings.ToLower(strings.TrimSpace(name))
	all, err := ListPeople(ctx, q)
	if err != nil {
		return nil, err
	}
	type ranked struct {
		p    Person
		rank int
	}
	var found []ranked
	for _, p := range all {
		rank := 4
		if p.Key == key {
			rank = 0
		}
		for _, n := range append([]string{p.Name, p.NativeName}, p.Aliases...) {
			if n == "" {
				continue
			}
			rank = min(rank, nameRank(text.Normalize(n), want))
		}
		if rank < 4 {
			found = append(found, ranked{p, rank})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].rank < found[j].rank })
	if limit > 0 && len(found) > limit {
		found = found[:limit]
	}
	out := make([]Person, len(found))
	for i, f := range found {
		out[i] = f.p
	}
	return out, nil
}

// nameRank says how well the normalized name n matches the normalized
// query q: 1 equal, 2 a word of n starts with q, 3 n contains q, 4 not at all.
func nameRank(n, q string) int {
	switch i := strings.Index(n, q); {
	case n == q:
		return 1
	case i < 0:
		return 4
	case i == 0 || strings.HasPrefix(n[i-1:], " ") || strings.HasPrefix(n[i-1:], "-"):
		return 2
	}
	return 3
}
