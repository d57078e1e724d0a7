package text

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Tokens returns the normalized words of s, in order, for indexing and
// fingerprinting: maximal runs of letters, digits and combining marks of
// any script in Normalize(s). Numbers are kept as tokens; everything else
// (punctuation, symbols, hyphens) separates tokens, as it does in the
// SQLite unicode61 and PostgreSQL tokenizers that index the result. An
// apostrophe between two letters stays inside the token (iran's, o'brien)
// so that Stem can remove the English possessive.
//
// The tokens are substrings of one normalized string; Tokens allocates
// that string and the slice only.
func Tokens(s string) []string {
	_, toks := Analyze(s)
	return toks
}

// Analyze returns Normalize(s) and Tokens(s) together, for a caller that
// needs both or several uses of the tokens: ingest hashes the normalized
// text for exact dedup and fingerprints and indexes the tokens, with one
// normalization of the article instead of one per use.
func Analyze(s string) (normalized string, tokens []string) {
	n := Normalize(s)
	// Normalized text has about one token per six bytes in all three
	// languages; the estimate only saves slice growth.
	toks := make([]string, 0, len(n)/6+1)
	start := -1
	for i, r := range n {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case r == '\'' && start >= 0 && i+1 < len(n) && letterAt(n, i+1) && letterBefore(n, i):
			// Keep an apostrophe that sits between two letters.
		default:
			if start >= 0 {
				toks = append(toks, n[start:i])
				start = -1
			}
		}
	}
	if start >= 0 {
		toks = append(toks, n[start:])
	}
	return n, toks
}

func letterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func letterBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r)
}

// Stem returns the stem of a normalized token. English tokens (ASCII
// letters, possibly with an apostrophe) get the Snowball English stemmer,
// also known as Porter2, from github.com/kljensen/snowball; the function
// words on that stemmer's own stop list are returned as they are, so that
// "does" does not become "doe".
//
// Persian and Arabic tokens, and any token with a digit or a non-ASCII
// letter, are returned unchanged. There is no maintained Go stemmer for
// Persian or Arabic, and the light affix stripping one could write here
// (dropping ها, ات, ان, ی, ال, و...) conflates many unrelated news words
// (ایران → ایر, باران → بار, والی → الی) and so costs precision on exactly
// the names and places the desk searches for; the half-space rules of
// Normalize already make the ZWNJ, spaced and joined spellings of plurals
// and verb prefixes meet.
func Stem(token string) string {
	if !isEnglishWord(token) || stemsItself(token) {
		return token
	}
	stems.RLock()
	st, ok := stems.m[token]
	stems.RUnlock()
	if ok {
		return st
	}
	return stemAndKeep(token)
}

// stems caches the English stemmer, which allocates and runs its suffix
// rules on every call and took most of indexing's CPU time on English
// news, whose vocabulary repeats from article to article. The cache keeps
// the first maxCachedStems words it meets (a few megabytes) and stems any
// others each time. It is a plain map under a read-write lock, which
// TermsOf takes once for a whole text: a sync.Map lookup a token (a walk
// down its hash trie, a cache miss a level) cost 0.1 ms of an article's
// 0.2 ms of index terms at ingest.
var stems = struct {
	sync.RWMutex
	m map[string]string // token → stem
}{m: make(map[string]string)}

const maxCachedStems = 1 << 16

// stemsItself reports whether the English stemmer returns the English
// word w as it is without looking further: words of one or two letters,
// and its stop words (english.Stem's first test). They are roughly half of
// an English text's tokens, and a comparison of a few strings in the
// stop list's switch costs less than a lookup in the stem cache, which
// they then do not fill.
func stemsItself(w string) bool { return len(w) <= 2 || english.IsStopWord(w) }

// stemAndKeep stems an English token and caches the stem while the cache
// has room. The token is copied: it is usually a substring of a whole
// normalized text, which the cache would otherwise keep alive.
func stemAndKeep(token string) string {
	st := english.Stem(token, false)
	stems.Lock()
	if len(stems.m) < maxCachedStems {
		stems.m[strings.Clone(token)] = strings.Clone(st)
	}
	stems.Unlock()
	return st
}

// isEnglishWord reports whether tok holds only lower-case ASCII letters
// and apostrophes, the alphabet the English stemmer is written for.
func isEnglishWord(tok string) bool {
	if tok == "" {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; (c < 'a' || c > 'z') && c != '\'' {
			return false
		}
	}
	return true
}

// AnalyzerVersion identifies the rules of IndexText. An index built with
// other rules holds terms that queries no longer produce, so it must be
// rebuilt: bump the number with every change to what Normalize, Tokens,
// Stem or IndexText return (a folding rule, the lexicon of the joiner, a
// stemmer upgrade). Version 1 is every index built before the number was
// recorded; version 2 added the lexicon-driven half-space joins.
const AnalyzerVersion = 2

// IndexText returns the text the search index stores for s: its
// IndexTerms joined by single spaces. Every term is a run of letters and
// digits only (apostrophes and combining marks are removed after
// stemming), so the SQLite FTS5 unicode61 tokenizer and the PostgreSQL
// "simple" configuration split it exactly at the spaces and change nothing
// else. Queries go through the same functions: the same words then produce
// the same index terms whichever way they were spelled.
func IndexText(s string) string { return strings.Join(IndexTerms(s), " ") }

// IndexTerms returns the index terms of s: its Tokens, stemmed and passed
// through indexTerm, without the tokens that leaves empty.
func IndexTerms(s string) []string { return TermsOf(Tokens(s)) }

// TermsOf is IndexTerms for text already split by Tokens or Analyze.
func TermsOf(tokens []string) []string {
	out := make([]string, 0, len(tokens))
	var missed []int // English tokens not in the stem cache: their places in out
	stems.RLock()
	for _, t := range tokens {
		if isEnglishWord(t) && !stemsItself(t) {
			st, ok := stems.m[t]
			if !ok {
				missed = append(missed, len(out))
				out = append(out, t)
				continue
			}
			t = st
		}
		if t = indexTerm(t); t != "" {
			out = append(out, t)
		}
	}
	stems.RUnlock()
	if len(missed) == 0 {
		return out
	}
	// Stemmed outside the read lock, which stemAndKeep's write waits for.
	empty := false
	for _, i := range missed {
		out[i] = indexTerm(stemAndKeep(out[i]))
		empty = empty || out[i] == ""
	}
	if empty {
		out = slices.DeleteFunc(out, func(t string) bool { return t == "" })
	}
	return out
}

// indexTerm removes from a stemmed token what the database tokenizers
// would split on or drop: apostrophes and combining marks (unicode61
// counts only letters, numbers and private-use characters as token
// characters), and the accents of Latin letters (é → e), which unicode61
// removes by default while PostgreSQL's simple configuration keeps them.
// Removing accents here makes both stores hold the same terms, and lets a
// query for Rohani find Rōḥānī.
func indexTerm(t string) string {
	if isPlainTerm(t) {
		return t
	}
	var b strings.Builder
	b.Grow(len(t))
	for _, r := range t {
		switch {
		case r == '\'' || unicode.IsMark(r):
		case r >= 0xC0 && unicode.Is(unicode.Latin, r):
			b.WriteRune(latinBase(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlainTerm reports whether t needs no change by indexTerm: the common
// case of ASCII without apostrophes, and Arabic-script words. A rune
// above runeFlags' range is looked up in Unicode's tables only when its
// block of 256 holds a mark or a Latin letter (markOrLatinBlocks): a
// token of Chinese text is a whole phrase, and two table searches a
// character were a fifth of TermsOf's time on the ingest benchmark's
// pages.
func isPlainTerm(t string) bool {
	for i := 0; i < len(t); {
		c := t[i]
		var r rune
		switch {
		case c < utf8.RuneSelf:
			if runeFlags[c]&flagPlainTerm == 0 {
				return false
			}
			i++
			continue
		case c >= 0xC2 && c < 0xE0 && i+1 < len(t) && t[i+1]&0xC0 == 0x80:
			// Two bytes, as the Arabic script's: inside runeFlags.
			r = rune(c&0x1F)<<6 | rune(t[i+1]&0x3F)
			i += 2
		default:
			var size int
			r, size = utf8.DecodeRuneInString(t[i:])
			i += size
		}
		if r < rune(len(runeFlags)) {
			if runeFlags[r]&flagPlainTerm == 0 {
				return false
			}
		} else if markOrLatinBlocks[r>>8/64]>>(r>>8%64)&1 != 0 && (unicode.IsMark(r) || unicode.Is(unicode.Latin, r)) {
			return false
		}
	}
	return true
}

// markOrLatinBlocks has a bit for each block of 256 code points that
// holds a combining mark or a Latin letter, read from the tables of
// unicode.Mark and unicode.Latin.
var markOrLatinBlocks = func() (blocks [(unicode.MaxRune + 1) >> 8 / 64]uint64) {
	for _, t := range []*unicode.RangeTable{unicode.Mark, unicode.Latin} {
		set := func(lo, hi uint32) {
			for b := lo >> 8; b <= hi>>8; b++ {
				blocks[b/64] |= 1 << (b % 64)
			}
		}
		for _, r := range t.R16 {
			set(uint32(r.Lo), uint32(r.Hi))
		}
		for _, r := range t.R32 {
			set(r.Lo, r.Hi)
		}
	}
	return blocks
}()

// latinBase returns the base letter of an accented Latin letter (ō → o,
// ḥ → h), or r itself when it has no canonical decomposition (ø, ł).
func latinBase(r rune) rune {
	if r < rune(len(latinBases)) {
		return latinBases[r]
	}
	return decomposedBase(r)
}

// latinBases is latinBase of the runes of runeFlags' range (Latin-1 to
// Latin Extended Additional): indexTerm met one in most words of French,
// Portuguese or Czech text, and looked each up in the NFD tables.
var latinBases = func() (bases [0x2070]rune) {
	for r := range rune(len(bases)) {
		bases[r] = decomposedBase(r)
	}
	return bases
}()

// decomposedBase is latinBase read from the NFD tables.
func decomposedBase(r rune) rune {
	var buf [utf8.UTFMax]byte
	d := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], r)]).Decomposition()
	if len(d) == 0 {
		return r
	}
	base, _ := utf8.DecodeRune(d)
	return base
}
