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
// first word, longest first. A nil list holds nothing.
type phrases = *phraseList

type phraseList struct {
	// byFirst holds the phrases by their first word: a wordTable, not a
	// map, since the rules ask the lists about nearly every word and the
	// map look-ups were a seventh of the finder's time.
	byFirst wordTable[[][]string]
	// bit is the list's class in token.cls (set by lexicon.index): a
	// token whose classes are known and lack it starts no phrase of the
	// list, which spares the look-up for most words.
	bit uint32
}

// add appends phrase p (at least one word) to the list.
func (ps *phraseList) add(p []string) {
	l := ps.byFirst.put(p[0])
	*l = append(*l, p)
}

// starting returns the phrases that start with word w, longest first.
func (ps *phraseList) starting(w string) [][]string {
	if ps == nil {
		return nil
	}
	return ps.byFirst.get(w)
}

// sortLongestFirst orders each word's phrases longest first, the order
// match tries them in.
func (ps *phraseList) sortLongestFirst() {
	ps.byFirst.each(func(_ string, l *[][]string) {
		sort.SliceStable(*l, func(i, j int) bool { return len((*l)[i]) > len((*l)[j]) })
	})
}

// match returns the length in tokens of the longest phrase that starts at
// toks[i], or 0. Punctuation never matches.
func (ps *phraseList) match(toks []token, i int) int {
	if i >= len(toks) || !toks[i].isWord() || ps.lacks(&toks[i]) {
		return 0
	}
	return ps.matchFirst(toks, i, toks[i].norm)
}

// lacks reports whether t's classes are known (clsKnown) and say that no
// phrase of the list starts with t's word. A nil list lacks every word.
func (ps *phraseList) lacks(t *token) bool {
	return ps == nil || t.cls&clsKnown != 0 && t.cls&ps.bit == 0
}

// matchFirst is match with the first word given (an Arabic word with its
// conjunction stripped).
func (ps *phraseList) matchFirst(toks []token, i int, first string) int {
	for _, p := range ps.starting(first) {
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

// hasTok is has(t.norm), answered from t's classes when they are known.
func (ps *phraseList) hasTok(t *token) bool {
	return !ps.lacks(t) && ps.has(t.norm)
}

// hasAt is has(p.word(i)), answered from the token's classes when they are
// known.
func (ps *phraseList) hasAt(p *para, i int) bool {
	if ps == nil {
		return false
	}
	if i >= 0 && i < len(p.toks) && ps.lacks(&p.toks[i]) {
		return false
	}
	return ps.has(p.word(i))
}

func (ps *phraseList) has(word string) bool {
	for _, p := range ps.starting(word) {
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
	// naming lists the English verbs that characterise in someone's words
	// when a quotation follows (called the test "a clear violation"); nil
	// for Persian and Arabic.
	naming phrases
	// questions lists Persian nouns for a question put to the speaker,
	// whose clause holds no quotation; nil for English and Arabic.
	questions phrases
	// passive lists the Persian auxiliaries that make a participle cue
	// passive (گفته می‌شود: "is called"), with nobody speaking; nil for
	// English and Arabic.
	passive phrases
	// clauseEnds lists Persian finite verbs that close a clause (کند،
	// است، بود): a comma segment ending in one before a cue is a clause of
	// its own, not the cue's subject; nil for English and Arabic.
	clauseEnds phrases
	// interrogatives lists Persian question words: a "با اشاره به اینکه"
	// clause opening with one (اینکه چرا …) names a topic, not the
	// speaker's claim; nil for English and Arabic.
	interrogatives phrases
	// partitives lists Persian quantifiers after which "از" is part of
	// the subject (یکی از پزشکان); nil for English and Arabic.
	partitives phrases
	// labels lists the Persian labels of bylines and credits (عکس:،
	// گزارش از:، گروه بین‌الملل); nil for English and Arabic.
	labels phrases
	// topics lists the Persian phrases that open the topic of what is
	// said (در مورد، درباره): they end a subject even after a role noun;
	// nil for English and Arabic.
	topics phrases
	// nonSpeakers lists Persian subjects that are a body of knowledge,
	// not someone (طب سنتی می‌گوید): no quotation; nil for English and
	// Arabic.
	nonSpeakers phrases
	// linked lists the Persian cues that give words only with که, a colon
	// or a quotation after them (اشاره کرد، خبر داد): no bare words after
	// them; nil for English and Arabic.
	linked phrases
	// requests lists the Persian verbs of requesting (خواست، خواسته بود):
	// a cue only with an از addressee before it in its clause; nil for
	// English and Arabic.
	requests phrases
	// documents lists the Persian phrases that announce a document's text
	// in the paragraphs below (قطعنامه زیر); nil for English and Arabic.
	documents phrases
	// docNouns lists the Persian nouns for a document whose issuer, named
	// after it, speaks with "آمده است" (در بیانیه ارتش آمریکا آمده است:);
	// nil for English and Arabic.
	docNouns phrases
	// starts gives, for a word, which lists have a phrase starting with
	// it (their phraseList.bit): the finder looks each word up once and
	// tests bits after.
	starts wordTable[uint32]
	// startsSet spares most words the lookup in starts (see startsOf).
	startsSet wordSet
	// short answers for the words of starts of 4 to 12 bytes (classOf).
	short shortClasses
}

// Bits of lexicon.starts and token.cls that the rules test by name: those
// of the first three lists in index, in this order.
const (
	startsCue uint32 = 1 << iota
	startsAccording
	isHonorific
)

// clsKnown marks a token whose cls was set from the lexicon (the words of
// the paragraph being read): without it, a list's clear bit says nothing
// and the list is looked up.
const clsKnown uint32 = 1 << 31

// index gives every list its bit and fills starts. Every list of the
// lexicon must be in lists (TestListBits): one left out would have no bit
// and lack every word.
func (lx *lexicon) index() {
	lists := []phrases{lx.cues, lx.according, lx.honorifics,
		lx.sources, lx.outlets, lx.that, lx.pronouns, lx.demonstr, lx.roles, lx.adjuncts, lx.titles,
		lx.firstPerson, lx.stating, lx.impersonal, lx.speechNouns, lx.plurals, lx.clause, lx.naming,
		lx.questions, lx.passive, lx.clauseEnds, lx.interrogatives, lx.partitives, lx.labels, lx.topics,
		lx.nonSpeakers, lx.linked, lx.requests, lx.documents, lx.docNouns}
	for k, ps := range lists {
		bit := uint32(1) << k
		if bit >= clsKnown {
			panic("quotes: more phrase lists than bits in token.cls")
		}
		if ps == nil {
			continue
		}
		ps.bit = bit
		ps.byFirst.each(func(w string, _ *[][]string) { *lx.starts.put(w) |= bit })
	}
	lx.startsSet = newWordSet(&lx.starts)
	lx.short = newShortClasses(&lx.starts)
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
			if lx.passive, err = loadPhrases("lexicon/fa/passive.txt"); err != nil {
				return nil, err
			}
			if lx.clauseEnds, err = loadPhrases("lexicon/fa/clauseends.txt"); err != nil {
				return nil, err
			}
			if lx.interrogatives, err = loadPhrases("lexicon/fa/interrogatives.txt"); err != nil {
				return nil, err
			}
			if lx.partitives, err = loadPhrases("lexicon/fa/partitives.txt"); err != nil {
				return nil, err
			}
			if lx.labels, err = loadPhrases("lexicon/fa/labels.txt"); err != nil {
				return nil, err
			}
			if lx.topics, err = loadPhrases("lexicon/fa/topics.txt"); err != nil {
				return nil, err
			}
			if lx.nonSpeakers, err = loadPhrases("lexicon/fa/nonspeakers.txt"); err != nil {
				return nil, err
			}
			if lx.linked, err = loadPhrases("lexicon/fa/linked.txt"); err != nil {
				return nil, err
			}
			if lx.requests, err = loadPhrases("lexicon/fa/requests.txt"); err != nil {
				return nil, err
			}
			if lx.documents, err = loadPhrases("lexicon/fa/documents.txt"); err != nil {
				return nil, err
			}
			if lx.docNouns, err = loadPhrases("lexicon/fa/docnouns.txt"); err != nil {
				return nil, err
			}
			joinLightVerbs(lx.cues)
			joinLightVerbs(lx.linked)
		}
		if lang == "en" {
			ps, err := loadPhrases("lexicon/en/clause.txt")
			if err != nil {
				return nil, err
			}
			lx.clause = ps
			if lx.naming, err = loadPhrases("lexicon/en/naming.txt"); err != nil {
				return nil, err
			}
		}
		lx.index()
		out[lang] = lx
	}
	return out, nil
})

// joinLightVerbs adds to Persian cues the spelling that writes a compound
// verb's noun and light verb as one word (اظهارکرد, ادامه‌داد, whose
// half-space the normalizer deletes): news text uses both, and listing
// each cue twice would double the file for a spelling habit.
func joinLightVerbs(ps phrases) {
	var add [][]string
	ps.byFirst.each(func(_ string, l *[][]string) {
		for _, p := range *l {
			if len(p) < 2 {
				continue
			}
			for _, lv := range []string{"کرد", "داد", "داشت", "نمود", "شد", "ساخت"} {
				if strings.HasPrefix(p[1], lv) {
					add = append(add, append([]string{p[0] + p[1]}, p[2:]...))
					break
				}
			}
		}
	})
	for _, p := range add {
		ps.add(p)
	}
	ps.sortLongestFirst()
}

// loadPhrases reads a list: one phrase a line, # comments, blank lines.
func loadPhrases(path string) (phrases, error) {
	f, err := lexiconFS.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps := &phraseList{}
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
		ps.add(words)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	ps.sortLongestFirst()
	return ps, nil
}
