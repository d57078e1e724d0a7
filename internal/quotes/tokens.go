package quotes

import (
	"math/bits"
	"slices"
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
	nlen          int32  // while tokenize runs: bytes of norm built in its buffer, -1 when norm is a substring of the paragraph
	cls           uint32 // lexicon classes of the word (see lexicon.starts), with clsKnown once set
}

func (t *token) isWord() bool { return t.punct == 0 }

// Classes of the fold table.
const (
	clsWord uint8 = iota
	clsDrop
	clsSpace
	clsPunct
)

// A rune's kind packs its class and three flags into the byte the tokenizer
// reads for every character.
const (
	kindClass uint8 = 3  // the class bits
	kindMark  uint8 = 4  // fold.mark
	kindSame  uint8 = 8  // fold.same
	kindUpper uint8 = 16 // isUpper: a word starting with it is token.upper
)

type fold struct {
	s    string
	cls  uint8
	mark bool // a combining mark: no word starts with one
	same bool // s is the rune itself, so a word of such runes is its own matching form
}

func (f *fold) kind() uint8 {
	k := f.cls
	if f.mark {
		k |= kindMark
	}
	if f.same {
		k |= kindSame
	}
	return k
}

// tableSize bounds the runes of the fold table: below U+2070 (Latin,
// Greek, Cyrillic, Arabic, the quotation marks, the ZWNJ and the bidi
// controls).
const tableSize = 0x2070

// foldTables holds, for every rune of the table, what text.Normalize
// makes of it alone, and its kind apart: the tokenizer reads the kind of
// every character and the fold only of those that change. The finder folds
// rune by rune so that it knows where in the original each matching
// character came from; building the table from text.Normalize keeps it to
// the desk's one set of rules.
type foldTables struct {
	kind [tableSize]uint8
	fold [tableSize]fold
}

var foldTable = sync.OnceValue(func() *foldTables {
	t := new(foldTables)
	for r := range rune(tableSize) {
		t.fold[r] = foldOf(r)
		t.kind[r] = t.fold[r].kind()
		if isUpper(r) {
			t.kind[r] |= kindUpper
		}
	}
	return t
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
	return fold{s: s, cls: clsWord, mark: unicode.IsMark(r), same: s == string(r)}
}

// foldsAbove caches the folds of the runes above the table met so far
// (emoji and arrows of Telegram posts, presentation forms, CJK): folding
// one with text.Normalize costs a microsecond, and the same few recur.
var foldsAbove sync.Map // rune → fold

// foldAbove is the fold of a rune r >= tableSize.
func foldAbove(r rune) fold {
	if f, ok := foldsAbove.Load(r); ok {
		return f.(fold)
	}
	f := fold{cls: clsDrop}
	if !unicode.Is(unicode.Cf, r) && r != utf8.RuneError {
		f = foldOf(r) // rare outside the table: presentation forms, CJK
	}
	foldsAbove.Store(r, f)
	return f
}

// scratch is the memory a call of Find works in: the current paragraph's
// tokens, the candidates and the people named so far. scratchPool lends
// it to the next call: growing them anew for every article cost a sixth
// of the finder's time, most of it in the garbage collector.
type scratch struct {
	toks     []token
	out      []Candidate
	mentions []mention
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Bounds of the slices kept in scratchPool, so that the memory of a huge
// paragraph is not held after it.
const (
	maxPooledTokens  = 1 << 14
	maxPooledEntries = 1 << 10 // candidates, people named
)

// newFinder starts a call of Find with scratch memory from the pool.
func newFinder(lx *lexicon) *finder {
	s := scratchPool.Get().(*scratch)
	return &finder{lx: lx, toks: s.toks[:0], out: s.out[:0], mentions: s.mentions[:0]}
}

// result returns the candidates found, in a slice of their own (nil for
// none), and gives the scratch memory back to the pool.
func (f *finder) result() []Candidate {
	var out []Candidate
	switch {
	case cap(f.out) > maxPooledEntries:
		out = f.out // not kept for the next call: no copy needed
	case len(f.out) > 0:
		out = slices.Clone(f.out)
	}
	if cap(f.toks) <= maxPooledTokens && cap(f.out) <= maxPooledEntries && cap(f.mentions) <= maxPooledEntries {
		scratchPool.Put(&scratch{toks: f.toks[:0], out: f.out[:0], mentions: f.mentions[:0]})
	}
	f.toks, f.out, f.mentions = nil, nil, nil
	return out
}

// tokenize splits p into words and punctuation marks. Characters the
// normalizer deletes (harakat, the half-space, bidi controls) join what
// stands on either side, as they do in text.Normalize.
//
// A word whose characters are their own matching form, one after the
// other in p (most words: the normalizer leaves Persian letters and
// lower-case Latin alone), takes its matching form from p itself; the
// others are built in buf. buf is appended to, never reset here: the
// strings taken from it stay valid, and one buffer serves a whole
// article. The tokens are appended to dst[:0], which a caller reuses from
// one paragraph to the next.
func tokenize(p string, buf *strings.Builder, dst []token) []token {
	toks, _ := tokenizeValid(p, buf, dst)
	return toks
}

// tokenizeValid is tokenize, which also reports whether p is valid UTF-8
// (as utf8.ValidString): every rune is decoded anyway, and an invalid
// sequence is one that decodes to utf8.RuneError of one byte. Find reads
// its paragraphs' validity here instead of in a pass of its own over the
// text before, which cost a tenth of its time.
func tokenizeValid(p string, buf *strings.Builder, dst []token) ([]token, bool) {
	table := foldTable()
	valid := true
	toks := dst[:0]
	var cur *token // the word being read
	space := true
	ri := 0
	prefix := -1 // the first می or نمی
	for bi := 0; bi < len(p); {
		// utf8.DecodeRuneInString with the one- and two-byte forms (ASCII,
		// the Arabic block) inline: the call cost a tenth of the time.
		r, size := rune(p[bi]), 1
		if r >= utf8.RuneSelf {
			if r >= 0xC2 && r < 0xE0 && bi+1 < len(p) && p[bi+1]&0xC0 == 0x80 {
				r, size = (r&0x1F)<<6|rune(p[bi+1]&0x3F), 2
			} else {
				r, size = utf8.DecodeRuneInString(p[bi:])
				valid = valid && (r != utf8.RuneError || size != 1)
			}
		}
		// The kind of a rune above the table is its cached fold's, and
		// isUpper's (the table holds both for the others).
		var k uint8
		if r < tableSize {
			k = table.kind[r]
		} else {
			f := foldAbove(r)
			k = f.kind()
			if isUpper(r) {
				k |= kindUpper
			}
		}
		switch k & kindClass {
		case clsDrop:
			// inside a word it joins; elsewhere it is invisible
		case clsSpace:
			if cur != nil {
				prefix = cur.finish(p, buf, len(toks)-1, prefix)
				cur = nil
			}
			space = true
		case clsWord:
			if cur == nil && k&kindMark != 0 {
				// a mark with no letter before it (the emoji variation
				// selector of ↩️): nothing to read
				break
			}
			if cur == nil {
				toks = slices.Grow(toks, 1)[:len(toks)+1]
				cur = &toks[len(toks)-1]
				// Field by field, norm last (finish sets it): storing
				// the whole token, its string's pointer included, cost
				// a write barrier per word.
				cur.start, cur.end, cur.bstart, cur.bend = ri, ri, bi, bi
				cur.punct, cur.upper, cur.afterSpace = 0, k&kindUpper != 0, space
				cur.sentence, cur.qid, cur.cls = 0, -1, 0
				cur.nlen = -1 // the matching form is p[bstart:bend]
			}
			space = false
			if k&kindSame != 0 {
				// Read on to the end of the run of characters that are
				// their own matching form at once.
				e, n := sameRun(table, p, bi+size)
				n += ri + 1
				if cur.nlen >= 0 || cur.bend != bi {
					// The word's form is built (or the run comes after
					// a deleted character): the run is copied whole.
					if cur.nlen < 0 {
						cur.startBuilding(p, buf)
					}
					buf.WriteString(p[bi:e])
					cur.nlen += int32(e - bi)
				}
				cur.end, cur.bend = n, e
				bi, ri = e, n
				if bi < len(p) && p[bi] == ' ' {
					// Most words end at a space: it is read here,
					// not decoded and looked up in the table above.
					prefix = cur.finish(p, buf, len(toks)-1, prefix)
					cur, space = nil, true
					bi, ri = bi+1, ri+1
				}
				continue
			}
			f := foldFor(table, r)
			if cur.nlen < 0 {
				cur.startBuilding(p, buf)
			}
			buf.WriteString(f.s)
			cur.nlen += int32(len(f.s))
			cur.end, cur.bend = ri+1, bi+size
		case clsPunct:
			if cur != nil {
				prefix = cur.finish(p, buf, len(toks)-1, prefix)
				cur = nil
			}
			toks = append(toks, token{norm: foldFor(table, r).s, start: ri, end: ri + 1, bstart: bi, bend: bi + size, punct: r, afterSpace: space, qid: -1})
			space = false
		}
		bi += size
		ri++
	}
	if cur != nil {
		prefix = cur.finish(p, buf, len(toks)-1, prefix)
	}
	if prefix < 0 {
		return toks, valid
	}
	return joinSplitPrefix(toks, prefix), valid
}

// sameRun returns the end of the run of p from byte i whose characters
// are their own matching form (letters and marks, kindSame), and how many
// code points it holds. Most of a Persian paragraph is read here, two
// bytes at a time: a two-byte rune is below U+0800, inside the table.
func sameRun(table *foldTables, p string, i int) (end, n int) {
	const want = clsWord | kindSame
	for i < len(p) {
		c := p[i]
		switch {
		case c < utf8.RuneSelf:
			if table.kind[c]&(kindClass|kindSame) != want {
				return i, n
			}
			i++
		case c >= 0xC2 && c < 0xE0 && i+1 < len(p) && p[i+1]&0xC0 == 0x80:
			if table.kind[(rune(c&0x1F)<<6|rune(p[i+1]&0x3F))&0x7FF]&(kindClass|kindSame) != want {
				return i, n
			}
			i += 2
		default:
			// An invalid sequence decodes to utf8.RuneError, above the
			// table: the run ends, and tokenizeValid reads it.
			r, size := utf8.DecodeRuneInString(p[i:])
			if r >= tableSize || table.kind[r]&(kindClass|kindSame) != want {
				return i, n
			}
			i += size
		}
		n++
	}
	return i, n
}

// foldFor is the fold of rune r, in the table or above it.
func foldFor(table *foldTables, r rune) fold {
	if r < tableSize {
		return table.fold[r]
	}
	return foldAbove(r)
}

// startBuilding starts building the matching form of word t of p in buf,
// at a folded character or one deleted: what the word holds so far is
// its own form.
func (t *token) startBuilding(p string, buf *strings.Builder) {
	if buf.Cap() == 0 {
		buf.Grow(min(len(p), 1024)) // not from 8 bytes up
	}
	buf.WriteString(p[t.bstart:t.bend])
	t.nlen = int32(t.bend - t.bstart)
}

// finish sets the matching form of word t, token i of p, when it ends:
// p[bstart:bend], or the last nlen bytes built in buf (a builder never
// changes the bytes it has given out). It returns the first token that
// may be a split verbal prefix, given the one before (-1 for none).
func (t *token) finish(p string, buf *strings.Builder, i, prefix int) int {
	if t.nlen < 0 {
		t.norm = p[t.bstart:t.bend]
	} else {
		s := buf.String()
		t.norm = s[len(s)-int(t.nlen):]
	}
	if prefix < 0 && (t.norm == "می" || t.norm == "نمی") {
		return i
	}
	return prefix
}

// validUTF8 is utf8.ValidString, faster on Arabic-script text: it reads
// the two-byte sequences of the Arabic block inline, where the standard
// function took a tenth of the finder's time on the Persian corpus. Text
// that starts in ASCII is left to the standard function, whose ASCII path
// is faster still.
func validUTF8(s string) bool {
	if len(s) > 0 && s[0] < utf8.RuneSelf {
		return utf8.ValidString(s)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			i++
		case c >= 0xC2 && c < 0xE0:
			if i+1 >= len(s) || s[i+1]&0xC0 != 0x80 {
				return false
			}
			i += 2
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size
		}
	}
	return true
}

// wordSet is a filter over a set of words, a bit per value of filterBit:
// a word whose bit is clear is not in the set. Looking a word up in the
// map of the lexicon's first words cost a tenth of the finder's time; most
// words start no phrase, and the filter answers for them in a few
// instructions.
type wordSet *[1 << 16 / 64]uint64

func newWordSet[V any](words *wordTable[V]) wordSet {
	s := new([1 << 16 / 64]uint64)
	words.each(func(w string, _ *V) {
		h := filterBit(tableHash(w))
		s[h/64] |= 1 << (h % 64)
	})
	return s
}

// filterBit is a word's bit in a wordSet: the top 16 bits of its
// tableHash, which the table's slots (the low bits) leave independent.
// (A hash of the length and three bytes let a third of the words of
// Persian text through: the first byte of an Arabic letter is one of a
// few, and the filter now holds the first words of every list.)
func filterBit(h uint64) uint64 { return h >> 48 }

// startsOf returns the classes of the phrases of the lexicon that start
// with word w (lexicon.starts).
func (lx *lexicon) startsOf(w string) uint32 {
	h := tableHash(w)
	if s := lx.startsSet; s != nil {
		if b := filterBit(h); s[b/64]&(1<<(b%64)) == 0 {
			return 0
		}
	}
	return lx.starts.getHashed(w, h)
}

// firstFrom returns the first of toks (in order) that starts at or after
// code point cp: slices.BinarySearchFunc without copying a token to the
// comparison for every step, which cost the speaker's resolution a third
// of its time.
func firstFrom(toks []token, cp int) int {
	lo, hi := 0, len(toks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if toks[m].start < cp {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// firstEndingFrom returns the first of toks (in order) that ends at or
// after code point cp: as firstFrom, without copying a token to the
// comparison for every step of a binary search.
func firstEndingFrom(toks []token, cp int) int {
	lo, hi := 0, len(toks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if toks[m].end < cp {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// joinSplitPrefix joins the verbal prefix می/نمی written apart from its
// verb (می گوید → میگوید), as text.Normalize does, so a cue matches in
// either spelling. No token before from is one.
func joinSplitPrefix(toks []token, from int) []token {
	i := from
	for i < len(toks) && !splitPrefix(toks, i) {
		i++
	}
	out := toks[:i]
	for ; i < len(toks); i++ {
		t := toks[i]
		if splitPrefix(toks, i) {
			n := toks[i+1]
			t.norm = t.norm + n.norm
			t.end, t.bend = n.end, n.bend
			i++
		}
		out = append(out, t)
	}
	return out
}

// splitPrefix reports whether toks[i] is می or نمی written apart from the
// verb that follows.
func splitPrefix(toks []token, i int) bool {
	t := &toks[i]
	return (t.norm == "می" || t.norm == "نمی") && i+1 < len(toks) && toks[i+1].isWord() && startsArabic(toks[i+1].norm)
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

// wordTable maps words to values by open addressing over a hash of a
// word's length and its first and last eight bytes: the lexicon's lists
// are asked about a word at most tokens, and Go's string maps (hashing
// every byte, then probing a group) cost a tenth of the finder's time.
// Words are never empty: the empty key marks a free slot.
type wordTable[V any] struct {
	keys []string
	vals []V
	n    int // keys in use
}

// tableHash mixes w's length and its first and last eight bytes (all of
// a shorter word's).
func tableHash(w string) uint64 {
	n := len(w)
	var x uint64
	switch {
	case n >= 8:
		x = load64(w, 0) ^ bits.RotateLeft64(load64(w, n-8), 31)
	case n >= 4:
		// Every byte, in two loads that may overlap, without a loop:
		// most Persian words are of two to three letters, 4–7 bytes.
		x = uint64(load32(w, 0)) | uint64(load32(w, n-4))<<32
	case n > 0:
		x = uint64(w[0]) | uint64(w[n>>1])<<8 | uint64(w[n-1])<<16
	}
	x = (x ^ uint64(n)<<56) * 0x9E3779B97F4A7C15
	return x ^ x>>29
}

// load64 reads eight bytes of s from i, little-endian.
func load64(s string, i int) uint64 {
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// load32 reads four bytes of s from i, little-endian.
func load32(s string, i int) uint32 {
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

// get returns w's value, or the zero value when w is not in the table.
func (t *wordTable[V]) get(w string) V {
	return t.getHashed(w, tableHash(w))
}

// getHashed is get with w's tableHash given.
func (t *wordTable[V]) getHashed(w string, h uint64) V {
	var zero V
	if len(t.keys) == 0 || w == "" {
		return zero
	}
	mask := uint64(len(t.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case w:
			return t.vals[i]
		case "":
			return zero
		}
	}
}

// put returns where w's value is kept, adding w (with the zero value)
// when it is new. The table stays at most half full.
func (t *wordTable[V]) put(w string) *V {
	if 2*(t.n+1) > len(t.keys) {
		old, oldVals := t.keys, t.vals
		t.keys, t.vals, t.n = make([]string, max(16, 2*len(old))), make([]V, max(16, 2*len(old))), 0
		for i, k := range old {
			if k != "" {
				*t.put(k) = oldVals[i]
			}
		}
	}
	mask := uint64(len(t.keys) - 1)
	i := tableHash(w) & mask
	for t.keys[i] != "" && t.keys[i] != w {
		i = (i + 1) & mask
	}
	if t.keys[i] == "" {
		t.keys[i] = w
		t.n++
	}
	return &t.vals[i]
}

// each calls fn with every word of the table and its value.
func (t *wordTable[V]) each(fn func(w string, v *V)) {
	for i, k := range t.keys {
		if k != "" {
			fn(k, &t.vals[i])
		}
	}
}
