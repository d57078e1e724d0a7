package search

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// Request is a search as the command line and the JSON API receive it.
type Request struct {
	Query string `json:"q"`
	// Sort is SortRelevance (the default for a query with words) or
	// SortNewest (the default, and only order, for filters alone).
	Sort  string `json:"sort,omitempty"`
	Limit int    `json:"limit,omitempty"`
	// Cursor continues a previous search: Result.NextCursor.
	Cursor string `json:"cursor,omitempty"`
	// Facets asks for counts by outlet, orientation, language and day.
	Facets bool `json:"facets,omitempty"`
}

// Result is one page of matching articles (or, for a speaker: query, of
// clips) and the number of all matches.
type Result struct {
	// Query is the query as understood, fully parenthesized.
	Query string `json:"query"`
	Sort  string `json:"sort"`
	Total int    `json:"total"`
	Hits  []Hit  `json:"hits"`
	// Clips are the matches of a query with speaker:, which searches the
	// desk's clips instead of articles.
	Clips []Clip `json:"clips,omitempty"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string  `json:"next_cursor,omitempty"`
	Facets     *Facets `json:"facets,omitempty"`
}

// Hit is a matching article. TitleHTML and SnippetHTML are HTML-escaped
// text with the matching words in <mark>; show them in an element with
// the hit's Lang and Dir.
type Hit struct {
	ArticleID   int64     `json:"article_id"`
	URL         string    `json:"url,omitempty"`
	Title       string    `json:"title"`
	TitleHTML   string    `json:"title_html"`
	SnippetHTML string    `json:"snippet_html"`
	Lang        string    `json:"lang,omitempty"`
	Dir         string    `json:"dir"`
	PublishedAt time.Time `json:"published_at"`
	Outlet      OutletRef `json:"outlet"`
	// Score is the relevance (higher is better) when sorted by relevance.
	Score float64 `json:"score,omitempty"`
}

// OutletRef names the outlet of a hit or a facet.
type OutletRef struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Orientation string `json:"orientation,omitempty"`
	Kind        string `json:"kind,omitempty"`
}

// Facets count all matches, not just the page, by one property each.
type Facets struct {
	Outlets      []Count `json:"outlets"`
	Orientations []Count `json:"orientations"`
	Langs        []Count `json:"langs"`
	// Days are in date order; the others most frequent first.
	Days []Count `json:"days"`
}

// Count is the number of matches with one value of a property.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label,omitempty"`
	Count int    `json:"count"`
}

// plan is a parsed request, ready to run on a dialect.
type plan struct {
	q     Query
	e     *expr
	match matchSQL
}

func newPlan(d store.Dialect, query string) (plan, error) {
	q, err := Parse(query)
	if err != nil {
		return plan{}, err
	}
	e, err := compile(q)
	if err != nil {
		return plan{}, err
	}
	m := buildMatch(d, e)
	addFilters(&m.where, articleFilters(q.Filters), docColumns)
	return plan{q: q, e: e, match: m}, nil
}

// articleFilters drops speaker:, which only clips have.
func articleFilters(fs []Filter) []Filter {
	var out []Filter
	for _, f := range fs {
		if f.Field != FieldSpeaker {
			out = append(out, f)
		}
	}
	return out
}

// Search runs a request on db.
func Search(ctx context.Context, db store.Querier, req Request) (Result, error) {
	p, err := newPlan(db.Dialect(), req.Query)
	if err != nil {
		return Result{}, err
	}
	limit := req.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	res := Result{Query: p.q.String(), Hits: []Hit{}}
	if len(p.q.Values(FieldSpeaker)) > 0 {
		return searchClips(ctx, db, p, limit, res)
	}
	res.Sort, err = p.sort(req.Sort)
	if err != nil {
		return Result{}, err
	}
	roster, err := loadRoster(ctx, db)
	if err != nil {
		return Result{}, err
	}
	ids, scores, next, err := p.page(ctx, db, res.Sort, req.Cursor, limit)
	if err != nil {
		return Result{}, err
	}
	res.NextCursor = next
	if res.Hits, err = hydrate(ctx, db, p.e, roster, ids, scores); err != nil {
		return Result{}, err
	}
	if req.Facets {
		cells, err := p.aggregate(ctx, db)
		if err != nil {
			return Result{}, err
		}
		res.Facets = facetsOf(cells, roster)
		for _, c := range cells {
			res.Total += c.n
		}
		return res, nil
	}
	count := `SELECT count(*) FROM ` + p.match.from + ` WHERE ` + p.match.where.sql()
	if p.match.countSQL != "" && len(p.match.where.conds) == 1 {
		count = p.match.countSQL // the match is the only condition
	}
	err = db.QueryRowContext(ctx, count, p.match.where.args...).Scan(&res.Total)
	if err != nil {
		return Result{}, fmt.Errorf("search: count: %w", err)
	}
	return res, nil
}

// sort checks the requested order against what the query can give.
func (p plan) sort(want string) (string, error) {
	switch want {
	case "":
		if p.match.ranked() {
			return SortRelevance, nil
		}
		return SortNewest, nil
	case SortNewest:
		return SortNewest, nil
	case SortRelevance:
		if !p.match.ranked() {
			// Nothing to rank by: filters alone, or only exclusions.
			return SortNewest, nil
		}
		return SortRelevance, nil
	}
	return "", fmt.Errorf("search: %w: unknown sort %q (use %s or %s)", ErrInvalid, want, SortRelevance, SortNewest)
}

// page fetches the IDs of one page of matches, with their scores, and
// the cursor of the next page. Pagination is by keyset: the cursor holds
// the sort key of the last row, so deep pages cost no more than the first
// and concurrent inserts never shift or repeat rows in newest order. In
// relevance order, scores move as the index grows; a cursor then still
// never repeats a row, but may skip or show newly ranked ones.
func (p plan) page(ctx context.Context, db store.Querier, sort, cursor string, limit int) ([]int64, []float64, string, error) {
	m := p.match
	var args []any
	score := "0"
	if sort == SortRelevance {
		score = m.score
		args = append(args, m.scoreArgs...)
	}
	q := `SELECT d.article_id, d.published_unix, ` + score + ` AS score FROM ` + m.from + ` WHERE ` + m.where.sql()
	args = append(args, m.where.args...)
	if cursor != "" {
		c, err := p.decodeCursor(cursor, sort)
		if err != nil {
			return nil, nil, "", err
		}
		if sort == SortRelevance {
			q += ` AND (` + m.score + ` > ? OR (` + m.score + ` = ? AND d.article_id > ?))`
			args = append(args, m.scoreArgs...)
			args = append(args, c.score)
			args = append(args, m.scoreArgs...)
			args = append(args, c.score, c.id)
		} else {
			q += ` AND (d.published_unix < ? OR (d.published_unix = ? AND d.article_id < ?))`
			args = append(args, c.unix, c.unix, c.id)
		}
	}
	if sort == SortRelevance {
		q += ` ORDER BY score, d.article_id`
	} else {
		q += ` ORDER BY d.published_unix DESC, d.article_id DESC`
	}
	q += ` LIMIT ?`
	args = append(args, limit+1)
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, "", fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var scores []float64
	var last cursorKey
	for rows.Next() {
		var c cursorKey
		if err := rows.Scan(&c.id, &c.unix, &c.score); err != nil {
			return nil, nil, "", fmt.Errorf("search: %w", err)
		}
		if len(ids) == limit {
			return ids, scores, p.encodeCursor(sort, last), rows.Err()
		}
		ids, scores, last = append(ids, c.id), append(scores, c.score), c
	}
	return ids, scores, "", rows.Err()
}

// cursorKey is the sort key of a row.
type cursorKey struct {
	id    int64
	unix  int64
	score float64
}

// A cursor is "sort.key.id.hash" in URL-safe base64; the hash of the
// query and sort makes a cursor from another search fail loudly rather
// than page through the wrong results.
func (p plan) encodeCursor(sort string, k cursorKey) string {
	key := strconv.FormatInt(k.unix, 10)
	if sort == SortRelevance {
		key = strconv.FormatFloat(k.score, 'g', -1, 64)
	}
	raw := sort + "." + key + "." + strconv.FormatInt(k.id, 10) + "." + p.hash(sort)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ErrInvalid marks errors in a request (as opposed to failures of the
// store): a bad sort, cursor, interval or split. Malformed queries are
// reported as *Error.
var ErrInvalid = errors.New("invalid request")

var errCursor = fmt.Errorf("search: %w: the cursor does not belong to this query and sort; start again without it", ErrInvalid)

func (p plan) decodeCursor(s, sort string) (cursorKey, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursorKey{}, errCursor
	}
	parts := strings.Split(string(raw), ".")
	// A float key may hold a dot and an exponent: split from both ends.
	if len(parts) < 4 || parts[0] != sort || parts[len(parts)-1] != p.hash(sort) {
		return cursorKey{}, errCursor
	}
	key := strings.Join(parts[1:len(parts)-2], ".")
	var c cursorKey
	if c.id, err = strconv.ParseInt(parts[len(parts)-2], 10, 64); err != nil {
		return c, errCursor
	}
	if sort == SortRelevance {
		c.score, err = strconv.ParseFloat(key, 64)
	} else {
		c.unix, err = strconv.ParseInt(key, 10, 64)
	}
	if err != nil {
		return c, errCursor
	}
	return c, nil
}

func (p plan) hash(sort string) string {
	h := fnv.New32a()
	h.Write([]byte(sort + "\x00" + p.q.String()))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// cell is the number of matches of one outlet, language and day: the
// finest grain that facets and coverage need, fetched in one query.
type cell struct {
	outletID int64
	lang     string
	day      string
	n        int
}

func (p plan) aggregate(ctx context.Context, db store.Querier) ([]cell, error) {
	m := p.match
	rows, err := db.QueryContext(ctx, `SELECT d.outlet_id, d.lang, d.day, count(*) FROM `+m.from+
		` WHERE `+m.where.sql()+` GROUP BY d.outlet_id, d.lang, d.day`, m.where.args...)
	if err != nil {
		return nil, fmt.Errorf("search: counts: %w", err)
	}
	defer rows.Close()
	var out []cell
	for rows.Next() {
		var c cell
		if err := rows.Scan(&c.outletID, &c.lang, &c.day, &c.n); err != nil {
			return nil, fmt.Errorf("search: counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// roster maps outlet IDs to outlets; the desk follows dozens, not
// thousands, so the whole roster is read per search.
type roster map[int64]outlets.Outlet

func loadRoster(ctx context.Context, db store.Querier) (roster, error) {
	list, err := outlets.ListOutlets(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("search: outlets: %w", err)
	}
	r := make(roster, len(list))
	for _, o := range list {
		r[o.ID] = o
	}
	return r, nil
}

func (r roster) ref(id int64) OutletRef {
	o, ok := r[id]
	if !ok {
		return OutletRef{Key: strconv.FormatInt(id, 10), Name: "outlet " + strconv.FormatInt(id, 10)}
	}
	return OutletRef{Key: o.Key, Name: o.Name, Orientation: o.Orientation, Kind: string(o.Kind)}
}

// hydrate loads the articles of a page and highlights them.
func hydrate(ctx context.Context, db store.Querier, e *expr, r roster, ids []int64, scores []float64) ([]Hit, error) {
	hits := make([]Hit, 0, len(ids))
	if len(ids) == 0 {
		return hits, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.QueryContext(ctx, `SELECT id, outlet_id, url, title, text, lang, published_at, fetched_at
		FROM articles WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: load articles: %w", err)
	}
	defer rows.Close()
	byID := map[int64]Hit{}
	mk := newMarker(newTermSet(e))
	for rows.Next() {
		var h Hit
		var outletID int64
		var body string
		var published sql.NullTime
		var fetched time.Time
		if err := rows.Scan(&h.ArticleID, &outletID, &h.URL, &h.Title, &body, &h.Lang, &published, &fetched); err != nil {
			return nil, fmt.Errorf("search: load articles: %w", err)
		}
		h.PublishedAt = fetched.UTC()
		if published.Valid {
			h.PublishedAt = published.Time.UTC()
		}
		h.Outlet = r.ref(outletID)
		h.Dir = dir(h.Lang)
		h.TitleHTML = mk.highlightAll(h.Title)
		h.SnippetHTML = mk.snippet(body)
		byID[h.ArticleID] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		h, ok := byID[id]
		if !ok {
			continue // deleted since the page was read
		}
		if scores[i] != 0 {
			h.Score = -scores[i]
		}
		hits = append(hits, h)
	}
	return hits, nil
}
