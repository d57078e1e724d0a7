// Package outlets holds the desk's roster: the outlets it watches, with
// their political orientation, and the people it quotes.
package outlets

import (
	"strings"

	"github.com/pressreview/pressreview/internal/valid"
)

// Kind is what sort of outlet it is; it decides the noun in a lead-in
// ("the reformist newspaper Shargh Daily").
type Kind string

// The kinds of outlet the desk follows.
const (
	Newspaper   Kind = "newspaper"
	NewsAgency  Kind = "news_agency"
	Website     Kind = "website"
	Magazine    Kind = "magazine"
	TV          Kind = "tv"
	Radio       Kind = "radio"
	Telegram    Kind = "telegram"
	XAccount    Kind = "x"
	Instagram   Kind = "instagram"
	Podcast     Kind = "podcast"
	Institution Kind = "institution"
)

var nouns = map[Kind]string{
	Newspaper:   "newspaper",
	NewsAgency:  "news agency",
	Website:     "news website",
	Magazine:    "magazine",
	TV:          "TV channel",
	Radio:       "radio station",
	Telegram:    "Telegram channel",
	XAccount:    "X account",
	Instagram:   "Instagram account",
	Podcast:     "podcast",
	Institution: "institution",
}

// Kinds lists every valid kind, for help texts and validation messages.
func Kinds() []string {
	return []string{string(Newspaper), string(NewsAgency), string(Website), string(Magazine), string(TV),
		string(Radio), string(Telegram), string(XAccount), string(Instagram), string(Podcast), string(Institution)}
}

// Noun is the kind as a reader would name it.
func (k Kind) Noun() string { return nouns[k] }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { _, ok := nouns[k]; return ok }

// Outlet is a newspaper, agency, site, channel or account the desk watches.
type Outlet struct {
	ID         int64  `json:"-"`
	Key        string `json:"key"`
	Name       string `json:"name"`
	NativeName string `json:"native_name,omitempty"`
	Kind       Kind   `json:"kind"`
	Language   string `json:"language,omitempty"`
	Country    string `json:"country,omitempty"`
	// Orientation is the camp label an analyst uses: "hard-line",
	// "reformist", "technocratic", "IRGC-affiliated", …
	Orientation string `json:"orientation,omitempty"`
	// Affiliation, when set, is a relative clause that names who the outlet
	// is close to; it replaces the orientation when the outlet is named
	// ("Jamaran News, which is close to the household of …").
	Affiliation string `json:"affiliation,omitempty"`
	Homepage    string `json:"homepage,omitempty"`
}

// Subject names the outlet as the subject of a sentence, the short form
// analysts use: "hard-line Kayhan".
func (o Outlet) Subject() string {
	if o.Appositive() != "" {
		return o.Reference()
	}
	return joinWords(o.Orientation, o.Name)
}

// Reference names the outlet where it is the object of a sentence:
// "the reformist newspaper Shargh Daily", or with an appositive
// "Jamaran News, which is close to the household of …".
func (o Outlet) Reference() string {
	if a := o.Appositive(); a != "" {
		return o.Name + ", " + a
	}
	if o.Orientation == "" {
		return o.Name
	}
	return "the " + joinWords(o.Orientation, o.Kind.Noun(), o.Name)
}

// labelNouns are the first words that make an orientation a noun phrase
// rather than an adjective: "mouthpiece of the Supreme Leader's office"
// cannot stand before "newspaper Kayhan" as "hard-line" does.
var labelNouns = map[string]bool{
	"mouthpiece": true, "organ": true, "voice": true, "arm": true, "wing": true,
	"outlet": true, "platform": true, "affiliate": true, "publication": true, "flagship": true,
}

// Appositive is what follows the outlet's name after a comma, or "": the
// affiliation ("which is close to …"), or an orientation that is a noun
// phrase — one that starts with an article or with a word of labelNouns —
// with "the" added when it has no article ("Kayhan, the mouthpiece of …").
// Adjective labels ("hard-line", "IRGC-affiliated") go before the name.
func (o Outlet) Appositive() string {
	if o.Affiliation != "" {
		return o.Affiliation
	}
	first, _, _ := strings.Cut(strings.ToLower(o.Orientation), " ")
	switch {
	case first == "the" || first == "a" || first == "an":
		return o.Orientation
	case labelNouns[first]:
		return "the " + o.Orientation
	}
	return ""
}

// Validate names the first field that is missing or wrong.
func (o Outlet) Validate() error {
	if err := valid.CheckKey("key", o.Key); err != nil {
		return err
	}
	if err := valid.Line("name", o.Name); err != nil {
		return err
	}
	switch {
	case o.Kind == "":
		return valid.Errorf("kind", "is required (one of %s)", strings.Join(Kinds(), ", "))
	case !o.Kind.Valid():
		return valid.Errorf("kind", "%q is not one of %s", o.Kind, strings.Join(Kinds(), ", "))
	}
	if o.Language != "" {
		return valid.Language("language", o.Language)
	}
	return nil
}

// Person is someone the desk quotes: an official, an expert, an editor.
type Person struct {
	ID         int64  `json:"-"`
	Key        string `json:"key"`
	Name       string `json:"name"`
	NativeName string `json:"native_name,omitempty"`
	// Role describes the person as the text introduces them:
	// "an international affairs expert", "Iran’s last ambassador to the Soviet Union".
	Role string `json:"role,omitempty"`
	// Aliases are other spellings of the name (Persian and Arabic
	// spellings, transliterations) under which FindPeople finds them.
	Aliases []string `json:"aliases,omitempty"`
}

// Described is the name followed by the role: "Qassem Moheb-Ali, an
// international affairs expert".
func (p Person) Described() string {
	if p.Role == "" {
		return p.Name
	}
	return p.Name + ", " + p.Role
}

// Validate names the first field that is missing or wrong.
func (p Person) Validate() error {
	if err := valid.CheckKey("key", p.Key); err != nil {
		return err
	}
	if err := valid.Line("name", p.Name); err != nil {
		return err
	}
	for i, a := range p.Aliases {
		if strings.TrimSpace(a) == "" || strings.ContainsAny(a, "\r\n") {
			return valid.Errorf(valid.Index("aliases", i), "%q: an alias is one non-empty line", a)
		}
	}
	return nil
}

func joinWords(words ...string) string {
	var parts []string
	for _, w := range words {
		if w != "" {
			parts = append(parts, w)
		}
	}
	return strings.Join(parts, " ")
}
