package search

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// The public site's search runs on this package's engine too: the same
// parser, normalization (text.IndexText), FTS5 and tsvector matching,
// ranking and highlighting as the archive, over a separate index of the
// pages readers can see (tables published_docs and, on SQLite,
// published_fts; migration 00025). The index lives in the database, so
// every instance answers the same.
//
// The site's content is written by several packages (editions by reviews,
// analyses and events by posts, imports, the studio), and the triggers of
// migration 00006 bump site_version on every such write. The index
// records the version it was built at; the first search that finds it
// behind rebuilds it whole, in one transaction that also moves the
// recorded version, so a search never reads a half-built index and a
// publish is found by the next search on any instance. A scheduled page
// going live changes no row, so the index also records when the next one
// does and is rebuilt from then on.

// PublishedPage is a page of the public site as its search sees it.
type PublishedPage struct {
	Path  string // the page's path on the site, unique
	Label string // what it is: "Analysis", a series' name, "Event", "Author"
	Title string
	// Text is the dek or summary and the body as plain text: searched,
	// and cut for snippets.
	Text string
	// Extra is searched but not shown: names of authors and tags, which
	// the page shows anyway.
	Extra []string
	Day   string    // YYYY-MM-DD as the page shows it; "" for undated pages
	Date  time.Time // newer pages first among equal scores
}

// PublishedContent is the public site's content, as the site reads it.
type PublishedContent interface {
	// Version is the content version that every write to the site's
	// content moves forward.
	Version(ctx context.Context, q store.Querier) (int64, error)
	// Pages lists what readers can see at now, and when that list next
	// changes with no write (a scheduled page goes live); zero if never.
	Pages(ctx context.Context, q store.Querier, now time.Time) ([]PublishedPage, time.Time, error)
}

// SyncPublished brings the index of the site's pages up to date with
// the content as it is at now. It is cheap when the index is current.
// The content is read and normalized outside the write transaction, which
// then only replaces the rows, so a rebuild holds the database's write
// lock briefly; concurrent calls, on any instance, write it once.
func SyncPublished(ctx context.Context, db *store.DB, c PublishedContent, now time.Time) error {
	version, err := c.Version(ctx, db)
	if err != nil {
		return fmt.Errorf("site search: content version: %w", err)
	}
	if fresh, err := publishedFresh(ctx, db, version, now); err != nil || fresh {
		return err
	}
	// The version was read first, so the content read now is at least
	// that new; a write in between moves the version past the one
	// recorded below, and the next search rebuilds again.
	pages, next, err := c.Pages(ctx, db, now)
	if err != nil {
		return fmt.Errorf("site search: read the site's pages: %w", err)
	}
	docs := make([]publishedDoc, len(pages))
	for i, p := range pages {
		docs[i] = publishedDoc{page: p, title: text.IndexTerms(p.Title),
			body: text.IndexTerms(strings.Join(append([]string{p.Text}, p.Extra...), "\n"))}
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		// Take the state row first: a concurrent rebuild waits here and
		// then finds the index current.
		if _, err := tx.ExecContext(ctx, `UPDATE search_state SET published_version = published_version WHERE id = 1`); err != nil {
			return fmt.Errorf("site search: %w", err)
		}
		if fresh, err := publishedFresh(ctx, tx, version, now); err != nil || fresh {
			return err
		}
		if err := replacePublished(ctx, tx, docs); err != nil {
			return fmt.Errorf("site search: index the site's pages: %w", err)
		}
		validUntil := sql.NullTime{Time: next.UTC(), Valid: !next.IsZero()}
		_, err = tx.ExecContext(ctx, `UPDATE search_state SET published_version = ?, published_analyzer = ?,
			published_valid_until = ? WHERE id = 1`, version, text.AnalyzerVersion, validUntil)
		return err
	})
}

// publishedDoc is a page with its index terms.
type publishedDoc struct {
	page        PublishedPage
	title, body []string
}

// publishedFresh reports whether the index holds the content at version,
// as it is at now, with the current spelling rules.
func publishedFresh(ctx context.Context, q store.Querier, version int64, now time.Time) (bool, error) {
	var built int64
	var analyzer int
	var until sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT published_version, published_analyzer, published_valid_until
		FROM search_state WHERE id = 1`).Scan(&built, &analyzer, &until)
	if err != nil {
		return false, fmt.Errorf("site search: %w", err)
	}
	return built >= version && analyzer == text.AnalyzerVersion && (!until.Valid || now.Before(until.Time)), nil
}

// replacePublished empties the index and writes docs into it.
func replacePublished(ctx context.Context, tx *store.Tx, docs []publishedDoc) error {
	stmts := []string{`DELETE FROM published_docs`}
	if tx.Dialect() == store.SQLite {
		stmts = append(stmts, `INSERT INTO published_fts (published_fts) VALUES ('delete-all')`)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	for _, d := range docs {
		p := d.page
		cols, vals := `path, label, title, text, day, sort_unix`, `?, ?, ?, ?, ?, ?`
		args := []any{p.Path, p.Label, p.Title, p.Text, p.Day, p.Date.Unix()}
		if tx.Dialect() == store.Postgres {
			cols, vals = cols+`, tsv`, vals+`, CAST(? AS tsvector)`
			args = append(args, tsvectorOf(d.title, d.body))
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO published_docs (`+cols+`) VALUES (`+vals+`) RETURNING id`, args...).Scan(&id); err != nil {
			return fmt.Errorf("%s: %w", p.Path, err)
		}
		if tx.Dialect() == store.SQLite {
			if _, err := tx.ExecContext(ctx, `INSERT INTO published_fts (rowid, title, body) VALUES (?, ?, ?)`,
				id, strings.Join(d.title, " "), strings.Join(d.body, " ")); err != nil {
				return fmt.Errorf("%s: %w", p.Path, err)
			}
		}
	}
	return nil
}

// PublishedRequest is one page of a site search.
type PublishedRequest struct {
	Query         string
	Offset, Limit int
}

// PublishedResult is one page of the pages that match a query.
type PublishedResult struct {
	// Searched is false when the query constrains nothing (only
	// punctuation): the site asks for words rather than list every page.
	Searched bool
	Total    int // all matches
	Hits     []PublishedHit
}

// PublishedHit is a matching page. TitleHTML and SnippetHTML are
// HTML-escaped text with the matching words in <mark>, as in the
// archive's results.
type PublishedHit struct {
	Path, Label, Title, Day string
	TitleHTML, SnippetHTML  string
	Text                    string // the page's text, for its language
}

// SearchPublished finds the site's pages that match a query, by relevance
// (titles count three times the text, as in the archive) and then newest
// first. The query language is the archive's, but of its filters only
// after: and before: apply, to the day a page shows; undated pages match
// no date filter. A malformed query or another filter is an *Error. Call
// SyncPublished first.
func SearchPublished(ctx context.Context, q store.Querier, req PublishedRequest) (PublishedResult, error) {
	query, err := Parse(req.Query)
	if err != nil {
		return PublishedResult{}, err
	}
	var w where
	for _, f := range query.Filters {
		if f.Field != FieldAfter && f.Field != FieldBefore {
			return PublishedResult{}, &Error{Pos: f.Pos, Msg: fmt.Sprintf("the site search has no %s: filter; it takes after: and before:", f.Field)}
		}
	}
	for _, field := range []string{FieldAfter, FieldBefore} {
		publishedDayFilter(&w, query.Filters, field)
	}
	var e *expr
	if query.Text != nil {
		if e, err = compileNode(query.Text); err != nil {
			return PublishedResult{}, err
		}
	}
	if e == nil && len(query.Filters) == 0 {
		return PublishedResult{}, nil
	}
	res := PublishedResult{Searched: true}
	// score is empty without words to rank by: newest first.
	from, score, scoreArgs := "published_docs d", "", []any(nil)
	if e != nil {
		switch {
		case q.Dialect() == store.Postgres && e.onlyExclusions():
			w.add("NOT (d.tsv @@ CAST(? AS tsquery))", e.excluded().tsquery())
		case q.Dialect() == store.Postgres:
			tsq := e.tsquery()
			w.add("d.tsv @@ CAST(? AS tsquery)", tsq)
			score, scoreArgs = "-ts_rank('{0.1, 0.2, 0.33, 1.0}', d.tsv, CAST(? AS tsquery))", []any{tsq}
		case e.onlyExclusions():
			w.add("d.id NOT IN (SELECT rowid FROM published_fts WHERE published_fts MATCH ?)", e.excluded().fts5())
		default:
			from = "published_fts JOIN published_docs d ON d.id = published_fts.rowid"
			w.add("published_fts MATCH ?", e.fts5())
			score = "bm25(published_fts, 3.0, 1.0)"
		}
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+w.sql(), w.args...).Scan(&res.Total); err != nil {
		return PublishedResult{}, fmt.Errorf("site search: %w", err)
	}
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	order := ""
	if score != "" {
		order = score + ", "
	}
	// The arguments in the order of their placeholders: WHERE, then ORDER BY.
	args := append(append(w.args, scoreArgs...), limit, max(req.Offset, 0))
	rows, err := q.QueryContext(ctx, `SELECT d.path, d.label, d.title, d.text, d.day FROM `+from+` WHERE `+w.sql()+
		` ORDER BY `+order+`d.sort_unix DESC, d.path LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return PublishedResult{}, fmt.Errorf("site search: %w", err)
	}
	defer rows.Close()
	mk := newMarker(newTermSet(e))
	defer mk.release()
	for rows.Next() {
		var h PublishedHit
		if err := rows.Scan(&h.Path, &h.Label, &h.Title, &h.Text, &h.Day); err != nil {
			return PublishedResult{}, fmt.Errorf("site search: %w", err)
		}
		h.TitleHTML = mk.highlightAll(h.Title)
		h.SnippetHTML = mk.snippet(h.Text)
		res.Hits = append(res.Hits, h)
	}
	return res, rows.Err()
}

// publishedDayFilter adds the filters on field: a page passes when its
// day passes any of the field's filters and none of its negated ones.
func publishedDayFilter(w *where, fs []Filter, field string) {
	op := ">="
	if field == FieldBefore {
		op = "<"
	}
	var ors []string
	var args []any
	for _, f := range fs {
		if f.Field != field {
			continue
		}
		if f.Negate {
			w.add("NOT (d.day <> '' AND d.day "+op+" ?)", f.Values[0])
			continue
		}
		ors = append(ors, "d.day "+op+" ?")
		args = append(args, f.Values[0])
	}
	if len(ors) > 0 {
		w.add("(d.day <> '' AND ("+strings.Join(ors, " OR ")+"))", args...)
	}
}
