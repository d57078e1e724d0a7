package search

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// quotes: chooses articles by the quotations in them: the candidates the
// quote finder found at ingest (package quotes/candidates) and the
// analysts' clips. Its values, alternatives when several are given:
//
//	any       a quote was found or clipped in the article
//	none      neither (-quotes:any)
//	found     the finder found a quote, direct or indirect
//	direct    the finder found a direct quote ("he said: …", «…»)
//	indirect  the finder found indirect speech ("he said that …")
//	clipped   an analyst clipped a passage of it
//
// With speaker:, which searches quotes instead of articles, quotes: says
// which of the speaker's quotes: clipped (clips and edition quotes),
// found, direct or indirect (candidates of that kind), any (both, as
// without quotes:).
const (
	QuotesAny      = "any"
	QuotesNone     = "none"
	QuotesFound    = "found"
	QuotesDirect   = "direct"
	QuotesIndirect = "indirect"
	QuotesClipped  = "clipped"
)

var quotesValues = []string{QuotesAny, QuotesNone, QuotesFound, QuotesDirect, QuotesIndirect, QuotesClipped}

func checkQuotes(f Filter) error {
	for _, v := range f.Values {
		if !slices.Contains(quotesValues, strings.ToLower(v)) {
			return &Error{Pos: f.Pos, Msg: fmt.Sprintf("quotes:%s is not a choice; write quotes: with %s", v, strings.Join(quotesValues, ", "))}
		}
	}
	return nil
}

// quotesCond is the condition on the article ID column article that
// quotes: with values asks for; it has no arguments (the values are
// fixed words, checked by the parser).
func quotesCond(article string, values []string) string {
	found := func(kind string) string {
		c := "EXISTS (SELECT 1 FROM quote_candidates qc WHERE qc.article_id = " + article
		if kind != "" {
			c += " AND qc.kind = '" + kind + "'"
		}
		return c + ")"
	}
	clipped := "EXISTS (SELECT 1 FROM clips qk WHERE qk.article_id = " + article + ")"
	var ors []string
	for _, v := range values {
		switch strings.ToLower(v) {
		case QuotesAny:
			ors = append(ors, found(""), clipped)
		case QuotesNone:
			ors = append(ors, "NOT ("+found("")+" OR "+clipped+")")
		case QuotesFound:
			ors = append(ors, found(""))
		case QuotesDirect:
			ors = append(ors, found(QuotesDirect))
		case QuotesIndirect:
			ors = append(ors, found(QuotesIndirect))
		case QuotesClipped:
			ors = append(ors, clipped)
		}
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// quoteSources are the kinds of a speaker's quotes a search with
// speaker: reads: clips, and candidates of the kinds listed.
type quoteSources struct {
	clips bool
	kinds []string
}

// quotesSources reads quotes: in a search with speaker:.
func quotesSources(fs []Filter) (quoteSources, error) {
	all := quoteSources{clips: true, kinds: []string{QuotesDirect, QuotesIndirect}}
	src := all
	for _, f := range fs {
		if f.Field != FieldQuotes {
			continue
		}
		var chosen quoteSources
		for _, v := range f.Values {
			switch strings.ToLower(v) {
			case QuotesAny:
				chosen = all
			case QuotesNone:
				return src, &Error{Pos: f.Pos, Msg: "quotes:none with speaker: selects nothing: speaker: searches the speaker's quotes"}
			case QuotesClipped:
				chosen.clips = true
			case QuotesFound:
				chosen.kinds = all.kinds
			case QuotesDirect, QuotesIndirect:
				chosen.kinds = append(chosen.kinds, strings.ToLower(v))
			}
		}
		if f.Negate {
			chosen = quoteSources{clips: !chosen.clips, kinds: without(all.kinds, chosen.kinds)}
		}
		src = quoteSources{clips: src.clips && chosen.clips, kinds: intersect(src.kinds, chosen.kinds)}
	}
	return src, nil
}

func without(a, b []string) []string {
	return slices.DeleteFunc(slices.Clone(a), func(x string) bool { return slices.Contains(b, x) })
}

func intersect(a, b []string) []string {
	return slices.DeleteFunc(slices.Clone(a), func(x string) bool { return !slices.Contains(b, x) })
}

// searchCandidates finds the candidates attributed to people (by their
// names and aliases, normalized: see candidates.Names) of the kinds
// asked for, that pass the query's filters and words, as clips that have
// a Candidate and an Article but no translation yet.
func searchCandidates(ctx context.Context, db store.Querier, p plan, people []outlets.Person, kinds []string,
	r roster, mk *marker) ([]Clip, error) {
	who := map[string]PersonRef{}
	var names []any
	for _, person := range people {
		for _, n := range candidates.Names(person) {
			if _, ok := who[n]; !ok {
				who[n] = PersonRef{Key: person.Key, Name: person.Name}
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 || len(kinds) == 0 {
		return nil, nil
	}
	var fs []Filter
	for _, f := range articleFilters(p.q.Filters) {
		if f.Field != FieldQuotes {
			fs = append(fs, f)
		}
	}
	var w where
	w.add("qc.speaker_norm IN ("+placeholders(len(names))+")", names...)
	kindArgs := make([]any, len(kinds))
	for i, k := range kinds {
		kindArgs[i] = k
	}
	w.add("qc.kind IN ("+placeholders(len(kinds))+")", kindArgs...)
	addFilters(&w, db.Dialect(), fs, docColumns)
	rows, err := db.QueryContext(ctx, `
		SELECT qc.id, qc.article_id, qc.quote, qc.speaker_norm, d.lang, d.day, d.outlet_id, a.url, a.canonical_url
		FROM quote_candidates qc
		JOIN search_docs d ON d.article_id = qc.article_id
		JOIN articles a ON a.id = qc.article_id
		WHERE `+w.sql()+` ORDER BY d.day DESC, qc.article_id DESC, qc.position`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("search quote candidates: %w", err)
	}
	defer rows.Close()
	var out []Clip
	for rows.Next() {
		var c Clip
		var quote, norm, url, canonical string
		var outletID int64
		if err := rows.Scan(&c.CandidateID, &c.ArticleID, &quote, &norm, &c.OriginalLang, &c.Date, &outletID, &url, &canonical); err != nil {
			return nil, fmt.Errorf("search quote candidates: %w", err)
		}
		if p.e != nil && !p.e.matches([][]string{text.IndexTerms(quote)}) {
			continue
		}
		c.Kind = "quote"
		c.Speaker = who[norm]
		c.Outlet = r.ref(outletID)
		c.OriginalHTML = mk.highlightAll(quote)
		c.OriginalDir = dir(c.OriginalLang)
		c.SourceURL = url
		if canonical != "" {
			c.SourceURL = canonical
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
