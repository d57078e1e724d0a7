package search

import (
	"html"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/text"
)

// Snippets are cut and highlighted on the original text, as written: the
// index terms only say which words matched. The text is split into words
// (runs of letters, digits and combining marks, held together by ZWNJ,
// ZWJ and other invisible format characters, and by an apostrophe between
// letters), each word is normalized with text.IndexText, and a word whose
// terms include a query term is wrapped whole in <mark>. A word is never
// split, so a mark never falls inside a grapheme cluster, between a letter
// and its harakat, or at a half-space; in right-to-left text the marks
// then follow the words wherever the bidi algorithm places them.

// span is a word of the original text, by byte offsets.
type span struct{ start, end int }

// words splits s into word spans.
func words(s string) []span { return appendWords(nil, s) }

// appendWords appends the word spans of s to out.
func appendWords(out []span, s string) []span {
	start := -1
	for i, r := range s {
		inWord := isWordChar(r)
		if !inWord && start >= 0 && isInnerJoiner(r) {
			// Keep the joiner if a word character follows it.
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			inWord = isWordChar(next) || unicode.Is(unicode.Cf, next)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(s)})
	}
	return out
}

func isWordChar(r rune) bool {
	if r >= 0 && r < rune(len(wordChars)) {
		return wordChars[r]
	}
	return isWordRune(r)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// wordChars is isWordRune of the runes below U+0800 (Latin, Greek,
// Cyrillic, Hebrew, Arabic and its Persian letters), looked up rather than
// searched for in Unicode's range tables: splitting the text of a page of
// hits into words took a tenth of a search of a rare word.
var wordChars = func() (t [0x800]bool) {
	for r := range t {
		t[r] = isWordRune(rune(r))
	}
	return t
}()

// isInnerJoiner reports characters that stay inside a word when a word
// character follows: invisible format characters (ZWNJ, ZWJ, bidi marks)
// and apostrophes (Iran's).
func isInnerJoiner(r rune) bool {
	// No format character is below U+00AD: the space after every word
	// need not be searched for in the table.
	return r == '\'' || r == '\u2019' || r >= 0xad && unicode.Is(unicode.Cf, r)
}

// marker finds the words of a text that match a set of index terms.
type marker struct {
	terms *termSet
	// words and pairs remember whether a word, or two words read as one
	// (mark), matched: the texts of a page repeat their words, and
	// looking each up in wordTerms, under its lock, and its terms in the
	// query's took most of the time of a page's snippets. They are nil in
	// a marker that goroutines may share (Highlighter), which looks up
	// every word.
	words, pairs map[string]bool
	// spans and hits are the buffers of one text's words and marks,
	// reused from text to text where words is set.
	spans []span
	hits  []bool
}

// split returns the word spans of s, in m's buffer where it has one.
func (m *marker) split(s string) []span {
	if m.words == nil {
		return words(s)
	}
	m.spans = appendWords(m.spans[:0], s)
	return m.spans
}

// newMarker returns a marker for one goroutine; release gives back its
// maps.
func newMarker(terms *termSet) *marker {
	m := &marker{terms: terms}
	if ms, ok := markerMaps.Get().(*[2]map[string]bool); ok {
		m.words, m.pairs = ms[0], ms[1]
	} else {
		m.words, m.pairs = make(map[string]bool, pageWords), make(map[string]bool, pageWords)
	}
	return m
}

// pageWords is about how many distinct words, and as many pairs, the
// texts of a page of twenty hits hold: maps made this large at once
// spare the growing, which took a third of their cost.
const pageWords = 2048

// markerMaps recycles markers' maps, 100 KB a search otherwise.
var markerMaps sync.Pool

// release empties m's maps for another marker, unless a page of long
// texts made them too large to keep.
func (m *marker) release() {
	if m.words == nil || len(m.words)+len(m.pairs) > 8*pageWords {
		return
	}
	clear(m.words)
	clear(m.pairs)
	markerMaps.Put(&[2]map[string]bool{m.words, m.pairs})
	m.words, m.pairs = nil, nil
}

// wordTerms caches text.IndexText of words and word pairs: normalizing
// every word of every hit is most of the cost of a results page, and news
// text keeps using the same words. The cache is dropped whole when full,
// which bounds its memory without the bookkeeping of an LRU.
var wordTerms = struct {
	sync.Mutex
	m map[string][]string
}{m: map[string][]string{}}

const maxCachedWords = 200_000

func (m *marker) indexTerms(s string) []string {
	wordTerms.Lock()
	t, ok := wordTerms.m[s]
	wordTerms.Unlock()
	if ok {
		return t
	}
	t = text.IndexTerms(s)
	wordTerms.Lock()
	if len(wordTerms.m) >= maxCachedWords {
		clear(wordTerms.m)
	}
	wordTerms.m[strings.Clone(s)] = t
	wordTerms.Unlock()
	return t
}

// wordMatches reports whether a word's terms include one of the query's.
func (m *marker) wordMatches(w string) bool {
	hit, ok := m.words[w]
	if ok {
		return hit
	}
	for _, t := range m.indexTerms(w) {
		if m.terms.has(t) {
			hit = true
			break
		}
	}
	if m.words != nil {
		m.words[w] = hit
	}
	return hit
}

// pairMatches reports whether two words, a space between them, normalize
// to a single term of the query's.
func (m *marker) pairMatches(ab string) bool {
	hit, ok := m.pairs[ab]
	if ok {
		return hit
	}
	joined := m.indexTerms(ab)
	hit = len(joined) == 1 && m.terms.has(joined[0])
	if m.pairs != nil {
		m.pairs[ab] = hit
	}
	return hit
}

// longerThan reports whether s has more than n runes, counting no further.
func longerThan(s string, n int) bool {
	if len(s) <= n {
		return false
	}
	for range s {
		if n == 0 {
			return true
		}
		n--
	}
	return false
}

// maxJoinRunes bounds the words tried as halves of a split word: the
// Persian prefixes and suffixes that normalization joins across a space
// (می, نمی, ها, های…, ترین) are short, and trying every pair would double
// the normalization work.
const maxJoinRunes = 5

// mark returns the word spans of s and, for each, whether it matched. Two
// words that normalize to a single matching term together (می رود →
// میرود) both match.
func (m *marker) mark(s string, ws []span) []bool {
	var hit []bool
	if m.words == nil {
		hit = make([]bool, len(ws))
	} else {
		m.hits = append(m.hits[:0], make([]bool, len(ws))...)
		hit = m.hits
	}
	if m.terms.empty() {
		return hit
	}
	for i, w := range ws {
		if m.wordMatches(s[w.start:w.end]) {
			hit[i] = true
			continue
		}
		if i+1 >= len(ws) || hit[i] {
			continue
		}
		next := ws[i+1]
		a, b := s[w.start:w.end], s[next.start:next.end]
		if longerThan(a, maxJoinRunes) && longerThan(b, maxJoinRunes) {
			continue
		}
		gap := s[w.end:next.start]
		if strings.TrimSpace(gap) != "" {
			continue
		}
		// Words one space apart are already "a b" in s.
		ab := s[w.start:next.end]
		if gap != " " {
			ab = a + " " + b
		}
		if m.pairMatches(ab) {
			hit[i], hit[i+1] = true, true
		}
	}
	return hit
}

// highlightAll returns s, HTML-escaped, with every matching word marked.
func (m *marker) highlightAll(s string) string {
	ws := m.split(s)
	return render(s, ws, m.mark(s, ws), 0, len(ws))
}

// snippetWords is the length of a snippet in words: about two lines.
const snippetWords = 36

// snippet returns the passage of s of about snippetWords words with the
// most distinct matching words, HTML-escaped, matches marked, with an
// ellipsis where it cuts the text. Whitespace is folded to single spaces.
func (m *marker) snippet(s string) string {
	ws := m.split(s)
	if len(ws) == 0 {
		return ""
	}
	hit := m.mark(s, ws)
	best, bestScore := 0, -1
	for start := 0; start < len(ws); start++ {
		if start > 0 && !hit[start] {
			// A window worth showing starts at a match (or at the top).
			continue
		}
		end := min(start+snippetWords, len(ws))
		seen := map[string]bool{}
		for i := start; i < end; i++ {
			if hit[i] {
				seen[strings.ToLower(s[ws[i].start:ws[i].end])] = true
			}
		}
		if len(seen) > bestScore {
			best, bestScore = start, len(seen)
		}
	}
	// Show a few words of context before the first match.
	start := max(0, best-4)
	end := min(start+snippetWords, len(ws))
	return render(s, ws, hit, start, end)
}

// render writes words ws[from:to] of s with the text between them, marks
// around matching words (a run of adjacent matches gets one mark), and
// ellipses where the passage is cut.
func render(s string, ws []span, hit []bool, from, to int) string {
	if from >= to {
		return html.EscapeString(foldSpace(s))
	}
	var b strings.Builder
	// Punctuation attached to the first word (an opening guillemet)
	// stays with it.
	if from > 0 {
		b.WriteString("… ")
		b.WriteString(html.EscapeString(trailingNonSpace(s[ws[from-1].end:ws[from].start])))
	} else {
		b.WriteString(html.EscapeString(trailingNonSpace(s[:ws[0].start])))
	}
	for i := from; i < to; i++ {
		if i > from {
			b.WriteString(html.EscapeString(foldSpace(s[ws[i-1].end:ws[i].start])))
		}
		word := html.EscapeString(s[ws[i].start:ws[i].end])
		open := hit[i] && (i == from || !hit[i-1] || strings.TrimSpace(s[ws[i-1].end:ws[i].start]) != "")
		closeMark := hit[i] && (i+1 == to || !hit[i+1] || strings.TrimSpace(s[ws[i].end:ws[i+1].start]) != "")
		if open {
			b.WriteString("<mark>")
		}
		b.WriteString(word)
		if closeMark {
			b.WriteString("</mark>")
		}
	}
	// Punctuation attached to the last word (a full stop, a closing
	// guillemet) stays with it.
	end := len(s)
	if to < len(ws) {
		end = ws[to].start
	}
	b.WriteString(html.EscapeString(leadingNonSpace(s[ws[to-1].end:end])))
	if to < len(ws) {
		b.WriteString(" …")
	}
	return b.String()
}

func leadingNonSpace(s string) string {
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i]
	}
	return s
}

func trailingNonSpace(s string) string {
	return s[strings.LastIndexFunc(s, unicode.IsSpace)+1:]
}

// foldSpace turns every run of white space into one space, so a snippet
// reads as one paragraph; other characters, such as RLM marks between
// words, are kept as written.
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

// dir returns the writing direction of a language for HTML's dir attribute.
func dir(lang string) string {
	switch strings.ToLower(lang) {
	case text.Persian, text.Arabic, "ur", "ps", "ku", "he":
		return "rtl"
	}
	return "ltr"
}
