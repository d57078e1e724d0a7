// Package search finds articles in the desk's archive and counts how the
// press covers a story over time.
//
// A query (see docs/search.md) is parsed once into an AST ([Parse]), its
// words are normalized with text.IndexText — the same function that
// produced the index — and the result is compiled to an SQLite FTS5 MATCH
// expression or a PostgreSQL tsquery. Both stores index the same tokens at
// the same positions, so a query finds the same articles on either.
//
// The package owns the tables search_docs, search_fts and search_changes
// (SQLite), search_topics and search_alerts; ingest keeps the index
// current by calling [IndexArticle] after it writes an article. On SQLite
// each instance also holds the articles' outlet, language and time in
// memory (docCache), so that filters, facets and coverage read the
// full-text index alone.
package search

import (
	"fmt"
	"strings"
	"unicode"
)

// Query is a parsed query: a boolean expression over words and phrases,
// and filters that narrow the articles it runs on.
type Query struct {
	// Text is the word part of the query; nil when the query has only
	// filters (or is empty), which selects every article they allow.
	Text Node
	// Filters apply to the whole query; a field given twice matches
	// either value, different fields must all match.
	Filters []Filter
}

// Node is an element of the word part of a query: *Terms, *And, *Or or *Not.
type Node interface {
	// String prints the node in the query language, fully parenthesized.
	String() string
}

// Terms is one or more words as written in the query. Without Phrase,
// each word must occur somewhere in the article; with Phrase they must
// occur together and in order. Consecutive plain words are kept together
// in one Terms so that normalization sees them as the article's text did
// («می رود» is one index term, like «می‌رود»).
type Terms struct {
	Pos    int    `json:"pos"` // character offset in the query, from 1
	Text   string `json:"text"`
	Phrase bool   `json:"phrase,omitempty"`
	// Prefix marks a single word written with a trailing *, which matches
	// every index term that starts with it.
	Prefix bool `json:"prefix,omitempty"`
}

// And matches articles that match all of its nodes.
type And struct{ Nodes []Node }

// Or matches articles that match any of its nodes.
type Or struct{ Nodes []Node }

// Not excludes articles that match Node; it only appears inside an And
// (or at the top level next to other words or filters).
type Not struct {
	Pos  int
	Node Node
}

// Filter is a field:value restriction such as outlet:kayhan.
type Filter struct {
	Pos    int      `json:"pos"`
	Field  string   `json:"field"`
	Values []string `json:"values"`
	// Negate excludes what the filter selects (-outlet:kayhan).
	Negate bool `json:"negate,omitempty"`
}

// The filter fields, as written in queries.
const (
	FieldOutlet      = "outlet"
	FieldOrientation = "orientation"
	FieldLang        = "lang"
	FieldKind        = "kind"
	FieldAfter       = "after"
	FieldBefore      = "before"
	FieldSpeaker     = "speaker"
	FieldQuotes      = "quotes"
)

var filterFields = []string{FieldOutlet, FieldOrientation, FieldLang, FieldKind, FieldAfter, FieldBefore, FieldSpeaker, FieldQuotes}

func isFilterField(s string) bool {
	for _, f := range filterFields {
		if f == s {
			return true
		}
	}
	return false
}

// Error is a malformed query: what is wrong and where.
type Error struct {
	// Pos is the character (not byte) offset of the problem in the
	// query, counting from 1.
	Pos int    `json:"pos"`
	Msg string `json:"message"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("query: at character %d: %s", e.Pos, e.Msg)
}

func (t *Terms) String() string {
	s := t.Text
	if t.Phrase {
		s = `"` + s + `"`
	}
	if t.Prefix {
		s += "*"
	}
	return s
}

func (a *And) String() string { return format(a, nil) }
func (o *Or) String() string  { return format(o, nil) }
func (n *Not) String() string { return format(n, nil) }

// format prints n as an operand of parent, with parentheses only where
// they are needed: around a conjunction inside OR or an exclusion, and
// around an OR inside an exclusion (OR binds tighter than AND).
func format(n, parent Node) string {
	var s string
	paren := false
	switch n := n.(type) {
	case *Terms:
		// Several plain words are a conjunction too.
		s = n.String()
		_, inOr := parent.(*Or)
		_, inNot := parent.(*Not)
		paren = !n.Phrase && strings.ContainsFunc(n.Text, unicode.IsSpace) && (inOr || inNot)
	case *Not:
		return "-" + format(n.Node, n)
	case *And:
		s = joinNodes(n, n.Nodes, " ")
		_, inOr := parent.(*Or)
		_, inNot := parent.(*Not)
		paren = inOr || inNot
	case *Or:
		s = joinNodes(n, n.Nodes, " OR ")
		_, paren = parent.(*Not)
	}
	if paren {
		return "(" + s + ")"
	}
	return s
}

func joinNodes(parent Node, nodes []Node, sep string) string {
	parts := make([]string, len(nodes))
	for i, n := range nodes {
		parts[i] = format(n, parent)
	}
	return strings.Join(parts, sep)
}

func (f Filter) String() string {
	vals := make([]string, len(f.Values))
	for i, v := range f.Values {
		if needsQuotes(v) {
			v = `"` + v + `"`
		}
		vals[i] = v
	}
	s := f.Field + ":" + strings.Join(vals, ",")
	if f.Negate {
		s = "-" + s
	}
	return s
}

// needsQuotes reports whether a filter value must be quoted to be read
// back as one value.
func needsQuotes(v string) bool {
	return strings.ContainsAny(v, "(),"+openQuotes+closeQuotes) || strings.ContainsFunc(v, unicode.IsSpace) ||
		strings.HasPrefix(v, "//")
}

// String prints the query back in the query language, with every group
// parenthesized; parsing the result yields the same query.
func (q Query) String() string {
	var parts []string
	if q.Text != nil {
		parts = append(parts, q.Text.String())
	}
	for _, f := range q.Filters {
		parts = append(parts, f.String())
	}
	return strings.Join(parts, " ")
}

// Values returns the values of every filter on field that is not negated.
func (q Query) Values(field string) []string {
	var out []string
	for _, f := range q.Filters {
		if f.Field == field && !f.Negate {
			out = append(out, f.Values...)
		}
	}
	return out
}
