package quotes

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/text"
)

// token is a word or a punctuation mark of one paragraph.
type token struct {
	norm          string // matching form (text.Normalize's folding)
	start, end    int32  // code points in the original paragraph, end exclusive (Find refuses a paragraph of 2 GB or more)
	bstart, bend  int32  // the same in bytes
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
	// arabicSame has a bit for each rune of the Arabic block
	// (U+0600–U+06FF) that is a letter or mark of its own matching form
	// (a word character with kindSame): arabicRun reads Persian words
	// against it. arabicStart is the same without the marks, which start
	// no word: the letters a word starts with.
	arabicSame, arabicStart [4]uint64
}

var foldTable = sync.OnceValue(func() *foldTables {
	t := new(foldTables)
	for r := range rune(tableSize) {
		t.fold[r] = foldOf(r)
		t.kind[r] = t.fold[r].kind()
		if isUpper(r) {
			t.kind[r] |= kindUpper
		}
		if x := r - 0x600; x >= 0 && x < 0x100 && t.kind[r]&(kindClass|kindSame) == clsWord|kindSame {
			t.arabicSame[x/64] |= 1 << (x % 64)
			if t.kind[r]&(kindMark|kindUpper) == 0 {
				t.arabicStart[x/64] |= 1 << (x % 64)
			}
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
// (emoji and arrows of Telegram posts, presentation forms, CJK), with
// their kinds: folding one with text.Normalize costs a microsecond, and
// the same few recur. It is an array of blocks of 256 runes, each made
// when a rune of it is first met, whose entries are set once each: a
// lookup is two loads. A sync.Map's (a walk down its hash trie) was 15%
// of the finder's time in BenchmarkIngestOverhead, nearly all of it on
// its two Chinese pages, every character of which is above the table.
var foldsAbove [(unicode.MaxRune + 1) >> 8]atomic.Pointer[foldBlock]

type foldBlock [256]atomic.Pointer[foldKind]

// foldKind is a rune's fold and its kind (isUpper's flag included).
type foldKind struct {
	f fold
	k uint8
}

// foldAbove is the fold and kind of a rune r >= tableSize.
func foldAbove(r rune) *foldKind {
	if r < 0 || r > unicode.MaxRune { // not from decoding UTF-8, which gives utf8.RuneError
		r = utf8.RuneError
	}
	slot := &foldsAbove[r>>8]
	b := slot.Load()
	if b == nil {
		slot.CompareAndSwap(nil, new(foldBlock)) // one made first by another goroutine is kept
		b = slot.Load()
	}
	if fk := b[r&0xFF].Load(); fk != nil {
		return fk
	}
	f := fold{cls: clsDrop}
	if !unicode.Is(unicode.Cf, r) && r != utf8.RuneError {
		f = foldOf(r) // rare outside the table: presentation forms, CJK
	}
	fk := &foldKind{f: f, k: f.kind()}
	if isUpper(r) {
		fk.k |= kindUpper
	}
	b[r&0xFF].Store(fk)
	return fk
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
	toks, _, _ := tokenizeValid(p, buf, dst)
	return toks
}

// tokenizeValid is tokenize, which also reports whether p is valid UTF-8
// (as utf8.ValidString): every rune is decoded anyway, and an invalid
// sequence is one that decodes to utf8.RuneError of one byte. Find reads
// its paragraphs' validity here instead of in a pass of its own over the
// text before, which cost a tenth of its time. runes is p's length in code
// points, counted as it is read (see FindRunes).
func tokenizeValid(p string, buf *strings.Builder, dst []token) (toks []token, runes int, valid bool) {
	table := foldTable()
	valid = true
	toks = dst[:0]
	var cur *token // the word being read
	space := true
	ri := 0
	prefix := -1 // the first می or نمی
	for bi := 0; bi < len(p); {
		if cur == nil && bi+1 < len(p) && p[bi]&0xFC == 0xD8 && p[bi+1]&0xC0 == 0x80 && table.arabicStart[p[bi]&3]>>(p[bi+1]&0x3F)&1 != 0 {
			// A word that starts with a letter of the Arabic block that
			// is its own matching form, most words of a Persian
			// paragraph: what the clsWord case below does for it,
			// without decoding the letter and reading its kind. The
			// rest of the word is its letters of the block, then
			// sameRun for anything else (a half-space ends the run).
			e, n := arabicRun(table, p, bi+2)
			n += ri + 1
			if e < len(p) && p[e] != ' ' {
				var more int
				e, more = sameRun(table, p, e)
				n += more
			}
			toks = slices.Grow(toks, 1)[:len(toks)+1]
			cur = &toks[len(toks)-1]
			cur.start, cur.end, cur.bstart, cur.bend = int32(ri), int32(n), int32(bi), int32(e)
			cur.punct, cur.upper, cur.afterSpace = 0, false, space
			cur.sentence, cur.qid, cur.cls = 0, -1, 0
			cur.nlen = -1
			space = false
			if e < len(p) && p[e] == ' ' {
				// The word ends: finish's work, with its form p[bi:e].
				cur.norm = p[bi:e]
				if prefix < 0 && splitPrefixWord(cur.norm) {
					prefix = len(toks) - 1
				}
				cur, space = nil, true
				e, n = e+1, n+1
			}
			bi, ri = e, n
			continue
		}
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
			k = foldAbove(r).k
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
				cur.start, cur.end, cur.bstart, cur.bend = int32(ri), int32(ri), int32(bi), int32(bi)
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
				if cur.nlen >= 0 || int(cur.bend) != bi {
					// The word's form is built (or the run comes after
					// a deleted character): the run is copied whole.
					if cur.nlen < 0 {
						cur.startBuilding(p, buf)
					}
					buf.WriteString(p[bi:e])
					cur.nlen += int32(e - bi)
				}
				cur.end, cur.bend = int32(n), int32(e)
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
			cur.end, cur.bend = int32(ri+1), int32(bi+size)
		case clsPunct:
			if cur != nil {
				prefix = cur.finish(p, buf, len(toks)-1, prefix)
				cur = nil
			}
			toks = append(toks, token{norm: foldFor(table, r).s, start: int32(ri), end: int32(ri + 1), bstart: int32(bi), bend: int32(bi + size), punct: r, afterSpace: space, qid: -1})
			space = false
		}
		bi += size
		ri++
	}
	if cur != nil {
		prefix = cur.finish(p, buf, len(toks)-1, prefix)
	}
	if prefix < 0 {
		return toks, ri, valid
	}
	return joinSplitPrefix(toks, prefix), ri, valid
}

// sameRun returns the end of the run of p from byte i whose characters
// are their own matching form (letters and marks, kindSame), and how many
// code points it holds: the words of Latin script, and what follows the
// letters of the Arabic block a Persian word starts with (arabicRun). A
// two-byte rune is below U+0800, inside the table.
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

// arabicRun returns the end of the run of p from byte i of runes of the
// Arabic block that are their own matching form (arabicSame), and how many
// it holds: most of a Persian paragraph. A rune's lead byte's low two bits
// and the next byte's six are the rune less 0x600, one bit each in
// arabicSame: a few instructions a letter, where sameRun decodes it and
// reads its kind.
func arabicRun(table *foldTables, p string, i int) (end, n int) {
	for i+1 < len(p) && p[i]&0xFC == 0xD8 && p[i+1]&0xC0 == 0x80 && table.arabicSame[p[i]&3]>>(p[i+1]&0x3F)&1 != 0 {
		i += 2
		n++
	}
	return i, n
}

// foldFor is the fold of rune r, in the table or above it.
func foldFor(table *foldTables, r rune) fold {
	if r < tableSize {
		return table.fold[r]
	}
	return foldAbove(r).f
}

// startBuilding starts building the matching form of word t of p in buf,
// at a folded character or one deleted: what the word holds so far is
// its own form.
func (t *token) startBuilding(p string, buf *strings.Builder) {
	if buf.Cap() == 0 {
		buf.Grow(min(len(p), 1024)) // not from 8 bytes up
	}
	buf.WriteString(p[t.bstart:t.bend])
	t.nlen = t.bend - t.bstart
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
	if prefix < 0 && splitPrefixWord(t.norm) {
		return i
	}
	return prefix
}

// splitPrefixWord reports whether w is the verbal prefix می or نمی. The
// word's first four bytes are compared first: a test of its length, the
// same for one word in five, was mispredicted as often.
func splitPrefixWord(w string) bool {
	return len(w) >= 4 && (w[:4] == "می" && len(w) == 4 || w[:4] == "نم" && w == "نمی")
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

// classOf is startsOf(w), answered without a branch that depends on
// whether w is in the lexicon for a word of 4 to 12 bytes (two to six
// Persian letters: most words, and nearly all that start a phrase). A
// third of the words of Persian text are in it, at no pattern a branch
// predictor can learn: the filter's test in startsOf was mispredicted for
// one word in three, the finder's costliest branch.
//
// The word's key is three loads of four bytes: its first four, the four
// from (n-4)/2 and its last four, which hold every byte of a word of 4 to
// 12 bytes. They overlap in a shorter word, whose length the key also
// holds: equal keys, equal words.
func (lx *lexicon) classOf(w string) uint32 {
	n := len(w)
	if uint(n-minShort) > maxShort-minShort {
		return lx.startsOf(w)
	}
	lo := uint64(load32(w, 0)) | uint64(load32(w, (n-4)>>1))<<32 // from byte 0 to 4 as n grows: no branch
	hi := load32(w, n-4)
	t := lx.short
	i := shortSlotOf(lo, hi, n)
	s := &t.slots[i]
	// Another word's slot (the table is under a third full): probe on.
	// The test is of bits, not a branch on whether w is there; a free
	// slot's classes are none.
	x := s.lo ^ lo | uint64(s.hi^hi) | uint64(s.meta^uint32(n))&shortLenMask // 0 when the slot holds w
	if (x|-x)&-uint64(s.meta)>>63 != 0 {
		return probe(t, lo, hi, n, i)
	}
	return t.classes[s.meta>>shortLenBits]
}

// Lengths in bytes of the words shortClasses holds: a key of three loads
// of four bytes (classOf) holds every byte of them.
const (
	minShort = 4
	maxShort = 12
)

// shortBits sizes shortClasses: 1,024 slots of 16 bytes (16 KB), under a
// third full with the Persian lexicon's 290 words of 4 to 12 bytes. A
// fixed size spares classOf a variable shift and its bounds checks. The
// word and its classes are in the slot, one cache line a word. At ingest,
// where extraction has just filled the caches, most of classOf's time was
// the cache miss on reading the slot: the table was three times the size
// (twice the slots, of 24 bytes). (A byte of tag a slot, read first so
// that the words not in the lexicon read no slot, missed the cache less
// but cost more than it saved.)
const shortBits = 10

// A slot's meta holds the word's length in its low shortLenBits and, above
// them, the index of its classes in shortTable.classes.
const (
	shortLenBits        = 4
	shortLenMask uint64 = 1<<shortLenBits - 1
)

// shortClasses is lexicon.starts for its words of minShort to maxShort
// bytes, keyed by the words' bytes themselves (classOf): comparing two
// keys compares the words, with no call and no loop.
type shortClasses = *shortTable

type shortTable struct {
	slots [1 << shortBits]shortSlot
	// classes are the distinct classes of the words, which a slot names
	// by their index: the lexicon's words share a few dozen, and a slot
	// of 16 bytes has no room for them beside the word. classes[0] is
	// none, a free slot's.
	classes []uint32
}

// shortSlot is a word of minShort to maxShort bytes: its first and middle
// four bytes (lo), its last four (hi) and its length with the index of its
// classes (meta). A free slot's meta is 0: every word's holds its length.
type shortSlot struct {
	lo   uint64
	hi   uint32
	meta uint32
}

// shortSlotOf is the first slot of the key lo, hi of a word of n bytes.
func shortSlotOf(lo uint64, hi uint32, n int) uint64 {
	return ((lo*0x9E3779B97F4A7C15 ^ (uint64(hi) | uint64(n)<<32)) * 0xC2B2AE3D27D4EB4F) >> (64 - shortBits)
}

// probe looks for the key lo, hi of a word of n bytes from slot i on.
func probe(t shortClasses, lo uint64, hi uint32, n int, i uint64) uint32 {
	for ; ; i = (i + 1) % (1 << shortBits) {
		switch s := &t.slots[i]; {
		case s.lo == lo && s.hi == hi && uint64(s.meta)&shortLenMask == uint64(n):
			return t.classes[s.meta>>shortLenBits]
		case s.meta == 0:
			return 0
		}
	}
}

// newShortClasses builds the table of the words of starts of minShort to
// maxShort bytes.
func newShortClasses(starts *wordTable[uint32]) shortClasses {
	t := &shortTable{classes: []uint32{0}}
	index := map[uint32]uint32{0: 0}
	n := 0
	starts.each(func(w string, c *uint32) {
		if len(w) < minShort || len(w) > maxShort {
			return
		}
		if n++; 2*n > len(t.slots) {
			panic("quotes: too many words for shortClasses")
		}
		k, ok := index[*c]
		if !ok {
			k = uint32(len(t.classes))
			index[*c] = k
			t.classes = append(t.classes, *c)
		}
		lo, hi := uint64(load32(w, 0))|uint64(load32(w, (len(w)-4)>>1))<<32, load32(w, len(w)-4)
		i := shortSlotOf(lo, hi, len(w))
		for t.slots[i].meta != 0 {
			i = (i + 1) % (1 << shortBits)
		}
		t.slots[i] = shortSlot{lo, hi, uint32(len(w)) | k<<shortLenBits}
	})
	return t
}

// firstFrom returns the first of toks (in order) that starts at or after
// code point cp: slices.BinarySearchFunc without copying a token to the
// comparison for every step, which cost the speaker's resolution a third
// of its time.
func firstFrom(toks []token, cp int) int {
	lo, hi := 0, len(toks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(toks[m].start) < cp {
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
		if int(toks[m].end) < cp {
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
// word's length and some of its bytes (tableHash): the lexicon's lists
// are asked about a word at most tokens, and Go's string maps (hashing
// every byte, then probing a group) cost a tenth of the finder's time.
// Words are never empty: the empty key marks a free slot.
type wordTable[V any] struct {
	keys []string
	vals []V
	n    int // keys in use
}

// tableHash mixes w's length and its first, middle and last four bytes:
// every byte of a word of up to twelve (six Persian letters, nearly every
// word the lists hold). A word of four bytes or more, nearly every word,
// takes the same path whatever its length: the branch between lengths that
// an earlier form took was mispredicted for one word in three.
func tableHash(w string) uint64 {
	n := len(w)
	var x uint64
	if n >= 4 {
		// Loads that overlap in a word of fewer than twelve bytes.
		x = uint64(load32(w, 0)) | uint64(load32(w, n-4))<<32
		x ^= bits.RotateLeft64(uint64(load32(w, (n-4)>>1))*0xC2B2AE3D27D4EB4F, 32)
	} else if n > 0 {
		x = uint64(w[0]) | uint64(w[n>>1])<<8 | uint64(w[n-1])<<16
	}
	x = (x ^ uint64(n)<<56) * 0x9E3779B97F4A7C15
	return x ^ x>>29
}

// load32 reads four bytes of s from i, little-endian (one bounds check,
// for the slice).
func load32(s string, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
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
