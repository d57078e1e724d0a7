package quotes

import (
	"strings"
	"unicode"
)

// The paragraph as the finder reads it: sentences, quotation marks, spans.

// isTitleLine reports whether p is a section title: a few words without a
// full stop. A title is nobody's words and ends a run of continuations.
func (p *para) isTitleLine() bool {
	if p.words(0, len(p.toks)) > 8 {
		return false
	}
	for i := range p.toks {
		switch p.toks[i].norm {
		case ".", "!", "?", ":", "\"":
			return false
		}
	}
	return true
}

// end is the number of tokens without the symbols (emoji, arrows) that
// close a line: "چکیده اظهارات X: 👇" ends with its colon.
func (p *para) end() int {
	n := len(p.toks)
	for n > 0 && p.toks[n-1].punct != 0 && unicode.IsSymbol(p.toks[n-1].punct) {
		n--
	}
	return n
}

// isBullet reports whether p is an item of a list: it opens with a mark
// that is not a quotation mark or a bracket (↩️ • - * 🔹 ▪), or with a
// number and a mark (1- ۲. 3) 4_).
func (p *para) isBullet() bool {
	if len(p.toks) < 2 {
		return false
	}
	t := &p.toks[0]
	if t.isWord() {
		if n := strings.TrimSuffix(t.norm, "_"); n != t.norm && isDigits(n) {
			return true // 1_ (an underscore for the dash, as FarsNews types it)
		}
		if !isDigits(t.norm) || p.toks[1].isWord() {
			return false
		}
		switch p.toks[1].norm {
		case "-", ".", ")", "_":
			return true
		}
		return false
	}
	switch t.punct {
	case '«', '»', '“', '”', '„', '"', '\'', '(', '[', ':', ',', '.', '،', '؛':
		return false
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// segment numbers the sentences: they end at . ! ? ؟ followed by white
// space or the paragraph's end (so 2.5 and U.S. stay whole), outside
// quotation marks, and not after an English title abbreviation (Mr.).
func (p *para) segment(lang string) {
	p.sentStart = append(p.sentStart[:0], 0)
	s := int32(0)
	depth := 0
	toks := p.toks // a local: p.toks would be read again after every append
	for i := range toks {
		t := &toks[i]
		t.sentence = s
		if t.punct == 0 {
			continue // a word, nine tokens in ten
		}
		switch t.punct {
		case '«', '“':
			depth++
		case '»', '”':
			if depth > 0 {
				depth--
			}
		}
		if depth > 0 {
			continue
		}
		switch t.norm {
		case ".", "!", "?":
		default:
			// A closing quotation mark right after . ! ? ends the
			// sentence too ("… Fox and Friends." "I mean …"; «… است.» او
			// …): the full stop belongs inside the marks.
			if !closesSentence(toks, i) {
				continue
			}
		}
		if i+1 < len(toks) && !toks[i+1].afterSpace {
			continue
		}
		if lang == "en" && t.norm == "." && i > 0 && isAbbrev(toks[i-1].norm) {
			continue
		}
		if i+1 < len(toks) {
			s++
			p.sentStart = append(p.sentStart, i+1)
		}
	}
}

// closesSentence reports whether token i is a closing quotation mark
// written right after a sentence's final . ! or ?.
func closesSentence(toks []token, i int) bool {
	switch toks[i].punct {
	case '»', '”', '"':
	default:
		return false
	}
	if i == 0 || toks[i].afterSpace {
		return false
	}
	switch toks[i-1].norm {
	case ".", "!", "?":
		return true
	}
	return false
}

func isAbbrev(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "st", "jr", "sr", "lt", "col", "u", "s", "no", "vs", "prof", "rev", "inc", "corp", "co",
		"del", "sgt", "capt", "maj", "adm", "supt", "atty", "amb": // titles before a name (Del. Marcia Price)
		return true
	}
	return len(w) == 1
}

// pairQuotes finds the outermost quotation-mark pairs. « and “ open, » and
// ” close, with nesting counted; the straight " alternates. An opening mark
// never closed runs to the paragraph's end; a stray closing one is ignored.
//
// inside says the paragraph starts within a quotation opened earlier: a
// virtual opening mark stands before its first token (open == -1).
func (p *para) pairQuotes(inside bool) {
	depth, open := 0, -1
	if inside && !(len(p.toks) > 0 && (p.toks[0].punct == '«' || p.toks[0].punct == '“' || p.toks[0].punct == '"')) {
		// A paragraph that goes on with a quotation usually repeats
		// the opening mark («…, “…) instead of being inside it: then
		// it pairs like any other paragraph.
		depth = 1
	}
	straight := false
	inner := -1    // the last mark that closed a nested quotation
	toks := p.toks // a local: p.toks would be read again after every append
	for i := range toks {
		t := &toks[i]
		if t.punct == 0 {
			continue // a word, nine tokens in ten
		}
		switch t.punct {
		case '«', '“', '„':
			if depth == 0 {
				open = i
			}
			depth++
		case '»', '”':
			if depth == 0 {
				continue
			}
			depth--
			if depth == 0 {
				p.quotes = append(p.quotes, quoteSpan{open, i})
			} else {
				inner = i
			}
		case '"':
			if depth == 0 && !straight {
				open, straight, depth = i, true, 1
			} else if straight && depth == 1 {
				straight, depth = false, 0
				p.quotes = append(p.quotes, quoteSpan{open, i})
			}
		}
	}
	if depth == 1 && open >= 0 && inner > open && !straight && p.words(inner, len(p.toks)) == 0 {
		// «… «اوسا-ای کی ام"، … را تخریب کرده است».: a nested « closed
		// by another mark, and the paragraph ends with the »; the writer
		// closed the outer quotation there.
		p.quotes = append(p.quotes, quoteSpan{open, inner})
	} else if depth > 0 {
		p.quotes = append(p.quotes, quoteSpan{open, -1})
	}
	for q, qs := range p.quotes {
		end := qs.close
		if end < 0 {
			end = len(p.toks) - 1
		}
		for i := max(qs.open, 0); i <= end; i++ {
			p.toks[i].qid = int32(q)
		}
	}
}

// sentenceEnd is the token after the last of sentence s.
func (p *para) sentenceEnd(s int32) int {
	if int(s)+1 < len(p.sentStart) {
		return p.sentStart[s+1]
	}
	return len(p.toks)
}

// span returns the span of the words in toks[a:b], punctuation trimmed at
// both ends, or nil when there is no word.
func (p *para) span(a, b int) *Span {
	a, b = max(a, 0), min(b, len(p.toks))
	for a < b && !p.toks[a].isWord() {
		a++
	}
	for b > a && !p.toks[b-1].isWord() {
		b--
	}
	if a >= b {
		return nil
	}
	if len(p.spans) == cap(p.spans) {
		// A new block, never one handed out before: the spans in it may
		// be the candidates' (their Cue, Speaker and Role).
		p.spans = make([]Span, 0, spanBlock)
	}
	from, to := p.toks[a].bstart, p.toks[b-1].bend
	p.spans = append(p.spans, Span{Paragraph: p.n, Start: int(p.toks[a].start), End: int(p.toks[b-1].end), Text: p.text[from:to], ByteStart: from, ByteEnd: to})
	return &p.spans[len(p.spans)-1]
}

// spanBlock is how many spans span allocates at once: the rules look at
// some eighty spans in a 600-word article, most of them dropped, and one
// allocation each was two thirds of the finder's.
const spanBlock = 32

// words counts the words in toks[a:b].
func (p *para) words(a, b int) int {
	if a <= 0 && b >= len(p.toks) {
		return p.nwords // the whole paragraph, asked of most paragraphs several times
	}
	n := 0
	for i := max(a, 0); i < b && i < len(p.toks); i++ {
		if p.toks[i].isWord() {
			n++
		}
	}
	return n
}

// atLeast reports whether toks[a:b] holds at least n words; it stops
// counting at n, so that a check on a huge sentence costs O(n), not
// O(sentence).
func (p *para) atLeast(a, b, n int) bool {
	for i := max(a, 0); i < b && i < len(p.toks); i++ {
		if p.toks[i].isWord() {
			if n--; n <= 0 {
				return true
			}
		}
	}
	return n <= 0
}

func (p *para) word(i int) string {
	if i < 0 || i >= len(p.toks) || !p.toks[i].isWord() {
		return ""
	}
	return p.toks[i].norm
}

func isComma(t *token) bool { return t.norm == "," }

func isOpenQuote(t *token) bool {
	switch t.punct {
	case '«', '“', '„', '"':
		return true
	}
	return false
}
