package quotes

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// cueAt matches a cue at token i.
func (f *finder) cueAt(p *para, i int) int {
	if t := &p.toks[i]; !t.isWord() || t.qid >= 0 || t.cls&startsCue == 0 {
		return 0
	}
	return f.matchAt(f.lx.cues, p, i)
}

// matchAt matches a phrase of ps at token i; Arabic attaches the
// conjunctions و and ف to the next word (وقال، فأضاف، وبحسب).
func (f *finder) matchAt(ps phrases, p *para, i int) int {
	if n := ps.match(p.toks, i); n > 0 || f.lx.lang != "ar" {
		return n
	}
	for _, conj := range []string{"و", "ف"} {
		if rest, ok := strings.CutPrefix(p.toks[i].norm, conj); ok && rest != "" {
			if n := ps.matchFirst(p.toks, i, rest); n > 0 {
				return n
			}
		}
	}
	return 0
}

// scan reads the paragraph's tokens in order: names to remember, according
// phrases, "stating that" phrases and cues with the construction around
// each.
func (f *finder) scan(p *para) (own bool) {
	lx := f.lx
	type cue struct{ a, b int }
	var cs []cue
	// Most words start no according phrase, no cue and no naming verb:
	// their classes (all known in the paragraph being read) say so at
	// once, without the calls that would each find it out.
	want := startsAccording | startsCue
	naming := lx.naming != nil && len(p.quotes) > 0
	if naming {
		want |= lx.naming.bit
	}
	toks := p.toks // a local: p.toks would be read again after every call
	for i := 0; i < len(toks); i++ {
		// A punctuation mark's classes are none; most words have
		// none of want's, the first test.
		if t := &toks[i]; t.cls&want == 0 || t.qid >= 0 {
			continue
		}
		if toks[i].cls&startsAccording != 0 {
			if n := f.matchAt(lx.according, p, i); n > 0 {
				i = f.according(p, i, n) - 1
				continue
			}
		}
		if naming && lx.naming.hasTok(&p.toks[i]) {
			if e := f.naming(p, i); e > 0 {
				i = e - 1
				continue
			}
		}
		if n := f.cueAt(p, i); n > 0 {
			if !f.impersonalBefore(p, i) && !f.inQuestion(p, i) && lx.passive.match(p.toks, i+n) == 0 && !f.toSpeaker(p, i) {
				cs = append(cs, cue{i, i + n})
			}
			i += n - 1
		}
	}
	from, named, covered := 0, 0, 0
	for k, c := range cs {
		if c.a < covered {
			continue // inside the colon quotation before it (see limit)
		}
		// A colon quote runs to the end of the paragraph, or to the
		// sentence of the next cue that speaks for itself: a cue in the
		// colon's own sentence (… گفت: عملیات مقاومت … می‌گوید که …) or
		// in a later sentence in the speaker's first person (جنایت‌هایی
		// که می‌بینیم، … می‌گوید که …) is part of the words.
		limit := len(p.toks)
		bare := p.toks[c.a].qid < 0 && c.b+1 < len(p.toks) && p.toks[c.b].norm == ":" && p.toks[c.b+1].qid < 0
		if lx.lang == "fa" && c.b < len(p.toks) && p.toks[c.b].norm == ":" && k+1 < len(cs) && f.reportsReport(p, c.a, cs[k+1].a, cs[k+1].b) {
			continue
		}
		if bare {
			for _, next := range cs[k+1:] {
				if s := p.toks[next.a].sentence; s != p.toks[c.a].sentence && !f.firstPersonBefore(p, next.a) {
					limit = p.sentStart[s]
					break
				}
			}
		} else if k+1 < len(cs) {
			limit = max(p.sentStart[p.toks[cs[k+1].a].sentence], c.b)
		}
		// People named in earlier sentences are antecedents; those in
		// the cue's own clause are not (وی … مدرسه شهید فهمیده … گفت).
		if s := p.sentStart[p.toks[c.a].sentence]; s > named {
			f.noteNames(p, named, s)
			named = s
		}
		n := len(f.out)
		f.construction(p, c.a, c.b, limit, from)
		if bare && len(f.out) > n && f.out[len(f.out)-1].Rule == "colon" {
			covered = limit // words without quotation marks: cues in them are theirs
		}
		if len(f.out) > n || f.newIntro != nil {
			from, own = c.b, true
		}
		if len(f.out) > n {
			// Names inside the clause and the quotation just read are
			// not antecedents (وی … در مدرسه شهید فهمیده … گفت: …).
			last := f.out[len(f.out)-1]
			if last.Paragraph == p.n {
				e := firstEndingFrom(p.toks, last.End)
				named = max(named, min(e+1, len(p.toks)))
			}
		}
	}
	f.noteNames(p, named, len(p.toks))
	if lx.lang == "fa" {
		f.noteLead(p)
	}
	if lx.lang == "en" {
		f.nextQuotes(p)
	}
	return own || len(f.out) > 0 && f.out[len(f.out)-1].Paragraph == p.n && f.out[len(f.out)-1].Confidence != confContinuation
}

// noteLead remembers whom a news lead is about: the subject right after a
// source formula and its comma (به گزارش همشهری آنلاین، رضا استادی که …
// مکتوب کرده است.) in a sentence that quotes nobody, so that a later او or
// وی stands for them.
func (f *finder) noteLead(p *para) {
	for s := range p.sentStart {
		a := p.sentStart[s]
		n := f.lx.sources.match(p.toks, a)
		quoted := func(c Candidate) bool {
			k := firstFrom(p.toks, c.Start)
			return c.Paragraph == p.n && k < len(p.toks) && p.toks[k].sentence == int32(s)
		}
		if n == 0 || slices.ContainsFunc(f.out, quoted) {
			continue
		}
		e := min(p.sentenceEnd(int32(s)), a+30) // subject looks back 40 tokens at most
		if sp, role, long := f.subject(p, int32(s), e, a); sp != nil && !long {
			if w := f.countWords(p, sp); w >= 2 && w <= 4 {
				f.resolve(p, sp, role, 0)
			}
		}
	}
}

// impersonalBefore reports whether a modal that makes the cue at i
// impersonal stands right before it or, in Persian, a few words before it
// in the same clause with the cue's complement between (می‌توان به
// تصاویری اشاره کرد که …): nobody speaks.
func (f *finder) impersonalBefore(p *para, i int) bool {
	if f.lx.impersonal.hasAt(p, i-1) {
		return true
	}
	if f.lx.lang != "fa" {
		return false
	}
	s := p.sentStart[p.toks[i].sentence]
	for k := i - 2; k >= s && k >= i-5; k-- {
		if !p.toks[k].isWord() {
			return false // a comma or a mark: another clause
		}
		if f.lx.impersonal.hasTok(&p.toks[k]) && p.toks[k].norm != "باید" {
			return true // "باید" a few words back is the speaker's modal (X باید … گفت)
		}
	}
	return false
}

// nextQuotes reads English quotations that make a sentence of their own
// after a candidate of the same paragraph ("…," Flynn said on Fox News.
// "I mean, …"): the speaker goes on, as in a Persian continuation. A
// sentence with a cue of its own was read by its cue.
func (f *finder) nextQuotes(p *para) {
	for q, qs := range p.quotes {
		if p.used[q] || qs.close < 0 || qs.open < 0 || f.isTitle(p, q) {
			continue
		}
		s := p.toks[qs.open].sentence
		if p.words(p.sentStart[s], qs.open) > 0 || p.words(qs.close+1, p.sentenceEnd(s)) > 0 {
			continue // not the whole sentence
		}
		prev := -1
		for k := len(f.out) - 1; k >= 0 && f.out[k].Paragraph == p.n; k-- {
			if f.out[k].End <= int(p.toks[qs.open].start) && f.out[k].Speaker != nil {
				prev = k
				break
			}
		}
		if prev < 0 {
			continue
		}
		c := f.out[prev]
		content := f.takeQuote(p, q)
		f.out = append(f.out, Candidate{Span: *content, Kind: Direct, Rule: "quote-next",
			Cue: c.Cue, Speaker: c.Speaker, Role: c.Role, SpeakerResolved: c.SpeakerResolved, Confidence: confContinuation})
	}
}

// confNaming is the confidence of a characterisation in quoted words:
// the verb is no verb of saying, so whose words they are is a guess.
const confNaming = 0.6

// naming reads an English characterisation at token i: a verb of
// naming.txt, an object, and a quotation that opens within twelve words in
// the clause (called the holiday “a celebration of …”; condemned the test
// as "provocative" and a "grave threat" to …). The words are from after
// the verb to the end of the clause after the quotation; the speaker is
// the verb's subject. It returns the token after the words, or 0 when the
// verb holds no quotation.
func (f *finder) naming(p *para, i int) int {
	s := p.toks[i].sentence
	send := p.sentenceEnd(s)
	q := -1
	for k := i + 1; k < send && k <= i+12; k++ {
		t := &p.toks[k]
		if t.qid >= 0 {
			if qs := p.quotes[t.qid]; qs.open == k && qs.close > k+1 && !p.used[t.qid] && !titleCase(p, k+1, qs.close) {
				q = int(t.qid)
			}
			break
		}
		if !t.isWord() && !(t.norm == "'" || t.punct == '’' || t.norm == "-") {
			return 0 // a comma, a colon: the clause ended without words
		}
	}
	if q < 0 || f.isTitle(p, q) && !p.atLeast(p.quotes[q].open+1, p.quotes[q].close, 2) {
		return 0
	}
	// The clause goes on after the quotation up to its punctuation: "a
	// "grave threat" to regional and international stability".
	e := p.quotes[q].close + 1
	for e < send && (p.toks[e].isWord() || p.toks[e].qid >= 0) && !f.startsCueAt(p, e) {
		if t := &p.toks[e]; t.qid >= 0 {
			p.used[t.qid] = true
			e = p.quotes[t.qid].close
		}
		e++
	}
	p.used[q] = true
	var sp, role *Span
	if strings.HasSuffix(p.toks[i].norm, "ing") {
		// a participle (softer language calling for "…") hangs on the
		// clause before it, as "saying" does
		sp, role = f.clauseSubject(p, s, i)
	} else if p.word(i-2) == "what" && isSubjectPronoun(p.word(i-1)) {
		sp = p.span(i-1, i) // what it called "…"
	} else {
		sp, role, _ = f.subject(p, s, i, 0)
	}
	kind := Indirect
	if qs := p.quotes[q]; qs.open == i+1 && e == qs.close+1 {
		kind = Direct // the words are the quotation alone: what it called "…"
	}
	f.add(p, p.span(i+1, e), kind, "naming", p.span(i, i+1), sp, role, confNaming)
	return e
}

// startsCueAt reports whether a verb of saying starts at token i.
func (f *finder) startsCueAt(p *para, i int) bool {
	return p.toks[i].qid < 0 && f.cueAt(p, i) > 0
}

// toSpeaker reports whether the cue at i is addressed to the first person
// (… به من گفت …, به ما گفتند): someone speaking to the speaker, whose
// words are part of the speaker's story, not a quotation of their own.
func (f *finder) toSpeaker(p *para, i int) bool {
	if f.lx.lang != "fa" || p.word(i-2) != "به" {
		return false
	}
	w := p.word(i - 1)
	return w == "من" || w == "ما"
}

// firstPersonBefore reports whether the cue at i follows, in its
// sentence, a word in the first person (ما، من، می‌بینیم): the sentence is
// someone's own words, not the writer's report of a new cue.
func (f *finder) firstPersonBefore(p *para, i int) bool {
	for k := i - 1; k >= p.sentStart[p.toks[i].sentence] && k >= i-30; k-- {
		if p.toks[k].isWord() && (f.lx.firstPerson.hasTok(&p.toks[k]) || f.lx.lang == "fa" && firstPersonVerb(p.toks[k].norm)) {
			return true
		}
	}
	return false
}

// reportsReport reports whether the colon cue at a introduces a report of
// someone else's words that is all the paragraph has left (سایت «میدل ایست
// آن لاین» … نوشت: «فرانکو فراتینی» وزیر … روز دوشنبه گفت که ایران …): the
// next cue, at [na, nb), is in the colon's sentence, opens indirect speech
// with که, has no first person before it (not the speaker's own "we say
// that"), and its sentence ends the paragraph. The words are the inner
// speaker's, so the colon gives no quotation of its own.
func (f *finder) reportsReport(p *para, a, na, nb int) bool {
	s := p.toks[a].sentence
	return p.toks[na].sentence == s && p.toks[na].qid < 0 && nb < len(p.toks) && f.lx.that.hasAt(p, nb) &&
		int(s)+1 == len(p.sentStart) && !f.firstPersonBefore(p, na) && f.namesPerson(p, a+1, na)
}

// namesPerson reports whether the words [a, b) name a person: a role noun
// (وزیر امور خارجه) or a word of someone already named (فراتینی که …).
// "عملیات مقاومت … به این دشمن می‌گوید که …" names nobody: a figure of
// speech in the speaker's own words.
func (f *finder) namesPerson(p *para, a, b int) bool {
	// Bounded as everywhere: thirty words, the last twenty people.
	for i := a; i < b && i < a+30 && i < len(p.toks); i++ {
		w := p.word(i)
		if w == "" {
			continue
		}
		if f.lx.roles.hasAt(p, i) {
			return true
		}
		for _, m := range f.mentions[max(0, len(f.mentions)-20):] {
			if slices.Contains(strings.Fields(m.nnorm), w) {
				return true
			}
		}
	}
	return false
}

// firstPersonVerb reports whether a Persian word (normalized: the
// half-space of می‌ is gone) is a present verb in the first person plural
// (می‌بینیم، نمی‌دانیم): the prefix می and, after a stem of two letters or
// more, the ending یم.
func firstPersonVerb(w string) bool {
	rest, ok := strings.CutPrefix(w, "نمی")
	if !ok {
		rest, ok = strings.CutPrefix(w, "می")
	}
	return ok && utf8.RuneCountInString(rest) >= 4 && strings.HasSuffix(rest, "یم")
}

// inQuestion reports whether the cue at i lies in the clause of a
// question put to the speaker (questions.txt) opened by که، اینکه or
// مبنی بر, up to a comma back: "در پاسخ به سوالی درباره X گفت:" is the
// speaker's cue, "در پاسخ به سوالی درخصوص اینکه برخی معتقدند …" is not.
func (f *finder) inQuestion(p *para, i int) bool {
	if f.lx.questions == nil {
		return false
	}
	clause := false // که، اینکه، مبنی بر: the question's own clause
	for k := i - 1; k >= p.sentStart[p.toks[i].sentence] && k >= i-15; k-- {
		switch w := p.word(k); {
		case isComma(&p.toks[k]):
			return false
		case w == "که" || w == "اینکه" || w == "مبنی":
			clause = true
		case f.lx.questions.hasAt(p, k):
			return clause
		}
	}
	return false
}

// construction decides what the cue toks[a:b] introduces. limit bounds a
// colon quote; from is where the previous cue ended.
func (f *finder) construction(p *para, a, b, limit, from int) {
	lx := f.lx
	sent := p.toks[a].sentence
	send := p.sentenceEnd(sent)
	cueSpan := p.span(a, b)

	// The subject may follow an Arabic verb: وقال المرصد السوري إن …
	j := b
	var post *Span
	if lx.lang == "ar" {
		k := b
		for k < len(p.toks) && k < b+10 && p.toks[k].isWord() && !lx.that.hasTok(&p.toks[k]) && !lx.adjuncts.hasTok(&p.toks[k]) {
			k++
		}
		post = p.span(b, k)
		// An appositive (، وهو هيئة معارضة مقرها لندن،) or an adverbial
		// and object (في بيان له كافة الكتائب … إلى) may stand between the
		// subject and the complement: the complement is the first إن/أن,
		// colon or quotation mark in the sentence, within a few words.
		j = k
		for j < len(p.toks) && j < k+16 && p.toks[j].sentence == p.toks[b-1].sentence &&
			!(p.toks[j].norm == ":" || isOpenQuote(&p.toks[j]) || lx.that.hasTok(&p.toks[j])) {
			j++
		}
		if j >= len(p.toks) || !(p.toks[j].norm == ":" || isOpenQuote(&p.toks[j]) || lx.that.hasTok(&p.toks[j])) {
			j = k
		} else if isOpenQuote(&p.toks[j]) && j > k && !(p.word(j-1) == "الی" || p.word(j-1) == "علی" || p.toks[j-1].norm == ":" || isComma(&p.toks[j-1])) {
			// a name in quotation marks (أفاد المرصد عن اشتباكات بين
			// "وحدات حماية الشعب"): only دعا … إلى "…", شدد على "…" and a
			// colon or comma introduce words
			j = k
		}
	}
	if lx.lang == "en" && b < len(p.toks) && (f.needsObject(p.toks[a].norm) || isPreposition(p.word(b)) || lx.adjuncts.hasAt(p, b) || isWeekday(p.word(b))) {
		// An object or adverbial between the cue and what was said:
		// told reporters: "…" / told an invited crowd at Philadelphia's
		// Union League club that … / said in a statement that …. Only
		// after told/asked or a preposition: "said it was "a mistake" to
		// …" is a clause holding a quoted phrase, not an object.
		k := b
		for k < len(p.toks) && k < b+10 && (p.toks[k].isWord() || p.toks[k].punct == '\'' || p.toks[k].punct == '’') && !lx.that.hasTok(&p.toks[k]) {
			k++
		}
		if k > b && k < len(p.toks) && (p.toks[k].norm == ":" || lx.that.hasTok(&p.toks[k]) ||
			isComma(&p.toks[k]) && k+1 < len(p.toks) && isOpenQuote(&p.toks[k+1]) ||
			isOpenQuote(&p.toks[k]) && f.needsObject(p.toks[a].norm) && k <= b+3) {
			j = k
		}
	}
	if j < len(p.toks) && isComma(&p.toks[j]) && j+1 < len(p.toks) && isOpenQuote(&p.toks[j+1]) {
		j++ // X said, "…"
	}

	if lx.lang == "fa" && lx.requests.match(p.toks, a) == b-a {
		if !f.addressed(p, sent, a, from) {
			return // این خواسته / wanted: no addressee, nobody's words
		}
		if j < send && p.word(j) == "تا" {
			j++ // از نهادها خواست تا …: تا opens the request, as که does
		}
	}
	var kind, rule string
	var content *Span
	conf := 0.0
	subjectAt := a // the subject is looked for before this token
	// "…," Scott said, "…": the quotation before the cue comes first.
	before := lx.lang == "en" && f.quoteBefore(p, a) >= 0
	switch {
	case j < len(p.toks) && p.toks[j].norm == ":":
		kind, conf, rule = Direct, confColon, "colon"
		if j+1 < len(p.toks) && p.toks[j+1].qid >= 0 && p.toks[j+1].qid != p.toks[j].qid {
			content = f.takeQuote(p, int(p.toks[j+1].qid))
		} else {
			content = p.span(j+1, max(limit, j+1))
		}
		if content == nil && j+1 == len(p.toks) {
			// "… آمده است:" — the words are the next paragraphs.
			sp, role, _ := f.subject(p, sent, a, from)
			if sp == nil {
				// "«میدل ایست آی» در گزارشی … ارائه کرده است؛ در این
				// گزارش آمده است:": a document speaks for whoever the
				// clause before it names.
				for k := a - 1; k > max(from, p.sentStart[sent]); k-- {
					if p.toks[k].norm == ";" || isComma(&p.toks[k]) {
						sp, role, _ = f.subject(p, sent, k, from)
						if sp != nil {
							break
						}
					}
				}
			}
			c := &Candidate{Span: Span{Paragraph: p.n}, Kind: Direct, Cue: cueSpan, Speaker: sp, Role: role, Confidence: confHeading}
			c.SpeakerResolved, _ = f.resolve(p, sp, role, 0)
			f.newIntro = c
			return
		}
	case j < len(p.toks) && p.toks[j].qid >= 0 && p.quotes[p.toks[j].qid].open == j && !(lx.lang == "en" && f.isTitle(p, int(p.toks[j].qid))) && !before:
		kind, conf, rule = Direct, confQuoteCue, "cue-quote"
		if f.isTitle(p, int(p.toks[j].qid)) {
			return
		}
		content = f.takeQuote(p, int(p.toks[j].qid))
	case j < len(p.toks) && p.toks[j].isWord() && lx.that.hasTok(&p.toks[j]) && !before:
		kind, conf, rule = Indirect, confIndirectThat, "that"
		if j+1 < len(p.toks) && p.toks[j+1].qid >= 0 && p.quotes[p.toks[j+1].qid].open == j+1 && !f.isTitle(p, int(p.toks[j+1].qid)) {
			kind, conf, rule = Direct, confQuoteCue, "that-quote" // گفت که «…»
			content = f.takeQuote(p, int(p.toks[j+1].qid))
			break
		}
		// English reported speech keeps its "that" (said that …), as
		// PolNeAR and Citron mark it; Persian and Arabic leave که / إن out.
		from := j + 1
		if lx.lang == "en" {
			from = j
		}
		content = p.span(from, f.contentEnd(p, j+1, send))
	default:
		// «…»، X cue — or "…," X said / "…," said X.
		if q := f.quoteBefore(p, a); q >= 0 {
			kind, conf, rule = Direct, confQuoteCue, "quote-cue"
			content = f.takeQuote(p, q)
			qs := p.quotes[q]
			if lx.lang != "fa" {
				se := qs.close + 1
				for se < a && p.toks[se].punct != '(' {
					se++
				}
				sp, role := p.span(qs.close+1, se), (*Span)(nil)
				if sp == nil || p.words(qs.close+1, se) > 8 {
					sp, role = f.after(p, b)
				}
				f.add(p, content, kind, rule, cueSpan, sp, role, conf)
				// "…," he said. "…" — the quotation goes on after the cue.
				if q2 := f.quoteAfter(p, b); q2 >= 0 {
					f.add(p, f.takeQuote(p, q2), kind, "quote-cue-quote", cueSpan, sp, role, conf)
				}
				return
			}
			if p.words(qs.close+1, a) == 0 {
				subjectAt = qs.open // X «…» را ارزیابی کرد
			}
			break
		}
		// Reported speech without a complementizer: Persian puts the verb
		// last, so words after it in the sentence are what was said
		// (کارشناسان معتقدند …); English: Flynn said he would …
		// English: he said "budget reforms" would … — a clause that
		// opens with a quoted phrase.
		if lx.lang == "en" && f.needsObject(p.toks[a].norm) {
			// told reporters he would …: the words start at the
			// clause's subject pronoun after the addressee.
			// urged the administration to act …: the request is the
			// addressee and the infinitive, as PolNeAR marks it.
			for k := b + 1; k < send && k < b+10 && (p.toks[k].isWord() || p.toks[k].punct == '\'' || p.toks[k].punct == '’'); k++ {
				if isSubjectPronoun(p.toks[k].norm) {
					kind, conf, rule = Indirect, confIndirectBare, "bare"
					content = p.span(k, f.contentEnd(p, k, send))
					break
				}
				if p.toks[k].norm == "to" && p.toks[a].norm != "told" && p.toks[a].norm != "tells" && p.atLeast(k, send, 3) {
					kind, conf, rule = Indirect, confIndirectBare, "bare"
					content = p.span(b, f.contentEnd(p, k, send))
					break
				}
			}
			break
		}
		bb := b
		if lx.lang == "fa" {
			bb = j // after the تا of a request
		}
		if lx.lang == "fa" && bb+1 < send && isComma(&p.toks[bb]) && p.toks[bb+1].isWord() {
			// "گورباچف افزود، روسیه از چنین نقشی … حمایت نخواهد کرد":
			// a comma after the cue stands for که.
			bb++
		}
		if lx.lang == "fa" && lx.linked.match(p.toks, a) == b-a {
			bb = send // اشاره کرد، … / خبر داد: a topic or an act, not words
		}
		if bb < send && (p.toks[bb].isWord() || lx.lang == "en" && isOpenQuote(&p.toks[bb])) && !(lx.lang == "en" && (lx.adjuncts.hasTok(&p.toks[b]) || isWeekday(p.toks[b].norm))) && !isConjunction(p.toks[bb].norm) && p.toks[bb].norm != "را" &&
			p.atLeast(bb, send, 4) && lx.lang != "ar" && (lx.lang != "en" || f.lx.clause.hasTok(&p.toks[a]) && !isPreposition(p.word(b)) && !inverted(p, a)) {
			kind, conf, rule = Indirect, confIndirectBare, "bare"
			content = p.span(bb, f.contentEnd(p, bb, send))
		}
	}
	if post != nil && lx.lang == "ar" {
		f.add(p, content, kind, rule, cueSpan, post, nil, conf)
		return
	}
	if content == nil && lx.lang == "en" && f.trailing(p, sent, a, b, send, from, cueSpan) {
		return
	}
	// "با بیان اینکه …،" before the cue, in the same sentence.
	stating := f.statingBefore(p, sent, a, from)
	if stating[0] >= 0 {
		subjectAt = stating[0]
	} else if content == nil {
		if lx.lang == "fa" {
			// "یکی از پزشکان …، صحنه‌ها را وخیم توصیف کرد." — someone
			// who spoke without words quoted is whom the next وی or
			// "این پزشک" stands for.
			if sp, role, long := f.subject(p, sent, subjectAt, from); sp != nil && !long {
				f.resolve(p, sp, role, 0)
				if w := f.words(p, sp); len(w) > 1 || len(w) == 1 && !lx.pronouns.has(w[0]) {
					f.spoke = true
				}
			}
		}
		return
	}
	sp, role, long := f.subject(p, sent, subjectAt, from)
	if sp != nil && lx.nonSpeakers != nil && lx.nonSpeakers.match(p.toks, firstFrom(p.toks, sp.Start)) == f.countWords(p, sp) {
		return // طب سنتی می‌گوید …: nobody's words
	}
	if lx.lang == "en" && sp != nil && !strings.Contains(sp.Text, " ") && opensAdverbial(strings.ToLower(sp.Text)) {
		sp, role = nil, nil // "After saying …": an adverbial, not the subject
	}
	if lx.lang == "en" && sp != nil && strings.HasSuffix(p.toks[a].norm, "ing") && a > 0 && isComma(&p.toks[a-1]) {
		// "…, Trump attacked Clinton, saying …": a participle after a
		// comma hangs on the clause before it, whose subject speaks; the
		// words just before it are that clause's object.
		if csp, crole := f.clauseSubject(p, sent, a); csp != nil {
			sp, role = csp, crole
		}
	}
	if sp == nil && lx.lang == "en" && (strings.HasSuffix(p.toks[a].norm, "ing") || p.word(a-1) == "and" || p.word(a-1) == "but") {
		// A participle (…," he said, arguing that …; Trump attacked
		// Clinton, saying, "…") or a verb coordinated with the one
		// before (He told reporters … and warned that …) hangs on the
		// clause before it: its speaker is that clause's speaker or
		// subject.
		sp, role = f.clauseSubject(p, sent, a)
	}
	if long {
		conf -= 0.1
	}
	if stating[0] >= 0 && !f.lx.interrogatives.hasAt(p, stating[1]) {
		// "با اشاره به اینکه چرا طوفان الاقصی رخ داد، ادامه داد:" —
		// an indirect question is the topic, not the speaker's words.
		if sc := p.span(stating[1], stating[2]); sc != nil {
			f.add(p, sc, Indirect, "stating", cueSpan, sp, role, confStating)
		}
	}
	f.claimBefore(p, sent, a, from)
	f.add(p, content, kind, rule, cueSpan, sp, role, conf)
}

// claimBefore finds, before a Persian cue at a in sentence s, someone
// else's words that the speaker refers to: "با اشاره به اظهارات اردشیر
// زاهدی، وزیر خارجه …، مبنی بر اینکه <words>، گفت:". The words, from
// اینکه to the last comma before the cue, are the claim of the name after
// the speech noun (speechnouns.txt), not of the cue's speaker.
func (f *finder) claimBefore(p *para, s int32, a, from int) {
	if f.lx.lang != "fa" {
		return
	}
	for i := max(p.sentStart[s], from, a-60); i+3 < a; i++ {
		if p.toks[i].qid >= 0 || p.word(i) != "مبنی" || p.word(i+1) != "بر" {
			continue
		}
		b := i + 3 // مبنی بر اینکه
		if p.word(i+2) == "این" && p.word(i+3) == "که" {
			b = i + 4
		} else if p.word(i+2) != "اینکه" {
			return
		}
		noun := -1
		for k := i - 1; k >= max(p.sentStart[s], from, i-12); k-- {
			if f.lx.speechNouns.hasAt(p, k) {
				noun = k
				break
			}
		}
		if noun < 0 {
			return
		}
		ne := noun + 1 // the name, up to its comma
		for ne < i && !isComma(&p.toks[ne]) {
			ne++
		}
		var role *Span
		if re := i; ne < i && f.hasRole(p, ne+1, re) {
			for re > ne+1 && !p.toks[re-1].isWord() {
				re--
			}
			role = p.span(ne+1, re)
		}
		e := a
		for k := a - 1; k > b; k-- {
			if isComma(&p.toks[k]) && p.toks[k].qid < 0 {
				e = k
				break
			}
		}
		if sp, c := p.span(noun+1, ne), p.span(b, e); sp != nil && c != nil {
			f.add(p, c, Indirect, "claim", p.span(noun, noun+1), sp, role, confStating)
		}
		return
	}
}

// addressed reports whether a Persian request cue at a, in sentence s, has
// its addressee before it: an از phrase within the eight words before the
// cue, outside quotation marks and after the last comma (عربستان … از مصر
// خواسته بود …). A comma between them ends the clause the از was in.
func (f *finder) addressed(p *para, s int32, a, from int) bool {
	for k, n := a-1, 0; k >= max(from, p.sentStart[s]) && n < 8; k-- {
		if isComma(&p.toks[k]) {
			return false
		}
		if !p.toks[k].isWord() {
			continue
		}
		n++
		if p.toks[k].norm == "از" && p.toks[k].qid < 0 {
			return true
		}
	}
	return false
}

// statingBefore finds a "با بیان اینکه" phrase between from and the cue at
// a in sentence s: its start, and its content [b, e) up to the last comma
// before the cue. The first value is -1 when there is none.
func (f *finder) statingBefore(p *para, s int32, a, from int) [3]int {
	start := max(p.sentStart[s], from, a-60)
	for i := start; i < a; i++ {
		if n := f.lx.stating.match(p.toks, i); n > 0 && p.toks[i].qid < 0 {
			e := a
			if f.lx.clauseEnds != nil && f.lx.clauseEnds.match(p.toks, a-1) == 1 {
				// "با اشاره به اینکه در قانون، حمایت … مورد تاکید است
				// افزود:": the clause ends in its verb right before the
				// cue, with no comma; a comma inside it is its own.
				return [3]int{i, i + n, e}
			}
			for k := a - 1; k > i+n; k-- {
				if isComma(&p.toks[k]) && p.toks[k].qid < 0 {
					e = k
					break
				}
			}
			return [3]int{i, i + n, e}
		}
	}
	return [3]int{-1, 0, 0}
}

// contentEnd is where reported speech starting at a ends: the sentence's
// end, or the comma before a trailing attribution (…, the source added).
func (f *finder) contentEnd(p *para, a, send int) int {
	for i := a + 1; i < send; i++ {
		if f.lx.lang == "en" && isComma(&p.toks[i]) && p.toks[i].qid < 0 && endsReport(p.word(i+1)) {
			return i // …, but she denied …: another clause, the writer's
		}
		if p.toks[i].qid < 0 && f.cueAt(p, i) > 0 {
			for k := i - 1; k > a && k >= i-5; k-- {
				if isComma(&p.toks[k]) {
					return k
				}
			}
			// "… in his campaigns and noted that …", "… — and he
			// warned …": a second verb of saying coordinated with the
			// first starts words of its own.
			if f.lx.lang == "en" {
				for k := i - 1; k > a && k >= i-3; k-- {
					if w := p.word(k); w == "and" || w == "but" {
						return k
					}
				}
			}
			break
		}
	}
	return send
}

// trailing reads an English attribution at the end of its sentence,
// after the words it reports: "The talks stalled, the minister said." /
// "…, said Mr. Karimi, a spokesman." / "…, he said on Monday." The words
// are the sentence up to the comma before the attribution.
func (f *finder) trailing(p *para, s int32, a, b, send, from int, cue *Span) bool {
	lx := f.lx
	if f.needsObject(p.toks[a].norm) {
		return false // told USA Today …: the addressee, then the words
	}
	// After the cue: the end of the sentence or an adverbial (…, he said
	// on Monday / he said Thursday), or, inverted, the speaker.
	end := b >= send || !p.toks[b].isWord() || lx.adjuncts.hasTok(&p.toks[b]) || isPreposition(p.toks[b].norm) || isWeekday(p.toks[b].norm)
	start := max(p.sentStart[s], from)
	var sp, role *Span
	comma := -1
	if a-1 > start && isComma(&p.toks[a-1]) {
		if b >= send || !p.toks[b].upper && !lx.demonstr.hasTok(&p.toks[b]) {
			return false
		}
		comma = a - 1 // …, said Mr. Karimi / …, said the minister
		sp, role = f.after(p, b)
	} else if end {
		i := a
		for i > start && i > a-8 && (p.toks[i-1].isWord() || p.toks[i-1].norm == "." && i-2 >= 0 && isAbbrev(p.toks[i-2].norm)) {
			i-- // Mr. Obama noted
		}
		if i > start && isComma(&p.toks[i-1]) && i < a {
			comma = i - 1
			sp, role, _ = f.englishSubject(p, i, a)
		}
	}
	// A parenthetical attribution: "That's why, he argued, the party
	// should be prepared." The words go on after the comma that closes
	// it (after an adverbial: he said Friday,).
	after := b
	for after < send && after < b+3 && p.toks[after].isWord() && (lx.adjuncts.hasTok(&p.toks[after]) || isWeekday(p.toks[after].norm) || isPreposition(p.toks[after].norm)) {
		after++
	}
	// Not when the words after it are the writer's: "…, he said, and
	// intense wrangling could …", "…, lawmakers said, as they bristled …".
	rest := comma >= 0 && after < send && isComma(&p.toks[after]) && p.atLeast(after+1, send, 3) &&
		!endsReport(p.word(after+1)) && p.word(after+1) != "and" && p.word(after+1) != "as"
	if comma < 0 || sp == nil || !p.atLeast(max(start, comma-8), comma, 4) && !(rest && p.atLeast(start, comma, 2)) {
		return false
	}
	start = max(start, comma-80) // bounded, so a huge sentence stays linear
	for i := start; i < comma; i++ {
		if p.toks[i].qid >= 0 || f.cueAt(p, i) > 0 {
			return false // a quotation or another cue: not plain reported words
		}
	}
	if !rest || !(isPreposition(p.word(start)) || lx.adjuncts.hasAt(p, start)) {
		// "During his years in office, Mr. Obama said, a majority …":
		// an adverbial before a parenthetical attribution is the
		// writer's setting, not the words.
		f.add(p, p.span(start, comma), Indirect, "trailing", cue, sp, role, confIndirectBare)
	}
	if rest {
		f.add(p, p.span(after+1, f.contentEnd(p, after+1, send)), Indirect, "trailing", cue, sp, role, confIndirectBare)
	}
	return true
}

func isWeekday(w string) bool {
	switch w {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today":
		return true
	}
	return false
}

// inverted reports whether the English cue at a follows a closing
// quotation mark ("…," added Rep. Jim Clyburn) or, after a comma, comes
// before a short name: the words after it name the speaker, they are not
// what was said.
func inverted(p *para, a int) bool {
	for i := a - 1; i >= 0 && i >= a-2; i-- {
		switch p.toks[i].punct {
		case '”', '"', '»':
			return true
		case ',':
			continue
		}
		break
	}
	// "…, said Maya MacGuineas, president of …": after a comma, a short
	// capitalised name closed by a comma or the sentence's end.
	if a == 0 || !isComma(&p.toks[a-1]) || a+1 >= len(p.toks) || !p.toks[a+1].upper {
		return false
	}
	for k := a + 2; k < len(p.toks) && k <= a+6; k++ {
		if t := &p.toks[k]; !t.isWord() && !(t.punct == '.' && isAbbrev(p.toks[k-1].norm)) {
			return isComma(t) || t.punct == '.' || t.punct == '('
		}
	}
	return false
}

func isSubjectPronoun(w string) bool {
	switch w {
	case "he", "she", "they", "it", "we", "i", "there":
		return true
	}
	return false
}

// clauseSubject is the speaker of an English participle cue at a: the
// speaker of the last candidate in the same sentence, or the capitalised
// words that open the sentence (Trump attacked Clinton, saying …).
func (f *finder) clauseSubject(p *para, s int32, a int) (*Span, *Span) {
	if k := len(f.out); k > 0 {
		if c := f.out[k-1]; c.Paragraph == p.n && c.Cue != nil && c.Cue.Paragraph == p.n && c.End <= int(p.toks[a].start) &&
			c.Cue.Start >= int(p.toks[p.sentStart[s]].start) {
			return c.Speaker, c.Role
		}
	}
	i := p.sentStart[s]
	for i < a && !p.toks[i].isWord() {
		i++
	}
	limit := a
	if opensAdverbial(p.word(i)) {
		// "After saying …, she was …", "Following a meeting, the
		// Security Council issued a statement calling …": the subject
		// follows the adverbial's comma, wherever the participle is.
		k := i + 1
		for k < len(p.toks) && k < i+30 && p.toks[k].sentence == s && !isComma(&p.toks[k]) {
			k++
		}
		if k >= len(p.toks) || !isComma(&p.toks[k]) {
			return nil, nil
		}
		i, limit = k+1, len(p.toks)
		for i < limit && !p.toks[i].isWord() {
			i++ // the closing mark of a quotation ending in a comma: "…," she
		}
		if isSubjectPronoun(p.word(i)) {
			return p.span(i, i+1), nil
		}
		if p.word(i) == "the" {
			i++
		}
	}
	e := i
	for e < limit && e < i+4 && p.toks[e].isWord() && p.toks[e].upper {
		e++
	}
	if e == i || e < limit && p.toks[e].isWord() && f.lx.adjuncts.hasTok(&p.toks[e]) {
		return nil, nil
	}
	return p.span(i, e), nil
}

// opensAdverbial reports whether an English word opening a sentence
// starts an adverbial phrase or clause rather than the subject.
func opensAdverbial(w string) bool {
	switch w {
	case "after", "before", "during", "following", "while", "since", "despite", "when", "as", "if", "in", "at", "on", "under", "with", "without":
		return true
	}
	return false
}

// endsReport reports whether an English word after a comma opens a
// clause of the writer's own rather than more of the reported words
// (…, but she denied …; …, which forced her to …).
func endsReport(w string) bool {
	switch w {
	case "but", "though", "although", "while", "whereas", "which":
		return true
	}
	return false
}

// needsObject reports whether an English cue takes the addressee before
// the words (told reporters that …, asked the court to …).
func (f *finder) needsObject(w string) bool {
	switch w {
	case "told", "tells", "tell", "asked", "asks", "urged", "warned", "assured", "reminded":
		return true
	}
	return false
}

// quoteAfter finds an unused quotation that opens right after the cue
// ending at b and its speaker (said Caddell. "…" / he said, but "…").
func (f *finder) quoteAfter(p *para, b int) int {
	// up to the end of a speaker with an appositive role (said David
	// Wasserman, House editor for the Cook Political Report. "…")
	for i := b; i < len(p.toks) && i < b+24; i++ {
		t := &p.toks[i]
		if t.qid >= 0 {
			q := int(t.qid)
			if p.quotes[q].open != i || p.used[q] || f.isTitle(p, q) {
				return -1
			}
			return q
		}
		if t.norm == ":" || t.norm == ";" || f.cueAt(p, i) > 0 {
			return -1
		}
	}
	return -1
}

// takeQuote marks quotation q as used and returns its content span.
func (f *finder) takeQuote(p *para, q int) *Span {
	p.used[q] = true
	qs := p.quotes[q]
	end := qs.close
	if end < 0 {
		end = len(p.toks)
	}
	return p.span(qs.open+1, end)
}

// isTitle reports whether quotation q names something rather than quotes
// someone: a title word before it, or too few words to be a statement.
func (f *finder) isTitle(p *para, q int) bool {
	qs := p.quotes[q]
	if qs.open > 0 {
		prev := &p.toks[qs.open-1]
		if prev.isWord() && f.lx.titles.hasTok(prev) {
			return true
		}
	}
	end := qs.close
	if end < 0 {
		end = len(p.toks)
	}
	return !p.atLeast(qs.open+1, end, 3) || f.lx.lang == "en" && titleCase(p, qs.open+1, end)
}

// titleCase reports whether every word of toks[a:b] but short function
// words is capitalised: "Commander-in-Chief Forum", "Fox and Friends"
// name a show or an event; nobody's sentence is written so.
func titleCase(p *para, a, b int) bool {
	n, words := 0, 0
	for i := a; i < b; i++ {
		t := &p.toks[i]
		if !t.isWord() {
			continue
		}
		if words++; words > 8 {
			return false
		}
		switch t.norm {
		case "and", "of", "the", "in", "on", "for", "to", "a", "an", "at", "with":
			continue
		}
		if !t.upper {
			return false
		}
		n++
	}
	return n > 0
}

// quoteBefore finds a closed quotation that ends shortly before the cue at
// a («…»، وی افزود / "…," he said / X را «…» ارزیابی کرد).
func (f *finder) quoteBefore(p *para, a int) int {
	for i := a - 1; i >= 0 && i >= a-30; i-- {
		t := &p.toks[i]
		if t.qid >= 0 {
			q := int(t.qid)
			qs := p.quotes[q]
			if qs.close != i || p.used[q] {
				return -1
			}
			if f.isTitle(p, q) && !(f.lx.lang == "en" && p.toks[i-1].norm == ",") {
				if f.lx.lang == "en" && qs.open > 0 && p.toks[qs.open-1].isWord() {
					// a nickname inside the speaker's name (Del. Marcia
					// "Cia" Price): the quotation is before it
					i = qs.open
					continue
				}
				return -1
			}
			// "That," he added, "promises …": a fragment closed by a
			// comma is the first part of an interrupted sentence, however
			// short.
			return q
		}
		if t.punct == ')' {
			// skip a parenthesis: Rep. Elijah E. Cummings (D-Md.) said
			for i > 0 && i > a-20 && p.toks[i].punct != '(' {
				i--
			}
			continue
		}
		if t.norm == "." && !(i > 0 && isAbbrev(p.word(i-1))) || t.norm == ":" || t.norm == ";" {
			return -1 // another sentence (but Mr. Obama, Elijah E. Cummings)
		}
	}
	return -1
}

// after reads an English speaker after the cue ("…," said Mr. Flynn, a
// retired general) and its appositive role.
func (f *finder) after(p *para, b int) (*Span, *Span) {
	k := b
	for k < len(p.toks) && k < b+8 && (p.toks[k].isWord() || p.toks[k].norm == "." && k > b && isAbbrev(p.toks[k-1].norm) && p.toks[k-1].upper) {
		k++
	}
	sp := p.span(b, k)
	var role *Span
	if k < len(p.toks) && isComma(&p.toks[k]) {
		e := k + 1
		for e < len(p.toks) && e < k+14 && (p.toks[e].isWord() || p.toks[e].norm == "." && isAbbrev(p.toks[e-1].norm)) {
			e++
		}
		if f.hasRole(p, k+1, e) {
			role = p.span(k+1, e)
		}
	}
	return sp, role
}

func (f *finder) hasRole(p *para, a, b int) bool {
	for i := a; i < b && i < len(p.toks); i++ {
		if f.lx.roles.hasTok(&p.toks[i]) {
			return true
		}
	}
	return false
}

// shortSpeaker returns the end of a speaker that is a pronoun (وی) or a
// demonstrative with role nouns (این مقام مسئول) at token i, or -1.
func (f *finder) shortSpeaker(p *para, i, limit int) int {
	lx := f.lx
	switch {
	case lx.pronouns.hasAt(p, i):
		return i + 1
	case lx.demonstr.hasAt(p, i) && lx.roles.hasAt(p, i+1):
		e := i + 2
		for e < limit && e < i+4 && lx.roles.hasAt(p, e) {
			e++
		}
		return e
	}
	return -1
}

// isMainClause reports whether an Arabic word opens the main clause after
// a fronted phrase (وبحسب المرصد فقد …، وفقا له فإن …).
func isMainClause(w string) bool {
	switch w {
	case "فقد", "فان", "فانه", "فانها":
		return true
	}
	return false
}

// according reads the according phrase toks[i:i+n] — "به گفته X، …",
// "according to X, …", "…, according to X" — and returns the token after
// it. Without a comma within a few words the speaker cannot be told from
// the content, and a source (according to Reuters) is no quotation.
func (f *finder) according(p *para, i, n int) int {
	lx := f.lx
	if w := p.word(i + n); w == "من" || w == "ما" {
		// "به عقیده من …" inside someone's words: their own view, and no
		// speaker to remember (a later وی would stand for it).
		return i + n
	}
	s := p.toks[i].sentence
	send := p.sentenceEnd(s)
	k := i + n
	for k < send && k < i+n+10 && !isComma(&p.toks[k]) && p.toks[k].norm != "." && !isMainClause(p.word(k)) {
		k++
	}
	// A Persian according phrase opens its clause after که or و too (…
	// به شهادت رسیدند که به گفته منابع غیررسمی این تعداد …): the words
	// follow it, as at the start of a sentence.
	atStart := !p.atLeast(p.sentStart[s], i, 2) || lx.lang == "fa" && (p.word(i-1) == "که" || p.word(i-1) == "و") || f.afterSource(p, s, i)
	if atStart && (k >= send || !isComma(&p.toks[k]) && !isMainClause(p.word(k))) {
		// No comma (به گفته وی قیمت‌ها …): only a pronoun or an anaphor
		// (این مقام مسئول) can be told from the words that follow, or a
		// short speaker that a demonstrative opening the words ends
		// (به گفته منابع غیررسمی این تعداد …).
		e := f.shortSpeaker(p, i+n, send)
		if e < 0 && lx.lang == "fa" {
			for k := i + n + 1; k < send && k <= i+n+3 && p.toks[k].isWord(); k++ {
				if lx.demonstr.hasAt(p, k) {
					e = k
					break
				}
			}
		}
		if e < 0 || !p.atLeast(e, send, 3) {
			return i + n
		}
		f.add(p, p.span(e, send), Indirect, "according", p.span(i, i+n), p.span(i+n, e), nil, confAccording)
		return send
	}
	if k == i+n {
		return i + n
	}
	if lx.outlets.match(p.toks, i+n) > 0 || lx.demonstr.hasAt(p, i+n) && lx.outlets.match(p.toks, i+n+1) > 0 {
		return k // a source formula: according to Reuters
	}
	sp := p.span(i+n, k)
	var content *Span
	if atStart {
		content = p.span(k+1, send) // after the comma, فقد or فإن
	} else {
		content = p.span(p.sentStart[s], i)
	}
	var role *Span
	if f.hasRole(p, i+n, k) {
		role = sp
	}
	f.add(p, content, Indirect, "according", p.span(i, i+n), sp, role, confAccording)
	return k
}

// afterSource reports whether token i, in sentence s, comes right after a
// source formula and its comma (به گزارش فارس به نقل از روزنامه …، به
// گفته X، …): the formula is nobody's words, so what follows opens the
// sentence.
func (f *finder) afterSource(p *para, s int32, i int) bool {
	ss := p.sentStart[s]
	if i < ss+2 || !isComma(&p.toks[i-1]) || f.lx.sources.match(p.toks, ss) == 0 {
		return false
	}
	for k := ss; k < i-1; k++ {
		if isComma(&p.toks[k]) {
			return false
		}
	}
	return true
}
