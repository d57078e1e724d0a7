package search

import (
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

const dayLayout = "2006-01-02"

// parseDay reads a YYYY-MM-DD date as the start of that day in UTC. Days
// are UTC days throughout the package, in filters, facets and coverage.
func parseDay(s string) (time.Time, error) { return time.Parse(dayLayout, s) }

// where is a conjunction of SQL conditions with their arguments, in order.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// outletColumn maps the filters that select outlets to the outlets column
// they compare; outlet: also matches the outlet's name or native name, so
// that outlet:kayhan, outlet:"Kayhan" and outlet:کیهان all work.
var outletColumn = map[string][]string{
	FieldOutlet:      {"key", "name", "native_name"},
	FieldOrientation: {"orientation"},
	FieldKind:        {"kind"},
}

// filterColumns names the columns the filters compare, which differ
// between articles (search_docs d) and clips (entries e, entry_parts p).
type filterColumns struct {
	outletID, lang string
	// article is the article ID column, which quotes: tests; "" where
	// quotes: is not an article filter (clips, see quotesSources).
	article string
	// time is the column that after: and before: compare; timeArg turns
	// the first instant of a day into its value.
	time    string
	timeArg func(time.Time) any
}

var docColumns = filterColumns{
	outletID: "d.outlet_id", lang: "d.lang", article: "d.article_id", time: "d.published_unix",
	timeArg: func(t time.Time) any { return t.Unix() },
}

// rowColumns are docColumns with the language and the time in
// expressions that no index of search_docs serves (PostgreSQL uses an
// index only for the bare column), for filters that are to be tested on
// the rows another index found. The outlet filters keep their indexes:
// the planner cannot estimate outlet_id = ANY (ARRAY (…)), so nothing
// says they select more than the words, and where they select one outlet
// of sixty, their index spares a search the rows of its words' other
// matches (outlet:outlet-01 اقتصاد at a million articles, estimated with
// a smaller sample: 1,494 rows read with the index, 14,043 without).
var rowColumns = filterColumns{
	outletID: "d.outlet_id", lang: "(d.lang || '')", article: "d.article_id", time: "(d.published_unix + 0)",
	timeArg: docColumns.timeArg,
}

// candidateColumns are docColumns under the alias c, for the candidates
// of narrowToFilters.
var candidateColumns = filterColumns{
	outletID: "c.outlet_id", lang: "c.lang", article: "c.article_id", time: "c.published_unix",
	timeArg: docColumns.timeArg,
}

// addFilters adds filters (all but speaker:) to w, for dialect d. Values
// of one field are alternatives; a negated filter excludes its values.
func addFilters(w *where, d store.Dialect, filters []Filter, cols filterColumns) {
	for _, f := range filters {
		vals := make([]any, len(f.Values))
		for i, v := range f.Values {
			vals[i] = strings.ToLower(v)
		}
		not := ""
		if f.Negate {
			not = "NOT "
		}
		switch f.Field {
		case FieldOutlet, FieldOrientation, FieldKind:
			var ors []string
			var args []any
			for _, col := range outletColumn[f.Field] {
				ors = append(ors, "lower("+col+") IN ("+placeholders(len(vals))+")")
				args = append(args, vals...)
			}
			outlets := "SELECT id FROM outlets WHERE " + strings.Join(ors, " OR ")
			// An article also belongs to the other outlets that list it
			// (article_outlets: one URL in two outlets' feeds), as in
			// coverage and the facets. Clips have their entry's outlet.
			if d == store.Postgres {
				// An array computed once, where IN (subquery) would join
				// outlet by outlet: with a word, PostgreSQL then scanned
				// the GIN index once per outlet (nine times for
				// orientation:reformist, 400 ms at a million articles)
				// instead of once.
				cond := cols.outletID + " = ANY (ARRAY (" + outlets + "))"
				if cols.article != "" {
					listed := "SELECT ao.article_id FROM article_outlets ao WHERE ao.outlet_id = ANY (ARRAY (" + outlets + "))"
					cond += " OR " + cols.article + " = ANY (ARRAY (" + listed + "))"
					args = append(args, args...)
				}
				w.add(not+"("+cond+")", args...)
				continue
			}
			if cols.article == "" {
				w.add(cols.outletID+" "+not+"IN ("+outlets+")", args...)
				continue
			}
			listed := "SELECT ao.article_id FROM article_outlets ao WHERE ao.outlet_id IN (" + outlets + ")"
			w.add(not+"("+cols.outletID+" IN ("+outlets+") OR "+cols.article+" IN ("+listed+"))", append(args, args...)...)
		case FieldLang:
			w.add(cols.lang+" "+not+"IN ("+placeholders(len(vals))+")", vals...)
		case FieldAfter, FieldBefore:
			day, _ := parseDay(f.Values[0]) // checked by the parser
			// after: includes its day, before: excludes its day, so
			// after:2025-03-01 before:2025-03-08 is one week.
			from := f.Field == FieldAfter
			if f.Negate {
				from = !from
			}
			op := "<"
			if from {
				op = ">="
			}
			w.add(cols.time+" "+op+" ?", cols.timeArg(day))
		case FieldQuotes:
			if cols.article != "" {
				w.add(not + quotesCond(cols.article, f.Values))
			}
		}
	}
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// matchSQL says how one dialect finds the documents that match e: tables
// to add to FROM, a condition, and the relevance score (lower is better).
type matchSQL struct {
	from  string
	where where
	score string
	// scoreArgs are the arguments of score.
	scoreArgs []any
	// newest is the column by whose descending order the matches come
	// cheapest, the article ID: FTS5 walks its doclists backwards by
	// rowid, and search_docs is keyed by article_id.
	newest string
	// fts is the FTS5 expression on SQLite for a query with words, which
	// search_fts can run alone, without the join to search_docs: much
	// faster for counting and ranking common words when no filter needs
	// the columns of search_docs.
	fts string
}

// bm25 weights: a word in the title counts three times one in the body.
const bm25Weights = "3.0, 1.0"

// sqliteScore ranks the SQL of search.go, which serves what the docCache
// does not (cachedScore, bm25.go: the same scores).
const sqliteScore = "bm25(search_fts, " + bm25Weights + ")"

// buildMatch returns the FROM clause, match condition and score for e on
// the dialect of q. A nil e matches everything; an e made only of
// exclusions matches what its excluded expression does not.
func buildMatch(d store.Dialect, e *expr) matchSQL {
	m := matchSQL{from: "search_docs d", score: "0", newest: "d.article_id"}
	if e == nil {
		return m
	}
	if d == store.Postgres {
		if e.onlyExclusions() {
			m.where.add("NOT (d.tsv @@ CAST(? AS tsquery))", e.excluded().tsquery())
			return m
		}
		q := e.tsquery()
		m.where.add("d.tsv @@ CAST(? AS tsquery)", q)
		// ts_rank weights D, C, B, A: titles are weight A, bodies B,
		// giving the same 3:1 (here 1.0:0.33) emphasis as bm25 on SQLite.
		m.score = "-ts_rank('{0.1, 0.2, 0.33, 1.0}', d.tsv, CAST(? AS tsquery))"
		m.scoreArgs = []any{q}
		return m
	}
	if e.onlyExclusions() {
		m.where.add("d.article_id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)", e.excluded().fts5())
		return m
	}
	m.from = "search_fts JOIN search_docs d ON d.article_id = search_fts.rowid"
	m.where.add("search_fts MATCH ?", e.fts5())
	m.fts = e.fts5()
	m.newest = "search_fts.rowid"
	m.score = sqliteScore
	return m
}

// ranked reports whether the match gives a meaningful relevance order.
func (m matchSQL) ranked() bool { return m.score != "0" }
