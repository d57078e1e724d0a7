package reviews_test

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/reviews"
)

// validEntry is an entry that passes Validate; the cases below change it
// in one place each.
func validEntry() reviews.Entry {
	return reviews.Entry{Date: "2025-03-04", Outlet: "kayhan", Verb: "said",
		Items: []reviews.Item{item(quote("Words."))}}
}

// TestEntryValidateRefuses covers input that used to pass the import and
// then printed wrongly or not at all (issue 11, items 20 and 21).
func TestEntryValidateRefuses(t *testing.T) {
	const zwnj = "\u200c"
	tests := []struct {
		name   string
		change func(*reviews.Entry)
		want   string
	}{
		{"blank verb", func(e *reviews.Entry) { e.Verb = "  \t" }, "verb: is required"},
		{"blank lead_in", func(e *reviews.Entry) { e.Verb, e.LeadIn = "", " " }, "lead_in: is required"},
		{"ZWNJ verb", func(e *reviews.Entry) { e.Verb = zwnj + zwnj }, "verb: is required (it holds only white space or invisible characters)"},
		{"template {verb} without verb", func(e *reviews.Entry) { e.Verb, e.LeadIn = "", "{outlet_subject} {verb}:" }, "verb: is required: lead_in uses {verb}"},
		{"template {intermediary} without intermediary", func(e *reviews.Entry) {
			e.Speaker, e.Verb, e.LeadIn = "qassem-moheb-ali", "", "{speaker}, {intermediary} {outlet}, said:"
		}, "intermediary: is required: lead_in uses {intermediary}"},
		{"template drops the verb", func(e *reviews.Entry) { e.LeadIn = "{outlet_subject} wrote:" }, `verb: "said" would not be shown`},
		{"template drops the intermediary", func(e *reviews.Entry) {
			e.Speaker, e.Intermediary, e.Verb, e.LeadIn = "qassem-moheb-ali", "interviewed by", "", "{speaker} told {outlet}:"
		}, `intermediary: "interviewed by" would not be shown`},
		{"template {speaker} without speaker", func(e *reviews.Entry) { e.Verb, e.LeadIn = "", "{speaker} said:" }, "lead_in: uses {speaker} but the entry names no speaker"},
		{"intermediary without speaker", func(e *reviews.Entry) { e.Intermediary = "interviewed by" }, `intermediary: "interviewed by" needs a speaker`},
		{"ZWNJ quote", func(e *reviews.Entry) { e.Items[0].Parts[0].Text = zwnj }, "items[0].parts[0].text: is required"},
		{"ZWNJ original", func(e *reviews.Entry) {
			e.Items[0].Parts[0].Original, e.Items[0].Parts[0].OriginalLang = zwnj+"\u200f", "fa"
		}, "items[0].parts[0].original: is required"},
		{"Solar Hijri date", func(e *reviews.Entry) { e.Date = "1403-12-14" },
			`date: "1403-12-14" is before 1900; it looks like a Solar Hijri date, which is 2025-03-04 in the Gregorian calendar`},
		{"Solar Hijri 30 Esfand of a leap year", func(e *reviews.Entry) { e.Date = "1403-12-30" }, "which is 2025-03-20"},
		{"old year that is no Solar Hijri date", func(e *reviews.Entry) { e.Date = "0203-01-01" }, `date: "0203-01-01" is before 1900`},
		{"language name", func(e *reviews.Entry) { setLang(e, "Persian") }, `original_lang: "Persian" is not a BCP 47 language tag`},
		{"POSIX locale", func(e *reviews.Entry) { setLang(e, "fa_IR") }, `original_lang: "fa_IR" is written "fa-IR" in BCP 47`},
		{"upper case", func(e *reviews.Entry) { setLang(e, "FA") }, `"FA" is written "fa"`},
		{"no script known", func(e *reviews.Entry) { setLang(e, "prs") }, `"prs" does not say its script: add it, as in "prs-Arab"`},
		{"undetermined", func(e *reviews.Entry) { setLang(e, "und") }, `"und" names no language`},
		{"javascript: source", func(e *reviews.Entry) { e.Items[0].Parts[0].SourceURL = "javascript:alert(1)" },
			`source_url: "javascript:alert(1)" is not an absolute http or https URL`},
		{"relative source", func(e *reviews.Entry) { e.Items[0].Parts[0].SourceURL = "/news/1" }, "not an absolute http or https URL"},
		{"ftp source", func(e *reviews.Entry) { e.Items[0].Parts[0].SourceURL = "ftp://kayhan.ir/x" }, "not an absolute http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			en := validEntry()
			tt.change(&en)
			err := en.Validate()
			if err == nil {
				t.Fatalf("Validate accepted %+v", en)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func setLang(e *reviews.Entry, lang string) {
	e.Items[0].Parts[0].Original, e.Items[0].Parts[0].OriginalLang = "کلمات", lang
}

func TestEntryValidateAccepts(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(*reviews.Entry)
	}{
		{"Persian with region", func(e *reviews.Entry) { setLang(e, "fa-IR") }},
		{"Iranian Persian", func(e *reviews.Entry) { setLang(e, "pes") }},
		{"Dari with its script", func(e *reviews.Entry) { setLang(e, "prs-Arab") }},
		{"Sorani", func(e *reviews.Entry) { setLang(e, "ckb") }},
		{"https source", func(e *reviews.Entry) { e.Items[0].Parts[0].SourceURL = "HTTPS://kayhan.ir/fa/news/1" }},
		{"a quote that contains a ZWNJ", func(e *reviews.Entry) { e.Items[0].Parts[0].Text = "می\u200cرود" }},
		{"1900", func(e *reviews.Entry) { e.Date = "1900-01-01" }},
		{"template using everything given", func(e *reviews.Entry) {
			e.Speaker, e.Intermediary, e.LeadIn = "qassem-moheb-ali", "quoted by", "{speaker}, {intermediary} {outlet}, {verb}:"
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			en := validEntry()
			tt.change(&en)
			if err := en.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestEditionValidateTitle(t *testing.T) {
	for _, title := range []string{"\u200c\u200c", "Two\nlines", " \u2060 "} {
		e := newPage(validEntry()).Edition
		e.Title = title
		if err := e.Validate(); err == nil || !strings.HasPrefix(err.Error(), "title: ") {
			t.Errorf("title %q: Validate = %v, want a title error", title, err)
		}
	}
}

// TestDirection checks that the direction follows the script of the tag,
// not a list of languages.
func TestDirection(t *testing.T) {
	for lang, want := range map[string]string{
		"fa": "rtl", "fa-IR": "rtl", "pes": "rtl", "prs-Arab": "rtl", "azb-Arab": "rtl", "ckb": "rtl",
		"az-Arab": "rtl", "ar": "rtl", "he": "rtl", "dv": "rtl", "syr": "rtl", "ff-Adlm": "rtl", "ku-Arab": "rtl",
		"fa-Latn": "ltr", "en": "ltr", "az": "ltr", "ru": "ltr", "ku": "ltr",
		"prs": "auto", "Persian": "auto",
	} {
		if got := reviews.Direction(lang); got != want {
			t.Errorf("Direction(%q) = %q, want %q", lang, got, want)
		}
	}
}

// TestLeadInHouseStyle covers the composed lead-ins issue 11 item 21 found
// wrong.
func TestLeadInHouseStyle(t *testing.T) {
	araghchi := outlets.Person{Key: "abbas-araghchi", Name: "Abbas Araghchi", Role: "Iranian Foreign Minister"}
	xPlatform := outlets.Outlet{Key: "x", Name: "X", Kind: outlets.XAccount}
	telegram := outlets.Outlet{Key: "akhbar-fori", Name: "Akhbar-e Fori", Kind: outlets.Telegram, Orientation: "hard-line"}
	mouthpiece := outlets.Outlet{Key: "kayhan", Name: "Kayhan", Kind: outlets.Newspaper,
		Orientation: "mouthpiece of the Supreme Leader’s office"}
	article := outlets.Outlet{Key: "vatan", Name: "Vatan-e Emrooz", Kind: outlets.Newspaper, Orientation: "a daily close to the Principlists"}
	zwnjLabel := outlets.Outlet{Key: "farhikhtegan", Name: "Farhikhtegan", Kind: outlets.Newspaper, Orientation: "\u200chard-line"}
	tests := []struct {
		name  string
		entry reviews.Entry
		want  string
	}{{
		name:  "a title before an intermediary takes commas",
		entry: reviews.Entry{Outlet: "shargh-daily", Speaker: "abbas-araghchi", Intermediary: "in an interview with", Verb: "said"},
		want:  "Abbas Araghchi, Iranian Foreign Minister, in an interview with the reformist newspaper Shargh Daily, said:",
	}, {
		name:  "a prepositional intermediary after an indefinite role takes commas",
		entry: reviews.Entry{Outlet: "shargh-daily", Speaker: "qassem-moheb-ali", Intermediary: "in an interview with", Verb: "said"},
		want:  "Qassem Moheb-Ali, an international affairs expert, in an interview with the reformist newspaper Shargh Daily, said:",
	}, {
		name:  "a platform takes on",
		entry: reviews.Entry{Outlet: "x", Speaker: "abbas-araghchi", Verb: "tweeted"},
		want:  "Abbas Araghchi, Iranian Foreign Minister, tweeted on X:",
	}, {
		name:  "a Telegram channel takes on",
		entry: reviews.Entry{Outlet: "akhbar-fori", Speaker: "ali-rezaei", Verb: "wrote"},
		want:  "Ali Rezaei wrote on the hard-line Telegram channel Akhbar-e Fori:",
	}, {
		name:  "a noun label is an appositive with the",
		entry: reviews.Entry{Outlet: "kayhan", Verb: "dismissed talks"},
		want:  "Kayhan, the mouthpiece of the Supreme Leader’s office, dismissed talks:",
	}, {
		name:  "a noun label as the object",
		entry: reviews.Entry{Outlet: "kayhan", Speaker: "ali-rezaei", Verb: "wrote"},
		want:  "Ali Rezaei wrote in Kayhan, the mouthpiece of the Supreme Leader’s office:",
	}, {
		name:  "a label with its own article",
		entry: reviews.Entry{Outlet: "vatan", Verb: "warned"},
		want:  "Vatan-e Emrooz, a daily close to the Principlists, warned:",
	}, {
		name:  "a leading ZWNJ does not stop capitalisation",
		entry: reviews.Entry{Outlet: "farhikhtegan", Verb: "warned"},
		want:  "Hard-line Farhikhtegan warned:",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			en := tt.entry
			en.Date, en.Items = "2025-03-04", []reviews.Item{item(quote("Q."))}
			if err := en.Validate(); err != nil {
				t.Fatalf("fixture entry is invalid: %v", err)
			}
			p := newPage(en)
			for _, o := range []outlets.Outlet{xPlatform, telegram, mouthpiece, article, zwnjLabel} {
				p.Outlets[o.Key] = o
			}
			p.People[araghchi.Key] = araghchi
			if got := p.LeadIn(en); got != tt.want {
				t.Errorf("LeadIn =\n%q\nwant\n%q", got, tt.want)
			}
			up := reviews.Upgrade(en, p.Roster())
			up.LeadIn = ""
			if got := reviews.SuggestLeadIn(up, p.Roster()); got != tt.want {
				t.Errorf("SuggestLeadIn of the upgraded entry =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
