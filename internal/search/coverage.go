package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Coverage intervals and splits.
const (
	IntervalDay  = "day"
	IntervalWeek = "week"

	ByNone        = ""
	ByOrientation = "orientation"
	ByOutlet      = "outlet"
	ByLang        = "lang"
)

// DefaultMaxSeries is how many series a coverage chart shows before it
// folds the smallest into "Other": more lines than this cannot be told
// apart by colour.
const DefaultMaxSeries = 8

// maxPeriods bounds the length of a series (ten years of days).
const maxPeriods = 3660

// CoverageRequest asks how many articles match a query per day or week.
type CoverageRequest struct {
	Query string `json:"q"`
	// Interval is IntervalDay (default) or IntervalWeek; weeks start on
	// Monday, as ISO weeks do.
	Interval string `json:"interval,omitempty"`
	// By splits the counts into one series per orientation, outlet or
	// language; empty gives one series of all matches.
	By        string `json:"by,omitempty"`
	MaxSeries int    `json:"max_series,omitempty"`
}

// Coverage is a set of aligned time series: Series[i].Counts[j] is the
// number of matches in series i during the period that starts on
// Periods[j]. The periods run without gaps from the after: date (or the
// first match) to the day before the before: date (or the last match).
type Coverage struct {
	Query    string   `json:"query"`
	Interval string   `json:"interval"`
	By       string   `json:"by,omitempty"`
	Periods  []string `json:"periods"`
	Series   []Series `json:"series"`
	Total    int      `json:"total"`
}

// Series is the counts of one orientation, outlet or language.
type Series struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Total  int    `json:"total"`
	Counts []int  `json:"counts"`
}

// CoverageOf counts the matches of a query over time.
func CoverageOf(ctx context.Context, db store.Querier, req CoverageRequest) (c Coverage, err error) {
	err = customPlans(ctx, db, func(q store.Querier) error {
		c, err = coverageOf(ctx, q, req)
		return err
	})
	return c, err
}

func coverageOf(ctx context.Context, db store.Querier, req CoverageRequest) (Coverage, error) {
	interval := cmp.Or(req.Interval, IntervalDay)
	if interval != IntervalDay && interval != IntervalWeek {
		return Coverage{}, fmt.Errorf("coverage: %w: interval %q: use %s or %s", ErrInvalid, req.Interval, IntervalDay, IntervalWeek)
	}
	switch req.By {
	case ByNone, ByOrientation, ByOutlet, ByLang:
	default:
		return Coverage{}, fmt.Errorf("coverage: %w: by %q: use %s, %s or %s", ErrInvalid, req.By, ByOrientation, ByOutlet, ByLang)
	}
	p, err := newPlan(db.Dialect(), req.Query)
	if err != nil {
		return Coverage{}, err
	}
	if len(p.q.Values(FieldSpeaker)) > 0 {
		return Coverage{}, fmt.Errorf("coverage: %w: speaker: selects clips, which have no coverage series; remove it", ErrInvalid)
	}
	cache, roster, err := cacheAndRoster(ctx, db)
	if err != nil {
		return Coverage{}, err
	}
	cells, cached, err := p.cachedCells(ctx, db, cache, req.By, roster)
	if err != nil {
		return Coverage{}, err
	}
	if !cached {
		if err := p.narrowToFilters(ctx, db); err != nil {
			return Coverage{}, err
		}
		if cells, err = p.aggregate(ctx, db, req.By); err != nil {
			return Coverage{}, err
		}
	}
	c := Coverage{Query: p.q.String(), Interval: interval, By: req.By, Periods: []string{}, Series: []Series{}}
	first, last, ok := dayRange(p.q, cells)
	if !ok {
		return c, nil
	}
	if interval == IntervalWeek {
		first, last = weekStart(first), weekStart(last)
	}
	step := map[string]int{IntervalDay: 1, IntervalWeek: 7}[interval]
	index := map[string]int{}
	for d := first; !d.After(last); d = d.AddDate(0, 0, step) {
		if len(c.Periods) == maxPeriods {
			return Coverage{}, fmt.Errorf("coverage: %w: more than %d periods; narrow the dates or count by week", ErrInvalid, maxPeriods)
		}
		day := d.Format(dayLayout)
		index[day] = len(c.Periods)
		c.Periods = append(c.Periods, day)
	}
	series := map[string]*Series{}
	// The period of each day, found once for the day's cells of every
	// outlet and language.
	periodOf := map[string]int{}
	for _, cl := range cells {
		j, ok := periodOf[cl.day]
		if !ok {
			day, err := parseDay(cl.day)
			if err != nil {
				return Coverage{}, fmt.Errorf("coverage: bad day %q in the index", cl.day)
			}
			if interval == IntervalWeek {
				day = weekStart(day)
			}
			if j, ok = index[day.Format(dayLayout)]; !ok {
				j = -1
			}
			periodOf[cl.day] = j
		}
		if j < 0 {
			continue // outside after:/before:, which cannot happen but costs nothing to check
		}
		key, label := seriesKey(req.By, cl, roster)
		s := series[key]
		if s == nil {
			s = &Series{Key: key, Label: label, Counts: make([]int, len(c.Periods))}
			series[key] = s
		}
		s.Counts[j] += cl.n
		s.Total += cl.n
		c.Total += cl.n
	}
	for _, s := range series {
		c.Series = append(c.Series, *s)
	}
	slices.SortFunc(c.Series, func(a, b Series) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Key, b.Key))
	})
	c.Series = foldSeries(c.Series, cmp.Or(req.MaxSeries, DefaultMaxSeries), req.By)
	return c, nil
}

// dayRange is the span of days a coverage series covers: from the after:
// date, else the first match, to the day before the before: date, else
// the last match.
func dayRange(q Query, cells []cell) (first, last time.Time, ok bool) {
	var after, before time.Time
	for _, f := range q.Filters {
		if f.Negate || (f.Field != FieldAfter && f.Field != FieldBefore) {
			continue
		}
		d, _ := parseDay(f.Values[0]) // checked by the parser
		if f.Field == FieldAfter && d.After(after) {
			after = d
		}
		if f.Field == FieldBefore && (before.IsZero() || d.Before(before)) {
			before = d
		}
	}
	seen := map[string]bool{} // each day is parsed once
	for i, cl := range cells {
		if seen[cl.day] {
			continue
		}
		seen[cl.day] = true
		d, _ := parseDay(cl.day)
		if i == 0 || d.Before(first) {
			first = d
		}
		if i == 0 || d.After(last) {
			last = d
		}
	}
	if !after.IsZero() {
		first = after
	}
	if !before.IsZero() {
		last = before.AddDate(0, 0, -1)
	}
	ok = !first.IsZero() && !last.IsZero() && !last.Before(first)
	return first, last, ok
}

// weekStart returns the Monday of d's week.
func weekStart(d time.Time) time.Time {
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func seriesKey(by string, c cell, r roster) (key, label string) {
	switch by {
	case ByOrientation:
		o := r[c.outletID].Orientation
		if o == "" {
			return "", "No orientation"
		}
		return o, o
	case ByOutlet:
		ref := r.ref(c.outletID)
		return ref.Key, ref.Name
	case ByLang:
		if c.lang == "" {
			return "", "Unknown language"
		}
		return c.lang, c.lang
	}
	return "all", "All articles"
}

// foldSeries keeps the max-1 largest series and sums the rest into one
// "Other" series, when there are more than max.
func foldSeries(all []Series, max int, by string) []Series {
	if len(all) <= max || max < 2 {
		return all
	}
	keep := all[:max-1]
	other := Series{Key: "other", Label: "Other " + map[string]string{ByOrientation: "orientations", ByOutlet: "outlets", ByLang: "languages"}[by],
		Counts: make([]int, len(all[0].Counts))}
	for _, s := range all[max-1:] {
		other.Total += s.Total
		for j, n := range s.Counts {
			other.Counts[j] += n
		}
	}
	return append(slices.Clip(keep), other)
}

// facetsOf counts matches by outlet, orientation, language and day. An
// article counts once for each outlet that lists it, and once for each
// of their orientations, so that a count is what its filter finds.
func facetsOf(rows []windowRow, r roster) *Facets {
	// The matches are first counted by outlet ID, language and day apart,
	// in maps of a few hundred keys at most, which ten thousand of them
	// fill in a fraction of the time that string-keyed maps, or one map
	// of the three together (nearly a key per match), would take; other
	// outlets' listings, rare, are counted apart.
	byOutlet, byLang, byDay := map[int64]int{}, map[string]int{}, map[int64]int{}
	alsoOutlet, alsoOrientation := map[int64]int{}, map[string]int{}
	for _, row := range rows {
		byOutlet[row.outletID]++
		byLang[row.lang]++
		byDay[row.day]++
		if len(row.listedBy) == 0 {
			continue
		}
		for i, id := range row.listedBy {
			if !slices.Contains(row.listedBy[:i], id) {
				alsoOutlet[id]++
			}
		}
		for _, id := range otherCamps(r[row.outletID].Orientation, row.listedBy, r) {
			alsoOrientation[r[id].Orientation]++
		}
	}
	outlets, orientations, langs, days := map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}
	bump := func(m map[string]*Count, key, label string, n int) {
		c := m[key]
		if c == nil {
			c = &Count{Key: key, Label: label}
			m[key] = c
		}
		c.Count += n
	}
	for id, n := range byOutlet {
		ref := r.ref(id)
		bump(outlets, ref.Key, ref.Name, n)
		bump(orientations, ref.Orientation, "", n)
	}
	for lang, n := range byLang {
		bump(langs, lang, "", n)
	}
	for day, n := range byDay {
		bump(days, time.Unix(day*86400, 0).UTC().Format(dayLayout), "", n)
	}
	for id, n := range alsoOutlet {
		ref := r.ref(id)
		bump(outlets, ref.Key, ref.Name, n)
	}
	for o, n := range alsoOrientation {
		bump(orientations, o, "", n)
	}
	byCount := func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) }
	byKey := func(a, b Count) int { return cmp.Compare(a.Key, b.Key) }
	return &Facets{
		Outlets:      sortedCounts(outlets, byCount),
		Orientations: sortedCounts(orientations, byCount),
		Langs:        sortedCounts(langs, byCount),
		Days:         sortedCounts(days, byKey),
	}
}

func sortedCounts(m map[string]*Count, order func(a, b Count) int) []Count {
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, order)
	return out
}

// otherCamps returns, of the outlets that also list an article, one for
// each orientation other than own (its own outlet's): the lowest ID of
// that orientation, as aggregate's SQL picks it. An article counts once
// for each camp among its outlets, in facets and in coverage alike.
func otherCamps(own string, listed []int64, r roster) []int64 {
	var out []int64
	for _, id := range listed {
		o := r[id].Orientation
		if o == own {
			continue
		}
		if i := slices.IndexFunc(out, func(p int64) bool { return r[p].Orientation == o }); i < 0 {
			out = append(out, id)
		} else if id < out[i] {
			out[i] = id
		}
	}
	return out
}
