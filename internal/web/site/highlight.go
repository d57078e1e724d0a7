package site

import (
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/text"
)

// Titles and snippets are highlighted on the text as written: the text is
// split into whole words (letters, digits and marks, held together by
// ZWNJ and other invisible format characters and by an apostrophe between
// letters), each word is normalized with text.IndexText, and a word whose
// terms the query looks for is wrapped whole in <mark>. A mark therefore
// never falls inside a word, between a letter and its harakat or at a
// half-space, and in right-to-left text it follows the word wherever the
// bidi algorithm puts it. Two short words that normalize to one term
// together (می رود → میرود) are both marked, as package search does.

// span is a word of a text, by byte offsets.
type span struct{ start, end int }

func wordSpans(s string) []span {
	var out []span
	start := -1
	for i, r := range s {
		in := isWordChar(r)
		if !in && start >= 0 && (r == '\'' || r == '’' || unicode.Is(unicode.Cf, r)) {
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			in = isWordChar(next) || unicode.Is(unicode.Cf, next)
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(s)})
	}
	return out
}

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// maxJoinRunes bounds the words tried in pairs: the Persian prefixes and
// suffixes that normalization joins across a space (می, نمی, ها, ترین)
// are short.
const maxJoinRunes = 5

// highlighter marks the words of a results page; it remembers each word's
// verdict, since a page's snippets repeat words.
type highlighter struct {
	terms termSet
	memo  map[string]bool
}

func newHighlighter(terms termSet) *highlighter {
	return &highlighter{terms: terms, memo: map[string]bool{}}
}

// matches reports whether a word (or two words and the space between)
// normalizes to a term the query looks for. Two words must make one term.
func (h *highlighter) matches(w string, pair bool) bool {
	if v, ok := h.memo[w]; ok {
		return v
	}
	ts := strings.Fields(text.IndexText(w))
	v := false
	if !pair || len(ts) == 1 {
		for _, t := range ts {
			v = v || h.terms.matches(t)
		}
	}
	h.memo[w] = v
	return v
}

// marks says which words of s match.
func (h *highlighter) marks(s string, ws []span) []bool {
	hit := make([]bool, len(ws))
	if h.terms.empty() {
		return hit
	}
	for i, w := range ws {
		if hit[i] = hit[i] || h.matches(s[w.start:w.end], false); hit[i] || i+1 == len(ws) {
			continue
		}
		next := ws[i+1]
		a, b := s[w.start:w.end], s[next.start:next.end]
		if utf8.RuneCountInString(a) > maxJoinRunes && utf8.RuneCountInString(b) > maxJoinRunes ||
			strings.TrimSpace(s[w.end:next.start]) != "" {
			continue
		}
		if h.matches(a+" "+b, true) {
			hit[i], hit[i+1] = true, true
		}
	}
	return hit
}

// highlight returns all of s, escaped, with matching words marked.
func (h *highlighter) highlight(s string) template.HTML {
	ws := wordSpans(s)
	return render(s, ws, h.marks(s, ws), 0, len(ws))
}

// snippetWords is the length of a snippet: about two lines.
const snippetWords = 32

// snippet returns the passage of s, about snippetWords words long, with
// the most distinct matching words, escaped and marked, with an ellipsis
// where it cuts; and the passage as plain text, to tell its language.
func (h *highlighter) snippet(s string) (template.HTML, string) {
	ws := wordSpans(s)
	if len(ws) == 0 {
		return "", ""
	}
	hit := h.marks(s, ws)
	best, bestScore := 0, 0
	for start := range ws {
		if !hit[start] {
			continue
		}
		seen := map[string]bool{}
		for i := start; i < min(start+snippetWords, len(ws)); i++ {
			if hit[i] {
				seen[strings.ToLower(s[ws[i].start:ws[i].end])] = true
			}
		}
		if len(seen) > bestScore {
			best, bestScore = start, len(seen)
		}
	}
	// A few words of context before the first match.
	from := max(0, best-4)
	to := min(from+snippetWords, len(ws))
	return render(s, ws, hit, from, to), s[ws[from].start:ws[to-1].end]
}

// render writes words ws[from:to] of s and the text between them, one
// <mark> around each run of matching words, and ellipses where the passage
// is cut. White space is folded to single spaces.
func render(s string, ws []span, hit []bool, from, to int) template.HTML {
	if from >= to {
		return template.HTML(html.EscapeString(strings.Join(strings.Fields(s), " ")))
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	// Punctuation attached to the first word (an opening guillemet)
	// stays with it.
	head := s[:ws[from].start]
	if from > 0 {
		head = s[ws[from-1].end:ws[from].start]
	}
	b.WriteString(html.EscapeString(head[strings.LastIndexFunc(head, unicode.IsSpace)+1:]))
	for i := from; i < to; i++ {
		if i > from {
			gap := s[ws[i-1].end:ws[i].start]
			if hit[i] && hit[i-1] && strings.TrimSpace(gap) == "" {
				b.WriteString(" ") // inside one mark
			} else {
				if hit[i-1] {
					b.WriteString("</mark>")
				}
				b.WriteString(html.EscapeString(foldSpace(gap)))
				if hit[i] {
					b.WriteString("<mark>")
				}
			}
		} else if hit[i] {
			b.WriteString("<mark>")
		}
		b.WriteString(html.EscapeString(s[ws[i].start:ws[i].end]))
	}
	if hit[to-1] {
		b.WriteString("</mark>")
	}
	end := len(s)
	if to < len(ws) {
		end = ws[to].start
	}
	// Punctuation attached to the last word (a full stop, a closing
	// guillemet) stays with it.
	tail := s[ws[to-1].end:end]
	if i := strings.IndexFunc(tail, unicode.IsSpace); i >= 0 {
		tail = tail[:i]
	}
	b.WriteString(html.EscapeString(tail))
	if to < len(ws) {
		b.WriteString(" …")
	}
	return template.HTML(b.String())
}

// foldSpace turns each run of white space into one space.
func foldSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// langDir returns the lang and dir attributes for text in Persian or
// Arabic, and nothing for the rest, which the page's lang="en" covers.
func langDir(s string) (lang, dir string) {
	switch l := text.Language(s); l {
	case text.Persian, text.Arabic:
		return l, "rtl"
	}
	return "", ""
}
