// Package reviews holds the media-review series and their dated editions:
// entries that name an outlet by its camp, a speaker with a role, and the
// quotes and narrated passages the analyst chose.
package reviews

import (
	"fmt"
	"net/url"
	"time"

	"golang.org/x/text/language"

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
type Entry struct {
	Date    string `json:"date"`              // YYYY-MM-DD
	Outlet  string `json:"outlet"`            // outlet key
	Speaker string `json:"speaker,omitempty"` // person key
	// Intermediary links speaker and outlet: "interviewed by", "as reported by".
	Intermediary string `json:"intermediary,omitempty"`
	// Verb is the predicate of the lead-in: "warned against Russian mediation".
	Verb string `json:"verb,omitempty"`
	// LeadIn, when set, replaces the composed lead-in. It may use the
	// placeholders listed in Placeholders, e.g.
	// "Interviewed by {outlet}, {speaker}, said:".
	LeadIn string `json:"lead_in,omitempty"`
	Items  []Item `json:"items"`
}

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

// Validate checks an entry's own fields.
func (en Entry) Validate() error {
	if err := checkDate("date", en.Date); err != nil {
		return err
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
	for i, it := range en.Items {
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
		if err := checkLanguage("original_lang", p.OriginalLang); err != nil {
			return err
		}
	}
	if p.SourceURL != "" {
		if err := checkSourceURL("source_url", p.SourceURL); err != nil {
			return err
		}
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

// checkLanguage accepts a well-formed BCP 47 tag in its canonical spelling
// ("fa", "fa-IR", "ckb", "az-Arab") whose script is known or implied, since
// the script decides the text direction (see Direction). "Persian" is not a
// tag, "fa_IR" is spelled "fa-IR", and a language whose script the CLDR
// data cannot infer needs it written out ("prs-Arab").
func checkLanguage(field, s string) error {
	tag, err := language.Parse(s)
	if err != nil {
		return valid.Errorf(field, "%q is not a BCP 47 language tag (write \"fa\", \"ar\", \"fa-IR\"…)", s)
	}
	if tag.String() != s {
		return valid.Errorf(field, "%q is written %q in BCP 47", s, tag.String())
	}
	if base, _, _ := tag.Raw(); base.String() == "und" {
		return valid.Errorf(field, "%q names no language", s)
	}
	if _, conf := tag.Script(); conf == language.No {
		return valid.Errorf(field, "%q does not say its script: add it, as in \"%s-Arab\" or \"%s-Latn\"", s, s, s)
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
