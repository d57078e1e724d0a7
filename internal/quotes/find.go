package quotes

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
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
	// alias holds the role phrases that have stood for this person
	// without being their given role (امام جمعه موقت تهران for سید احمد
	// خاتمی, named without a role), in matching form, one a line: a
	// later mention by the same phrase is the same person.
	alias string
}

// finder holds the state of one call of Find.
type finder struct {
	lx       *lexicon
	out      []Candidate
	mentions []mention
	buf      strings.Builder
	toks     []token // the current paragraph's, reused
	runes    []int   // where to set the paragraphs' lengths in code points (FindRunes); nil for none
	cur      para    // the paragraph being read

	// open is the previous paragraph's last candidate when it ran to the
	// end of its paragraph (a colon quote or an unclosed «): the next
	// paragraph may go on with it. unclosed says its « was never closed.
	open     *Candidate
	openCopy Candidate // what open points to
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
	// held is the heading speaker's candidate for a paragraph without a
	// mark right after a list item, kept back until the next paragraph
	// shows whether the list goes on (an item whose mark was lost) or
	// not (the article again); heldIntro is that heading.
	held, heldIntro *Candidate
	// introQuoted says a paragraph under the intro opened with «: the
	// heading's words come in quotation marks, so a later paragraph
	// without one, and not in the first person, is the writer again.
	introQuoted bool
	// spoke says the paragraph holds a cue whose named subject quoted no
	// words (یکی از پزشکان … صحنه‌ها را توصیف کرد.): the writer's
	// narration, which no heading's run goes on through.
	spoke bool
}

// para is one paragraph being read.
type para struct {
	n         int // 1-based
	text      string
	toks      []token
	nwords    int   // the words among toks
	sentStart []int // sentStart[s] is the first token of sentence s
	quotes    []quoteSpan
	used      []bool // quotations already inside a candidate
	// spans is the block span hands its spans out of, carried from one
	// paragraph to the next within a call of Find.
	spans []Span
}

// quoteSpan is a quotation-mark pair at depth 0: tokens open and close
// (close == -1 when the mark is never closed in the paragraph).
type quoteSpan struct{ open, close int }

// Find returns the quotations in paragraphs (one paragraph a string, blank
// ones already dropped by the caller, see Paragraphs), in reading order.
// lang is "fa", "ar" or "en"; "" detects it. Invalid UTF-8 is an error; no
// input panics.
func Find(paragraphs []string, lang string) ([]Candidate, error) {
	return find(paragraphs, lang, nil)
}

// FindRunes is Find that also sets runes[i] to the length of paragraph i in
// code points, which the finder counts as it reads: ingest places the
// candidates in the article's text with them, and counting them again
// there was up to a tenth of the finder's instructions. runes must have
// room for every paragraph; it is set only when FindRunes returns no
// error.
func FindRunes(paragraphs []string, lang string, runes []int) ([]Candidate, error) {
	if len(runes) != len(paragraphs) {
		return nil, fmt.Errorf("quotes: %d paragraphs, room for %d lengths", len(paragraphs), len(runes))
	}
	return find(paragraphs, lang, runes)
}

// find is Find, setting runes[i] to the length of paragraph i if runes is
// not nil (see FindRunes).
func find(paragraphs []string, lang string, runes []int) ([]Candidate, error) {
	// The paragraphs' UTF-8 is checked as they are tokenized (paragraph),
	// except where the text would be read before: to detect its language,
	// or to report a language the finder does not know (an invalid
	// paragraph is the error reported first).
	// reads: the paragraphs are in the script of the finder for lang
	// (inScript); detect decides it with the language.
	detected, reads := lang == "", false
	if detected {
		if err := validParagraphs(paragraphs); err != nil {
			return nil, err
		}
		lang = detect(paragraphs)
		reads = lang != ""
	}
	lxs, err := lexicons()
	if err != nil {
		return nil, err
	}
	lx, ok := lxs[lang]
	if !ok && !detected {
		if err := validParagraphs(paragraphs); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("quotes: language %q: want fa, ar or en", lang)
	}
	if !detected {
		reads = inScript(paragraphs, lang)
	}
	if !reads {
		// Not written in the script of the finder's language (a Spanish
		// text that detection left undecided, Chinese text taken for
		// English): nothing the finder reads, so nothing found.
		for i, p := range paragraphs {
			if !detected && !validUTF8(p) {
				return nil, invalidUTF8(i)
			}
			if runes != nil {
				runes[i] = utf8.RuneCountInString(p)
			}
		}
		return nil, nil
	}
	f := newFinder(lx)
	f.runes = runes
	for i, p := range paragraphs {
		if len(p) > math.MaxInt32 {
			// Tokens keep their offsets in 32 bits: half the memory the
			// finder reads and writes for every word.
			return nil, fmt.Errorf("paragraph %d: %d bytes, more than the finder reads (2 GB)", i+1, len(p))
		}
		if !f.paragraph(i+1, p) {
			return nil, invalidUTF8(i)
		}
	}
	f.cataphora()
	return f.result(), nil
}

// validParagraphs returns the error for the first paragraph that is not
// valid UTF-8, or nil.
func validParagraphs(paragraphs []string) error {
	for i, p := range paragraphs {
		if !validUTF8(p) {
			return invalidUTF8(i)
		}
	}
	return nil
}

func invalidUTF8(i int) error { return fmt.Errorf("paragraph %d: invalid UTF-8", i+1) }

// detect guesses the language from the first paragraphs (scriptSample
// bytes); Persian when unsure, the desk's main language, if they have
// Arabic-script letters and no other script has more. It returns "" for a
// text in none of the finder's languages and scripts: Spanish, say, which
// Language leaves undecided, or Chinese (which Language, weighing only
// the Latin and Arabic scripts, would take for English when it quotes a
// few Latin words).
func detect(paragraphs []string) string {
	latin, arabic, other := scripts(paragraphs)
	if other > latin && other > arabic || latin+arabic == 0 {
		return ""
	}
	var b strings.Builder
	for _, p := range paragraphs {
		if b.Len() > scriptSample {
			break
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	switch l := text.Language(b.String()); l {
	case "ar", "en":
		return l
	}
	if arabic > 0 && arabic >= latin && arabic >= other {
		return "fa"
	}
	return ""
}

// scriptSample bounds what detect and inScript read of the paragraphs: the
// first 2,000 bytes and the rest of the paragraph they end in.
const scriptSample = 2000

// inScript reports whether the paragraphs are written in the script of
// the finder for lang, by their first scriptSample bytes: for Persian and
// Arabic, they have an Arabic-script letter (a text without one is in
// another language whatever it was labelled); for English, no other
// script but Arabic has more letters than the Latin one (Chinese or
// Russian text, which language detection, weighing only the Latin and
// Arabic scripts, takes for English when it quotes a few Latin words).
// Arabic letters are not counted against English: an English article may
// quote Persian, and English detected is the Latin script's majority.
func inScript(paragraphs []string, lang string) bool {
	if lang != "en" {
		n := 0
		for _, p := range paragraphs {
			for _, r := range p {
				if isArabicLetter(r) {
					return true
				}
			}
			if n += len(p); n > scriptSample {
				break
			}
		}
		return false
	}
	latin, _, other := scripts(paragraphs)
	return latin >= other
}

// scripts counts the letters of the paragraphs' first scriptSample bytes
// (and the rest of the paragraph they end in) in the Latin script, the
// Arabic one and all others (Greek, Cyrillic, Hebrew, Han, Kana, Hangul,
// the Indic scripts…).
func scripts(paragraphs []string) (latin, arabic, other int) {
	n := 0
	for _, p := range paragraphs {
		for _, r := range p {
			switch {
			case r < utf8.RuneSelf:
				if c := r | 0x20; 'a' <= c && c <= 'z' {
					latin++
				}
			case isArabicLetter(r):
				arabic++
			case 0x3041 <= r && r <= 0x3096, 0x30A1 <= r && r <= 0x30FA, 0x3400 <= r && r <= 0x4DBF, 0x4E00 <= r && r <= 0x9FFF, 0xAC00 <= r && r <= 0xD7A3:
				other++ // Kana, Han and Hangul syllables, all letters, without a table lookup
			case unicode.IsLetter(r):
				if r < 0x250 || 0x1E00 <= r && r <= 0x1EFF || unicode.Is(unicode.Latin, r) {
					latin++
				} else {
					other++
				}
			}
		}
		if n += len(p); n > scriptSample {
			break
		}
	}
	return latin, arabic, other
}

// isArabicLetter reports whether r is a letter of the Arabic script (its
// blocks, supplement, extended-A and presentation forms).
func isArabicLetter(r rune) bool {
	switch {
	case r < 0x0600:
		return false
	case r <= 0x08FF:
		return (r <= 0x06FF || 0x0750 <= r && r <= 0x077F || 0x08A0 <= r) && unicode.IsLetter(r)
	case 0xFB50 <= r && r <= 0xFEFF:
		return (r <= 0xFDFF || 0xFE70 <= r) && unicode.IsLetter(r)
	}
	return false
}

// maxOpenRun bounds how many paragraphs an unclosed « may hold, so that a
// stray mark does not swallow the rest of an article.
const maxOpenRun = 8

// maxIntroRun bounds the paragraphs one heading gives its speaker, for a
// colon that introduced a list rather than someone's words.
const maxIntroRun = 40

// paragraph reads paragraph n; it returns false, having read nothing, if
// text is not valid UTF-8.
func (f *finder) paragraph(n int, text string) bool {
	var runes int
	var valid bool
	if f.toks, runes, valid = tokenizeValid(text, &f.buf, f.toks); !valid {
		return false
	}
	if f.runes != nil {
		f.runes[n-1] = runes
	}
	// In locals: the finder's fields would be read again after every
	// call.
	lx, toks := f.lx, f.toks
	nwords, ar := 0, lx.lang == "ar" // compared once, not at every word
	for i := range toks {
		if t := &toks[i]; t.isWord() {
			nwords++
			t.cls = lx.classOf(t.norm) | clsKnown
			if ar && len(t.norm) > 2 && (t.norm[:2] == "و" || t.norm[:2] == "ف") {
				t.cls |= lx.startsOf(t.norm[2:]) // وقال، فأضاف، وبحسب
			}
		}
	}
	// The para and its slices are the finder's, reused from paragraph to
	// paragraph: nothing keeps them past this call.
	p := &f.cur
	*p = para{n: n, text: text, toks: f.toks, nwords: nwords, sentStart: p.sentStart[:0], quotes: p.quotes[:0], used: p.used, spans: p.spans}
	p.segment(f.lx.lang)
	// A paragraph opening with a name in guillemets («جان کربی» سخنگوی …
	// می‌گوید: «…») starts afresh: the « an earlier paragraph left open
	// was never closed (fewer than three words in guillemets are a name,
	// as everywhere else, not the end of a quotation).
	// Nor does it run into a paragraph that attributes words again
	// without closing it (وی … اشاره کرد و … توصیف کرد. / بیاتی در پایان
	// تاکید کرد، …): the writer speaks there, the « was left unclosed.
	inside := f.unclosed && f.openRun < maxOpenRun && !opensWithName(p) && !f.attributes(p)
	p.pairQuotes(inside)
	p.used = slices.Grow(p.used[:0], len(p.quotes))[:len(p.quotes)]
	clear(p.used)
	if held := f.held; held != nil {
		f.held = nil
		if !inside && p.isBullet() {
			// The list goes on: the paragraph before was one of its
			// items that lost its mark.
			f.out = append(f.out, *held)
			f.intro, f.inList, f.open = f.heldIntro, true, nil
		}
	}
	before := len(f.out)
	intro, open := f.intro, f.open
	f.newIntro, f.spoke = nil, false
	if pending := f.pending; pending != nil {
		f.pending = nil
		if intro == nil && !inside && p.isBullet() {
			// "مهمترین اظهارات X 👇" and then a list: the line was a
			// heading after all.
			intro, f.intro, f.introRun, f.introQuoted = pending, pending, 0, false
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
	var gap *Candidate
	if intro != nil && f.inList && !item {
		// The first paragraph after a list is the article again,
		// unless the list goes on after it (see held).
		gap, intro, f.intro = intro, nil, nil
	}
	f.inList = item
	if item && !f.isHeading(p) {
		f.out = f.out[:before]
		own = false
	}
	found := len(f.out) > before
	title := (p.isTitleLine() || f.isLabel(p) || f.isCaptionLine(p)) && !item
	if own && intro != nil && f.droppedSubjects(before) {
		// "افزود: …" or "وی گفت …" under a heading: the heading's
		// speaker goes on talking, and the run goes on after it.
		own = false
	}
	// A paragraph in which someone named speaks without words quoted is
	// the writer's narration: it is nobody's continuation and ends a run.
	own = own || f.spoke && !found
	ended := false
	if gap != nil && !found && !title && !f.isHeading(p) {
		f.continueWith(p, gap, "heading", confHeading, false)
		if len(f.out) > before {
			h := f.out[before]
			f.held, f.heldIntro = &h, gap
			f.out = f.out[:before]
		}
	}
	if !found && !title && !own && !f.isHeading(p) && f.held == nil {
		opensQuote := len(p.quotes) > 0 && p.quotes[0].open == 0
		switch {
		case intro != nil && !item && f.namesSpeaker(p, intro) && !f.firstPerson(p):
			// "شرکت‌کنندگان در این سمینار … خواستار شدند." between the
			// items of their own resolution: a paragraph that opens with
			// the heading's speaker talks about them in the writer's
			// words. It is skipped; the run goes on after it.
		case intro != nil && f.introQuoted && !opensQuote && !item && !f.firstPerson(p) && !closesQuote(p):
			// The heading's words came in «…» paragraphs; one without
			// the mark and not in the first person (این مجموعه فقط ذره‌ای
			// از … بود.) is the writer closing the piece.
			ended = true
		case intro != nil:
			f.continueWith(p, intro, "heading", confHeading, false)
			f.introQuoted = f.introQuoted || opensQuote && len(f.out) > before
		case open != nil && !opensWithName(p):
			// «گروه مینسک» در سال … : a name in guillemets opens the
			// writer's sentence, not the speaker's next words.
			f.continueWith(p, open, "continuation", confContinuation, true)
		}
		found = len(f.out) > before
	}
	slices.SortStableFunc(f.out[before:], func(a, b Candidate) int { return cmp.Compare(a.Start, b.Start) })

	// What the next paragraph may continue.
	f.open, f.unclosed = nil, false
	if found {
		if last := &f.out[len(f.out)-1]; last.Kind == Direct && last.Paragraph == n && runsToEnd(p, last) {
			// A copy (f.out is scratch memory), kept in the finder: the
			// one the paragraph before kept is not read past this point.
			f.openCopy = *last
			f.open = &f.openCopy
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
		f.intro, f.open, f.unclosed, f.introRun, f.introQuoted = f.newIntro, nil, false, 0, false
	case h != nil:
		f.intro, f.open, f.unclosed, f.introRun, f.introQuoted = h, nil, false, 0, false
	case !found && !inside && f.documentBelow(p) != nil:
		f.intro, f.open, f.unclosed, f.introRun, f.introQuoted = f.documentBelow(p), nil, false, 0, false
	case title || own || ended || f.introRun > maxIntroRun:
		f.intro = nil // a section title or a paragraph with its own speaker ends the run
	}
	if !found && f.speechLine(p) {
		f.pending = f.speechHeading(p, len(p.toks))
	}
	return true
}

// opensWithName reports whether p opens with one or two words in
// guillemets: «name».
func opensWithName(p *para) bool {
	if len(p.toks) < 3 || p.toks[0].punct != '«' {
		return false
	}
	for i := 1; i < len(p.toks) && i <= 3; i++ {
		if p.toks[i].punct == '»' {
			return i > 1
		}
		if !p.toks[i].isWord() {
			return false
		}
	}
	return false
}

// attributes reports whether a Persian paragraph, read before its
// quotation marks are paired, closes no quotation and attributes words
// right at its start: it opens with وی (the writer's formal third person,
// which the speakers' own words seldom use) and holds a cue in its first
// sentence, or a cue among its first six words is followed by a colon, a
// comma or که (بیاتی در پایان تاکید کرد، …).
func (f *finder) attributes(p *para) bool {
	if f.lx.lang != "fa" || closesQuote(p) {
		return false
	}
	pronoun := p.word(0) == "وی"
	for i, w := 0, 0; i < len(p.toks) && p.toks[i].sentence == p.toks[0].sentence; i++ {
		if !p.toks[i].isWord() {
			continue
		}
		w++
		n := 0
		if p.toks[i].cls&startsCue != 0 {
			n = f.matchAt(f.lx.cues, p, i)
		}
		if n == 0 {
			continue
		}
		if pronoun {
			return true
		}
		if k := i + n; w <= 6 && k < len(p.toks) && (p.toks[k].norm == ":" || isComma(&p.toks[k]) || p.word(k) == "که") {
			return true
		}
	}
	return false
}

// closesQuote reports whether p closes a quotation it did not open (… راه
// خوبی برای تلافی بود.»): the end of words an earlier paragraph began.
func closesQuote(p *para) bool {
	for i := range p.toks {
		switch p.toks[i].punct {
		case '«', '“':
			return false
		case '»', '”':
			return true
		}
	}
	return false
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
	c := Candidate{Span: *content, Kind: Direct, Rule: rule,
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
		if p.toks[i].isWord() && f.lx.firstPerson.hasTok(&p.toks[i]) {
			return true
		}
	}
	return false
}

// namesSpeaker reports whether p opens with the first word of c's speaker
// mention (a name or a noun, not a pronoun).
func (f *finder) namesSpeaker(p *para, c *Candidate) bool {
	if c.Speaker == nil || len(p.toks) == 0 || !p.toks[0].isWord() {
		return false
	}
	w, _, _ := strings.Cut(text.Normalize(c.Speaker.Text), " ")
	return w != "" && w == p.toks[0].norm && !f.lx.pronouns.has(w)
}

// runsToEnd reports whether candidate c ends at the end of its paragraph.
func runsToEnd(p *para, c *Candidate) bool {
	for i := len(p.toks) - 1; i >= 0; i-- {
		if p.toks[i].isWord() {
			return int(p.toks[i].end) == c.End
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
	if n >= 3 && p.toks[n-1].norm != ":" {
		return f.bareHeading(p, n)
	}
	if n < 3 {
		return false
	}
	if f.isLabel(p) || f.isByline(p, n) {
		return false
	}
	return f.speechNoun(p) >= 0 || p.words(0, n) <= 12 && slices.ContainsFunc(p.toks[:n-1], func(t token) bool { return t.norm == ";" || t.norm == "," })
}

// isCaptionLine reports whether p is a short "X: Y" line without a verb
// of saying or a quotation (ومبلی: انگلیس صفر ایتالیا ۱, a result or a
// caption): a section title, nobody's words, which ends a heading's run.
func (f *finder) isCaptionLine(p *para) bool {
	if p.words(0, len(p.toks)) > 8 || len(p.quotes) > 0 {
		return false
	}
	colon := -1
	for i := range p.toks {
		switch p.toks[i].norm {
		case ".", "!", "?":
			return false
		case ":":
			if colon < 0 {
				colon = i
			}
		}
		if f.cueAt(p, i) > 0 {
			return false
		}
	}
	return colon > 0 && p.words(colon, len(p.toks)) > 0
}

// bareHeading reports whether p is a "name؛ club، country" heading that
// lost its colon (گلن هادل؛ تاتنهام، بازیکن/مربی انگلستان): up to eight
// words without digits, a sentence end, a quotation or a cue, a name of
// one to three words before ؛ and a list with ، after it. A line of
// results (ومبلی؛ انگلیس ۲ ایتالیا صفر) has digits or no ، and is a title.
func (f *finder) bareHeading(p *para, n int) bool {
	if f.lx.lang != "fa" || len(p.quotes) > 0 || p.words(0, n) > 8 || f.isByline(p, n) {
		return false
	}
	semi, comma := -1, false
	for i := 0; i < n; i++ {
		t := &p.toks[i]
		switch {
		case t.norm == ";" && semi < 0:
			semi = i
		case isComma(t) && semi >= 0:
			comma = true
		case t.norm == "." || t.norm == "!" || t.norm == "?" || t.norm == ":" || t.isWord() && isDigits(t.norm) || f.cueAt(p, i) > 0:
			return false
		}
	}
	return semi >= 1 && p.words(0, semi) <= 3 && comma
}

// isLabel reports whether p is a byline or credit line, "label: value"
// (عکس: …، گزارش از: …، بیشتر بخوانید:), whose label is in labels.txt.
func (f *finder) isLabel(p *para) bool {
	if f.lx.labels == nil || p.words(0, len(p.toks)) > 8 {
		return false
	}
	n := f.lx.labels.match(p.toks, 0)
	return n > 0 && n < len(p.toks) && p.toks[n].norm == ":"
}

// isByline reports whether a short line ending with a colon at token n
// names a desk or an outlet rather than a person: its name or the segment
// after its first ، or ؛ opens with a label or an outlet (خبرگزاری مهر،
// گروه بین‌الملل:، تهران، ایرنا:).
func (f *finder) isByline(p *para, n int) bool {
	if f.lx.labels == nil {
		return false
	}
	lx := f.lx
	if lx.outlets.match(p.toks, 0) > 0 || lx.labels.match(p.toks, 0) > 0 {
		return true
	}
	for i := 0; i < n-1; i++ {
		if t := p.toks[i].norm; t == ";" || t == "," {
			return lx.outlets.match(p.toks, i+1) > 0 || lx.labels.match(p.toks, i+1) > 0
		}
	}
	return false
}

// speechNoun returns the token of the last speech noun outside
// quotations in the paragraph, or -1.
func (f *finder) speechNoun(p *para) int {
	for i := len(p.toks) - 1; i >= 0 && i >= len(p.toks)-40; i-- {
		if p.toks[i].qid < 0 && f.lx.speechNouns.hasAt(p, i) {
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
	for e < end && e < i+4 && p.toks[e].isWord() && p.toks[e].norm != "را" && !f.lx.adjuncts.hasTok(&p.toks[e]) && !(e > i+1 && f.lx.roles.hasTok(&p.toks[e])) {
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
	case e < end && f.lx.roles.hasTok(&p.toks[e]):
		role = p.span(e, end) // X role
	}
	c := &Candidate{Span: Span{Paragraph: p.n}, Speaker: sp, Role: role, Confidence: confHeading}
	c.SpeakerResolved = f.resolveName(p, sp, role)
	return c
}

// speechLine reports whether p names someone's words (a speech noun) in
// a line of at most 20 words without a sentence end or colon: a heading
// if a list follows.
//
// It is asked of every paragraph without a candidate, most of which end
// with a full stop: the marks are looked for first, from the end, and the
// speech nouns last.
func (f *finder) speechLine(p *para) bool {
	for i := len(p.toks) - 1; i >= 0; i-- {
		switch p.toks[i].norm {
		case ".", "!", "?", ":":
			return false
		}
	}
	return p.words(0, len(p.toks)) <= 20 && f.speechNoun(p) >= 0
}

// documentBelow reads a Persian paragraph whose last sentence announces a
// document below it (شرکت‌کنندگان قطعنامه زیر را … به تصویب رساندند.): the
// next paragraphs are the document's words, spoken by the sentence's
// subject. Nil when there is none.
func (f *finder) documentBelow(p *para) *Candidate {
	if f.lx.documents == nil || len(p.toks) == 0 {
		return nil
	}
	s := p.toks[len(p.toks)-1].sentence
	for i := max(p.sentStart[s], len(p.toks)-40); i < len(p.toks); i++ {
		if p.toks[i].qid < 0 && p.toks[i].isWord() && f.lx.documents.match(p.toks, i) > 0 {
			sp, role, long := f.subject(p, s, i, 0)
			if sp == nil || long {
				return nil
			}
			c := &Candidate{Span: Span{Paragraph: p.n}, Kind: Direct, Speaker: sp, Role: role, Confidence: confHeading}
			c.SpeakerResolved = f.resolveName(p, sp, role)
			return c
		}
	}
	return nil
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
	if p.toks[n-1].norm != ":" {
		n++ // a heading without its colon (bareHeading): the role runs to the end
	}
	role := p.span(sep+1, n-1)
	c := &Candidate{Span: Span{Paragraph: p.n}, Speaker: sp, Role: role, Confidence: confHeading}
	c.SpeakerResolved = f.resolveName(p, sp, role)
	return c
}
