// Package reviews holds the media-review series and their dated editions:
// entries that name an outlet by its camp, a speaker with a role, and the
// quotes and narrated passages the analyst chose.
package reviews

import (
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
	if strings.TrimSpace(s.Name) == "" {
		return valid.Errorf("name", "is required")
	}
	return nil
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
	if strings.TrimSpace(e.Title) == "" {
		return valid.Errorf("title", "is required")
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
	if en.LeadIn != "" {
		if err := checkTemplate(en.LeadIn); err != nil {
			return valid.Errorf("lead_in", "%v", err)
		}
	} else if en.Verb == "" {
		return valid.Errorf("verb", "is required unless lead_in is given")
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
	if strings.TrimSpace(p.Text) == "" {
		return valid.Errorf("text", "is required")
	}
	if p.Original != "" && p.OriginalLang == "" {
		return valid.Errorf("original_lang", "is required when original is given")
	}
	if p.Kind == Narration && p.Original != "" {
		return valid.Errorf("original", "only quotes carry original-language text")
	}
	return nil
}

func checkDate(field, s string) error {
	if s == "" {
		return valid.Errorf(field, "is required (YYYY-MM-DD)")
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != 10 {
		return valid.Errorf(field, "%q is not a date in the form YYYY-MM-DD", s)
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
