package search

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Limits that keep a hostile or mistaken query from costing much: the
// parser recurses once per parenthesis, and every word becomes work for
// the database.
const (
	maxQueryChars = 2000
	maxDepth      = 20
)

// Parse reads a query in the query language of docs/search.md. It checks
// syntax only; words are normalized when the query is compiled. A
// malformed query returns an *Error.
func Parse(s string) (Query, error) {
	r := []rune(s)
	if len(r) > maxQueryChars {
		return Query{}, &Error{Pos: maxQueryChars + 1, Msg: fmt.Sprintf("the query is longer than %d characters", maxQueryChars)}
	}
	toks, err := lex(r)
	if err != nil {
		return Query{}, err
	}
	p := &parser{toks: toks}
	nodes, err := p.sequence(0)
	if err != nil {
		return Query{}, err
	}
	if t := p.peek(); t.kind == tokRParen {
		return Query{}, &Error{Pos: t.pos, Msg: "unmatched )"}
	}
	return Query{Text: andOf(nodes), Filters: p.filters}, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokPhrase
	tokFilter
	tokLParen
	tokRParen
	tokOr
	tokMinus
)

type token struct {
	kind   tokKind
	pos    int
	text   string
	prefix bool
	filter Filter
}

// Quotation marks that open and close a phrase. Persian and Arabic writers
// quote with guillemets, and text pasted from a word processor brings
// curly quotes; all of them delimit phrases.
const (
	openQuotes  = "\"«“„"
	closeQuotes = "\"»”“"
)

func isDelimiter(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || strings.ContainsRune(openQuotes+closeQuotes, r)
}

var fieldName = regexp.MustCompile(`^[A-Za-z]+$`)

// lex splits the query into tokens. Positions count runes from 1.
func lex(r []rune) ([]token, error) {
	var toks []token
	i := 0
	for i < len(r) {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(':
			toks = append(toks, token{kind: tokLParen, pos: i + 1})
			i++
		case c == ')':
			toks = append(toks, token{kind: tokRParen, pos: i + 1})
			i++
		case c == '-' && i+1 < len(r) && !unicode.IsSpace(r[i+1]) && r[i+1] != ')' && r[i+1] != '-':
			// A minus that starts a word, phrase or group excludes it; a
			// dash standing alone ("Iran - US talks") is punctuation.
			toks = append(toks, token{kind: tokMinus, pos: i + 1})
			i++
		case strings.ContainsRune(openQuotes, c):
			text, next, err := phrase(r, i)
			if err != nil {
				return nil, err
			}
			t := token{kind: tokPhrase, pos: i + 1, text: text}
			if next < len(r) && r[next] == '*' {
				return nil, &Error{Pos: next + 1, Msg: "a prefix * applies to single words, not to phrases"}
			}
			toks = append(toks, t)
			i = next
		case strings.ContainsRune(closeQuotes, c):
			return nil, &Error{Pos: i + 1, Msg: fmt.Sprintf("closing quote %c without an opening one", c)}
		default:
			t, next, err := word(r, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		}
	}
	return toks, nil
}

// phrase reads a quoted phrase starting at the opening quote r[i].
func phrase(r []rune, i int) (string, int, error) {
	for j := i + 1; j < len(r); j++ {
		if strings.ContainsRune(closeQuotes, r[j]) {
			text := strings.TrimSpace(string(r[i+1 : j]))
			if text == "" {
				return "", 0, &Error{Pos: i + 1, Msg: "empty phrase"}
			}
			return text, j + 1, nil
		}
	}
	return "", 0, &Error{Pos: i + 1, Msg: fmt.Sprintf("unclosed quote %c", r[i])}
}

// word reads a bare word, an OR, or a field:value filter starting at r[i].
func word(r []rune, i int) (token, int, error) {
	j := i
	for j < len(r) && !isDelimiter(r[j]) {
		j++
	}
	w := string(r[i:j])
	pos := i + 1
	if w == "OR" {
		return token{kind: tokOr, pos: pos}, j, nil
	}
	if name, value, ok := strings.Cut(w, ":"); ok && fieldName.MatchString(name) && !strings.HasPrefix(value, "//") {
		return filterToken(r, i, j, strings.ToLower(name), value)
	}
	t := token{kind: tokWord, pos: pos, text: w}
	if strings.HasSuffix(w, "*") {
		t.text = strings.TrimRight(w, "*")
		t.prefix = true
		if t.text == "" {
			return t, 0, &Error{Pos: pos, Msg: "* must follow a word, as in sanction*"}
		}
		if len(w)-len(t.text) > 1 {
			return t, 0, &Error{Pos: pos, Msg: "write a prefix with one *, as in sanction*"}
		}
	}
	return t, j, nil
}

// filterToken reads the value of a filter whose name ends before r[j-1];
// the value is the rest of the word, or a quoted phrase right after the colon.
func filterToken(r []rune, i, j int, name, value string) (token, int, error) {
	pos := i + 1
	if !isFilterField(name) {
		return token{}, 0, &Error{Pos: pos, Msg: fmt.Sprintf("unknown filter %q; filters are %s:", name+":", strings.Join(filterFields, ":, "))}
	}
	if value == "" && j < len(r) && strings.ContainsRune(openQuotes, r[j]) {
		text, next, err := phrase(r, j)
		if err != nil {
			return token{}, 0, err
		}
		f := Filter{Pos: pos, Field: name, Values: []string{text}}
		return token{kind: tokFilter, pos: pos, filter: f}, next, checkFilter(f)
	}
	f := Filter{Pos: pos, Field: name}
	for _, v := range strings.Split(value, ",") {
		if v = strings.TrimSpace(v); v != "" {
			f.Values = append(f.Values, v)
		}
	}
	if len(f.Values) == 0 {
		return token{}, 0, &Error{Pos: pos, Msg: fmt.Sprintf("%s: needs a value, as in %s", name, filterExample[name])}
	}
	return token{kind: tokFilter, pos: pos, filter: f}, j, checkFilter(f)
}

var filterExample = map[string]string{
	FieldOutlet:      "outlet:kayhan",
	FieldOrientation: "orientation:reformist",
	FieldLang:        "lang:fa",
	FieldKind:        "kind:newspaper",
	FieldAfter:       "after:2025-03-01",
	FieldBefore:      "before:2025-03-08",
	FieldSpeaker:     "speaker:araghchi",
	FieldQuotes:      "quotes:any",
}

// checkFilter validates values that have a fixed form.
func checkFilter(f Filter) error {
	switch f.Field {
	case FieldAfter, FieldBefore:
		if len(f.Values) != 1 {
			return &Error{Pos: f.Pos, Msg: fmt.Sprintf("%s: takes one date", f.Field)}
		}
		if _, err := parseDay(f.Values[0]); err != nil {
			return &Error{Pos: f.Pos, Msg: fmt.Sprintf("%s:%s is not a date; write YYYY-MM-DD, as in %s", f.Field, f.Values[0], filterExample[f.Field])}
		}
	case FieldQuotes:
		return checkQuotes(f)
	}
	return nil
}

type parser struct {
	toks    []token
	i       int
	filters []Filter
}

func (p *parser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	end := 1
	if n := len(p.toks); n > 0 {
		end = p.toks[n-1].pos + 1
	}
	return token{kind: tokEOF, pos: end}
}

func (p *parser) next() token {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

// sequence reads words, groups and filters up to ) or the end; they are
// combined with AND. Filters are only allowed at depth 0.
func (p *parser) sequence(depth int) ([]Node, error) {
	var nodes []Node
	for {
		switch t := p.peek(); t.kind {
		case tokEOF, tokRParen:
			return mergeWords(nodes), nil
		case tokOr:
			return nil, &Error{Pos: t.pos, Msg: "OR needs a word, phrase or group on each side"}
		}
		n, err := p.alternatives(depth)
		if err != nil {
			return nil, err
		}
		if n != nil {
			nodes = append(nodes, n)
		}
	}
}

// alternatives reads operands joined by OR. OR binds tighter than the
// implicit AND, as in web search engines: putin mediation OR mediator
// means putin AND (mediation OR mediator).
func (p *parser) alternatives(depth int) (Node, error) {
	first, err := p.unary(depth)
	if err != nil || p.peek().kind != tokOr {
		return first, err
	}
	nodes := []Node{first}
	for p.peek().kind == tokOr {
		or := p.next()
		if t := p.peek(); t.kind == tokEOF || t.kind == tokRParen || t.kind == tokOr {
			return nil, &Error{Pos: or.pos, Msg: "OR needs a word, phrase or group on each side"}
		}
		n, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	for _, n := range nodes {
		switch n := n.(type) {
		case nil:
			// unary returns nil for a filter, which it has just recorded.
			return nil, &Error{Pos: p.filters[len(p.filters)-1].Pos, Msg: "filters cannot be alternatives of OR; list values instead, as in outlet:kayhan,shargh"}
		case *Not:
			return nil, &Error{Pos: n.Pos, Msg: "an alternative of OR cannot be an exclusion; exclude outside the OR, as in (a OR b) -c"}
		}
	}
	return &Or{Nodes: nodes}, nil
}

// unary reads an operand with an optional leading minus. It returns nil
// for a filter, which it records in p.filters.
func (p *parser) unary(depth int) (Node, error) {
	t := p.peek()
	if t.kind != tokMinus {
		return p.primary(depth, false)
	}
	p.next()
	if n := p.peek(); n.kind == tokEOF || n.kind == tokOr || n.kind == tokMinus {
		return nil, &Error{Pos: t.pos, Msg: "- must be followed by a word, phrase or group to exclude"}
	}
	n, err := p.primary(depth, true)
	if err != nil || n == nil {
		return nil, err
	}
	return &Not{Pos: t.pos, Node: n}, nil
}

func (p *parser) primary(depth int, negated bool) (Node, error) {
	t := p.next()
	switch t.kind {
	case tokWord:
		return &Terms{Pos: t.pos, Text: t.text, Prefix: t.prefix}, nil
	case tokPhrase:
		return &Terms{Pos: t.pos, Text: t.text, Phrase: true}, nil
	case tokFilter:
		if depth > 0 {
			return nil, &Error{Pos: t.pos, Msg: fmt.Sprintf("filters apply to the whole query; move %s: out of the parentheses", t.filter.Field)}
		}
		f := t.filter
		f.Negate = negated
		p.filters = append(p.filters, f)
		return nil, nil
	case tokLParen:
		if depth+1 > maxDepth {
			return nil, &Error{Pos: t.pos, Msg: fmt.Sprintf("parentheses nest deeper than %d levels", maxDepth)}
		}
		nodes, err := p.sequence(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, &Error{Pos: t.pos, Msg: "missing ) to close this ("}
		}
		if len(nodes) == 0 {
			return nil, &Error{Pos: t.pos, Msg: "empty parentheses"}
		}
		return andOf(nodes), nil
	case tokRParen:
		return nil, &Error{Pos: t.pos, Msg: "unmatched )"}
	default:
		return nil, &Error{Pos: t.pos, Msg: "expected a word, phrase or group"}
	}
}

// mergeWords joins runs of plain words into one Terms, so that they are
// normalized together as the article text was.
func mergeWords(nodes []Node) []Node {
	var out []Node
	for _, n := range nodes {
		t, ok := n.(*Terms)
		if ok && !t.Phrase && !t.Prefix && len(out) > 0 {
			if prev, ok := out[len(out)-1].(*Terms); ok && !prev.Phrase && !prev.Prefix {
				out[len(out)-1] = &Terms{Pos: prev.Pos, Text: prev.Text + " " + t.Text}
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

func andOf(nodes []Node) Node {
	switch len(nodes) {
	case 0:
		return nil
	case 1:
		return nodes[0]
	}
	return &And{Nodes: nodes}
}
