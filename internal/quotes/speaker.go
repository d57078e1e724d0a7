package quotes

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// noteNames remembers the people named in toks[a:b] outside quotations: a
// name behind an honorific (دکتر مصطفی شاهرضایی), and a name followed by
// its Latin spelling in parentheses (سوزان ساراندون(Susan Sarandon)), as
// many words as the Latin has.
func (f *finder) noteNames(p *para, a, b int) {
	for i := a; i < b; i++ {
		t := &p.toks[i]
		if q := t.qid; q >= 0 && f.lx.lang == "fa" && !p.used[q] && p.quotes[q].open == i && (i == a || isComma(&p.toks[i-1])) {
			// "به گزارش …، «محمد البرادعی» خواستار … شد": agencies put a
			// name opening its clause in guillemets; a later وی stands
			// for it. Two or three words, not the object (را) of a verb.
			if cl := p.quotes[q].close; cl > i && cl+1 < b && p.toks[cl+1].isWord() && p.word(cl+1) != "را" {
				if n := p.words(i+1, cl); n >= 2 && n <= 3 {
					if sp := p.span(i+1, cl); sp != nil {
						f.remember(sp.Text, f.joinWords(p, sp), "")
					}
				}
			}
		}
		if t.qid >= 0 {
			continue
		}
		if t.cls&isHonorific != 0 && f.lx.honorifics.has(t.norm) && i+1 < b && p.toks[i+1].isWord() {
			e := i + 1
			for e < b && e < i+3 && p.toks[e].isWord() && f.cueAt(p, e) == 0 && !f.lx.adjuncts.hasTok(&p.toks[e]) && !f.lx.roles.hasTok(&p.toks[e]) {
				e++
			}
			if sp := p.span(i+1, e); sp != nil {
				f.remember(sp.Text, f.joinWords(p, sp), "")
			}
			i = e - 1
			continue
		}
		if t.punct == '(' && i > a {
			latin, e := 0, i+1
			for e < b && p.toks[e].isWord() && p.toks[e].norm[0] < utf8.RuneSelf {
				latin++
				e++
			}
			if latin == 0 || e >= b || p.toks[e].punct != ')' {
				continue
			}
			s := i
			for s > a && i-s < min(latin, 4) && p.toks[s-1].isWord() && startsArabic(p.toks[s-1].norm) {
				s--
			}
			if sp := p.span(s, i); sp != nil && s < i {
				f.remember(sp.Text, f.joinWords(p, sp), "")
			}
		}
	}
}

// words returns the matching forms of the words of span sp, which lies in
// this paragraph (or, for a heading, in an earlier one: then it is read
// again).
func (f *finder) words(p *para, sp *Span) []string {
	return f.appendWords(nil, p, sp)
}

// appendWords is words appended to out.
func (f *finder) appendWords(out []string, p *para, sp *Span) []string {
	if sp == nil {
		return out
	}
	toks := p.toks
	if sp.Paragraph != p.n {
		toks = tokenize(sp.Text, &f.buf, nil)
		for i := range toks {
			toks[i].start += int32(sp.Start)
			toks[i].end += int32(sp.Start)
		}
	}
	i := firstFrom(toks, sp.Start)
	for ; i < len(toks) && int(toks[i].end) <= sp.End; i++ {
		if toks[i].isWord() {
			out = append(out, toks[i].norm)
		}
	}
	return out
}

// joinWords is strings.Join(f.words(p, sp), " ") without the slice of
// words, for a span of this paragraph: the names remembered and resolved
// are joined once each, and their slices were a fifth of the finder's
// allocations.
func (f *finder) joinWords(p *para, sp *Span) string {
	if sp == nil || sp.Paragraph != p.n {
		return strings.Join(f.words(p, sp), " ")
	}
	from := firstFrom(p.toks, sp.Start)
	n, size, first := 0, 0, ""
	for i := from; i < len(p.toks) && int(p.toks[i].end) <= sp.End; i++ {
		if p.toks[i].isWord() {
			if n == 0 {
				first = p.toks[i].norm
			}
			n++
			size += len(p.toks[i].norm) + 1
		}
	}
	if n <= 1 {
		return first
	}
	var b strings.Builder
	b.Grow(size - 1)
	for i, k := from, 0; i < len(p.toks) && int(p.toks[i].end) <= sp.End; i++ {
		if p.toks[i].isWord() {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p.toks[i].norm)
			k++
		}
	}
	return b.String()
}

// countWords is len(f.words(p, sp)) without the slice of words, for a
// span of this paragraph.
func (f *finder) countWords(p *para, sp *Span) int {
	if sp == nil || sp.Paragraph != p.n {
		return len(f.words(p, sp))
	}
	n := 0
	for i := firstFrom(p.toks, sp.Start); i < len(p.toks) && int(p.toks[i].end) <= sp.End; i++ {
		if p.toks[i].isWord() {
			n++
		}
	}
	return n
}

// remember notes a person named: name is the original text, nn and rn the
// matching forms of the name and the role. Someone named again — by the
// same name, by part of it (حیاتی after محمد حیاتی) or by more of it (سید
// احمد خاتمی after خاتمی) — stays one entry, moved to the end: the person
// named last is the one a later وی stands for, also when the name was
// first given long before and someone else came in between.
func (f *finder) remember(name, nn, rn string) {
	if k := len(f.mentions); k > 0 && strings.Contains(f.mentions[k-1].nnorm, nn) {
		return // the same person again, as "دکتر X" after "دکتر X، role"
	}
	if i := f.sameName(nn); i >= 0 {
		// The name as last written, without its titles (سردار محمدیان
		// gives محمدیان, دکتر شاهرضایی شاهرضایی), is the one a later وی
		// gives; the longer form is kept for matching.
		m := f.touch(i)
		m.name = name
		for k := strings.Count(nn, " ") - strings.Count(f.bareName(nn), " "); k > 0; k-- {
			_, rest, ok := strings.Cut(strings.TrimSpace(m.name), " ")
			if !ok {
				break
			}
			m.name = rest
		}
		if len(nn) > len(m.nnorm) {
			m.nnorm = nn
		}
		if m.rnorm == "" {
			m.rnorm = rn
		}
		return
	}
	f.mentions = append(f.mentions, mention{name: name, nnorm: nn, rnorm: rn})
}

// sameName returns the index of a person among the last twenty whose name
// and nn are one the start or the end of the other, word for word (a first
// name or a surname left out; titles before either do not count), or -1.
// Role phrases do not count: سوریه is not سفیر سوریه.
func (f *finder) sameName(nn string) int {
	if f.lx.lang == "en" {
		return -1
	}
	w := f.bareName(nn)
	if w == "" {
		return -1
	}
	if first, _, _ := strings.Cut(w, " "); f.lx.roles.has(first) || f.lx.pronouns.has(first) || f.lx.demonstr.has(first) {
		return -1
	}
	for i := len(f.mentions) - 1; i >= 0 && i >= len(f.mentions)-20; i-- {
		mw := f.bareName(f.mentions[i].nnorm)
		if first, _, _ := strings.Cut(mw, " "); mw == "" || f.lx.roles.has(first) || f.lx.docNouns != nil && f.lx.docNouns.has(first) {
			continue
		}
		short, long := w, mw
		if len(short) > len(long) {
			short, long = long, short
		}
		if strings.HasPrefix(long, short) && (len(long) == len(short) || long[len(short)] == ' ') ||
			strings.HasSuffix(long, short) && long[len(long)-len(short)-1] == ' ' {
			return i
		}
	}
	return -1
}

// bareName returns a name in matching form without the titles before it
// (سردار محمدیان is محمدیان for sameName).
func (f *finder) bareName(nn string) string {
	for {
		w, rest, ok := strings.Cut(nn, " ")
		if !ok || !f.lx.honorifics.has(w) {
			return nn
		}
		nn = rest
	}
}

// touch moves the person at index i to the end of the list (named last)
// and returns it.
func (f *finder) touch(i int) *mention {
	if k := len(f.mentions) - 1; i < k {
		m := f.mentions[i]
		copy(f.mentions[i:], f.mentions[i+1:])
		f.mentions[k] = m
	}
	return &f.mentions[len(f.mentions)-1]
}

// byRole returns the index of the person a bare role phrase (its words in
// matching form) stands for, among the last twenty named, the latest
// first, or -1. Without near, the phrase is part of the role as it was
// given (compared without spaces: دبیرکل حزب الله is دبیر کل حزب‌الله
// لبنان) or a phrase that stood for the person before. With near, it has
// the role's first word and each of its words is in the role, a letter off
// at most (نماینده ایران for نماینده دائم ایران, سخنگوی کمیسیون آموزش مجلس
// for سخنگوی کمسیون آموزش و تحقیقات مجلس): Persian news names its speaker
// by a shortened role as often as by name. The roles compared are the one
// given, the role phrases that stood for the person before (alias), and
// the name when it is itself a role phrase.
func (f *finder) byRole(words []string, near bool) int {
	lo := max(0, len(f.mentions)-20)
	if !near {
		whole := strings.Join(words, "")
		for i := len(f.mentions) - 1; i >= lo; i-- {
			m := &f.mentions[i]
			if containsSpaceless(m.rnorm, whole) {
				return i
			}
			for a := range strings.Lines(m.alias) {
				if a = strings.TrimSuffix(a, "\n"); containsSpaceless(a, whole) && len(strings.ReplaceAll(a, " ", "")) == len(whole) {
					return i
				}
			}
		}
		return -1
	}
	if len(words) < 2 || f.lx.lang == "en" && len(words) < 3 {
		// English keeps the rule tuned on PolNeAR: three words or more.
		return -1
	}
	for i := len(f.mentions) - 1; i >= lo; i-- {
		m := &f.mentions[i]
		if coversRole(words, m.rnorm) {
			return i
		}
		if first, _, _ := strings.Cut(m.nnorm, " "); f.lx.roles.has(first) && !f.lx.honorifics.has(first) && coversRole(words, m.nnorm) {
			return i
		}
		for a := range strings.Lines(m.alias) {
			if coversRole(words, strings.TrimSuffix(a, "\n")) {
				return i
			}
		}
	}
	return -1
}

// coversRole reports whether each word of the role phrase words (but و) is
// in the role rw (matching form, words separated by spaces), a letter off
// at most, starting with its first word.
func coversRole(words []string, rw string) bool {
	if first, _, _ := strings.Cut(rw, " "); first == "" || !nearWord(words[0], first) {
		return false
	}
	for _, w := range words[1:] {
		if w == "و" || hasWord(rw, w) {
			continue
		}
		found := false
		for r := range strings.FieldsSeq(rw) {
			if found = nearWord(w, r); found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// hasWord reports whether the word w is one of the space-separated words
// of s.
func hasWord(s, w string) bool {
	for s != "" {
		i := strings.Index(s, w)
		if i < 0 {
			return false
		}
		if (i == 0 || s[i-1] == ' ') && (i+len(w) == len(s) || s[i+len(w)] == ' ') {
			return true
		}
		s = s[i+1:]
	}
	return false
}

// containsSpaceless reports whether needle (without spaces) occurs in hay
// when hay's spaces are left out, without building that string.
func containsSpaceless(hay, needle string) bool {
	if needle == "" {
		return false
	}
	for i := 0; i < len(hay); i++ {
		if hay[i] == ' ' {
			continue
		}
		j, k := i, 0
		for j < len(hay) && k < len(needle) {
			switch {
			case hay[j] == ' ':
				j++
			case hay[j] == needle[k]:
				j, k = j+1, k+1
			default:
				j = len(hay) + 1
			}
		}
		if k == len(needle) {
			return true
		}
	}
	return false
}

// nearWord reports whether a and b are the same word or, both of four
// letters or more, one letter added, dropped or changed (کمسیون for
// کمیسیون: a typing slip of the outlet's).
func nearWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a)-len(b) > utf8.UTFMax || len(b)-len(a) > utf8.UTFMax || utf8.RuneCountInString(a) < 4 || utf8.RuneCountInString(b) < 4 {
		return false
	}
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[na:], b[nb:]
	}
	for a != "" && b != "" {
		ra, na := utf8.DecodeLastRuneInString(a)
		rb, nb := utf8.DecodeLastRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[:len(a)-na], b[:len(b)-nb]
	}
	return utf8.RuneCountInString(a) <= 1 && utf8.RuneCountInString(b) <= 1
}

// subject finds the speaker before token a in sentence s (not before
// from): the first comma-separated segment of the clause, after any source
// formula ("به گزارش ایرنا،") and adverbial segments, cut before the first
// adverbial word; a following segment with a role noun is the role. When
// that finds no plausible subject (the segment is an object, "X را"), a
// pronoun or anaphor in the clause is the subject, and failing that the
// words before the first role noun (در این نشست کریم اخوان رییس …). long
// reports a subject too long to be a plain name.
func (f *finder) subject(p *para, s int32, a, from int) (sp, role *Span, long bool) {
	lx := f.lx
	start := max(p.sentStart[s], a-40, from)
	// "«…»، X گفت" and "…: X گفت" start the clause after the mark.
	// Not a quotation that is the object of a characterisation (X … را
	// «شخصیت مورد احترام» … توصیف کرد و گفت:): the subject is before it.
	for i := a - 1; i >= start; i-- {
		if q := p.toks[i].qid; q >= 0 && p.used[q] && !(p.quotes[q].open > 0 && p.word(p.quotes[q].open-1) == "را") || p.toks[i].norm == ":" || p.toks[i].norm == ";" {
			start = i + 1
			break
		}
	}
	if lx.lang == "en" {
		return f.englishSubject(p, start, a)
	}
	if ss := max(p.sentStart[s], from); start == a-40 && start > ss && lx.pronouns.hasAt(p, ss) && p.toks[ss].qid < 0 {
		// "وی با اشاره به … ، مجوزهای … را یادآور شد و افزود:": a clause
		// longer than the window whose subject is the pronoun opening it.
		return p.span(ss, ss+1), nil, false
	}
	if ss := p.sentStart[s]; start > ss && start > from && lx.sources.match(p.toks, ss) > 0 {
		// A long lead (به گزارش خبرنگار … فارس، محمود احمدی‌نژاد … با
		// تبریک … گفت:) puts the source formula before the window of
		// forty words: the subject still starts after its comma, not
		// inside it — nor, when no comma stands between the formula's
		// and the window, at the window's first word (… خسرو دانشجو ظهر
		// امروز در حاشیه … جلسه علنی بدون حضور مستمع … گفت: the window
		// began at بدون).
		for i := ss; i < a && i < ss+40; i++ {
			if isComma(&p.toks[i]) {
				if i >= start || start == a-40 && start-i <= maxLead && f.opensName(p, i+1) && !slices.ContainsFunc(p.toks[i+1:start], func(t token) bool { return isComma(&t) }) {
					start = i + 1
				}
				break
			}
		}
	} else if ss := max(p.sentStart[s], from); lx.lang == "fa" && start == a-40 && start > ss && start-ss <= maxLead && f.opensName(p, ss) && !slices.ContainsFunc(p.toks[ss:start], func(t token) bool { return isComma(&t) || t.norm == ":" }) {
		// The same without a formula: a sentence longer than the window
		// that opens with its subject (احمدی‌نژاد پیش از ظهر دیروز … در
		// جمع … که … گرد هم آمده بودند، … گفت:) — the window's first word
		// is in the middle of its adverbials.
		start = ss
	}
	// Drop a source formula up to its comma, or, without one (به گزارش
	// همشهری آنلاین پیمان جبلی … نوشت:), up to the end of the outlet it
	// names.
	if n := lx.sources.match(p.toks, start); n > 0 && p.word(start+n-2) == "این" {
		// بنا بر این گزارش: complete in itself; a comma after the
		// subject (… اداره زندان یاد شده، اسرا را …) is not its comma.
		start += n
		if start < a && isComma(&p.toks[start]) {
			start++
		}
	} else if n > 0 {
		comma := false
		for i := start; i < a; i++ {
			if p.word(i) == "که" {
				// "به گزارش خبرنگار … فارس برات قنبری که … سخن می‌گفت،
				// تصریح کرد:": the comma closes the subject's relative
				// clause, not the formula.
				break
			}
			if isComma(&p.toks[i]) {
				start, comma = i+1, true
				break
			}
		}
		if !comma {
			// The outlet ends the formula, after up to three words of
			// the reporter's desk (خبرنگار سیاسی خبرگزاری فارس).
			for k := start + n; k < a && k <= start+n+3; k++ {
				e := k
				for m := lx.outlets.match(p.toks, e); m > 0 && e+m < a; m = lx.outlets.match(p.toks, e) {
					e += m
				}
				if e > k {
					start = e
					if p.word(e) == "از" && e+2 < a && p.toks[e+1].isWord() && f.opensName(p, e+2) {
						// "به گزارش خبرنگار فارس از کرمان محمد نیازی …":
						// the reporter's place ends the formula.
						start = e + 2
					}
					break
				}
			}
		}
	}
	// "روزنامه القبس … به نقل از «خالد المظف» مسئول … اعلام کرد:" and "به
	// گزارش خبرنگار فارس و به نقل از پایگاه … پلیس سردار X … گفت": a
	// medium relaying someone, without the comma of a source formula. The
	// speaker is the innermost one (GUIDELINES.md), after به نقل از, from
	// an honorific that opens the name when one follows the outlet.
	for i := a - 3; i >= start; i-- {
		if p.toks[i].qid < 0 && p.word(i) == "به" && p.word(i+1) == "نقل" && p.word(i+2) == "از" {
			// A comma right before the cue closes the relayed speaker's
			// name (روزنامه الحیات به نقل از یک مقام نزدیک به …، نوشت:).
			e := a
			if e > i+3 && isComma(&p.toks[e-1]) {
				e--
			}
			if !slices.ContainsFunc(p.toks[i+3:e], func(t token) bool { return isComma(&t) && t.qid < 0 }) && p.words(i+3, e) > 0 {
				start = i + 3
				for k := start + 1; k < a && k < start+6; k++ {
					if lx.honorifics.hasAt(p, k) {
						start = k
						break
					}
				}
			}
			break
		}
	}
	// A clause coordinated after a finite verb (… را شاهد بودیم و
	// خبرنگار X نیز … گفت): the subject is in the clause of the cue.
	for i := a - 2; i > start; i-- {
		if p.toks[i].qid < 0 && isConjunction(p.word(i)) && lx.clauseEnds != nil && lx.clauseEnds.hasAt(p, i-1) {
			// Only when the new clause names its own subject: after "…
			// کرد و در ادامه گفت" the subject is the first clause's, and
			// "… و این اقدام را … خواند" has an object where it would be.
			if !lx.adjuncts.hasAt(p, i+1) && !slices.ContainsFunc(p.toks[i+1:a], func(t token) bool { return t.norm == "را" }) {
				start = i + 1
			}
			break
		}
	}
	// "X نوشت که Y … گفتند:": a report of a report; the cue's subject is
	// in the clause after the complementizer.
	// Likewise "اظهارات X در حالی مطرح شده که او … خواسته بودند که …" and
	// "این در حالی است که X گفت": after "در حالی … که" the clause that
	// speaks is the one after که.
	for i := a - 1; i > start; i-- {
		if p.toks[i].qid < 0 && p.word(i) == "که" {
			if w := p.word(i - 1); isMannerWord(w) || w == "حالیست" && p.word(i-2) == "در" {
				// "آنطور که X به رویترز گفته، …" (as X said) and "این
				// در حالیست که X اعلام کرد": the speaker is after که.
				start = i + 1
				break
			}
			for k := max(start, i-3); k < i; k++ {
				if f.cueAt(p, k) == i-k {
					start = i + 1
					break
				}
			}
			for k := max(start, i-6); k < i-2 && start <= i; k++ {
				// not "X در حالی که بغض دارد، ادامه می‌دهد": there که
				// follows حالی and opens the subordinate clause
				if p.word(k) == "در" && p.word(k+1) == "حالی" {
					start = i + 1
				}
			}
			break
		}
	}
	from0 := start
	for from0 < a {
		// the next segment [from0, e)
		e := from0
		for e < a && !(isComma(&p.toks[e]) && p.toks[e].qid < 0) {
			e++
		}
		a0 := from0
		from0 = e + 1
		if e < a && e > a0 && p.words(a0, e) <= 4 && (isPersianWeekday(p.word(e-1)) || p.word(e-1) == "امروز" || p.word(e-1) == "دیروز" || p.word(e-1) == "امشب") {
			// "اواسط ظهر امروز، وزارت دفاع …": a time, not the subject.
			// A longer segment holds the subject before its time
			// ("روپرت کولویل" سخنگوی سازمان ملل اواخر دیروز پنجشنبه، …).
			continue
		}
		if e < a && e > a0 && lx.clauseEnds.hasAt(p, e-1) && p.words(e+1, a) > 0 && !slices.ContainsFunc(p.toks[a0:e], func(t token) bool { return t.norm == "که" }) {
			// "چرت‌ها … کمک کند، دکتر X می‌گوید:": a clause of its own
			// with the subject after it. With که it is the subject's
			// relative clause (X که … سفر کرد، گفت:), and with nothing
			// between its comma and the cue it holds the subject (X
			// درباره اینکه … باشد، گفت:): either way it stays.
			continue
		}
		for a0 < e && isConjunction(p.word(a0)) {
			a0++
		}
		// A time adverbial opening the clause (روز پنج‌شنبه پنتاگون …
		// اعلام کرد، امروز X گفت) stands before the subject.
		if p.word(a0) == "روز" && isPersianWeekday(p.word(a0+1)) {
			a0 += 2
		} else if isPersianWeekday(p.word(a0)) || p.word(a0) == "امروز" || p.word(a0) == "دیروز" || p.word(a0) == "امشب" {
			a0++
		}
		if a0 > e {
			a0 = e
		}
		if a0 < e && (lx.pronouns.hasAt(p, a0) || lx.plurals.hasAt(p, a0)) {
			return p.span(a0, a0+1), nil, false
		}
		if q := p.toks[a0].qid; lx.lang == "fa" && q >= 0 && !p.used[q] && p.quotes[q].open == a0 {
			// A name in guillemets (news agencies write «جان کربی»
			// سخنگوی …, «میدل ایست آی» در گزارشی …): the name, and the
			// role after it up to the first adverbial word.
			if cl := p.quotes[q].close; cl > a0+1 && cl < e && p.words(a0+1, cl) <= 4 && p.word(cl+1) != "را" {
				sp = p.span(a0+1, cl)
				c := cl + 1
				for c < e && !f.endsSubject(p, c, cl+1) {
					c++
				}
				if c > cl+1 && f.hasRole(p, cl+1, c) {
					role = p.span(cl+1, c)
				}
				return sp, role, false
			}
		}
		c := a0
		for c < e && !f.endsSubject(p, c, a0) {
			c++
		}
		if q := p.toks[c].qid; c == a0+1 && c < e && q >= 0 && !p.used[q] && p.quotes[q].open == c && lx.honorifics.hasAt(p, a0) {
			// "دکتر "گوستاو کوبریرو"، رئیس …": an honorific before a
			// name in quotation marks; the name is the speaker.
			if cl := p.quotes[q].close; cl > c+1 && cl < a && p.words(c+1, cl) <= 4 {
				return p.span(c+1, cl), nil, false
			}
		}
		if p.word(c) == "را" && c-a0 == 1 && lx.demonstr.hasAt(p, a0) {
			// "«…» این را X گفت": the object is the quotation itself,
			// the subject follows it.
			a0, c = c+1, c+1
			for c < e && !f.endsSubject(p, c, a0) {
				c++
			}
		}
		if c == a0 && e == a && p.word(a0) == "در" && lx.docNouns != nil && lx.docNouns.hasAt(p, a0+1) && p.word(a) == "امده" &&
			a0+2 < a && p.toks[a0+2].isWord() && !lx.demonstr.hasAt(p, a0+2) {
			// "در بیانیه ارتش آمریکا آمده است:": the document's issuer.
			return p.span(a0+2, a), nil, p.words(a0+2, a) > 8
		}
		if c == a0 {
			continue // an adverbial segment: در همین حال، …
		}
		if p.word(c) == "را" {
			// "X … را": the segment holds an object. A long one
			// usually starts with the subject's name (شاهین مستوفی
			// جزئیات … را تشریح کرد و گفت): take two words.
			if p.words(a0, c) >= 4 && !lx.adjuncts.hasAt(p, a0) {
				return p.span(a0, a0+2), nil, true
			}
			break
		}
		sp = p.span(a0, c)
		if sp == nil {
			continue
		}
		long = p.words(a0, c) > 8
		// the role: the next segment when it holds a role noun
		if e < a {
			r0 := e + 1
			re := r0
			for re < a && !(isComma(&p.toks[re]) && p.toks[re].qid < 0) && !(p.toks[re].isWord() && lx.adjuncts.hasTok(&p.toks[re]) && !lx.roles.hasAt(p, re-1)) {
				re++
			}
			if re > r0 && f.hasRole(p, r0, re) {
				role = p.span(r0, re)
			}
		}
		if role == nil && lx.roles.hasAt(p, a0) && !lx.honorifics.hasAt(p, a0) {
			role = sp
		}
		if role == nil {
			// "سید عباس صالحی وزیر فرهنگ گفت": a name and its role
			// without a comma between; the role starts at the first role
			// noun after at least two words of the name.
			for k := a0 + 2; k < c; k++ {
				if p.toks[k].isWord() && lx.roles.hasTok(&p.toks[k]) && (!lx.roles.hasAt(p, a0) || lx.honorifics.hasAt(p, a0)) && !lx.demonstr.hasAt(p, k-1) {
					sp, role = p.span(a0, k), p.span(k, c)
					break
				}
			}
		}
		return sp, role, long
	}
	// A pronoun or "این <role>" anywhere in the clause.
	for i := start; i < a; i++ {
		w := p.word(i)
		if w == "" || p.toks[i].qid >= 0 || p.word(i+1) == "را" {
			continue
		}
		if lx.pronouns.hasAt(p, i) && !isPreposition(p.word(i-1)) {
			return p.span(i, i+1), nil, false
		}
		if lx.demonstr.hasAt(p, i) && lx.roles.hasAt(p, i+1) {
			e := i + 2
			for e < a && p.toks[e].isWord() && !lx.adjuncts.hasTok(&p.toks[e]) && e < i+6 {
				e++
			}
			return p.span(i, e), nil, false
		}
	}
	// Two words before the first role noun, and the role.
	for i := start + 1; i < a; i++ {
		if p.toks[i].qid < 0 && lx.roles.hasAt(p, i) && !lx.demonstr.hasAt(p, i-1) {
			n0 := i
			for n0 > start && n0 > i-2 && p.toks[n0-1].isWord() && !lx.adjuncts.hasAt(p, n0-1) && !lx.demonstr.hasAt(p, n0-1) {
				n0--
			}
			if n0 == i {
				break
			}
			e := i
			for e < a && p.toks[e].isWord() && !lx.adjuncts.hasAt(p, e) {
				e++
			}
			return p.span(n0, i), p.span(i, e), false
		}
	}
	return nil, nil, false
}

// maxLead bounds how far before the subject window a long sentence's
// subject is looked for (tokens): the look stays linear on a paragraph
// of one endless sentence.
const maxLead = 80

// opensName reports whether token i can open a subject: a word that is
// neither an adverbial nor a conjunction, or an opening quotation mark.
func (f *finder) opensName(p *para, i int) bool {
	if i >= len(p.toks) {
		return false
	}
	if t := &p.toks[i]; !t.isWord() {
		return isOpenQuote(t)
	}
	w := p.word(i)
	return !f.lx.adjuncts.hasAt(p, i) && !isConjunction(w) && !f.lx.demonstr.hasAt(p, i) && f.cueAt(p, i) == 0
}

// endsSubject reports whether token c, inside a subject that began at a0,
// is where the subject stops: an adverbial word (but not one inside a
// role, as in "عضو هیئت علمی در …"), the object marker را, the relative
// که, a "stating that" phrase, or punctuation.
func (f *finder) endsSubject(p *para, c, a0 int) bool {
	t := &p.toks[c]
	if !t.isWord() {
		return true // a mark inside the segment: ( - / «
	}
	lx := f.lx
	switch {
	case t.norm == "را", t.norm == "که":
		return true
	case t.norm == "از" && c == a0+1 && lx.partitives.hasAt(p, a0):
		return false // یکی از پزشکان: one of the doctors
	case lx.stating.match(p.toks, c) > 0:
		return true
	case lx.topics != nil && lx.topics.match(p.toks, c) > 0:
		return true // a topic (در مورد …) is nobody's role: دبیر در مورد … گفت
	case lx.adjuncts.hasTok(t):
		// but an anaphor (این اقتصاددان در پاسخ …) takes no complement
		return !(c > a0 && lx.roles.hasAt(p, c-1) && !lx.demonstr.hasAt(p, a0))
	}
	return false
}

// isPersianWeekday reports whether w names a day of the week (in the
// matching form, which joins سه‌شنبه into one word).
func isPersianWeekday(w string) bool {
	switch w {
	case "شنبه", "یکشنبه", "دوشنبه", "سهشنبه", "چهارشنبه", "پنجشنبه", "جمعه":
		return true
	}
	return false
}

func isPreposition(w string) bool {
	switch w {
	case "به", "از", "با", "برای", "در", "بر", "to", "with", "for", "from", "of":
		return true
	}
	return false
}

func isConjunction(w string) bool {
	switch w {
	case "و", "اما", "ولی", "همچنین", "سپس", "and", "but", "also", "فقد":
		return true
	}
	return false
}

// englishSubject reads the noun phrase right before an English cue:
// capitalised words, titles, pronouns, "the" + role noun.
func (f *finder) englishSubject(p *para, start, a int) (*Span, *Span, bool) {
	lx := f.lx
	// An appositive between the subject and the cue: "Rucker Culpepper,
	// who runs …, said" / "Clinton, the former secretary of State, said".
	if a-1 > start && isComma(&p.toks[a-1]) {
		for k := a - 2; k > start && k >= a-30; k-- {
			if !isComma(&p.toks[k]) {
				continue
			}
			if sp, _, _ := f.englishSubject(p, start, k); sp != nil && p.toks[k-1].upper {
				var role *Span
				if f.hasRole(p, k+1, a-1) {
					role = p.span(k+1, a-1)
				}
				return sp, role, false
			}
			break
		}
	}
	// Auxiliaries and adverbs between the subject and the cue
	// (McAuliffe has said, Clinton also said, he previously said).
	for a > start && (isAuxiliary(p.word(a-1)) || strings.HasSuffix(p.word(a-1), "ly") && !p.toks[a-1].upper) {
		a--
	}
	i := a
	for i > start && i > a-8 {
		t := &p.toks[i-1]
		ok := t.isWord() && (t.upper || lx.roles.hasTok(t) || lx.pronouns.hasTok(t) || lx.demonstr.hasTok(t) || t.norm == "of" || t.norm == "s" && i-2 >= 0 && p.toks[i-2].punct == '\'') ||
			t.norm == "." && i-2 >= start && isAbbrev(p.toks[i-2].norm) || t.punct == '\''
		if !ok {
			break
		}
		i--
	}
	for i < a && (!p.toks[i].isWord() || p.toks[i].norm == "of") {
		i++
	}
	if i == a {
		// A common-noun subject (many lawmakers said, experts say): up
		// to three plain words back, not across a mark, a conjunction, a
		// preposition or a relative.
		for i > start && i > a-3 && p.toks[i-1].isWord() && !isConjunction(p.word(i-1)) && !isPreposition(p.word(i-1)) &&
			!lx.that.hasAt(p, i-1) && !lx.adjuncts.hasAt(p, i-1) && !isRelative(p.word(i-1)) {
			i--
		}
		if i == a {
			return nil, nil, false
		}
		if w := p.word(i - 1); i-1 >= start && (w == "a" || w == "an" || w == "the") {
			i-- // a senior European diplomat said
		}
	}
	sp := p.span(i, a)
	var role *Span
	if f.hasRole(p, i, a) {
		role = sp
	}
	return sp, role, false
}

func isRelative(w string) bool {
	switch w {
	case "who", "whom", "whose", "which", "where", "when":
		return true
	}
	return false
}

func isAuxiliary(w string) bool {
	switch w {
	case "has", "have", "had", "is", "was", "were", "will", "would", "did", "does", "also", "later", "then", "again", "has also":
		return true
	}
	return false
}

// add records a candidate, resolving its speaker.
func (f *finder) add(p *para, content *Span, kind, rule string, cue, sp, role *Span, conf float64) {
	if content == nil {
		return
	}
	c := Candidate{Span: *content, Kind: kind, Rule: rule, Cue: cue, Speaker: sp, Role: role}
	sr, conf := f.resolve(p, sp, role, conf)
	c.SpeakerResolved, c.Confidence = sr, round2(max(conf, 0.05))
	f.out = append(f.out, c)
}

// resolve names the speaker: a pronoun, an anaphor ("این پزشک", "the
// minister"), a bare role already given to someone ("استاد تمام دانشگاه"
// after "X، … و استاد تمام دانشگاه") or a missing subject (Persian drops
// it) is the last person named before — of that role when the anaphor
// names one. Anyone else named is remembered.
func (f *finder) resolve(p *para, sp, role *Span, conf float64) (string, float64) {
	if sp == nil {
		// Persian and Arabic drop a subject the reader knows; English
		// does not, so there a missing one is not guessed.
		if m := f.last(""); m != nil && f.lx.lang != "en" {
			return m.name, conf - 0.05
		}
		return "", conf - 0.2
	}
	// A speaker's words, on the stack when they are few (most are).
	var room [8]string
	words := f.appendWords(room[:0], p, sp)
	lx := f.lx
	switch {
	case len(words) == 1 && lx.plurals.has(words[0]):
		return "", conf - 0.1 // a group: nobody's name
	case len(words) == 1 && lx.pronouns.has(words[0]):
		if m := f.lastPerson(""); m != nil {
			return m.name, conf - 0.03
		}
		return "", conf - 0.2 // a pronoun is nobody's name
	case len(words) >= 2 && lx.demonstr.has(words[0]) && !lx.roles.has(words[1]) && f.lastNamed(words[1]) != nil:
		// "این گزارش می‌افزاید", "این منابع افزودند": the speaker last
		// named with that noun (گزارش فارن پالیسی ادامه می‌دهد …، منابع
		// بیمارستانی اعلام کردند …) — a document or a group, which speak
		// (GUIDELINES.md), not the last person.
		return f.lastNamed(words[1]).name, conf - 0.03
	case len(words) == 2 && lx.demonstr.has(words[0]) && !lx.roles.has(words[1]) && !(lx.docNouns != nil && lx.docNouns.has(words[1])) &&
		!strings.HasSuffix(words[1], "ها") && !f.pluralRole(words[1]) && f.lastPerson("") != nil:
		// "به گفته این منبع، …" after "… به نقل از یک مقام نزدیک به X":
		// a demonstrative with a noun that named nobody before stands
		// for the last person, not for a new one called "this source".
		return f.lastPerson("").name, conf - 0.05
	case len(words) >= 3 && lx.roles.has(words[0]) && lx.demonstr.has(words[1]) && lx.docNouns != nil && lx.docNouns.has(words[2]):
		// "نویسنده این مقاله می‌افزاید": the person who wrote the
		// document, not a new speaker.
		if m := f.lastPerson(""); m != nil {
			return m.name, conf - 0.05
		}
	case len(words) >= 2 && lx.demonstr.has(words[0]) && lx.roles.has(words[1]):
		if m := f.lastPerson(words[1]); m != nil {
			return m.name, conf - 0.03
		}
	case len(words) >= 1 && lx.roles.has(words[0]):
		// A role phrase that stands for someone named before (see
		// byRole): that person, now the one named last.
		// Checked in turn: the role as given, the speaker just quoted
		// (varied), a shortened form of a role given. A name behind a
		// title (سردار محمدیان) is a name, resolved below.
		if i := f.byRole(words, false); i >= 0 {
			return f.touch(i).name, conf
		}
		if m := f.varied(p, sp); m != nil {
			if strings.Count(m.alias, "\n") < 8 { // a few are plenty; bounded on any input
				m.alias += strings.Join(words, " ") + "\n"
			}
			return m.name, conf - 0.03
		}
		if i := f.byRole(words, true); i >= 0 && !lx.honorifics.has(words[0]) {
			return f.touch(i).name, conf - 0.03
		}
	}
	if len(words) >= 1 && f.pluralRole(words[0]) {
		return sp.Text, conf // a group (مدیران بیمارستان‌ها): named, but nobody a later وی stands for
	}
	rn := ""
	if role != nil && role != sp {
		rn = f.joinWords(p, role)
	}
	f.remember(sp.Text, strings.Join(words, " "), rn)
	return sp.Text, conf
}

// varied returns the person a bare role phrase stands for when Persian
// news varies how it names the speaker it is quoting (امیرعبداللهیان
// همچنین گفت: … / وزیر امور خارجه ایران اظهار کرد: …): the last speaker,
// quoted in this paragraph or the one before, named by a name whose role
// was never given. Not after "نیز"/"هم" (وزیر کشور نیز گفت: someone else
// too), nor when that speaker's role is known (then the role phrase would
// have matched it).
func (f *finder) varied(p *para, sp *Span) *mention {
	if f.lx.lang != "fa" || len(f.out) == 0 || sp.Paragraph != p.n {
		return nil
	}
	if e := firstFrom(p.toks, sp.End); e < len(p.toks) && (p.toks[e].norm == "نیز" || p.toks[e].norm == "هم") {
		return nil
	}
	last := &f.out[len(f.out)-1]
	m := f.last("")
	// The last speaker may have been named by a part of the remembered
	// name (ابوالقاسم حبیبی … / حبیبی ادامه داد: …), which remember merges.
	if m == nil || last.Paragraph < p.n-1 || last.SpeakerResolved == "" || !strings.Contains(m.name, last.SpeakerResolved) || m.rnorm != "" {
		return nil
	}
	if w := strings.Fields(m.nnorm); len(w) == 0 || f.lx.roles.has(w[0]) || f.lx.pronouns.has(w[0]) || f.lx.demonstr.has(w[0]) {
		return nil // the last speaker was named by a role or a pronoun too
	}
	return m
}

// pluralRole reports whether w is the plural of a role noun (مدیران،
// کارشناسان، نمایندگان، مسئولین، officials): a group, which a singular
// pronoun does not stand for.
func (f *finder) pluralRole(w string) bool {
	for _, suf := range []string{"های", "ها", "گان", "ین", "ان", "s"} {
		stem, ok := strings.CutSuffix(w, suf)
		if !ok || stem == "" {
			continue
		}
		if f.lx.roles.has(stem) || suf == "گان" && f.lx.roles.has(stem+"ه") {
			return true
		}
	}
	return false
}

// last returns the last mention, of a role containing roleWord if given
// (or the last at all when none has it).
func (f *finder) last(roleWord string) *mention {
	for i := len(f.mentions) - 1; i >= 0 && i >= len(f.mentions)-20; i-- {
		m := &f.mentions[i]
		if roleWord == "" || strings.Contains(m.rnorm, roleWord) || strings.Contains(m.nnorm, roleWord) {
			return m
		}
	}
	if roleWord != "" {
		return f.last("")
	}
	return nil
}

// lastPerson is last for a pronoun or a person's anaphor (وی، این مقام):
// it skips documents that spoke (گزارش فارن پالیسی، مقاله …), which وی
// and این مقام do not stand for.
func (f *finder) lastPerson(roleWord string) *mention {
	for i := len(f.mentions) - 1; i >= 0 && i >= len(f.mentions)-20; i-- {
		m := &f.mentions[i]
		if w, _, _ := strings.Cut(m.nnorm, " "); f.lx.docNouns != nil && f.lx.docNouns.has(w) {
			continue
		}
		if roleWord == "" || strings.Contains(m.rnorm, roleWord) || strings.Contains(m.nnorm, roleWord) {
			return m
		}
	}
	if roleWord != "" {
		return f.lastPerson("")
	}
	return nil
}

// lastNamed returns the last mention whose name starts with the noun w
// (گزارش in گزارش فارن پالیسی).
func (f *finder) lastNamed(w string) *mention {
	for i := len(f.mentions) - 1; i >= 0 && i >= len(f.mentions)-20; i-- {
		if m := &f.mentions[i]; strings.HasPrefix(m.nnorm, w+" ") {
			return m
		}
	}
	return nil
}

// isMannerWord reports whether w, before که, makes an "as X said" clause
// (آنطور که X گفته، …; همانطور که X گفت): its speaker follows که.
func isMannerWord(w string) bool {
	switch w {
	case "آنطور", "انطور", "همانطور", "آنگونه", "انگونه", "همانگونه", "همچنان":
		return true
	}
	return false
}

// resolveName names the speaker of a heading: a known person whose name
// contains the heading's (انصاری‌راد for حسین انصاری‌راد) keeps the full
// name; anyone else is resolved as a speaker is.
func (f *finder) resolveName(p *para, sp, role *Span) string {
	nn := f.joinWords(p, sp)
	for i := len(f.mentions) - 1; i >= 0 && i >= len(f.mentions)-20; i-- {
		if m := &f.mentions[i]; nn != "" && strings.Contains(m.nnorm, nn) {
			return m.name
		}
	}
	name, _ := f.resolve(p, sp, role, 0)
	return name
}

// cataphora names the speaker of the pronouns and dropped subjects that
// open an article before anyone is named (وی افزود: … as its first
// paragraph: the name is in the headline, which Find is not given). They
// stand for the first speaker named after them — by the name that role
// phrase was later given, when it was (وزیر امور خارجه … / امیرعبداللهیان
// همچنین گفت … / وزیر امور خارجه ایران اظهار کرد). Not English, which does
// not open an article so.
func (f *finder) cataphora() {
	if f.lx.lang == "en" {
		return
	}
	n := 0
	for n < len(f.out) && f.out[n].SpeakerResolved == "" && (f.out[n].Speaker == nil || f.isPronoun(f.out[n].Speaker.Text)) {
		n++
	}
	if n == 0 || n == len(f.out) || f.out[n].SpeakerResolved == "" {
		return
	}
	name := f.out[n].SpeakerResolved
	if w := f.matchWords(name); len(w) >= 2 && f.lx.roles.has(w[0]) {
		for i := len(f.mentions) - 1; i >= 0; i-- {
			m := &f.mentions[i]
			if first, _, _ := strings.Cut(m.nnorm, " "); f.lx.roles.has(first) {
				continue // a role phrase named nobody
			}
			covered := coversRole(w, m.rnorm)
			for a := range strings.Lines(m.alias) {
				covered = covered || coversRole(w, strings.TrimSuffix(a, "\n"))
			}
			if covered {
				name = m.name
				break
			}
		}
	}
	for i := range f.out[:n] {
		f.out[i].SpeakerResolved = name
		f.out[i].Confidence = round2(max(f.out[i].Confidence-0.1, 0.05))
	}
}

// matchWords returns the matching forms of the words of s.
func (f *finder) matchWords(s string) []string {
	var out []string
	for _, t := range tokenize(s, &f.buf, nil) {
		if t.isWord() {
			out = append(out, t.norm)
		}
	}
	return out
}

// isPronoun reports whether s is a single pronoun (وی، او). It tokenizes
// into the paragraph's token slice, free once every paragraph is read: an
// article may open with thousands of them (a fuzzed or pasted input).
func (f *finder) isPronoun(s string) bool {
	f.toks = tokenize(s, &f.buf, f.toks[:0])
	n, pron := 0, false
	for i := range f.toks {
		if f.toks[i].isWord() {
			n++
			pron = f.lx.pronouns.has(f.toks[i].norm)
		}
	}
	return n == 1 && pron
}
