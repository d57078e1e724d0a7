package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// Term is a frequent word among the matches of a query.
type Term struct {
	// Term is the index term (normalized and, in English, stemmed);
	// Word the most frequent spelling of it in the articles, as written.
	Term string `json:"term"`
	Word string `json:"word"`
	// Docs is the number of sampled articles that contain it, Count its
	// occurrences in them.
	Docs  int `json:"docs"`
	Count int `json:"count"`
}

// TermsRequest asks for the top terms of a query.
type TermsRequest struct {
	Query string `json:"q"`
	Limit int    `json:"limit,omitempty"` // default 30
	// Sample is how many of the newest matches are read (default 500):
	// enough for the frequent terms to be stable, few enough to be quick.
	Sample int `json:"sample,omitempty"`
}

// TopTerms returns the words that occur in most of the newest matches of
// a query, leaving out stop words of the article's language (Persian,
// Arabic or English, and English in any article), numbers, one-letter
// words and the query's own terms. It reads the articles' text rather
// than the index, which stores no text, and shows words as written.
func TopTerms(ctx context.Context, db store.Querier, req TermsRequest) (terms []Term, err error) {
	err = customPlans(ctx, db, func(q store.Querier) error {
		terms, err = topTerms(ctx, q, req)
		return err
	})
	return terms, err
}

func topTerms(ctx context.Context, db store.Querier, req TermsRequest) ([]Term, error) {
	p, err := newPlan(db.Dialect(), req.Query)
	if err != nil {
		return nil, err
	}
	w, err := p.window(ctx, db, SortNewest, false)
	if err != nil {
		return nil, err
	}
	ids, _, _, err := p.page(w, SortNewest, "", cmp.Or(req.Sample, 500))
	if err != nil {
		return nil, err
	}
	type tally struct {
		docs, count int
		spellings   map[string]int
	}
	tallies := map[string]*tally{}
	exclude := newTermSet(p.e)
	mk := newMarker(exclude)
	defer mk.release()
	for chunk := range slices.Chunk(ids, 100) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.QueryContext(ctx, `SELECT lang, title, text FROM articles WHERE id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("top terms: %w", err)
		}
		for rows.Next() {
			var lang, title, body string
			if err := rows.Scan(&lang, &title, &body); err != nil {
				rows.Close()
				return nil, fmt.Errorf("top terms: %w", err)
			}
			seen := map[string]bool{}
			s := title + "\n" + body
			for _, w := range words(s) {
				word := s[w.start:w.end]
				if !countable(lang, word) {
					continue
				}
				for _, term := range mk.indexTerms(word) {
					if exclude.has(term) {
						continue
					}
					t := tallies[term]
					if t == nil {
						t = &tally{spellings: map[string]int{}}
						tallies[term] = t
					}
					t.count++
					t.spellings[word]++
					if !seen[term] {
						seen[term] = true
						t.docs++
					}
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]Term, 0, len(tallies))
	for term, t := range tallies {
		word := ""
		for sp, n := range t.spellings {
			if n > t.spellings[word] || n == t.spellings[word] && sp < word {
				word = sp
			}
		}
		out = append(out, Term{Term: term, Word: word, Docs: t.docs, Count: t.count})
	}
	slices.SortFunc(out, func(a, b Term) int {
		return cmp.Or(cmp.Compare(b.Docs, a.Docs), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term))
	})
	return out[:min(len(out), cmp.Or(req.Limit, 30))], nil
}

// countable reports whether a word, as written, can be a top term.
func countable(lang, word string) bool {
	if utf8.RuneCountInString(word) < 2 || !strings.ContainsFunc(word, unicode.IsLetter) {
		return false
	}
	for _, tok := range text.Tokens(word) {
		if text.IsStopWord(lang, tok) || text.IsStopWord(text.English, tok) {
			return false
		}
	}
	return true
}
