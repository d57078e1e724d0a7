package posts

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// Related content follows Hugo's weighted index: each index (shared tags,
// authors, series, title keywords) adds its weight per match, a post must
// pass a threshold on those, and recency then lifts the nearer in time.
// The order is total (score, date, slug), so a page shows the same related
// posts on every render and every instance.
const (
	weightTag      = 100
	weightAuthor   = 60
	weightSeries   = 40
	weightKeyword  = 20
	weightRecency  = 30  // at most, for a post published the same day
	recencyHalfife = 180 // days after which the recency bonus halves
	relatedMin     = 40  // a shared series, or a tag, or an author, or two keywords
)

// features are what the index compares.
type features struct {
	post     *Post
	tags     map[string]bool
	authors  map[string]bool
	keywords map[string]bool
}

// Related returns up to n public posts most related to p.
func Related(ctx context.Context, q store.Querier, p *Post, now time.Time, n int) ([]*Post, error) {
	all, _, err := List(ctx, q, Filter{}, now, math.MaxInt32, 0)
	if err != nil {
		return nil, fmt.Errorf("related posts: %w", err)
	}
	self := featuresOf(p)
	type scored struct {
		*Post
		score float64
	}
	var cands []scored
	for _, c := range all {
		if c.Kind == p.Kind && c.Slug == p.Slug {
			continue
		}
		f := featuresOf(c)
		s := float64(weightTag*overlap(self.tags, f.tags) + weightAuthor*overlap(self.authors, f.authors) +
			weightKeyword*overlap(self.keywords, f.keywords))
		if p.SeriesKey != "" && p.SeriesKey == c.SeriesKey {
			s += weightSeries
		}
		if s < relatedMin {
			continue
		}
		days := math.Abs(p.PublishAt.Sub(c.PublishAt).Hours() / 24)
		s += weightRecency * math.Exp2(-days/recencyHalfife)
		cands = append(cands, scored{c, s})
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if !a.PublishAt.Equal(b.PublishAt) {
			return a.PublishAt.After(b.PublishAt)
		}
		return a.Slug < b.Slug
	})
	out := make([]*Post, 0, n)
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].Post)
	}
	return out, nil
}

func featuresOf(p *Post) features {
	f := features{post: p, tags: map[string]bool{}, authors: map[string]bool{}, keywords: map[string]bool{}}
	for _, t := range p.Tags {
		f.tags[t.Key] = true
	}
	for _, a := range p.Authors {
		f.authors[a.Key] = true
	}
	for _, tok := range text.Tokens(p.Title + " " + p.Dek) {
		if len([]rune(tok)) < 3 || text.IsStopWord("en", tok) || text.IsStopWord("fa", tok) || text.IsStopWord("ar", tok) {
			continue
		}
		f.keywords[text.Stem(tok)] = true
	}
	return f
}

func overlap(a, b map[string]bool) int {
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return n
}
