package candidates

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// Names are the normalized spellings under which a person's quotes are
// attributed: their name, native name and aliases in text.Normalize form,
// so that Arabic yeh and kaf, the half-space and case do not matter. A
// candidate whose speaker_norm is one of them is the person's.
func Names(p outlets.Person) []string {
	var out []string
	for _, n := range append([]string{p.Name, p.NativeName}, p.Aliases...) {
		if n := text.Normalize(n); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// Roster matches speaker names to the people on the roster.
type Roster struct {
	byName map[string][]outlets.Person
}

// LoadRoster reads the roster whole: a desk quotes thousands of people,
// and the names must be normalized in Go.
func LoadRoster(ctx context.Context, q store.Querier) (*Roster, error) {
	people, err := outlets.ListPeople(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	r := &Roster{byName: map[string][]outlets.Person{}}
	for _, p := range people {
		for _, n := range Names(p) {
			r.byName[n] = append(r.byName[n], p)
		}
	}
	return r, nil
}

// Match returns the people whose name or alias is name, in any spelling
// the normalizer folds: "علي لاريجاني" is "علی لاریجانی". Several people
// may share an alias; none is nil.
func (r *Roster) Match(name string) []outlets.Person {
	return r.byName[text.Normalize(name)]
}

// Quote is a person's quote: a candidate found in an article, or an
// analyst's clip that no candidate covers, with where and when it
// appeared.
type Quote struct {
	// Candidate is the found quote; for a clip that no candidate covers,
	// only Article, Start, End and Quote are set.
	Candidate
	// Clip is the analyst's clip of the passage (0 when not clipped).
	Clip         int64          `json:"clip,omitempty"`
	ArticleTitle string         `json:"article_title"`
	Lang         string         `json:"lang,omitempty"`
	Date         time.Time      `json:"date"`
	Outlet       outlets.Outlet `json:"outlet"`
}

// Camp is the outlet's orientation, or "unlabelled".
func (q Quote) Camp() string { return cmp.Or(q.Outlet.Orientation, Unlabelled) }

// Unlabelled is the camp of an outlet without an orientation.
const Unlabelled = "unlabelled"

// ForPerson returns p's quotes, newest first: the candidates attributed
// to one of p's names, and p's clips, a clip and the candidate it was
// made from (an overlapping passage of the same article) counting once.
func ForPerson(ctx context.Context, q store.Querier, p outlets.Person) ([]Quote, error) {
	var out []Quote
	if names := Names(p); len(names) > 0 {
		args := make([]any, len(names))
		for i, n := range names {
			args[i] = n
		}
		rows, err := q.QueryContext(ctx, `SELECT `+candidateColumns+`, a.title, a.lang, a.published_at, a.fetched_at,
				o.key, o.name, o.native_name, o.orientation
			FROM quote_candidates qc JOIN articles a ON a.id = qc.article_id JOIN outlets o ON o.id = a.outlet_id
			WHERE qc.speaker_norm IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("quotes of %s: %w", p.Key, err)
		}
		for rows.Next() {
			var qu Quote
			var published sql.NullTime
			var fetched time.Time
			qu.Candidate, err = scanCandidate(rows, &qu.ArticleTitle, &qu.Lang, &published, &fetched,
				&qu.Outlet.Key, &qu.Outlet.Name, &qu.Outlet.NativeName, &qu.Outlet.Orientation)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("quotes of %s: %w", p.Key, err)
			}
			qu.Date = fetched.UTC()
			if published.Valid {
				qu.Date = published.Time.UTC()
			}
			out = append(out, qu)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("quotes of %s: %w", p.Key, err)
		}
	}
	clipped, err := clipsOf(ctx, q, p)
	if err != nil {
		return nil, err
	}
	for _, c := range clipped {
		i := slices.IndexFunc(out, func(o Quote) bool {
			return o.Candidate.ID != 0 && o.Article == c.Article && o.Start < c.End && c.Start < o.End
		})
		if i >= 0 {
			out[i].Clip = c.Clip
			continue
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Quote) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Article, b.Article), cmp.Compare(a.Start, b.Start))
	})
	return out, nil
}

// clipsOf returns p's clips as quotes, at the anchor the analyst made,
// dated by the clip's date and placed in the clip's outlet.
func clipsOf(ctx context.Context, q store.Querier, p outlets.Person) ([]Quote, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT c.id, c.article_id, c.clip_date, c.original, c.original_lang, a.title,
			o.key, o.name, o.native_name, o.orientation,
			(SELECT an.start_cp FROM clip_anchors an WHERE an.clip_id = c.id ORDER BY an.id LIMIT 1),
			(SELECT an.end_cp FROM clip_anchors an WHERE an.clip_id = c.id ORDER BY an.id LIMIT 1)
		FROM clips c JOIN articles a ON a.id = c.article_id JOIN outlets o ON o.id = c.outlet_id
		WHERE c.speaker_id = (SELECT id FROM people WHERE key = ?)`, p.Key)
	if err != nil {
		return nil, fmt.Errorf("clips of %s: %w", p.Key, err)
	}
	defer rows.Close()
	var out []Quote
	for rows.Next() {
		var qu Quote
		var day string
		var start, end sql.NullInt64
		if err := rows.Scan(&qu.Clip, &qu.Article, &day, &qu.Quote, &qu.Lang, &qu.ArticleTitle,
			&qu.Outlet.Key, &qu.Outlet.Name, &qu.Outlet.NativeName, &qu.Outlet.Orientation, &start, &end); err != nil {
			return nil, fmt.Errorf("clips of %s: %w", p.Key, err)
		}
		if qu.Date, err = time.Parse(time.DateOnly, day); err != nil {
			return nil, fmt.Errorf("clip %d: date %q: %w", qu.Clip, day, err)
		}
		qu.Start, qu.End = int(start.Int64), int(end.Int64)
		out = append(out, qu)
	}
	return out, rows.Err()
}

// Chart counts quotes by month and camp: the shape of who said what over
// time.
type Chart struct {
	// Months are "2006-01", every month from the first quote's to the
	// last's, gaps included, so that a silence shows.
	Months []string
	// Camps are the camps in descending order of quotes.
	Camps []string
	// Counts[i][j] is the number of quotes in Months[i] from Camps[j].
	Counts [][]int
	// Max is the largest count of one month (all camps together).
	Max int
}

// ChartOf counts qs by month and camp.
func ChartOf(qs []Quote) Chart {
	var c Chart
	if len(qs) == 0 {
		return c
	}
	first, last := qs[0].Date, qs[0].Date
	perCamp := map[string]int{}
	for _, q := range qs {
		first, last = minTime(first, q.Date), maxTime(last, q.Date)
		perCamp[q.Camp()]++
	}
	for camp := range perCamp {
		c.Camps = append(c.Camps, camp)
	}
	slices.SortFunc(c.Camps, func(a, b string) int { return cmp.Or(perCamp[b]-perCamp[a], strings.Compare(a, b)) })
	month := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	index := map[string]int{}
	for !month.After(last) {
		index[month.Format("2006-01")] = len(c.Months)
		c.Months = append(c.Months, month.Format("2006-01"))
		c.Counts = append(c.Counts, make([]int, len(c.Camps)))
		month = month.AddDate(0, 1, 0)
	}
	for _, q := range qs {
		row := c.Counts[index[q.Date.Format("2006-01")]]
		row[slices.Index(c.Camps, q.Camp())]++
	}
	for _, row := range c.Counts {
		sum := 0
		for _, n := range row {
			sum += n
		}
		c.Max = max(c.Max, sum)
	}
	return c
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Proposal is a speaker name the finder attributed quotes to that no one
// on the roster has: a person the analyst may add (or dismiss).
type Proposal struct {
	// Name is the name as most often written; Norm its normalized form.
	Name string `json:"name"`
	Norm string `json:"norm"`
	// Role is the role most often written beside the name ("" if none).
	Role   string `json:"role,omitempty"`
	Quotes int    `json:"quotes"`
	// Article is the latest article that quotes them, for context.
	Article int64 `json:"article"`
}

// Proposals lists the unknown speakers, most quoted first, at most limit
// (<= 0: all). Names the analyst dismissed are left out, and so are the
// desk's outlets: "Kayhan wrote that …" attributes words to a newspaper,
// which is not a person to add.
func Proposals(ctx context.Context, q store.Querier, limit int) ([]Proposal, error) {
	roster, err := LoadRoster(ctx, q)
	if err != nil {
		return nil, err
	}
	os, err := outlets.ListOutlets(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("speaker proposals: %w", err)
	}
	outletNames := map[string]bool{}
	for _, o := range os {
		outletNames[text.Normalize(o.Name)], outletNames[text.Normalize(o.NativeName)] = true, true
	}
	rows, err := q.QueryContext(ctx, `
		SELECT qc.speaker_norm, qc.speaker_name, qc.role, count(*), max(qc.article_id)
		FROM quote_candidates qc
		WHERE qc.speaker_norm <> '' AND NOT EXISTS (SELECT 1 FROM speaker_dismissals d WHERE d.name_norm = qc.speaker_norm)
		GROUP BY qc.speaker_norm, qc.speaker_name, qc.role`)
	if err != nil {
		return nil, fmt.Errorf("speaker proposals: %w", err)
	}
	defer rows.Close()
	type tally struct {
		p             Proposal
		names, roles  map[string]int
		latestArticle int64
	}
	byNorm := map[string]*tally{}
	var order []string
	for rows.Next() {
		var norm, name, role string
		var n int
		var article int64
		if err := rows.Scan(&norm, &name, &role, &n, &article); err != nil {
			return nil, fmt.Errorf("speaker proposals: %w", err)
		}
		if len(roster.byName[norm]) > 0 || outletNames[norm] {
			continue
		}
		t := byNorm[norm]
		if t == nil {
			t = &tally{p: Proposal{Norm: norm}, names: map[string]int{}, roles: map[string]int{}}
			byNorm[norm] = t
			order = append(order, norm)
		}
		t.p.Quotes += n
		t.names[name] += n
		if role != "" {
			t.roles[role] += n
		}
		t.p.Article = max(t.p.Article, article)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("speaker proposals: %w", err)
	}
	out := make([]Proposal, 0, len(order))
	for _, norm := range order {
		t := byNorm[norm]
		t.p.Name, t.p.Role = mostCommon(t.names), mostCommon(t.roles)
		out = append(out, t.p)
	}
	slices.SortFunc(out, func(a, b Proposal) int { return cmp.Or(b.Quotes-a.Quotes, strings.Compare(a.Norm, b.Norm)) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// mostCommon is the key with the highest count, the first in string
// order on a tie; "" for none.
func mostCommon(m map[string]int) string {
	best, n := "", 0
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}

// ErrNoName refuses to dismiss a blank name.
var ErrNoName = errors.New("a speaker name is required")

// Dismiss stops proposing name as a new person; by says who decided.
func Dismiss(ctx context.Context, q store.Querier, name, by string) error {
	norm := text.Normalize(name)
	if norm == "" {
		return ErrNoName
	}
	_, err := q.ExecContext(ctx, `INSERT INTO speaker_dismissals (name_norm, name, dismissed_by) VALUES (?, ?, ?)
		ON CONFLICT (name_norm) DO NOTHING`, norm, strings.TrimSpace(name), by)
	if err != nil {
		return fmt.Errorf("dismiss speaker %q: %w", name, err)
	}
	return nil
}
