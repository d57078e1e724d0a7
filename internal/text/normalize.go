package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Characters the folding rules refer to by name.
const (
	zwnj       = '\u200C' // zero-width non-joiner, the Persian half-space
	persianYeh = '\u06CC' // ی
	keheh      = '\u06A9' // ک
	heh        = '\u0647' // ه
	alef       = '\u0627' // ا
)

// Normalize returns the matching form of s: the form in which Persian,
// Arabic and English text is indexed and in which queries are compared.
// It is for matching only; stored and displayed text keeps its original
// spelling. The rules, in the order they apply:
//
//  1. Unicode NFKC, so presentation forms (ﻙ, ﻻ, ﷲ), full-width Latin,
//     ligatures and compatibility spaces become their plain letters.
//  2. Full Unicode case folding (ß → ss, Σ/ς → σ, ...); ASCII is simply
//     lower-cased. Arabic script has no case and is untouched by this step.
//     Accents are kept (café ≠ cafe); IndexText removes Latin ones.
//  3. Letter folding, so that the Arabic- and Persian-keyboard spellings of
//     one word meet:
//     Arabic yeh ي and alef maksura ى → Persian yeh ی;
//     Arabic kaf ك → keheh ک;
//     teh marbuta ة and the heh forms ۀ ھ ہ ۂ ە → heh ه;
//     alef with hamza or madda أ إ آ and alef wasla ٱ → bare alef ا.
//     Folding the hamza and madda alefs into ا is deliberate: Iranian
//     outlets write some words both ways (آمریکا / امریکا) and Arabic text
//     drops hamza seats freely (أحمد / احمد, إيران / ايران), so recall
//     wins; the cost is the rare pair of distinct words that differ by the
//     hamza or madda alone. Hamza on waw and yeh (ؤ ئ) and the bare hamza
//     ء are kept: they are part of the spelling (مسئول, رئیس), not a
//     variant of a bare letter.
//  4. Removed outright: harakat/tashkil U+064B–U+065F, superscript alef
//     U+0670, Quranic annotation marks U+06D6–U+06ED, tatweel U+0640, the
//     zero-width non-joiner, every other format character (category Cf:
//     ZWJ, LRM/RLM/ALM, bidi embeddings and isolates, BOM, soft hyphen,
//     zero-width space, word joiner) and control characters other than
//     whitespace. Vowel marks are optional in both languages and the rest
//     is invisible, so none of them should decide a match.
//  5. Digits: Persian ۰–۹ and Arabic-Indic ٠–٩ → ASCII 0–9; the Arabic
//     decimal and thousands separators ٫ ٬ → . and ,; ٪ → %.
//  6. Punctuation: « » “ ” „ ‟ → "; ‹ › ‘ ’ ‚ ‛ → '; ، ؛ ؟ ۔ → , ; ? . so
//     that a query's punctuation never matters.
//  7. Whitespace: every run of Unicode white space becomes one ASCII
//     space; leading and trailing space is dropped.
//  8. Half-space (ZWNJ) spelling: since rule 4 deletes the ZWNJ, the
//     half-spaced and joined spellings already coincide (می‌رود = میرود,
//     کتاب‌ها = کتابها). Spelling with a full space is also common in the
//     Iranian press, so a space is removed as well
//     - after the verbal prefix می or نمی standing as a separate word,
//     also behind the preverbs بر، در، باز (برمی، درنمی، بازمی...), when
//     the next word starts with an Arabic-script letter (می رود → میرود,
//     برمی گردد → برمیگردد), and
//     - before the plural suffix ها and its possessive forms (های، هایی،
//     هایم، هایت، هایش، هایمان، هایتان، هایشان) and the superlative ترین,
//     when the previous word ends with an Arabic-script letter
//     (کتاب ها → کتابها, مهم ترین → مهمترین): these never stand alone
//     as words in news prose;
//     - before the other bound forms, where a lexicon decides (see
//     lexicon.go; it is derived from hazm's MIT-licensed word list):
//     the clitics ای، ام، ات، اش، ایم، اید، اند after a known word of
//     three letters or more that ends in ه or ی (خانه ای → خانهای,
//     رفته اند → رفتهاند), since the vocative ای and transliterations
//     (ام آی تی) stand apart; the comparative تر, تری after a known
//     adjective (مهم تر → مهمتر), since تر is also "wet"; and the second
//     part of a compound that the lexicon spells with a half-space
//     (سه شنبه → سهشنبه, اصلاح طلبان → اصلاحطلبان) or solid with a bound
//     second element such as گاه or طلب (دانش گاه → دانشگاه); and, with
//     no lexicon, the ezafe ی after a final ه (خانه ی → خانهی) and any
//     word after the privative prefix بی (بی کیفیت → بیکیفیت), which
//     stands alone only in transliterations (بی بی سی).
//     Compounds whose first part is a function word or a number (به
//     اندازه, سه روز) or whose second part is one (انجام شده) are left
//     out of the lexicon: those are mostly separate words in news prose,
//     and joining them would hide the first word from a search.
//     The joins also apply to Arabic text, where a standalone ها or مي is
//     rare enough not to matter.
//
// The joins change the index terms: AnalyzerVersion records which rules
// an index was built with.
//
// The result is idempotent: Normalize(Normalize(s)) == Normalize(s), and
// it is valid UTF-8 (invalid input bytes become U+FFFD).
func Normalize(s string) string {
	t := normalizePass(s)
	u := nfkc(t)
	if u == t {
		return t
	}
	// Deleting a mark or a format character can bring together characters
	// that NFKC composes (a Hangul jamo pair, a letter and a Latin accent),
	// and full case folding decomposes a few letters (ǰ, ΐ) that NFKC
	// composes again. Iterate to the fixed point of NFKC∘pass; in practice
	// it is reached on the first round.
	for range 4 {
		v := nfkc(normalizePass(u))
		if v == u {
			break
		}
		u = v
	}
	return u
}

// normalizePass is one application of rules 1–8; Normalize makes sure the
// result is also a fixed point.
func normalizePass(s string) string {
	s = nfkc(s)
	out, ok, again := mapRunes(s, false)
	if !ok {
		// A cased non-ASCII letter was seen: fold the whole string with
		// the full Unicode case folding and map again. The Caser is built
		// per call because a Caser may keep state between calls and this
		// function is used concurrently; the path is only taken for
		// non-ASCII Latin, Greek, Cyrillic and similar text.
		out, _, again = mapRunes(cases.Fold().String(s), true)
	}
	// A join can make a word that joins the word before it, which was
	// kept apart when the word was shorter (ارزش ده ی: ده takes the ezafe
	// ی, and دهی is a compound's second part after ارزش). Mapping again
	// joins it; each round removes a space, and such chains are rare.
	for again {
		out, _, again = mapRunes(out, true)
	}
	return out
}

// nfkc returns the NFKC form of s. Most news text is already in NFKC, and
// proving it rune by rune from a table is several times faster than the
// quick check of golang.org/x/text/unicode/norm, which otherwise takes most
// of Normalize's time on Persian text.
//
// News text that is not in NFKC usually has a few characters that are not
// (an ellipsis …, a no-break space, a presentation form) among thousands
// that are. Only the stretches around them go through norm: a stable rune
// starts a segment that nothing before it can change, so the text can be
// normalized segment by segment.
func nfkc(s string) string {
	var b strings.Builder
	done := 0         // s[:done] is written to b, or is the result if b is empty
	lastStable := 0   // where the last stable rune starts
	unstable := false // unstable runes follow it
	for i, r := range s {
		if r < rune(len(runeFlags)) && runeFlags[r]&flagNFKCStable != 0 {
			if unstable {
				nfkcSegment(&b, s, &done, lastStable, i)
				unstable = false
			}
			lastStable = i
		} else {
			unstable = true
		}
	}
	if unstable {
		nfkcSegment(&b, s, &done, lastStable, len(s))
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// nfkcSegment normalizes s[from:to], a stretch from a stable rune (which
// the unstable ones after it may combine with) to the next stable one, and
// writes it to b with the text since done if NFKC changes it.
func nfkcSegment(b *strings.Builder, s string, done *int, from, to int) {
	seg := s[from:to]
	if n := norm.NFKC.String(seg); n != seg {
		if b.Len() == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[*done:from])
		b.WriteString(n)
		*done = to
	}
}

// Flags of runeFlags.
const (
	// flagNFKCStable marks a rune that NFKC leaves as it is whatever its
	// neighbours: it is its own NFKC form, and a starter that does not
	// combine with what precedes it.
	flagNFKCStable uint8 = 1 << iota
	// flagWord marks a letter, digit or combining mark (see isWordRune).
	flagWord
	// flagArabicLetter marks a letter of the Arabic script.
	flagArabicLetter
	// flagPlainTerm marks a rune that indexTerm keeps as it is: not an
	// apostrophe, a combining mark or an accented Latin letter.
	flagPlainTerm
)

// runeFlags caches, for the runes up to General Punctuation (Latin, Greek,
// Cyrillic, Arabic, the quotes and the ZWNJ), Unicode properties that are
// slow to look up once per character.
var runeFlags = func() (flags [0x2070]uint8) {
	for r := range rune(len(flags)) {
		if c := string(r); norm.NFKC.PropertiesString(c).BoundaryBefore() && norm.NFKC.String(c) == c {
			flags[r] |= flagNFKCStable
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			flags[r] |= flagWord
		}
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			flags[r] |= flagArabicLetter
		}
		if r != '\'' && (r < 0xC0 || !unicode.IsMark(r) && !unicode.Is(unicode.Latin, r)) {
			flags[r] |= flagPlainTerm
		}
	}
	return flags
}()

// runeAction says what the map pass does with one input rune.
type runeAction uint8

const (
	actKeep  runeAction = iota // emit the (possibly replaced) rune
	actDrop                    // delete it without breaking the word
	actSpace                   // white space: a word separator
	actFold                    // a cased letter: full case folding is needed
)

// mapRune applies rules 3–7 to a single non-ASCII rune.
func mapRune(r rune) (rune, runeAction) {
	switch {
	case r >= 0x0600 && r <= 0x06FF:
		return mapArabic(r)
	case r == '\u00AB' || r == '\u00BB' || (r >= '\u201C' && r <= '\u201F'):
		return '"', actKeep
	case r == '\u2039' || r == '\u203A' || (r >= '\u2018' && r <= '\u201B'):
		return '\'', actKeep
	case unicode.IsSpace(r):
		return ' ', actSpace
	case unicode.Is(unicode.Cf, r) || unicode.IsControl(r):
		return r, actDrop
	case r >= '\u13A0' && r <= '\u13FD' || r >= '\uAB70' && r <= '\uABBF':
		return foldCherokee(r), actKeep
	case unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) || r == '\u0345':
		// U+0345 (Greek ypogegrammeni) is a mark that folds to ι.
		return r, actFold
	}
	return r, actKeep
}

// foldCherokee applies Unicode case folding to a Cherokee letter. Cherokee
// is the one script that folds to its capitals, and golang.org/x/text/cases
// (v0.44.0) folds those capitals back to small letters, which would make
// Normalize flip-flop; so Cherokee never reaches that package.
func foldCherokee(r rune) rune {
	switch {
	case r >= '\uAB70':
		return r - '\uAB70' + '\u13A0'
	case r >= '\u13F8':
		return r - '\u13F8' + '\u13F0'
	}
	return r
}

// mapArabic handles the Arabic block U+0600–U+06FF, where nearly all of
// the desk's non-ASCII text lives; a switch keeps it off the slower
// Unicode table look-ups.
func mapArabic(r rune) (rune, runeAction) {
	switch {
	case r == '\u064A' || r == '\u0649':
		return persianYeh, actKeep
	case r == '\u0643':
		return keheh, actKeep
	case r == '\u0629' || r == '\u06C0' || r == '\u06BE' || r == '\u06C1' || r == '\u06C2' || r == '\u06D5':
		return heh, actKeep
	case r == '\u0622' || r == '\u0623' || r == '\u0625' || r == '\u0671':
		return alef, actKeep
	case r >= '\u064B' && r <= '\u065F', r == '\u0670', r >= '\u06D6' && r <= '\u06ED', r == '\u0640':
		return r, actDrop
	case r >= '\u06F0' && r <= '\u06F9':
		return '0' + r - '\u06F0', actKeep
	case r >= '\u0660' && r <= '\u0669':
		return '0' + r - '\u0660', actKeep
	case r == '\u066B' || r == '\u06D4':
		return '.', actKeep
	case r == '\u066C' || r == '\u060C':
		return ',', actKeep
	case r == '\u066A':
		return '%', actKeep
	case r == '\u061B':
		return ';', actKeep
	case r == '\u061F':
		return '?', actKeep
	case r <= '\u0605' || r == '\u061C':
		// The Arabic number signs and the Arabic letter mark are format
		// characters (Cf); end of ayah U+06DD is among the Quranic marks.
		return r, actDrop
	}
	return r, actKeep
}

// mapRunes applies rules 2–8 to NFKC text in one pass. Unless folded is
// set it reports ok == false as soon as it meets a cased non-ASCII letter,
// so that the caller can case-fold first; ASCII is lower-cased here.
//
// Words are buffered in a small scratch slice until they end, because the
// suffix rule can only tell whether to drop the space before a word once
// the whole word is known. again reports that a join made a word that
// would join the word before it (see normalizePass).
func mapRunes(s string, folded bool) (out string, ok, again bool) {
	var b strings.Builder
	b.Grow(len(s))
	var scratch [64]byte
	w := mapper{b: &b, word: scratch[:0], prevEnd: -1, beforeStart: -1}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				w.word = append(w.word, c)
			case 'A' <= c && c <= 'Z':
				w.word = append(w.word, c+'a'-'A')
			case c == ' ' || '\t' <= c && c <= '\r':
				w.space()
			case c < ' ' || c == 0x7F:
				// Control characters: dropped.
			default:
				w.punct(rune(c))
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		m, act := mapRune(r)
		switch act {
		case actDrop:
			continue
		case actSpace:
			w.space()
			continue
		case actFold:
			if !folded {
				return "", false, false
			}
		}
		if isWordRune(m) {
			w.word = utf8.AppendRune(w.word, m)
		} else {
			w.punct(m)
		}
	}
	w.flush()
	return b.String(), true, w.again
}

// mapper is the output state of mapRunes.
type mapper struct {
	b       *strings.Builder
	word    []byte // current word, already mapped
	pending bool   // a space separates the output from what comes next
	// prevStart and prevEnd delimit the last word written to b; prevEnd
	// is -1 when punctuation was written after it.
	prevStart, prevEnd int
	// beforeStart and beforeEnd delimit the word before that one when
	// only a space separates them; beforeStart is -1 otherwise.
	beforeStart, beforeEnd int
	again                  bool // see mapRunes
}

// space records a word separator; spaces at the start are dropped, runs
// collapse, and a trailing one is never written.
func (m *mapper) space() {
	m.flush()
	if m.b.Len() > 0 {
		m.pending = true
	}
}

// punct writes a non-word character.
func (m *mapper) punct(r rune) {
	m.flush()
	if m.pending {
		m.b.WriteByte(' ')
		m.pending = false
	}
	m.b.WriteRune(r)
	m.prevEnd = -1
}

// flush writes the buffered word, deciding whether the space before it is
// dropped by the half-space rule (rule 8 of Normalize).
func (m *mapper) flush() {
	if len(m.word) == 0 {
		return
	}
	adjacent := m.pending && m.prevEnd == m.b.Len() // only a space since the last word
	join := adjacent && joins(m.b.String()[m.prevStart:m.prevEnd], m.word)
	if m.pending && !join {
		m.b.WriteByte(' ')
	}
	m.pending = false
	switch {
	case !join && adjacent:
		m.beforeStart, m.beforeEnd = m.prevStart, m.prevEnd
		m.prevStart = m.b.Len()
	case !join:
		m.beforeStart = -1
		m.prevStart = m.b.Len()
	}
	m.b.Write(m.word)
	m.prevEnd = m.b.Len()
	m.word = m.word[:0]
	if join && m.beforeStart >= 0 && !m.again {
		out := m.b.String()
		m.again = joins(out[m.beforeStart:m.beforeEnd], out[m.prevStart:m.prevEnd])
	}
}

// joins reports whether word, written after prev with a space, is part of
// it (rule 8 of Normalize). Both are mapped words.
func joins[W string | []byte](prev string, word W) bool {
	return startsWithArabicLetter(word) && (isVerbPrefix(prev) || endsWithArabicLetter(prev) && joinsAfter(prev, word))
}

// isVerbPrefix reports whether a word is the continuous or negative verbal
// prefix, possibly behind a preverb, written apart from its verb. None of
// these is a word on its own in news prose (می "wine" is poetic).
func isVerbPrefix(w string) bool {
	switch w {
	case "می", "نمی", "برمی", "برنمی", "درمی", "درنمی", "بازمی", "بازنمی":
		return true
	}
	return false
}

// isWordRune reports whether r, already mapped, belongs inside a word: a
// letter, a decimal digit or a combining mark.
func isWordRune(r rune) bool {
	if r < rune(len(runeFlags)) {
		return runeFlags[r]&flagWord != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isArabicLetter reports whether r is a letter of the Arabic script, the
// only script the half-space rule joins.
func isArabicLetter(r rune) bool {
	if r < rune(len(runeFlags)) {
		return runeFlags[r]&flagArabicLetter != 0
	}
	return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}

func startsWithArabicLetter[W string | []byte](w W) bool {
	var head [utf8.UTFMax]byte
	r, _ := utf8.DecodeRune(head[:copy(head[:], w)])
	return isArabicLetter(r)
}

func endsWithArabicLetter(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	return isArabicLetter(r)
}
