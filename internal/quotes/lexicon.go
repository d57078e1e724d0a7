package quotes

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed lexicon
var lexiconFS embed.FS

// phrases is a list of word sequences in matching form, looked up by their
// first word, longest first.
type phrases map[string][][]string

// match returns the length in tokens of the longest phrase that starts at
// toks[i], or 0. Punctuation never matches.
func (ps phrases) match(toks []token, i int) int {
	if i >= len(toks) || !toks[i].isWord() {
		return 0
	}
	return ps.matchFirst(toks, i, toks[i].norm)
}

// matchFirst is match with the first word given (an Arabic word with its
// conjunction stripped).
func (ps phrases) matchFirst(toks []token, i int, first string) int {
	for _, p := range ps[first] {
		if i+len(p) > len(toks) {
			continue
		}
		ok := true
		for k := 1; k < len(p); k++ {
			if !toks[i+k].isWord() || toks[i+k].norm != p[k] {
				ok = false
				break
			}
		}
		if ok {
			return len(p)
		}
	}
	return 0
}

func (ps phrases) has(word string) bool {
	for _, p := range ps[word] {
		if len(p) == 1 {
			return true
		}
	}
	return false
}

// lexicon is one language's word lists (see lexicon/README.md).
type lexicon struct {
	lang                                                        string
	cues, according, sources, outlets, that, pronouns, demonstr phrases
	roles, adjuncts, titles, firstPerson, stating, impersonal   phrases
	speechNouns, honorifics, plurals                            phrases
	// clause lists the English cues that take a clause without "that"
	// (said he would …); nil for Persian and Arabic.
	clause phrases
	// questions lists Persian nouns for a question put to the speaker,
	// whose clause holds no quotation; nil for English and Arabic.
	questions phrases
	// starts gives, for a word, which lists have a phrase starting with
	// it: the finder looks each word up once and tests bits after.
	starts map[string]uint8
}

// Bits of lexicon.starts and token.cls.
const (
	startsCue uint8 = 1 << iota
	startsAccording
	isHonorific
)

func (lx *lexicon) index() {
	lx.starts = map[string]uint8{}
	for bit, ps := range map[uint8]phrases{startsCue: lx.cues, startsAccording: lx.according, isHonorific: lx.honorifics} {
		for w := range ps {
			lx.starts[w] |= bit
		}
	}
}

var lexicons = sync.OnceValues(func() (map[string]*lexicon, error) {
	out := map[string]*lexicon{}
	for _, lang := range []string{"fa", "ar", "en"} {
		lx := &lexicon{lang: lang}
		for name, dst := range map[string]*phrases{
			"cues": &lx.cues, "according": &lx.according, "sources": &lx.sources, "outlets": &lx.outlets,
			"that": &lx.that, "pronouns": &lx.pronouns, "demonstratives": &lx.demonstr, "roles": &lx.roles,
			"adjuncts": &lx.adjuncts, "titles": &lx.titles, "firstperson": &lx.firstPerson,
			"stating": &lx.stating, "impersonal": &lx.impersonal, "speechnouns": &lx.speechNouns, "honorifics": &lx.honorifics,
			"plurals": &lx.plurals,
		} {
			ps, err := loadPhrases("lexicon/" + lang + "/" + name + ".txt")
			if err != nil {
				return nil, err
			}
			*dst = ps
		}
		if lang == "fa" {
			ps, err := loadPhrases("lexicon/fa/questions.txt")
			if err != nil {
				return nil, err
			}
			lx.questions = ps
		}
		if lang == "en" {
			ps, err := loadPhrases("lexicon/en/clause.txt")
			if err != nil {
				return nil, err
			}
			lx.clause = ps
		}
		lx.index()
		out[lang] = lx
	}
	return out, nil
})

// loadPhrases reads a list: one phrase a line, # comments, blank lines.
func loadPhrases(path string) (phrases, error) {
	f, err := lexiconFS.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps := phrases{}
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var words []string
		for _, t := range tokenize(line, &b, nil) {
			if !t.isWord() {
				return nil, fmt.Errorf("%s:%d: %q: only words (no punctuation) in a phrase", path, n, line)
			}
			words = append(words, t.norm)
		}
		ps[words[0]] = append(ps[words[0]], words)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, l := range ps {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i]) > len(l[j]) })
	}
	return ps, nil
}
