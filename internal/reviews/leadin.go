package reviews

import (
	"fmt"
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

// LeadIn composes the sentence that opens an entry, from the entry's
// template (or the house default) and the outlet and person metadata. The
// first letter is capitalized.
func (p *Page) LeadIn(en Entry) string {
	o := p.Outlets[en.Outlet]
	sp, hasSpeaker := p.People[en.Speaker]
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
