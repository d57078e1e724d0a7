package reviews

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
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
	// An affiliation is a relative clause; a comma must close it.
	affiliatedOutletTemplate = "{outlet}, {verb}:"
	intermediaryTemplate     = "{speaker} {intermediary} {outlet}, {verb}:"
	// A speaker without a role needs a comma before the intermediary, and
	// none before the verb.
	intermediaryNoRoleTemplate = "{speaker}, {intermediary} {outlet}, {verb}:"
	writerTemplate             = "{speaker}, {verb} in {outlet}:"
	writerNoRoleTemplate       = "{speaker} {verb} in {outlet}:"
)

// LeadIn composes the sentence that opens an entry, from the entry's
// template (or the house default) and the outlet and person metadata. The
// first letter is capitalized.
func (p *Page) LeadIn(en Entry) string {
	o := p.Outlets[en.Outlet]
	sp, hasSpeaker := p.People[en.Speaker]
	tmpl := en.LeadIn
	if tmpl == "" {
		switch {
		case !hasSpeaker && o.Affiliation != "":
			tmpl = affiliatedOutletTemplate
		case !hasSpeaker:
			tmpl = outletTemplate
		case en.Intermediary != "" && sp.Role == "":
			tmpl = intermediaryNoRoleTemplate
		case en.Intermediary != "":
			tmpl = intermediaryTemplate
		case sp.Role == "":
			tmpl = writerNoRoleTemplate
		default:
			tmpl = writerTemplate
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

// checkTemplate rejects unknown or unclosed placeholders so a typo in an
// import file is caught before it reaches readers.
func checkTemplate(tmpl string) error {
	rest := tmpl
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return fmt.Errorf("unclosed placeholder %q", rest[i:])
		}
		name := rest[i+1 : i+j]
		known := false
		for _, p := range Placeholders {
			known = known || p == name
		}
		if !known {
			return fmt.Errorf("unknown placeholder {%s} (known: {%s})", name, strings.Join(Placeholders, "}, {"))
		}
		rest = rest[i+j+1:]
	}
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
