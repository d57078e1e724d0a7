package search

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/text"
)

// expr is the word part of a query after normalization: what both stores
// execute. Its leaves hold index terms, produced by text.IndexText exactly
// as the index was.
type expr struct {
	op     exprOp
	toks   []string // opTerm: one token; opPhrase: two or more, in order
	prefix bool     // opTerm only
	kids   []*expr  // opAnd, opOr: operands; for opAnd the required ones
	not    []*expr  // opAnd only: excluded operands
}

type exprOp int

const (
	opTerm exprOp = iota
	opPhrase
	opAnd
	opOr
)

// minPrefixRunes keeps one-letter prefixes out: they expand to a large part
// of the vocabulary and say nothing.
const minPrefixRunes = 2

// compile normalizes the word part of q. It returns nil when q has no
// words, and an *Error when the words cannot be searched for.
func compile(q Query) (*expr, error) {
	if q.Text == nil {
		return nil, nil
	}
	e, err := compileNode(q.Text)
	if err != nil {
		return nil, err
	}
	if e == nil && len(q.Filters) == 0 {
		return nil, &Error{Pos: 1, Msg: "the query has no words to search for"}
	}
	return e, nil
}

func compileNode(n Node) (*expr, error) {
	switch n := n.(type) {
	case *Terms:
		return compileTerms(n)
	case *Not:
		inner, err := compileNode(n.Node)
		if err != nil || inner == nil {
			return nil, err
		}
		if inner.onlyExclusions() {
			return nil, &Error{Pos: n.Pos, Msg: "an exclusion must name something to exclude, not only other exclusions"}
		}
		return &expr{op: opAnd, not: []*expr{inner}}, nil
	case *And:
		out := &expr{op: opAnd}
		for _, k := range n.Nodes {
			e, err := compileNode(k)
			if err != nil {
				return nil, err
			}
			switch {
			case e == nil:
			case e.op == opAnd:
				// (a -b) inside a conjunction is just more conjuncts.
				out.kids = append(out.kids, e.kids...)
				out.not = append(out.not, e.not...)
			default:
				out.kids = append(out.kids, e)
			}
		}
		return out.simplify(), nil
	case *Or:
		out := &expr{op: opOr}
		for _, k := range n.Nodes {
			e, err := compileNode(k)
			if err != nil {
				return nil, err
			}
			if e == nil {
				continue
			}
			if e.onlyExclusions() {
				return nil, &Error{Pos: firstPos(k), Msg: "an alternative of OR cannot consist only of exclusions"}
			}
			out.kids = append(out.kids, e)
		}
		return out.simplify(), nil
	}
	return nil, fmt.Errorf("search: unknown query node %T", n)
}

func compileTerms(t *Terms) (*expr, error) {
	toks := text.IndexTerms(t.Text)
	if len(toks) == 0 {
		// Punctuation only: nothing to match, like a stop character.
		return nil, nil
	}
	if t.Prefix {
		if len(toks) > 1 {
			return nil, &Error{Pos: t.Pos, Msg: fmt.Sprintf("a prefix must be one word, but %q is read as %d words", t.Text, len(toks))}
		}
		if utf8.RuneCountInString(toks[0]) < minPrefixRunes {
			return nil, &Error{Pos: t.Pos, Msg: fmt.Sprintf("a prefix needs at least %d letters", minPrefixRunes)}
		}
		return &expr{op: opTerm, toks: toks, prefix: true}, nil
	}
	if len(toks) == 1 {
		return &expr{op: opTerm, toks: toks}, nil
	}
	if t.Phrase {
		return &expr{op: opPhrase, toks: toks}, nil
	}
	and := &expr{op: opAnd}
	for _, tok := range toks {
		and.kids = append(and.kids, &expr{op: opTerm, toks: []string{tok}})
	}
	return and, nil
}

// simplify drops empty groups and unwraps groups of one.
func (e *expr) simplify() *expr {
	if len(e.kids) == 0 && len(e.not) == 0 {
		return nil
	}
	if len(e.kids) == 1 && len(e.not) == 0 {
		return e.kids[0]
	}
	return e
}

// onlyExclusions reports whether e excludes without requiring anything,
// which neither FTS5 nor a GIN index can evaluate on its own.
func (e *expr) onlyExclusions() bool { return e.op == opAnd && len(e.kids) == 0 }

func firstPos(n Node) int {
	switch n := n.(type) {
	case *Terms:
		return n.Pos
	case *Not:
		return n.Pos
	case *And:
		return firstPos(n.Nodes[0])
	case *Or:
		return firstPos(n.Nodes[0])
	}
	return 1
}

// excluded returns, for a query made only of exclusions, the expression of
// what it excludes (their OR), which the stores run as NOT IN.
func (e *expr) excluded() *expr {
	if len(e.not) == 1 {
		return e.not[0]
	}
	return &expr{op: opOr, kids: e.not}
}

// fts5 renders e as an SQLite FTS5 MATCH expression. Tokens are quoted
// strings, so no token can be read as an operator.
func (e *expr) fts5() string {
	switch e.op {
	case opTerm:
		s := `"` + e.toks[0] + `"`
		if e.prefix {
			s += "*"
		}
		return s
	case opPhrase:
		return `"` + strings.Join(e.toks, " ") + `"`
	case opOr:
		return "(" + joinExpr(e.kids, " OR ", (*expr).fts5) + ")"
	}
	pos := "(" + joinExpr(e.kids, " AND ", (*expr).fts5) + ")"
	if len(e.not) == 0 {
		return pos
	}
	return "(" + pos + " NOT (" + joinExpr(e.not, " OR ", (*expr).fts5) + "))"
}

// tsquery renders e as PostgreSQL tsquery text, to be cast with
// ::tsquery (not to_tsquery, which would tokenize the terms again).
func (e *expr) tsquery() string {
	switch e.op {
	case opTerm:
		s := "'" + e.toks[0] + "'"
		if e.prefix {
			s += ":*"
		}
		return s
	case opPhrase:
		quoted := make([]string, len(e.toks))
		for i, t := range e.toks {
			quoted[i] = "'" + t + "'"
		}
		return "(" + strings.Join(quoted, " <-> ") + ")"
	case opOr:
		return "(" + joinExpr(e.kids, " | ", (*expr).tsquery) + ")"
	}
	parts := make([]string, 0, len(e.kids)+len(e.not))
	for _, k := range e.kids {
		parts = append(parts, k.tsquery())
	}
	for _, n := range e.not {
		parts = append(parts, "!"+n.tsquery())
	}
	return "(" + strings.Join(parts, " & ") + ")"
}

func joinExpr(es []*expr, sep string, f func(*expr) string) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = f(e)
	}
	return strings.Join(parts, sep)
}

// matches evaluates e on a document given as fields of index terms (title,
// body): the reference semantics the stores implement. A phrase must lie
// within one field. Clips are matched with it, and tests compare the
// stores against it.
func (e *expr) matches(fields [][]string) bool {
	switch e.op {
	case opTerm:
		for _, f := range fields {
			for _, t := range f {
				if t == e.toks[0] || e.prefix && strings.HasPrefix(t, e.toks[0]) {
					return true
				}
			}
		}
		return false
	case opPhrase:
		for _, f := range fields {
			for i := 0; i+len(e.toks) <= len(f); i++ {
				if equalStrings(f[i:i+len(e.toks)], e.toks) {
					return true
				}
			}
		}
		return false
	case opOr:
		for _, k := range e.kids {
			if k.matches(fields) {
				return true
			}
		}
		return false
	}
	for _, k := range e.kids {
		if !k.matches(fields) {
			return false
		}
	}
	for _, n := range e.not {
		if n.matches(fields) {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// highlightTerms lists the index terms that make an article match, for
// marking them in snippets: every term not under an exclusion.
func (e *expr) highlightTerms(out *termSet) {
	switch e.op {
	case opTerm:
		if e.prefix {
			out.prefixes = append(out.prefixes, e.toks[0])
		} else {
			out.exact[e.toks[0]] = true
		}
	case opPhrase:
		for _, t := range e.toks {
			out.exact[t] = true
		}
	default:
		for _, k := range e.kids {
			k.highlightTerms(out)
		}
	}
}

// termSet is a set of index terms and term prefixes.
type termSet struct {
	exact    map[string]bool
	prefixes []string
}

func newTermSet(e *expr) *termSet {
	s := &termSet{exact: map[string]bool{}}
	if e != nil {
		e.highlightTerms(s)
	}
	return s
}

func (s *termSet) has(tok string) bool {
	if s.exact[tok] {
		return true
	}
	for _, p := range s.prefixes {
		if strings.HasPrefix(tok, p) {
			return true
		}
	}
	return false
}

func (s *termSet) empty() bool { return len(s.exact) == 0 && len(s.prefixes) == 0 }
