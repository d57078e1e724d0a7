package reviews_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/reviews"
)

// The outlets and people of real editions that the pressreview/1 model
// could not hold (issue 12 item 5).
var (
	araghchi = outlets.Person{Key: "abbas-araghchi", Name: "Abbas Araghchi", Role: "Foreign Minister"}
	cnn      = outlets.Outlet{Key: "cnn", Name: "CNN", Kind: outlets.TV}
	irna     = outlets.Outlet{Key: "irna", Name: "IRNA", Kind: outlets.NewsAgency, Orientation: "state"}
	xOutlet  = outlets.Outlet{Key: "x", Name: "X", Kind: outlets.XAccount}
)

func modelPage(entries ...reviews.Entry) *reviews.Page {
	p := newPage(entries...)
	for _, o := range []outlets.Outlet{cnn, irna, xOutlet} {
		p.Outlets[o.Key] = o
	}
	p.People[araghchi.Key] = araghchi
	return p
}

func source(key, label string) reviews.OutletRef {
	return reviews.OutletRef{Key: key, Label: label, Role: reviews.Source}
}

func TestSuggestLeadIn(t *testing.T) {
	quoted := []reviews.Item{item(quote("Q."))}
	tests := []struct {
		name  string
		entry reviews.Entry
		want  string
	}{{
		name:  "two outlets speak",
		entry: reviews.Entry{Outlets: []reviews.OutletRef{source("kayhan", ""), source("shargh-daily", "reformist Shargh Daily")}, Verb: "agreed", Items: quoted},
		want:  "Hard-line Kayhan and reformist Shargh Daily agreed:",
	}, {
		name:  "a person speaks, no outlet, title before the name",
		entry: reviews.Entry{Speakers: []reviews.SpeakerRef{{Key: "abbas-araghchi", TitleBefore: true}}, Verb: "said", Inline: []reviews.Part{quote("We are ready.")}},
		want:  "Foreign Minister Abbas Araghchi said:",
	}, {
		name: "told CNN, as reported by IRNA",
		entry: reviews.Entry{
			Speakers:     []reviews.SpeakerRef{{Key: "abbas-araghchi", Label: "Abbas Araghchi, Iran’s foreign minister"}},
			Outlets:      []reviews.OutletRef{source("cnn", ""), {Key: "irna", Role: reviews.Via, Intermediary: "as reported by"}},
			Intermediary: "told", Items: quoted,
		},
		want: "Abbas Araghchi, Iran’s foreign minister, told CNN, as reported by the state news agency IRNA:",
	}, {
		name: "on X, title before the name",
		entry: reviews.Entry{Speakers: []reviews.SpeakerRef{{Key: "abbas-araghchi", TitleBefore: true}},
			Outlets: []reviews.OutletRef{source("x", "")}, Verb: "wrote", Items: quoted},
		want: "Foreign Minister Abbas Araghchi wrote on X:",
	}, {
		name: "a person speaks, relayed on X",
		entry: reviews.Entry{Speakers: []reviews.SpeakerRef{{Key: "abbas-araghchi", TitleBefore: true}},
			Outlets: []reviews.OutletRef{{Key: "x", Role: reviews.Via, Intermediary: "in a post on"}}, Verb: "said", Items: quoted},
		want: "Foreign Minister Abbas Araghchi said, in a post on X:",
	}, {
		name:  "the entry's own label, not the roster's",
		entry: reviews.Entry{Outlets: []reviews.OutletRef{source("kayhan", "the daily Kayhan, close to the Leader’s office")}, Verb: "warned", Items: quoted},
		want:  "The daily Kayhan, close to the Leader’s office, warned:",
	}, {
		name:  "narration only ends with a period",
		entry: reviews.Entry{Outlets: []reviews.OutletRef{source("shargh-daily", "")}, Verb: "ignored the offer"},
		want:  "Reformist Shargh Daily ignored the offer.",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			en := tt.entry
			en.Date = "2025-03-04"
			if err := en.Validate(); err != nil {
				t.Fatalf("fixture entry is invalid: %v", err)
			}
			p := modelPage(en)
			if got := reviews.SuggestLeadIn(en, p.Roster()); got != tt.want {
				t.Errorf("SuggestLeadIn =\n%q\nwant\n%q", got, tt.want)
			}
			// Left empty, the lead-in prints as suggested; stored, it
			// prints exactly as stored.
			if got := p.LeadIn(en); got != tt.want {
				t.Errorf("LeadIn of an entry without one = %q", got)
			}
			en.LeadIn = "as the analyst wrote it, lower case and all —"
			if got := p.LeadIn(en); got != en.LeadIn {
				t.Errorf("stored lead-in printed as %q", got)
			}
		})
	}
}

func TestWithLabels(t *testing.T) {
	r := modelPage().Roster()
	en := reviews.WithLabels(reviews.Entry{
		Outlets:  []reviews.OutletRef{source("kayhan", ""), source("shargh-daily", "Shargh"), {Key: "irna", Role: reviews.Via, Intermediary: "as reported by"}},
		Speakers: []reviews.SpeakerRef{{Key: "abbas-araghchi", TitleBefore: true}, {Key: "qassem-moheb-ali"}},
	}, r)
	got := []string{en.Outlets[0].Label, en.Outlets[1].Label, en.Outlets[2].Label, en.Speakers[0].Label, en.Speakers[1].Label}
	want := []string{"the hard-line newspaper Kayhan", "Shargh", "the state news agency IRNA", "Foreign Minister Abbas Araghchi",
		"Qassem Moheb-Ali, an international affairs expert"}
	if diff := lineDiff(got, want); diff != "" {
		t.Error(diff)
	}
}

func TestEntryValidateModel(t *testing.T) {
	quoted := []reviews.Item{item(quote("Q."))}
	tests := []struct {
		name  string
		entry reviews.Entry
		want  string
	}{
		{"via without a source", reviews.Entry{Outlets: []reviews.OutletRef{{Key: "irna", Role: reviews.Via, Intermediary: "as reported by"}}, Verb: "said", Items: quoted},
			"outlets[0].role: a via outlet relays a source"},
		{"via without its phrase", reviews.Entry{Outlets: []reviews.OutletRef{source("cnn", "CNN"), {Key: "irna", Role: reviews.Via}}, Verb: "said", Items: quoted},
			"outlets[1].intermediary: is required for a via outlet"},
		{"unknown role", reviews.Entry{Outlets: []reviews.OutletRef{{Key: "irna", Role: "relay"}}, Verb: "said", Items: quoted},
			`outlets[0].role: "relay" is not source or via`},
		{"missing role", reviews.Entry{Outlets: []reviews.OutletRef{{Key: "irna"}}, Verb: "said", Items: quoted},
			"outlets[0].role: is required"},
		{"invisible label", reviews.Entry{Outlets: []reviews.OutletRef{source("kayhan", "\u200c")}, Verb: "said", Items: quoted},
			"outlets[0].label: is required (it holds only white space"},
		{"label on two lines", reviews.Entry{Speakers: []reviews.SpeakerRef{{Key: "abbas-araghchi", Label: "Abbas\nAraghchi"}}, Verb: "said", Items: quoted},
			"speakers[0].label: must be one line"},
		{"bad speaker key", reviews.Entry{Speakers: []reviews.SpeakerRef{{Key: "Abbas"}}, Verb: "said", Items: quoted},
			"speakers[0].key:"},
		{"nobody and no lead-in", reviews.Entry{Items: quoted},
			"lead_in: is required when the entry names no outlet and no speaker"},
		{"template in literal text", reviews.Entry{Outlets: []reviews.OutletRef{source("kayhan", "")}, LeadIn: "{outlet_subject} said:", Items: quoted},
			"{outlet_subject} is a pressreview/1 placeholder"},
		{"narration-only with a colon", reviews.Entry{Outlets: []reviews.OutletRef{source("kayhan", "")}, LeadIn: "Kayhan wrote:"},
			"lead_in: ends with a colon but the entry has no quote"},
		{"intermediary without a source to suggest from", reviews.Entry{Speakers: []reviews.SpeakerRef{{Key: "abbas-araghchi"}}, Intermediary: "told", Items: quoted},
			`intermediary: "told" links a speaker to a source outlet`},
		{"both forms", reviews.Entry{Outlet: "kayhan", Outlets: []reviews.OutletRef{source("kayhan", "")}, Verb: "said", Items: quoted},
			"outlets: an entry names its outlets in outlets (pressreview/2) or outlet (pressreview/1), not both"},
		{"bad inline part", reviews.Entry{Outlets: []reviews.OutletRef{source("kayhan", "")}, Verb: "said", Inline: []reviews.Part{{Kind: reviews.Quote}}},
			"inline[0].text: is required"},
		{"negative clip", reviews.Entry{Outlets: []reviews.OutletRef{source("kayhan", "")}, Verb: "said", Inline: []reviews.Part{{Kind: reviews.Quote, Text: "Q.", Clip: -1}}},
			"inline[0].clip: -1 is not a clip id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			en := tt.entry
			en.Date = "2025-03-04"
			err := en.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestRenderInlineAndNarration checks the HTML of an inline quote (in the
// lead-in's paragraph, its original after it) and of a narration-only
// entry (no list of items), and their text and Markdown.
func TestRenderInlineAndNarration(t *testing.T) {
	p := modelPage(reviews.Entry{
		Date: "2025-03-04", Speakers: []reviews.SpeakerRef{{Key: "abbas-araghchi", TitleBefore: true}}, Verb: "said",
		Inline: []reviews.Part{{Kind: reviews.Quote, Text: "We are ready.", Original: "ما آماده‌ایم.", OriginalLang: "fa"}},
	}, reviews.Entry{
		Date: "2025-03-05", Outlets: []reviews.OutletRef{source("shargh-daily", "")}, LeadIn: "Reformist papers ignored the offer.",
	})
	var buf bytes.Buffer
	if err := reviews.RenderHTML(&buf, p); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		`<p class="lead-in"><time datetime="2025-03-04">March 4</time>: Foreign Minister Abbas Araghchi said: <q>We are ready.</q></p>` + "\n" +
			`<blockquote class="original" lang="fa" dir="rtl">ما آماده‌ایم.</blockquote>` + "\n</li>",
		`<p class="lead-in"><time datetime="2025-03-05">March 5</time>: Reformist papers ignored the offer.</p>` + "\n</li>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("HTML lacks\n%s\nin\n%s", want, got)
		}
	}
	if strings.Contains(got, `<ul class="items">`) {
		t.Errorf("entries without items render an empty list:\n%s", got)
	}
	if _, err := html.Parse(strings.NewReader(got)); err != nil {
		t.Fatal(err)
	}
	text := render(t, reviews.FormatText, p)
	for _, want := range []string{
		"• March 4: Foreign Minister Abbas Araghchi said: “We are ready.”\n    «ما آماده‌ایم.»\n",
		"• March 5: Reformist papers ignored the offer.\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	md := render(t, reviews.FormatMarkdown, p)
	if want := "- **March 4:** Foreign Minister Abbas Araghchi said: “We are ready.”\n  > «ما آماده‌ایم.»\n- **March 5:** Reformist papers ignored the offer.\n"; !strings.Contains(md, want) {
		t.Errorf("Markdown lacks %q:\n%s", want, md)
	}
	if words := reviews.PlainWords(p); !strings.Contains(words, "We are ready.\nما آماده‌ایم.\n") {
		t.Errorf("PlainWords misses the inline quote:\n%s", words)
	}
}
