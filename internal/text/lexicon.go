package text

import (
	"embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// The lexicon of Persian compounds and word forms that the half-space
// joiner consults (rule 8 of Normalize). It is derived from hazm's word
// list (MIT; provenance and the generator in lexicon/README.md) and is
// already in the matching form.
//
//go:embed lexicon/*.txt
var lexiconFiles embed.FS

// lexicon holds the word lists; it is loaded on the first join decision
// that needs it, so that programs that never meet Persian text do not pay
// for it.
type lexicon struct {
	// compounds maps the second part of a compound that the press writes
	// with a half-space (or solid, for the bound second elements such as
	// گاه and طلب) to the first parts it is attested with.
	compounds map[string]map[string]struct{}
	// maybeJoins is a Bloom-like filter of the words that may join the
	// word before them (the keys of compounds and the suffixes and
	// clitics of joinsAfter): most words join nothing, and one bit tells
	// so faster than the look-ups, which the joiner would otherwise do for
	// nearly every word of Persian text.
	maybeJoins [1 << 10]uint64
	// hosts are attested words ending in ه or ی, which take the clitics
	// ای، ام، ات، اش، ایم، اید، اند after a half-space.
	hosts map[string]struct{}
	// adjectives take the comparative تر, تری.
	adjectives map[string]struct{}
}

var loadLexicon = sync.OnceValue(readLexiconFiles)

func readLexiconFiles() *lexicon {
	lx := &lexicon{compounds: map[string]map[string]struct{}{}, hosts: readSet("hosts"), adjectives: readSet("adjectives")}
	for line := range strings.Lines(readLexicon("compounds")) {
		first, second, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			panic("text: lexicon/compounds.txt: a line is not two words: " + line)
		}
		if lx.compounds[second] == nil {
			lx.compounds[second] = map[string]struct{}{}
		}
		lx.compounds[second][first] = struct{}{}
		lx.mayJoin(second)
	}
	for _, w := range boundWords {
		lx.mayJoin(w)
	}
	return lx
}

// boundWords are the words that joinsAfter joins without consulting
// compounds.
var boundWords = []string{"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "ترین",
	"ای", "ام", "ات", "اش", "ایم", "اید", "اند", "ی", "تر", "تری"}

func (lx *lexicon) mayJoin(w string) {
	h := secondHash(w)
	lx.maybeJoins[h/64] |= 1 << (h % 64)
}

func readLexicon(name string) string {
	data, err := lexiconFiles.ReadFile("lexicon/" + name + ".txt")
	if err != nil {
		panic("text: missing embedded lexicon: " + err.Error())
	}
	return string(data)
}

func readSet(name string) map[string]struct{} {
	set := map[string]struct{}{}
	for line := range strings.Lines(readLexicon(name)) {
		if w := strings.TrimSpace(line); w != "" {
			set[w] = struct{}{}
		}
	}
	return set
}

// joinsAfter reports whether word, written apart after prev, belongs to
// it: the half-space part of rule 8 of Normalize beyond the verbal
// prefixes. Both are normalized Arabic-script words. The function does
// not allocate.
func joinsAfter[W string | []byte](prev string, word W) bool {
	if prev == "بی" {
		// The privative prefix (بی کیفیت): a word only in
		// transliterations (بی بی سی), which a query spells alike.
		return true
	}
	lx := loadLexicon()
	if h := secondHash(string(word)); lx.maybeJoins[h/64]&(1<<(h%64)) == 0 {
		return false
	}
	switch string(word) {
	case "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "ترین":
		// Never words of their own in news prose.
		return true
	case "ای", "ام", "ات", "اش", "ایم", "اید", "اند":
		// Clitics: the indefinite or relative ی, the possessives and the
		// forms of "to be". They take a half-space only after a final ه
		// or ی; the vocative ای and transliterations (ام آی تی) stand
		// apart, so the host must be a known word.
		if utf8.RuneCountInString(prev) < 3 {
			return false
		}
		if r, _ := utf8.DecodeLastRuneInString(prev); r != heh && r != persianYeh {
			return false
		}
		_, ok := lx.hosts[prev]
		return ok
	case "ی":
		// The ezafe written after a final ه (خانه‌ی ما) is never a word.
		r, _ := utf8.DecodeLastRuneInString(prev)
		return r == heh
	case "تر", "تری":
		// The comparative, also the adjective "wet": only after a known
		// adjective (مهم تر, بیش تر).
		if _, ok := lx.adjectives[prev]; ok {
			return true
		}
	}
	firsts, ok := lx.compounds[string(word)]
	if !ok {
		return false
	}
	_, ok = firsts[prev]
	return ok
}

// secondHash is the bit of a word in lexicon.maybeSecond: its length and
// its first and last two bytes, which tell Persian words apart well enough
// for a filter and cost no pass over the word.
func secondHash(w string) uint {
	n := len(w)
	if n < 2 {
		return uint(n)
	}
	h := uint(n)*0x9E37 ^ uint(w[0])<<2 ^ uint(w[1])<<5 ^ uint(w[n-2])<<9 ^ uint(w[n-1])*0x2F1
	return h % (1 << 16)
}
