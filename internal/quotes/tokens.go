package quotes

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/text"
)

// token is a word or a punctuation mark of one paragraph.
type token struct {
	norm          string // matching form (text.Normalize's folding)
	start, end    int    // code points in the original paragraph, end exclusive
	bstart, bend  int    // the same in bytes
	punct         rune   // the original mark for punctuation; 0 for a word
	upper         bool   // a word whose first letter is an upper-case letter
	afterSpace    bool   // white space (or the paragraph start) precedes it
	sentence, qid int32  // sentence number; quotation number or -1 outside one
	nlen          int32  // bytes of norm while tokenize builds it
	cls           uint8  // lexicon classes of the word (see lexicon.starts)
}

func (t *token) isWord() bool { return t.punct == 0 }

// Classes of the fold table.
const (
	clsWord uint8 = iota
	clsDrop
	clsSpace
	clsPunct
)

type fold struct {
	s    string
	cls  uint8
	mark bool // a combining mark: no word starts with one
}

// foldTable holds, for every rune below U+2070 (Latin, Greek, Cyrillic,
// Arabic, the quotation marks, the ZWNJ and the bidi controls), what
// text.Normalize makes of it alone. The finder folds rune by rune so that it
// knows where in the original each matching character came from; building
// the table from text.Normalize keeps it to the desk's one set of rules.
var foldTable = sync.OnceValue(func() *[0x2070]fold {
	var t [0x2070]fold
	for r := range rune(len(t)) {
		t[r] = foldOf(r)
	}
	return &t
})

func foldOf(r rune) fold {
	if unicode.IsSpace(r) {
		return fold{s: " ", cls: clsSpace}
	}
	if r >= 0xD800 && r <= 0xDFFF {
		return fold{cls: clsDrop}
	}
	s := text.Normalize(string(r))
	if s == "" {
		return fold{cls: clsDrop}
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.IsMark(c) {
			return fold{s: s, cls: clsPunct}
		}
	}
	return fold{s: s, cls: clsWord, mark: unicode.IsMark(r)}
}

func foldRune(t *[0x2070]fold, r rune) fold {
	if r < rune(len(t)) {
		return t[r]
	}
	if unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
		return fold{cls: clsDrop}
	}
	return foldOf(r) // rare outside the table: presentation forms, CJK
}

// tokenize splits p into words and punctuation marks. Characters the
// normalizer deletes (harakat, the half-space, bidi controls) join what
// stands on either side, as they do in text.Normalize.
//
// The tokens are appended to dst[:0], which a caller reuses from one
// paragraph to the next.
func tokenize(p string, buf *strings.Builder, dst []token) []token {
	buf.Reset()
	buf.Grow(len(p))
	table := foldTable()
	toks := dst[:0]
	var cur *token
	space := true
	ri := 0
	for bi, r := range p {
		f := foldRune(table, r)
		switch f.cls {
		case clsDrop:
			// inside a word it joins; elsewhere it is invisible
		case clsSpace:
			cur = nil
			space = true
		case clsWord:
			if cur == nil && f.mark {
				// a mark with no letter before it (the emoji variation
				// selector of ↩️): nothing to read
				break
			}
			if cur == nil {
				toks = append(toks, token{start: ri, bstart: bi, upper: isUpper(r), afterSpace: space, qid: -1})
				cur = &toks[len(toks)-1]
			}
			buf.WriteString(f.s)
			cur.end, cur.bend = ri+1, bi+utf8.RuneLen(r)
			cur.nlen += int32(len(f.s))
			space = false
		case clsPunct:
			cur = nil
			toks = append(toks, token{norm: f.s, start: ri, end: ri + 1, bstart: bi, bend: bi + utf8.RuneLen(r), punct: r, afterSpace: space, qid: -1})
			space = false
		}
		ri++
	}
	// The words' matching forms lie one after the other in buf.
	all := buf.String()
	off := 0
	for i := range toks {
		if toks[i].punct == 0 {
			n := int(toks[i].nlen)
			toks[i].norm = all[off : off+n]
			off += n
		}
	}
	return joinSplitPrefix(toks)
}

// joinSplitPrefix joins the verbal prefix می/نمی written apart from its
// verb (می گوید → میگوید), as text.Normalize does, so a cue matches in
// either spelling.
func joinSplitPrefix(toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if (t.norm == "می" || t.norm == "نمی") && i+1 < len(toks) && toks[i+1].isWord() && startsArabic(toks[i+1].norm) {
			n := toks[i+1]
			t.norm = t.norm + n.norm
			t.end, t.bend = n.end, n.bend
			i++
		}
		out = append(out, t)
	}
	return out
}

// isUpper is unicode.IsUpper without the table search for the scripts
// that have no case (Arabic, most of the desk's text).
func isUpper(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'A' <= r && r <= 'Z'
	case r >= 0x0590 && r <= 0x08FF:
		return false
	}
	return unicode.IsUpper(r)
}

func startsArabic(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= 0x0600 && r <= 0x06FF
}
