// Package searchbench measures pressreview's archive search against Bleve
// (v2.6.3, with its fa, ar and en analyzers) on the same generated
// archive, the same query mix (gen.Mix) and in the same run. It is a
// module of its own so that Bleve never enters the product's dependencies.
//
//	cd bench/search
//	PRESSREVIEW_SEARCH_BENCH=100000 PRESSREVIEW_SEARCH_BENCH_DIR=/work/bench \
//	  go test -run TestPeer -v -timeout 3h
//
// See peer_test.go for what is measured and how.
package searchbench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fa"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// langs are the archive's languages; each is indexed with Bleve's
// analyzer of the same name.
var langs = []string{"fa", "ar", "en"}

// titleBoost gives a title match three times the weight of a body match,
// as pressreview's bm25 weights do.
const titleBoost = 3

// newMapping maps a document type per language (chosen by the lang
// field): title and body analyzed with that language's analyzer, stored
// with term vectors for highlighting; outlet, orientation, kind, lang and
// day as keywords for filters and facets; cell (outlet|lang|day) for
// coverage, which pressreview counts in the same cells.
func newMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.TypeField = "lang"
	for _, lang := range langs {
		dm := bleve.NewDocumentMapping()
		txt := bleve.NewTextFieldMapping()
		txt.Analyzer = lang
		txt.Store = true
		txt.IncludeTermVectors = true
		dm.AddFieldMappingsAt("title", txt)
		dm.AddFieldMappingsAt("body", txt)
		for _, f := range []string{"outlet", "orientation", "kind", "lang", "day", "cell"} {
			kw := bleve.NewKeywordFieldMapping()
			kw.Store = false
			dm.AddFieldMappingsAt(f, kw)
		}
		dt := bleve.NewDateTimeFieldMapping()
		dt.Store = false
		dm.AddFieldMappingsAt("published", dt)
		im.AddDocumentMapping(lang, dm)
	}
	return im
}

// outlet is what a Bleve document records of its outlet.
type outlet struct{ key, orientation, kind string }

func loadOutlets(ctx context.Context, db *store.DB) (map[int64]outlet, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, key, orientation, kind FROM outlets`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]outlet{}
	for rows.Next() {
		var id int64
		var o outlet
		if err := rows.Scan(&id, &o.key, &o.orientation, &o.kind); err != nil {
			return nil, err
		}
		o.key, o.orientation, o.kind = strings.ToLower(o.key), strings.ToLower(o.orientation), strings.ToLower(o.kind)
		out[id] = o
	}
	return out, rows.Err()
}

// buildBleve indexes every article of db, as stored there (so both
// systems hold the same documents with the same IDs), in batches of 1,000.
func buildBleve(ctx context.Context, db *store.DB, path string) (bleve.Index, int, error) {
	idx, err := bleve.New(path, newMapping())
	if err != nil {
		return nil, 0, err
	}
	roster, err := loadOutlets(ctx, db)
	if err != nil {
		return nil, 0, err
	}
	n := 0
	var after int64
	for {
		rows, err := db.QueryContext(ctx, `SELECT id, outlet_id, title, text, lang, published_at, fetched_at
			FROM articles WHERE id > ? ORDER BY id LIMIT 1000`, after)
		if err != nil {
			return nil, n, err
		}
		b := idx.NewBatch()
		for rows.Next() {
			var id, outletID int64
			var title, body, lang string
			var published sql.NullTime
			var fetched time.Time
			if err := rows.Scan(&id, &outletID, &title, &body, &lang, &published, &fetched); err != nil {
				rows.Close()
				return nil, n, err
			}
			at := fetched
			if published.Valid {
				at = published.Time
			}
			at = at.UTC()
			o := roster[outletID]
			day := at.Format("2006-01-02")
			err := b.Index(fmt.Sprint(id), map[string]any{
				"lang": lang, "title": title, "body": body,
				"outlet": o.key, "orientation": o.orientation, "kind": o.kind,
				"day": day, "cell": o.key + "|" + lang + "|" + day, "published": at,
			})
			if err != nil {
				rows.Close()
				return nil, n, err
			}
			after = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, n, err
		}
		if b.Size() == 0 {
			return idx, n, nil
		}
		n += b.Size()
		if err := idx.Batch(b); err != nil {
			return nil, n, err
		}
	}
}

// translator turns a pressreview query into the Bleve query that a
// developer would write for it: every word searched with each language's
// analyzer in title (boosted) and body, OR, AND and exclusions as boolean
// queries, a phrase as a match-phrase query, a prefix as a prefix query
// on the analyzed stem, filters as keyword and date-range queries.
type translator struct{ m mapping.IndexMapping }

func (t translator) query(q string) (query.Query, error) {
	parsed, err := search.Parse(q)
	if err != nil {
		return nil, err
	}
	b := bleve.NewBooleanQuery()
	if parsed.Text != nil {
		b.AddMust(t.node(parsed.Text))
	}
	for _, f := range parsed.Filters {
		fq, err := t.filter(f)
		if err != nil {
			return nil, err
		}
		if f.Negate {
			b.AddMustNot(fq)
		} else {
			b.AddMust(fq)
		}
	}
	if b.Must == nil {
		b.AddMust(bleve.NewMatchAllQuery())
	}
	return b, nil
}

func (t translator) node(n search.Node) query.Query {
	switch n := n.(type) {
	case *search.Terms:
		return t.terms(n)
	case *search.Not:
		b := bleve.NewBooleanQuery()
		b.AddMust(bleve.NewMatchAllQuery())
		b.AddMustNot(t.node(n.Node))
		return b
	case *search.And:
		b := bleve.NewBooleanQuery()
		for _, k := range n.Nodes {
			if not, ok := k.(*search.Not); ok {
				b.AddMustNot(t.node(not.Node))
			} else {
				b.AddMust(t.node(k))
			}
		}
		if b.Must == nil {
			b.AddMust(bleve.NewMatchAllQuery())
		}
		return b
	case *search.Or:
		var ds []query.Query
		for _, k := range n.Nodes {
			ds = append(ds, t.node(k))
		}
		return bleve.NewDisjunctionQuery(ds...)
	}
	panic(fmt.Sprintf("unknown node %T", n))
}

// terms searches words in every language's analysis and both fields.
func (t translator) terms(n *search.Terms) query.Query {
	var ds []query.Query
	for _, lang := range langs {
		for _, field := range []string{"title", "body"} {
			var q query.Query
			switch {
			case n.Prefix:
				// Prefix queries are not analyzed: normalize the prefix
				// with the language's analyzer, as the index was.
				tok := analyzeOne(t.m.AnalyzerNamed(lang), n.Text)
				if tok == "" {
					continue
				}
				p := bleve.NewPrefixQuery(tok)
				p.SetField(field)
				q = p
			case n.Phrase:
				p := bleve.NewMatchPhraseQuery(n.Text)
				p.SetField(field)
				p.Analyzer = lang
				q = p
			default:
				m := bleve.NewMatchQuery(n.Text)
				m.SetField(field)
				m.Analyzer = lang
				m.SetOperator(query.MatchQueryOperatorAnd)
				q = m
			}
			if field == "title" {
				q.(query.BoostableQuery).SetBoost(titleBoost)
			}
			ds = append(ds, q)
		}
	}
	if len(ds) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	return bleve.NewDisjunctionQuery(ds...)
}

func analyzeOne(a analysis.Analyzer, s string) string {
	for _, tok := range a.Analyze([]byte(s)) {
		return string(tok.Term)
	}
	return ""
}

func (t translator) filter(f search.Filter) (query.Query, error) {
	switch f.Field {
	case search.FieldOutlet, search.FieldOrientation, search.FieldKind, search.FieldLang:
		var ds []query.Query
		for _, v := range f.Values {
			tq := bleve.NewTermQuery(strings.ToLower(v))
			tq.SetField(f.Field)
			ds = append(ds, tq)
		}
		return bleve.NewDisjunctionQuery(ds...), nil
	case search.FieldAfter, search.FieldBefore:
		day, err := time.Parse("2006-01-02", f.Values[0])
		if err != nil {
			return nil, err
		}
		yes, no := true, false
		var q *query.DateRangeQuery
		if f.Field == search.FieldAfter {
			q = bleve.NewDateRangeInclusiveQuery(day, time.Time{}, &yes, &no)
		} else {
			q = bleve.NewDateRangeInclusiveQuery(time.Time{}, day, &yes, &no)
		}
		q.SetField("published")
		return q, nil
	}
	return nil, fmt.Errorf("filter %s: not translated", f.Field)
}
