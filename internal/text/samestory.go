package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Thresholds of SameStory. A template instance changes the figures and
// names in its slots; a reprint adds and removes passages and at most
// corrects a figure or swaps a word or two.
const (
	// maxSlotTokens is the longest run of changed tokens, on either side,
	// that still counts as one slot filled differently: a figure, a date,
	// a name or a place ("محمدجواد ظریف", "the northern city of Rasht").
	// Longer changes are rewritten passages, as reprints have.
	maxSlotTokens = 4
	// bridgeTokens is the longest run of unchanged tokens inside one
	// change: a rewritten sentence shares a function word or two with the
	// one it replaces ("و", "of the"), which must not cut it into short
	// "slots". Three tokens, a shingle, are template text.
	bridgeTokens = 2
	// differentFigures and differentSlots decide: two figures changed in
	// their places (a temperature and its low, a price and its change) or
	// three different slots of any kind make two stories.
	differentFigures = 2
	differentSlots   = 3
)

// SameStory tells, for two texts given as Tokens whose simhashes are
// within NearDuplicateDistance, whether they are one story (a reprint,
// lightly edited) or two stories written from one template: weather and
// market reports, wire-service formats, results. Simhash cannot tell
// them apart: it measures how much text two versions share, and a
// template instance shares as much as a reprint with a credit line added.
// What differs is the kind of edit, so SameStory aligns the two token
// sequences (an optimal diff) and counts the substitutions: short changed
// runs between unchanged text, each a slot of the template. A pure
// insertion or deletion (an agency credit, a sentence added or cut) is
// no substitution, nor is a respelling whose letters and digits are the
// same once joined (1200 and 1,200; a half-space written as a space).
//
// The texts are two stories when the substitutions change at least
// differentFigures numbers or differentSlots distinct slots. A reprint
// that corrects one figure, or an outlet that swaps a term everywhere
// ("the Zionist regime" for "Israel"), stays in its story; a reprint that
// changes two figures, or an update with new figures, starts its own,
// which is also the right grouping for a story that has moved on.
func SameStory(a, b []string) bool {
	figures, slots := substitutions(a, b)
	return figures < differentFigures && slots < differentSlots
}

// substitutions aligns a and b and returns the number of figures changed
// in place and the number of distinct substitutions (slots).
func substitutions(a, b []string) (figures, slots int) {
	diffs := tokenDiff(a, b)
	distinct := map[string]bool{}
	var del, ins []string
	closeHunk := func() {
		if len(del) > 0 && len(ins) > 0 && len(del) <= maxSlotTokens && len(ins) <= maxSlotTokens &&
			strings.Join(del, "") != strings.Join(ins, "") {
			figures += min(countNumbers(del), countNumbers(ins))
			distinct[strings.Join(del, " ")+"\x1f"+strings.Join(ins, " ")] = true
		}
		del, ins = del[:0], ins[:0]
	}
	var ia, ib int
	for i, d := range diffs {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			open := len(del) > 0 || len(ins) > 0
			if open && (n > bridgeTokens || i == len(diffs)-1) {
				closeHunk()
			}
			ia, ib = ia+n, ib+n
		case diffmatchpatch.DiffDelete:
			del = append(del, a[ia:ia+n]...)
			ia += n
		case diffmatchpatch.DiffInsert:
			ins = append(ins, b[ib:ib+n]...)
			ib += n
		}
	}
	closeHunk()
	return figures, len(distinct)
}

// tokenDiff is the optimal diff of two token sequences: diffmatchpatch
// compares runes, so each distinct token is given one (as its line mode
// does with lines), skipping the surrogate range, which is no rune. No
// time limit: a limit would make the result depend on the machine's
// load, and near duplicates differ in few tokens, where Myers' algorithm
// is fast.
//
// The diff depends only on which runes are equal, so any coding that
// gives equal tokens equal runes where they are compared gives the same
// diff (TestTokenDiffCoding). Near duplicates share long runs at both
// ends, so only the tokens between their common prefix and suffix go
// through a map (a map entry a token was most of a comparison's time);
// the shared ends take their rune from that map when the middle has the
// token, and else one of their own by position, the same in a and b: the
// diff compares the ends' tokens only with each other, position by
// position, and with the middle's (the edits, which it shifts along
// equal runs), whose runes they then share.
func tokenDiff(a, b []string) []diffmatchpatch.Diff {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	ids := make(map[string]rune, len(a)-p-s+len(b)-p-s)
	next := rune(0)
	fresh := func() rune {
		r := next
		next++
		if next == 0xD800 {
			next = 0xE000
		}
		return r
	}
	middle := func(t string) rune {
		r, ok := ids[t]
		if !ok {
			r = fresh()
			ids[t] = r
		}
		return r
	}
	ra, rb := make([]rune, len(a)), make([]rune, len(b))
	for i := p; i < len(a)-s; i++ {
		ra[i] = middle(a[i])
	}
	for i := p; i < len(b)-s; i++ {
		rb[i] = middle(b[i])
	}
	end := func(t string) rune {
		if r, ok := ids[t]; ok {
			return r
		}
		return fresh()
	}
	for i := range p {
		ra[i] = end(a[i])
		rb[i] = ra[i]
	}
	for i := range s {
		r := end(a[len(a)-1-i])
		ra[len(a)-1-i], rb[len(b)-1-i] = r, r
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	return dmp.DiffMainRunes(ra, rb, false)
}

// countNumbers counts the tokens that hold a digit.
func countNumbers(toks []string) int {
	n := 0
	for _, t := range toks {
		if strings.IndexFunc(t, unicode.IsDigit) >= 0 {
			n++
		}
	}
	return n
}
