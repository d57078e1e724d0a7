package reviews

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/valid"
)

// Placeholders are the names a lead-in template may use:
//
//	{outlet}          the outlet as an object: "the reformist newspaper Shargh Daily"
//	{outlet_subject}  the outlet as a subject: "hard-line Kayhan"
//	{speaker}         the speaker with role: "Nemat-Allah Izadi, Iran’s last ambassador to the Soviet Union"
//	{speaker_name}    the speaker's name alone
//	{intermediary}    the entry's intermediary: "interviewed by"
//	{verb}            the entry's verb: "said"
var Placeholders = []string{"outlet", "outlet_subject", "speaker", "speaker_name", "intermediary", "verb"}

// The composed lead-ins follow the desk's house style: an outlet alone is the
// subject ("Hard-line Kayhan dismissed …:"); a speaker reached through an
// intermediary is introduced with it ("X, an expert interviewed by Jamaran
// News, which is close to …, warned …:"); a speaker writing in an outlet
// comes first ("X, a political scientist, wrote … in the technocratic
// newspaper Sazandegi:").
const (
	outletTemplate = "{outlet_subject} {verb}:"
	// An affiliation or a noun label follows the name after a comma; a
	// comma must close it too.
	appositiveOutletTemplate = "{outlet}, {verb}:"
	// A participle after an indefinite role narrows the role ("an expert
	// interviewed by …") and takes no comma.
	restrictiveIntermediaryTemplate = "{speaker} {intermediary} {outlet}, {verb}:"
	// Otherwise the intermediary is set off by commas on both sides: after
	// a name alone, after a title ("X, Iranian Foreign Minister, in an
	// interview with …, said:"), and before any prepositional phrase.
	intermediaryTemplate = "{speaker}, {intermediary} {outlet}, {verb}:"
	// %s is the preposition of the outlet's kind (see prepositions).
	writerTemplate       = "{speaker}, {verb} %s {outlet}:"
	writerNoRoleTemplate = "{speaker} {verb} %s {outlet}:"
)

// prepositions is how a speaker's words sit in an outlet of each kind: in
// print, on the air and on platforms ("tweeted on X", "wrote on the news
// website Entekhab"). Kinds not listed take "in".
var prepositions = map[outlets.Kind]string{
	outlets.Website:   "on",
	outlets.TV:        "on",
	outlets.Radio:     "on",
	outlets.Podcast:   "on",
	outlets.Telegram:  "on",
	outlets.XAccount:  "on",
	outlets.Instagram: "on",
}

func preposition(k outlets.Kind) string {
	if p, ok := prepositions[k]; ok {
		return p
	}
	return "in"
}

// restrictive reports whether the intermediary narrows the speaker's role
// and so follows it without a comma: the role is an indefinite noun phrase
// ("an international affairs expert") and the intermediary opens with a
// participle ("interviewed by", "speaking to"). A title ("Iranian Foreign
// Minister") or a prepositional intermediary ("in an interview with")
// takes commas.
func restrictive(role, intermediary string) bool {
	r := strings.ToLower(role)
	if !strings.HasPrefix(r, "a ") && !strings.HasPrefix(r, "an ") {
		return false
	}
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(intermediary)), " ")
	return strings.HasSuffix(first, "ed") || strings.HasSuffix(first, "ing")
}

// Roster is the outlets and people an entry may name, by key: what labels
// default from and what a pressreview/1 lead-in is composed against.
type Roster struct {
	Outlets map[string]outlets.Outlet
	People  map[string]outlets.Person
}

// Roster is the outlets and people of the page.
func (p *Page) Roster() Roster { return Roster{Outlets: p.Outlets, People: p.People} }

// LeadIn is the sentence that opens an entry as printed: the stored text,
// the suggestion when none is stored, or for a pressreview/1 entry its
// template or the house default composed against the page's roster.
func (p *Page) LeadIn(en Entry) string {
	switch {
	case en.Legacy():
		return p.Roster().legacyLeadIn(en)
	case en.LeadIn != "":
		return en.LeadIn
	}
	return SuggestLeadIn(en, p.Roster())
}

// DefaultOutletLabel is how an entry names outlet o unless the analyst
// says otherwise: as the subject of the lead-in ("hard-line Kayhan") when
// the outlet itself speaks, else as an object ("the reformist newspaper
// Shargh Daily").
func DefaultOutletLabel(o outlets.Outlet, subject bool) string {
	if subject {
		return o.Subject()
	}
	return o.Reference()
}

// DefaultSpeakerLabel is how an entry names person pe unless the analyst
// says otherwise: "Abbas Araghchi, Iran’s foreign minister", or with the
// role as a title before the name, "Foreign Minister Abbas Araghchi".
func DefaultSpeakerLabel(pe outlets.Person, titleBefore bool) string {
	if titleBefore {
		return strings.TrimSpace(pe.Role + " " + pe.Name)
	}
	return pe.Described()
}

// WithLabels returns the entry with every empty label filled from the
// roster: what the studio shows when an entry is made, and what is stored.
// Keys the roster lacks keep an empty label.
func WithLabels(en Entry, r Roster) Entry {
	subject := len(en.Speakers) == 0
	en.Outlets = slices.Clone(en.Outlets)
	for i, o := range en.Outlets {
		if ro, ok := r.Outlets[o.Key]; ok && o.Label == "" {
			en.Outlets[i].Label = DefaultOutletLabel(ro, subject && o.Role == Source)
		}
	}
	en.Speakers = slices.Clone(en.Speakers)
	for i, sp := range en.Speakers {
		if pe, ok := r.People[sp.Key]; ok && sp.Label == "" {
			en.Speakers[i].Label = DefaultSpeakerLabel(pe, sp.TitleBefore)
		}
	}
	return en
}

// Upgrade turns a pressreview/1 entry into the current model: its outlet
// and speaker become one-element lists labelled from the roster as the old
// lead-in named them, and the lead-in it printed becomes literal text, so
// the page reads word for word as before. Other entries come back as they
// are.
func Upgrade(en Entry, r Roster) Entry {
	if !en.Legacy() {
		return en
	}
	out := en
	out.Outlet, out.Speaker = "", ""
	// The label takes the form the old lead-in gave the outlet: the subject
	// form when the outlet spoke, or when only {outlet_subject} was used.
	subject := en.Speaker == ""
	if en.LeadIn != "" {
		names, _ := templateNames(en.LeadIn)
		subject = slices.Contains(names, "outlet_subject") && !slices.Contains(names, "outlet")
	}
	o := r.Outlets[en.Outlet]
	out.Outlets = []OutletRef{{Key: en.Outlet, Label: DefaultOutletLabel(o, subject), Role: Source}}
	if en.Speaker != "" {
		out.Speakers = []SpeakerRef{{Key: en.Speaker, Label: DefaultSpeakerLabel(r.People[en.Speaker], false)}}
	}
	out.LeadIn = r.legacyLeadIn(en)
	return out
}

// SuggestLeadIn composes the lead-in of a pressreview/2 entry in the
// desk's house style from its labels (empty ones defaulted from the
// roster), verb and intermediaries; the studio offers it and the analyst
// accepts or edits it. The rules are those of the pressreview/1 lead-ins,
// generalized:
//
//	Hard-line Kayhan altogether dismissed …:                  outlets alone are the subject
//	Foreign Minister Abbas Araghchi said:                     a person speaks, no outlet
//	X, an expert interviewed by Jamaran News, …, warned …:    intermediary after an indefinite role
//	Abbas Araghchi, Iran’s foreign minister, told CNN:         intermediary as the predicate
//	X, a political scientist, wrote … in the … newspaper Y:   a writer, "on" for websites, TV, X…
//	…, as reported by IRNA:                                   each via outlet with its intermediary
//
// A narration-only entry ends with a period instead of a colon.
func SuggestLeadIn(en Entry, r Roster) string {
	if en.Legacy() {
		return r.legacyLeadIn(en)
	}
	en = WithLabels(en, r)
	var sources, vias []OutletRef
	for _, o := range en.Outlets {
		if o.Role == Via {
			vias = append(vias, o)
		} else {
			sources = append(sources, o)
		}
	}
	speakers := make([]string, len(en.Speakers))
	for i, sp := range en.Speakers {
		speakers[i] = sp.Label
	}
	// A label with a comma is an appositive ("Jamaran News, which is close
	// to …", "X, a political scientist"): a comma must close it before the
	// predicate. A title before the name is not.
	spAppositive := len(en.Speakers) > 0 && !en.Speakers[len(en.Speakers)-1].TitleBefore &&
		strings.Contains(speakers[len(speakers)-1], ", ")
	closeSpeakers := func() string {
		if spAppositive {
			return ","
		}
		return ""
	}
	var s string
	switch {
	case len(en.Speakers) == 0 && len(sources) > 0:
		s = joinLabels(labels(sources))
		if strings.Contains(sources[len(sources)-1].Label, ", ") {
			s += ","
		}
		s = joinWords(s, en.Verb)
	case len(en.Speakers) == 0:
		s = en.Verb
	case len(sources) == 0:
		s = joinWords(joinLabels(speakers)+closeSpeakers(), en.Verb)
	case en.Intermediary != "" && en.Verb == "":
		// The intermediary is the predicate: "told CNN".
		s = joinWords(joinLabels(speakers)+closeSpeakers(), en.Intermediary, joinLabels(labels(sources)))
	case en.Intermediary != "" && len(en.Speakers) == 1 && restrictive(roleOf(en.Speakers[0]), en.Intermediary):
		s = joinWords(speakers[0], en.Intermediary, joinLabels(labels(sources))) + ", " + en.Verb
	case en.Intermediary != "":
		s = joinLabels(speakers) + ", " + joinWords(en.Intermediary, joinLabels(labels(sources))) + ", " + en.Verb
	default:
		prep := preposition(r.Outlets[sources[0].Key].Kind)
		s = joinWords(joinLabels(speakers)+closeSpeakers(), en.Verb, prep, joinLabels(labels(sources)))
	}
	for _, v := range vias {
		s += ", " + joinWords(v.Intermediary, v.Label)
	}
	if en.NarrationOnly() {
		s += "."
	} else {
		s += ":"
	}
	return capitalize(s)
}

// roleOf is the role in a speaker's label: what follows the name after a
// comma ("an international affairs expert"), or "" for a title.
func roleOf(sp SpeakerRef) string {
	if sp.TitleBefore {
		return ""
	}
	_, role, _ := strings.Cut(sp.Label, ", ")
	return role
}

func labels(refs []OutletRef) []string {
	out := make([]string, len(refs))
	for i, o := range refs {
		out[i] = o.Label
	}
	return out
}

// joinLabels joins names as a list: "A", "A and B", "A, B, and C".
func joinLabels(ls []string) string {
	switch len(ls) {
	case 0:
		return ""
	case 1, 2:
		return strings.Join(ls, " and ")
	}
	return strings.Join(ls[:len(ls)-1], ", ") + ", and " + ls[len(ls)-1]
}

// joinWords joins the non-empty words with single spaces.
func joinWords(words ...string) string {
	var parts []string
	for _, w := range words {
		if w != "" {
			parts = append(parts, w)
		}
	}
	return strings.Join(parts, " ")
}

// legacyLeadIn composes the lead-in of a pressreview/1 entry from its
// template (or the house default) and the roster's outlet and person
// metadata. The first letter is capitalized.
func (r Roster) legacyLeadIn(en Entry) string {
	o := r.Outlets[en.Outlet]
	sp, hasSpeaker := r.People[en.Speaker]
	tmpl := en.LeadIn
	if tmpl == "" {
		switch {
		case !hasSpeaker && o.Appositive() != "":
			tmpl = appositiveOutletTemplate
		case !hasSpeaker:
			tmpl = outletTemplate
		case en.Intermediary != "" && restrictive(sp.Role, en.Intermediary):
			tmpl = restrictiveIntermediaryTemplate
		case en.Intermediary != "":
			tmpl = intermediaryTemplate
		case sp.Role == "":
			tmpl = fmt.Sprintf(writerNoRoleTemplate, preposition(o.Kind))
		default:
			tmpl = fmt.Sprintf(writerTemplate, preposition(o.Kind))
		}
	}
	s := expand(tmpl, func(name string) string {
		switch name {
		case "outlet":
			return o.Reference()
		case "outlet_subject":
			return o.Subject()
		case "speaker":
			return sp.Described()
		case "speaker_name":
			return sp.Name
		case "intermediary":
			return en.Intermediary
		case "verb":
			return en.Verb
		}
		return ""
	})
	return capitalize(s)
}

// expand replaces each {name} in tmpl with value(name).
func expand(tmpl string, value func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString(value(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
}

// checkLeadIn makes the lead-in show every part the entry gives and have
// every part it shows: a template's {verb} without a verb printed
// "Hard-line Kayhan :", and a verb or an intermediary that the lead-in
// does not use vanished from the page without a word. An intermediary
// needs a speaker: it says how the speaker reached the outlet, and
// "interviewed by Kayhan" with nobody interviewed is not a sentence the
// desk would print, so the import refuses it rather than guess.
func (en Entry) checkLeadIn() error {
	for _, f := range []struct{ field, value string }{
		{"verb", en.Verb}, {"intermediary", en.Intermediary}, {"lead_in", en.LeadIn},
	} {
		if f.value != "" {
			if err := valid.Required(f.field, f.value); err != nil {
				return err
			}
		}
	}
	uses := map[string]bool{}
	if en.LeadIn != "" {
		names, err := templateNames(en.LeadIn)
		if err != nil {
			return valid.Errorf("lead_in", "%v", err)
		}
		for _, n := range names {
			uses[n] = true
		}
	} else {
		if en.Verb == "" {
			return valid.Errorf("verb", "is required unless lead_in is given")
		}
		if en.Intermediary != "" && en.Speaker == "" {
			return valid.Errorf("intermediary", "%q needs a speaker: it says how the speaker reached the outlet (name the speaker, or write a lead_in that uses {intermediary})", en.Intermediary)
		}
		uses["verb"], uses["intermediary"] = true, true
	}
	switch {
	case (uses["speaker"] || uses["speaker_name"]) && en.Speaker == "":
		return valid.Errorf("lead_in", "uses {speaker} but the entry names no speaker")
	case uses["verb"] && en.Verb == "":
		return valid.Errorf("verb", "is required: lead_in uses {verb}")
	case uses["intermediary"] && en.Intermediary == "" && en.LeadIn != "":
		return valid.Errorf("intermediary", "is required: lead_in uses {intermediary}")
	case en.Verb != "" && !uses["verb"]:
		return valid.Errorf("verb", "%q would not be shown: lead_in does not use {verb}", en.Verb)
	case en.Intermediary != "" && !uses["intermediary"]:
		return valid.Errorf("intermediary", "%q would not be shown: lead_in does not use {intermediary}", en.Intermediary)
	}
	return nil
}

// templateNames returns the placeholders tmpl uses and rejects unknown or
// unclosed ones, so a typo in an import file is caught before it reaches
// readers.
func templateNames(tmpl string) ([]string, error) {
	var names []string
	rest := tmpl
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return names, nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed placeholder %q", rest[i:])
		}
		name := rest[i+1 : i+j]
		known := false
		for _, p := range Placeholders {
			known = known || p == name
		}
		if !known {
			return nil, fmt.Errorf("unknown placeholder {%s} (known: {%s})", name, strings.Join(Placeholders, "}, {"))
		}
		names = append(names, name)
		rest = rest[i+j+1:]
	}
}

// capitalize upper-cases the first letter of a lead-in. Invisible format
// characters before it (a ZWNJ or a direction mark pasted with a label)
// are dropped: they join nothing at the start of a sentence, and left in
// place they hid the first letter from the upper-casing.
func capitalize(s string) string {
	s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) })
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
