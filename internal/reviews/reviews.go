// Package reviews holds the media-review series and their dated editions:
// entries that name an outlet by its camp, a speaker with a role, and the
// quotes and narrated passages the analyst chose.
package reviews

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/valid"
)

// Series is a recurring review, such as the "Iran Media Review".
type Series struct {
	ID   int64  `json:"-"`
	Key  string `json:"key"`
	Name string `json:"name"`
	// Description closes every edition ("The Iran Media Review is …").
	Description string `json:"description,omitempty"`
	// Disclaimer follows the body of every edition unless the edition
	// carries its own.
	Disclaimer string `json:"disclaimer,omitempty"`
}

// Validate names the first field that is missing or wrong.
func (s Series) Validate() error {
	if err := valid.CheckKey("key", s.Key); err != nil {
		return err
	}
	return valid.Line("name", s.Name)
}

// Status is where an edition is in its life.
type Status string

// The statuses an edition moves through.
const (
	Draft     Status = "draft"
	Scheduled Status = "scheduled"
	Published Status = "published"
)

// Edition is one dated issue of a series.
type Edition struct {
	ID       int64  `json:"-"`
	Slug     string `json:"slug"`
	Series   string `json:"series"` // the series key
	Date     string `json:"date"`   // YYYY-MM-DD
	Title    string `json:"title"`
	Dek      string `json:"dek,omitempty"`
	Intro    string `json:"intro,omitempty"`
	Category string `json:"category,omitempty"` // "Analysis"
	Status   Status `json:"status"`
	// PublishAt is when the edition went out (published) or will (scheduled).
	PublishAt *time.Time `json:"publish_at,omitempty"`
	Authors   []string   `json:"authors,omitempty"` // author keys, in byline order
	// Disclaimer overrides the series' disclaimer when set.
	Disclaimer string  `json:"disclaimer,omitempty"`
	Entries    []Entry `json:"entries"`
}

// Entry is one dated paragraph of an edition: who said what, where.
//
// An entry names zero or more outlets and zero or more speakers, each with
// the label this entry gives it ("hard-line Kayhan" here, "the daily
// Kayhan" in another edition), and stores its lead-in as literal text:
// SuggestLeadIn composes it in house style from those labels, and the
// analyst accepts or edits it. The links to outlets, people and clips stay
// structured for search and statistics.
//
// Outlet and Speaker are the pressreview/1 form, one outlet and at most one
// speaker with the lead-in composed (or expanded from a {…} template)
// against the roster when the page is drawn. Such a legacy entry is turned
// into the lists, labels and literal lead-in above when it is saved (see
// Page.Resolve); until then it is kept, and travels as JSON, in its own form.
type Entry struct {
	Date     string       `json:"date"`              // YYYY-MM-DD
	Outlet   string       `json:"outlet,omitempty"`  // pressreview/1: outlet key
	Speaker  string       `json:"speaker,omitempty"` // pressreview/1: person key
	Outlets  []OutletRef  `json:"outlets,omitempty"`
	Speakers []SpeakerRef `json:"speakers,omitempty"`
	// Intermediary links the speaker to the source outlet: "interviewed
	// by", "in an interview with", "told".
	Intermediary string `json:"intermediary,omitempty"`
	// Verb is the predicate of the lead-in: "warned against Russian mediation".
	Verb string `json:"verb,omitempty"`
	// LeadIn is the sentence that opens the entry, as printed. Empty, it is
	// SuggestLeadIn's. In a legacy entry it is a template that may use the
	// placeholders listed in Placeholders, e.g.
	// "Interviewed by {outlet}, {speaker}, said:".
	LeadIn string `json:"lead_in,omitempty"`
	// Inline is a quote (with narration) in the entry's own bullet, after
	// the lead-in.
	Inline []Part `json:"inline,omitempty"`
	// Items are the sub-bullets. An entry with neither items nor inline
	// parts is narration only: its lead-in is a sentence ending in a period.
	Items []Item `json:"items,omitempty"`
}

// Role is what an outlet does in an entry.
type Role string

// The roles of an entry's outlets.
const (
	// Source is where the words appeared: the paper that wrote, the
	// channel that interviewed.
	Source Role = "source"
	// Via is a second outlet or a platform that relayed them: "as reported
	// by IRNA", "on X".
	Via Role = "via"
)

// OutletRef is an outlet as one entry names it.
type OutletRef struct {
	Key string `json:"key"`
	// Label is how this entry names the outlet: "hard-line Kayhan", "the
	// reformist newspaper Shargh Daily". Defaulted from the roster when the
	// entry is made (DefaultOutletLabel), then the entry's own.
	Label string `json:"label,omitempty"`
	Role  Role   `json:"role"`
	// Intermediary is how a via outlet relayed the source: "as reported by".
	Intermediary string `json:"intermediary,omitempty"`
}

// SpeakerRef is a person as one entry names them.
type SpeakerRef struct {
	Key string `json:"key"`
	// Label is how this entry names the person: "Abbas Araghchi, Iran’s
	// foreign minister", or with TitleBefore "Foreign Minister Abbas
	// Araghchi". Defaulted from the roster (DefaultSpeakerLabel).
	Label string `json:"label,omitempty"`
	// TitleBefore says the label puts the role before the name as a
	// title; the lead-in then sets no comma after it.
	TitleBefore bool `json:"title_before,omitempty"`
}

// Legacy reports whether the entry is in the pressreview/1 form.
func (en Entry) Legacy() bool { return en.Outlet != "" || en.Speaker != "" }

// NarrationOnly reports whether the entry is its lead-in alone.
func (en Entry) NarrationOnly() bool { return len(en.Items) == 0 && len(en.Inline) == 0 }

// Item is one bullet under an entry: quotes with the narration between them.
type Item struct {
	Parts []Part `json:"parts"`
}

// PartKind tells a quote from narration.
type PartKind string

// The kinds of part.
const (
	Quote     PartKind = "quote"
	Narration PartKind = "text"
)

// Part is a quote (in English translation, with the original when the
// analyst has it) or a narrated passage.
type Part struct {
	Kind PartKind `json:"kind"`
	Text string   `json:"text"`
	// Original is the quote as the outlet wrote it; OriginalLang its BCP 47
	// language ("fa", "ar").
	Original     string `json:"original,omitempty"`
	OriginalLang string `json:"original_lang,omitempty"`
	SourceURL    string `json:"source_url,omitempty"`
	// Clip is the analyst's clip (package clips) the quote was taken from.
	Clip int64 `json:"clip,omitempty"`
}

// Validate checks the edition on its own; references to outlets, people,
// authors and the series are checked against the store by Save.
func (e Edition) Validate() error {
	if err := valid.CheckKey("slug", e.Slug); err != nil {
		return err
	}
	if err := valid.CheckKey("series", e.Series); err != nil {
		return err
	}
	if err := checkDate("date", e.Date); err != nil {
		return err
	}
	// The title goes into mail subjects and one-line listings.
	if err := valid.Line("title", e.Title); err != nil {
		return err
	}
	switch e.Status {
	case Draft:
	case Scheduled, Published:
		if e.PublishAt == nil {
			return valid.Errorf("publish_at", "is required when status is %q", e.Status)
		}
	case "":
		return valid.Errorf("status", "is required (draft, scheduled or published)")
	default:
		return valid.Errorf("status", "%q is not draft, scheduled or published", e.Status)
	}
	for i, a := range e.Authors {
		if err := valid.CheckKey(valid.Index("authors", i), a); err != nil {
			return err
		}
	}
	for i, en := range e.Entries {
		if err := valid.In(valid.Index("entries", i), en.Validate()); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks an entry's own fields. Labels may be left empty here:
// they are defaulted from the roster when the entry is saved.
func (en Entry) Validate() error {
	if err := checkDate("date", en.Date); err != nil {
		return err
	}
	if en.Legacy() {
		return en.validateLegacy()
	}
	sources := 0
	for i, o := range en.Outlets {
		at := valid.Index("outlets", i)
		if err := valid.CheckKey(at+".key", o.Key); err != nil {
			return err
		}
		if err := checkLabel(at+".label", o.Label); err != nil {
			return err
		}
		switch o.Role {
		case Source:
			sources++
			if o.Intermediary != "" {
				return valid.Errorf(at+".intermediary", "only a via outlet has one; how a speaker reached a source is the entry's intermediary")
			}
		case Via:
			if sources == 0 && len(en.Speakers) == 0 {
				return valid.Errorf(at+".role", "a via outlet relays a source: name the source outlet before it, or a speaker")
			}
			if o.Intermediary == "" {
				return valid.Errorf(at+".intermediary", "is required for a via outlet (\"as reported by\", \"on\")")
			}
			if err := valid.Line(at+".intermediary", o.Intermediary); err != nil {
				return err
			}
		case "":
			return valid.Errorf(at+".role", "is required (source or via)")
		default:
			return valid.Errorf(at+".role", "%q is not source or via", o.Role)
		}
	}
	for i, sp := range en.Speakers {
		at := valid.Index("speakers", i)
		if err := valid.CheckKey(at+".key", sp.Key); err != nil {
			return err
		}
		if err := checkLabel(at+".label", sp.Label); err != nil {
			return err
		}
	}
	for _, f := range []struct{ field, value string }{{"verb", en.Verb}, {"intermediary", en.Intermediary}} {
		if f.value != "" {
			if err := valid.Required(f.field, f.value); err != nil {
				return err
			}
		}
	}
	if err := en.checkLiteralLeadIn(sources); err != nil {
		return err
	}
	for j, p := range en.Inline {
		if err := valid.In(valid.Index("inline", j), p.Validate()); err != nil {
			return err
		}
	}
	return validateItems(en.Items)
}

// checkLiteralLeadIn checks a pressreview/2 lead-in, or that one can be
// suggested when it is left empty.
// With a literal lead-in, verb and intermediary are kept as the metadata
// the suggestion was made from.
func (en Entry) checkLiteralLeadIn(sources int) error {
	if en.LeadIn == "" {
		switch {
		case len(en.Outlets) == 0 && len(en.Speakers) == 0:
			return valid.Errorf("lead_in", "is required when the entry names no outlet and no speaker")
		case en.Intermediary != "" && (len(en.Speakers) == 0 || sources == 0):
			return valid.Errorf("intermediary", "%q links a speaker to a source outlet: the entry needs both (or write the lead_in)", en.Intermediary)
		case en.Verb == "" && en.Intermediary == "":
			return valid.Errorf("verb", "is required unless lead_in is given")
		}
		return nil
	}
	if err := valid.Required("lead_in", en.LeadIn); err != nil {
		return err
	}
	// A {placeholder} in a pressreview/2 lead-in is a pressreview/1
	// template pasted into literal text: it would print braces.
	for _, name := range Placeholders {
		if strings.Contains(en.LeadIn, "{"+name+"}") {
			return valid.Errorf("lead_in", "is literal text in pressreview/2; {%s} is a pressreview/1 placeholder (write the words, or leave lead_in empty for the suggested one)", name)
		}
	}
	if en.NarrationOnly() && strings.HasSuffix(strings.TrimSpace(en.LeadIn), ":") {
		return valid.Errorf("lead_in", "ends with a colon but the entry has no quote: a narration-only entry is a sentence ending with a period")
	}
	return nil
}

// checkLabel accepts an empty label (defaulted from the roster) or one line
// of visible text.
func checkLabel(field, s string) error {
	if s == "" {
		return nil
	}
	return valid.Line(field, s)
}

// validateLegacy checks a pressreview/1 entry: one outlet, at most one
// speaker, a lead-in composed or expanded from a template, and items.
func (en Entry) validateLegacy() error {
	switch {
	case len(en.Outlets) > 0:
		return valid.Errorf("outlets", "an entry names its outlets in outlets (pressreview/2) or outlet (pressreview/1), not both")
	case len(en.Speakers) > 0:
		return valid.Errorf("speakers", "an entry names its speakers in speakers (pressreview/2) or speaker (pressreview/1), not both")
	case len(en.Inline) > 0:
		return valid.Errorf("inline", "is pressreview/2: name the outlet in outlets")
	}
	if err := valid.CheckKey("outlet", en.Outlet); err != nil {
		return err
	}
	if en.Speaker != "" {
		if err := valid.CheckKey("speaker", en.Speaker); err != nil {
			return err
		}
	}
	if err := en.checkLeadIn(); err != nil {
		return err
	}
	if len(en.Items) == 0 {
		return valid.Errorf("items", "an entry needs at least one item")
	}
	return validateItems(en.Items)
}

func validateItems(items []Item) error {
	for i, it := range items {
		path := valid.Index("items", i)
		if len(it.Parts) == 0 {
			return valid.Errorf(path+".parts", "an item needs at least one part")
		}
		for j, p := range it.Parts {
			if err := valid.In(path+"."+valid.Index("parts", j), p.Validate()); err != nil {
				return err
			}
		}
	}
	return nil
}

// Validate checks a part's own fields.
func (p Part) Validate() error {
	switch p.Kind {
	case Quote, Narration:
	case "":
		return valid.Errorf("kind", "is required (quote or text)")
	default:
		return valid.Errorf("kind", "%q is not quote or text", p.Kind)
	}
	if err := valid.Required("text", p.Text); err != nil {
		return err
	}
	if p.Kind == Narration && p.Original != "" {
		return valid.Errorf("original", "only quotes carry original-language text")
	}
	if p.Original != "" {
		if err := valid.Required("original", p.Original); err != nil {
			return err
		}
		if p.OriginalLang == "" {
			return valid.Errorf("original_lang", "is required when original is given")
		}
	}
	if p.OriginalLang != "" {
		if err := valid.Language("original_lang", p.OriginalLang); err != nil {
			return err
		}
	}
	if p.SourceURL != "" {
		if err := checkSourceURL("source_url", p.SourceURL); err != nil {
			return err
		}
	}
	if p.Clip < 0 {
		return valid.Errorf("clip", "%d is not a clip id", p.Clip)
	}
	return nil
}

// checkDate accepts a Gregorian YYYY-MM-DD from minGregorianYear on; an
// earlier year is most likely a Solar Hijri date copied from an Iranian
// page, and the error says which Gregorian day that would be.
func checkDate(field, s string) error {
	if s == "" {
		return valid.Errorf(field, "is required (YYYY-MM-DD)")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		var y, m, d int
		if n, _ := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); n == 3 && len(s) == 10 && y < minGregorianYear {
			return valid.Errorf(field, "%q is before %d%s", s, minGregorianYear, hijriHint(y, m, d))
		}
		return valid.Errorf(field, "%q is not a date in the form YYYY-MM-DD", s)
	}
	if t.Year() < minGregorianYear {
		return valid.Errorf(field, "%q is before %d%s", s, minGregorianYear, hijriHint(t.Year(), int(t.Month()), t.Day()))
	}
	return nil
}

// checkSourceURL accepts only absolute http and https URLs: the address
// becomes a cite attribute and a link, where javascript: or a relative path
// has no business.
func checkSourceURL(field, s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return valid.Errorf(field, "%q is not an absolute http or https URL", s)
	}
	return nil
}

// Page is an edition with everything it refers to, ready to render.
type Page struct {
	Edition Edition
	Series  Series
	Authors []posts.Author
	Outlets map[string]outlets.Outlet
	People  map[string]outlets.Person
}

// Disclaimer is the edition's own disclaimer or else the series'.
func (p *Page) Disclaimer() string {
	if p.Edition.Disclaimer != "" {
		return p.Edition.Disclaimer
	}
	return p.Series.Disclaimer
}

// DateLabel formats a YYYY-MM-DD date as an entry heading: "March 4".
func DateLabel(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("January 2")
}

// LongDate formats a YYYY-MM-DD date for a byline: "March 7, 2025".
func LongDate(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("January 2, 2006")
}
