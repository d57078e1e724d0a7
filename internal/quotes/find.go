package quotes

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/text"
)

// Confidences of the constructions: how sure each shape is to hold someone's
// words, set by hand from how much it leaves to guessing (a colon after a
// verb of saying leaves little, words after a verb with no complementizer
// more), not fitted; docs/quotes.md gives each rule's measured precision.
const (
	confColon        = 0.93 // X cue: …
	confQuoteCue     = 0.9  // X cue «…» and «…», X cue
	confIndirectThat = 0.75 // X cue که/that/إن …
	confStating      = 0.8  // X با بیان اینکه …، cue
	confIndirectBare = 0.6  // X گفته‌اند … / Flynn said he would …
	confAccording    = 0.7  // به گفته X، …
	confContinuation = 0.7  // a paragraph that goes on with the last speaker
	confHeading      = 0.7  // name؛ role: (or "X's remarks:") then paragraphs
)

// mention is a speaker or person named in the text, for resolving later
// pronouns and anaphors.
type mention struct {
	name  string // original text
	rnorm string // role in matching form
	nnorm string // name in matching form
}

// finder holds the state of one call of Find.
type finder struct {
	lx       *lexicon
	out      []Candidate
	mentions []mention
	buf      strings.Builder
	toks     []token // the current paragraph's, reused

	// open is the previous paragraph's last candidate when it ran to the
	// end of its paragraph (a colon quote or an unclosed «): the next
	// paragraph may go on with it. unclosed says its « was never closed.
	open     *Candidate
	unclosed bool
	// intro is the speaker a heading ("name؛ role:"), a cue at the end of
	// a paragraph ("… آمده است:") or a speech noun ("سخنان X:") gave the
	// paragraphs that follow.
	intro, newIntro *Candidate
	// pending is the speaker a line naming someone's words without a
	// colon gives (مهمترین اظهارات X 👇) if the next paragraph is a list
	// item.
	pending *Candidate
	// openRun counts the paragraphs an unclosed « has run over, introRun
	// those since the intro.
	openRun, introRun int
	// inList says the last paragraph was a list item under the intro.
	inList bool
}

// para is one paragraph being read.
type para struct {
	n         int // 1-based
	text      string
	toks      []token
	sentStart []int // sentStart[s] is the first token of sentence s
	quotes    []quoteSpan
	used      []bool // quotations already inside a candidate
}

// quoteSpan is a quotation-mark pair at depth 0: tokens open and close
// (close == -1 when the mark is never closed in the paragraph).
type quoteSpan struct{ open, close int }

// Find returns the quotations in paragraphs (one paragraph a string, blank
// ones already dropped by the caller, see Paragraphs), in reading order.
// lang is "fa", "ar" or "en"; "" detects it. Invalid UTF-8 is an error; no
// input panics.
func Find(paragraphs []string, lang string) ([]Candidate, error) {
	for i, p := range paragraphs {
		if !utf8.ValidString(p) {
			return nil, fmt.Errorf("paragraph %d: invalid UTF-8", i+1)
		}
	}
	if lang == "" {
		lang = detect(paragraphs)
	}
	lxs, err := lexicons()
	if err != nil {
		return nil, err
	}
	lx, ok := lxs[lang]
	if !ok {
		return nil, fmt.Errorf("quotes: language %q: want fa, ar or en", lang)
	}
	f := &finder{lx: lx}
	for i, p := range paragraphs {
		f.paragraph(i+1, p)
	}
	return f.out, nil
}

// detect guesses the language from the first paragraphs; Persian when
// unsure, the desk's main language.
func detect(paragraphs []string) string {
	var b strings.Builder
	for _, p := range paragraphs {
		if b.Len() > 2000 {
			break
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	switch l := text.Language(b.String()); l {
	case "ar", "en":
		return l
	}
	return "fa"
}

// maxOpenRun bounds how many paragraphs an unclosed « may hold, so that a
// stray mark does not swallow the rest of an article.
const maxOpenRun = 8

// maxIntroRun bounds the paragraphs one heading gives its speaker, for a
// colon that introduced a list rather than someone's words.
const maxIntroRun = 40

func (f *finder) paragraph(n int, text string) {
	f.toks = tokenize(text, &f.buf, f.toks)
	for i := range f.toks {
		if t := &f.toks[i]; t.isWord() {
			t.cls = f.lx.starts[t.norm]
			if f.lx.lang == "ar" && len(t.norm) > 2 && (t.norm[:2] == "و" || t.norm[:2] == "ف") {
				t.cls |= f.lx.starts[t.norm[2:]] // وقال، فأضاف، وبحسب
			}
		}
	}
	p := &para{n: n, text: text, toks: f.toks}
	p.segment(f.lx.lang)
	inside := f.unclosed && f.openRun < maxOpenRun
	p.pairQuotes(inside)
	p.used = make([]bool, len(p.quotes))
	before := len(f.out)
	intro, open := f.intro, f.open
	f.newIntro = nil
	if pending := f.pending; pending != nil {
		f.pending = nil
		if intro == nil && !inside && p.isBullet() {
			// "مهمترین اظهارات X 👇" and then a list: the line was a
			// heading after all.
			intro, f.intro, f.introRun = pending, pending, 0
		}
	}

	reopened := inside && len(p.quotes) > 0 && p.quotes[0].open == 0
	if inside && !reopened {
		// The « of an earlier paragraph is still open: its words go on
		// up to the closing mark, whatever cues they hold.
		f.continueWith(p, open, "open-quote", confContinuation, false)
	}
	own := f.scan(p)
	if reopened && !p.used[0] {
		// The paragraph opens the quotation again («…, “…): it goes on
		// with the earlier speaker unless a cue of its own claims it
		// ("…," added Rep. Jim Clyburn).
		f.continueWith(p, open, "open-quote", confContinuation, false)
	}
	// An item of a list under a heading ("چکیده اظهارات X:" then "↩️ …"
	// lines) is the heading speaker's words as a whole, even when it
	// reports what others said (↩️ گفتند …): the summary is X's. Its own
	// cues must not end the list, nor may a short item pass for a
	// section title.
	item := intro != nil && !inside && p.isBullet()
	if intro != nil && f.inList && !item {
		// The first paragraph after a list is the article again.
		intro, f.intro = nil, nil
	}
	f.inList = item
	if item && !f.isHeading(p) {
		f.out = f.out[:before]
		own = false
	}
	found := len(f.out) > before
	title := p.isTitleLine() && !item
	if own && intro != nil && f.droppedSubjects(before) {
		// "افزود: …" or "وی گفت …" under a heading: the heading's
		// speaker goes on talking, and the run goes on after it.
		own = false
	}
	if !found && !title && !f.isHeading(p) {
		switch {
		case intro != nil:
			f.continueWith(p, intro, "heading", confHeading, false)
		case open != nil:
			f.continueWith(p, open, "continuation", confContinuation, true)
		}
		found = len(f.out) > before
	}
	slices.SortStableFunc(f.out[before:], func(a, b Candidate) int { return cmp.Compare(a.Start, b.Start) })

	// What the next paragraph may continue.
	f.open, f.unclosed = nil, false
	if found {
		last := f.out[len(f.out)-1]
		if last.Kind == Direct && last.Paragraph == n && runsToEnd(p, &last) {
			f.open = &last
			f.unclosed = len(p.quotes) > 0 && p.quotes[len(p.quotes)-1].close < 0
		}
	}
	if f.unclosed && inside && p.quotes[0].open < 0 {
		f.openRun++
	} else {
		f.openRun = 0
	}
	f.introRun++
	switch h := f.headingOf(p); {
	case f.newIntro != nil:
		f.intro, f.open, f.unclosed, f.introRun = f.newIntro, nil, false, 0
	case h != nil:
		f.intro, f.open, f.unclosed, f.introRun = h, nil, false, 0
	case title || own || f.introRun > maxIntroRun:
		f.intro = nil // a section title or a paragraph with its own speaker ends the run
	}
	if !found && f.speechLine(p) {
		f.pending = f.speechHeading(p, len(p.toks))
	}
}

// continueWith makes the paragraph a continuation of prev: a paragraph
// that opens with a quotation mark, or (after a colon quote) one in the
// first person, or a paragraph under a heading.
func (f *finder) continueWith(p *para, prev *Candidate, rule string, conf float64, needMark bool) {
	if prev == nil || len(p.toks) == 0 || f.lx.sources.match(p.toks, 0) > 0 {
		return
	}
	var content *Span
	switch {
	case len(p.quotes) > 0 && p.quotes[0].open <= 0:
		if p.used[0] {
			return
		}
		content = f.takeQuote(p, 0)
	case !needMark || f.firstPerson(p):
		from := 0
		if p.isBullet() && p.toks[0].isWord() {
			from = 2 // the item's number: ۱- …
		}
		content = p.span(from, len(p.toks))
	}
	if content == nil {
		return
	}
	c := Candidate{Paragraph: p.n, Start: content.Start, End: content.End, Text: content.Text, Kind: Direct, Rule: rule,
		Cue: prev.Cue, Speaker: prev.Speaker, Role: prev.Role, SpeakerResolved: prev.SpeakerResolved, Confidence: conf}
	f.out = append(f.out, c)
}

// droppedSubjects reports whether every candidate from out[before:] has a
// dropped subject or a singular pronoun for its speaker: nobody new speaks.
func (f *finder) droppedSubjects(before int) bool {
	for _, c := range f.out[before:] {
		if c.Speaker == nil {
			continue
		}
		if w := strings.Fields(text.Normalize(c.Speaker.Text)); len(w) == 1 && f.lx.pronouns.has(w[0]) {
			continue
		}
		return false
	}
	return true
}

func (f *finder) firstPerson(p *para) bool {
	for i := range p.toks {
		if p.toks[i].isWord() && f.lx.firstPerson.has(p.toks[i].norm) {
			return true
		}
	}
	return false
}

// runsToEnd reports whether candidate c ends at the end of its paragraph.
func runsToEnd(p *para, c *Candidate) bool {
	for i := len(p.toks) - 1; i >= 0; i-- {
		if p.toks[i].isWord() {
			return p.toks[i].end == c.End
		}
	}
	return false
}

// isHeading reports whether p introduces the next paragraphs' speaker: it
// ends with a colon and is either short with a name and a role after ؛ or
// ، ("name؛ role، country:"), or names someone's words with a speech noun
// ("چکیده اظهارات X:").
func (f *finder) isHeading(p *para) bool {
	n := p.end()
	if n < 3 || p.toks[n-1].norm != ":" {
		return false
	}
	return f.speechNoun(p) >= 0 || p.words(0, n) <= 12 && slices.ContainsFunc(p.toks[:n-1], func(t token) bool { return t.norm == ";" || t.norm == "," })
}

// speechNoun returns the token of the last speech noun outside
// quotations in the paragraph, or -1.
func (f *finder) speechNoun(p *para) int {
	for i := len(p.toks) - 1; i >= 0 && i >= len(p.toks)-40; i-- {
		if p.toks[i].qid < 0 && f.lx.speechNouns.has(p.word(i)) {
			return i
		}
	}
	return -1
}

// speechHeading reads the speaker and role of a line that names someone's
// words (چکیده اظهارات X - role), whose last word is before token end.
func (f *finder) speechHeading(p *para, end int) *Candidate {
	i := f.speechNoun(p)
	e := i + 1
	for e < end && e < i+4 && p.toks[e].isWord() && p.toks[e].norm != "را" && !f.lx.adjuncts.has(p.toks[e].norm) && !(e > i+1 && f.lx.roles.has(p.toks[e].norm)) {
		e++
	}
	sp := p.span(i+1, e)
	if sp == nil {
		return nil
	}
	var role *Span
	switch {
	case e < end && !p.toks[e].isWord() && p.toks[e].norm != ":":
		role = p.span(e+1, end) // X - role
	case e < end && f.lx.roles.has(p.toks[e].norm):
		role = p.span(e, end) // X role
	}
	c := &Candidate{Paragraph: p.n, Speaker: sp, Role: role, Confidence: confHeading}
	c.SpeakerResolved = f.resolveName(p, sp, role)
	return c
}

// speechLine reports whether p names someone's words (a speech noun) in
// a line of at most 20 words without a sentence end or colon: a heading
// if a list follows.
func (f *finder) speechLine(p *para) bool {
	if f.speechNoun(p) < 0 || p.words(0, len(p.toks)) > 20 {
		return false
	}
	for i := range p.toks {
		switch p.toks[i].norm {
		case ".", "!", "?", ":":
			return false
		}
	}
	return true
}

func (f *finder) headingOf(p *para) *Candidate {
	if !f.isHeading(p) {
		return nil
	}
	n := p.end()
	if f.speechNoun(p) >= 0 {
		return f.speechHeading(p, n-1)
	}
	for i := range p.toks {
		if f.cueAt(p, i) > 0 {
			return nil // "وی گفت:" is a colon quote, not a heading
		}
	}
	sep := 0
	for sep < n && p.toks[sep].norm != ";" && p.toks[sep].norm != "," {
		sep++
	}
	sp := p.span(0, sep)
	if sp == nil {
		return nil
	}
	role := p.span(sep+1, n-1)
	c := &Candidate{Paragraph: p.n, Speaker: sp, Role: role, Confidence: confHeading}
	c.SpeakerResolved = f.resolveName(p, sp, role)
	return c
}
