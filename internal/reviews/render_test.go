package reviews_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"golang.org/x/net/html"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
)

// The outlets and people of the seed edition, kept here so the lead-in
// tests do not depend on the demo data.
var (
	kayhan  = outlets.Outlet{Key: "kayhan", Name: "Kayhan", Kind: outlets.Newspaper, Orientation: "hard-line"}
	jamaran = outlets.Outlet{Key: "jamaran-news", Name: "Jamaran News", Kind: outlets.Website,
		Affiliation: "which is close to the household of late Grand Ayatollah Ruhollah Khomeini"}
	shargh    = outlets.Outlet{Key: "shargh-daily", Name: "Shargh Daily", Kind: outlets.Newspaper, Orientation: "reformist"}
	sazandegi = outlets.Outlet{Key: "sazandegi", Name: "Sazandegi", Kind: outlets.Newspaper, Orientation: "technocratic"}

	mohebAli = outlets.Person{Key: "qassem-moheb-ali", Name: "Qassem Moheb-Ali", Role: "an international affairs expert"}
	izadi    = outlets.Person{Key: "nemat-allah-izadi", Name: "Nemat-Allah Izadi", Role: "Iran’s last ambassador to the Soviet Union"}
	jahaqi   = outlets.Person{Key: "mohsen-askari-jahaqi", Name: "Mohsen Askari Jahaqi", Role: "a political scientist"}
	// noRole is a speaker the desk knows only by name.
	noRole = outlets.Person{Key: "ali-rezaei", Name: "Ali Rezaei"}
)

// newPage is a page that knows the fixtures above, with the given entries.
func newPage(entries ...reviews.Entry) *reviews.Page {
	p := &reviews.Page{
		Edition: reviews.Edition{
			Slug: "test", Series: "iran-media-review", Date: "2025-03-07", Title: "Test Edition",
			Category: "Analysis", Status: reviews.Draft, Entries: entries,
		},
		Series:  reviews.Series{Key: "iran-media-review", Name: "Iran Media Review", Disclaimer: "Views are the speakers’ own."},
		Authors: []posts.Author{{Key: "ali-alfoneh", Name: "Ali Alfoneh"}},
		Outlets: map[string]outlets.Outlet{},
		People:  map[string]outlets.Person{},
	}
	for _, o := range []outlets.Outlet{kayhan, jamaran, shargh, sazandegi} {
		p.Outlets[o.Key] = o
	}
	for _, pe := range []outlets.Person{mohebAli, izadi, jahaqi, noRole} {
		p.People[pe.Key] = pe
	}
	return p
}

func quote(s string) reviews.Part     { return reviews.Part{Kind: reviews.Quote, Text: s} }
func narration(s string) reviews.Part { return reviews.Part{Kind: reviews.Narration, Text: s} }
func item(parts ...reviews.Part) reviews.Item {
	return reviews.Item{Parts: parts}
}

func TestLeadIn(t *testing.T) {
	tests := []struct {
		name  string
		entry reviews.Entry
		want  string
	}{{
		name:  "outlet alone is the subject",
		entry: reviews.Entry{Outlet: "kayhan", Verb: "altogether dismissed the idea of negotiations with the United States"},
		want:  "Hard-line Kayhan altogether dismissed the idea of negotiations with the United States:",
	}, {
		name:  "speaker through an intermediary",
		entry: reviews.Entry{Outlet: "jamaran-news", Speaker: "qassem-moheb-ali", Intermediary: "interviewed by", Verb: "warned against Russian mediation"},
		want:  "Qassem Moheb-Ali, an international affairs expert interviewed by Jamaran News, which is close to the household of late Grand Ayatollah Ruhollah Khomeini, warned against Russian mediation:",
	}, {
		name:  "speaker without a role through an intermediary",
		entry: reviews.Entry{Outlet: "shargh-daily", Speaker: "ali-rezaei", Intermediary: "interviewed by", Verb: "said"},
		want:  "Ali Rezaei, interviewed by the reformist newspaper Shargh Daily, said:",
	}, {
		name:  "affiliated outlet alone closes its clause with a comma",
		entry: reviews.Entry{Outlet: "jamaran-news", Verb: "dismissed talks"},
		want:  "Jamaran News, which is close to the household of late Grand Ayatollah Ruhollah Khomeini, dismissed talks:",
	}, {
		name:  "speaker without a role writing in an outlet",
		entry: reviews.Entry{Outlet: "sazandegi", Speaker: "ali-rezaei", Verb: "wrote about Russia’s offer"},
		want:  "Ali Rezaei wrote about Russia’s offer in the technocratic newspaper Sazandegi:",
	}, {
		name:  "speaker writing in an outlet",
		entry: reviews.Entry{Outlet: "sazandegi", Speaker: "mohsen-askari-jahaqi", Verb: "wrote about Russia’s offer"},
		want:  "Mohsen Askari Jahaqi, a political scientist, wrote about Russia’s offer in the technocratic newspaper Sazandegi:",
	}, {
		name:  "override template",
		entry: reviews.Entry{Outlet: "shargh-daily", Speaker: "nemat-allah-izadi", LeadIn: "Interviewed by {outlet}, {speaker}, said:"},
		want:  "Interviewed by the reformist newspaper Shargh Daily, Nemat-Allah Izadi, Iran’s last ambassador to the Soviet Union, said:",
	}, {
		name:  "override with every other placeholder, capitalized",
		entry: reviews.Entry{Outlet: "kayhan", Speaker: "nemat-allah-izadi", Intermediary: "quoted by", Verb: "warned", LeadIn: "{outlet_subject} reported that {speaker_name}, {intermediary} its editors, {verb}:"},
		want:  "Hard-line Kayhan reported that Nemat-Allah Izadi, quoted by its editors, warned:",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			en := tt.entry
			en.Date, en.Items = "2025-03-04", []reviews.Item{item(quote("Q."))}
			if err := en.Validate(); err != nil {
				t.Fatalf("fixture entry is invalid: %v", err)
			}
			if got := newPage().LeadIn(tt.entry); got != tt.want {
				t.Errorf("LeadIn =\n%q\nwant\n%q", got, tt.want)
			}
			// Upgraded to pressreview/2, the entry prints the same text,
			// now stored; and the generalized composer, asked afresh from
			// the upgraded labels, suggests it too.
			r := newPage().Roster()
			up := reviews.Upgrade(en, r)
			if err := up.Validate(); err != nil || up.Legacy() {
				t.Fatalf("upgraded entry %+v: legacy %v, %v", up, up.Legacy(), err)
			}
			if got := newPage().LeadIn(up); got != tt.want {
				t.Errorf("upgraded LeadIn =\n%q\nwant\n%q", got, tt.want)
			}
			if tt.entry.LeadIn == "" {
				up.LeadIn = ""
				if got := reviews.SuggestLeadIn(up, r); got != tt.want {
					t.Errorf("SuggestLeadIn =\n%q\nwant\n%q", got, tt.want)
				}
			}
		})
	}
}

func TestOutletSubjectReference(t *testing.T) {
	tests := []struct {
		outlet             outlets.Outlet
		subject, reference string
	}{
		{kayhan, "hard-line Kayhan", "the hard-line newspaper Kayhan"},
		{shargh, "reformist Shargh Daily", "the reformist newspaper Shargh Daily"},
		{jamaran,
			"Jamaran News, which is close to the household of late Grand Ayatollah Ruhollah Khomeini",
			"Jamaran News, which is close to the household of late Grand Ayatollah Ruhollah Khomeini"},
		{outlets.Outlet{Name: "Tasnim News Agency", Kind: outlets.NewsAgency, Orientation: "IRGC-affiliated"},
			"IRGC-affiliated Tasnim News Agency", "the IRGC-affiliated news agency Tasnim News Agency"},
		{outlets.Outlet{Name: "Entekhab", Kind: outlets.Website, Orientation: "centrist"},
			"centrist Entekhab", "the centrist news website Entekhab"},
		{outlets.Outlet{Name: "Etemad", Kind: outlets.Newspaper}, "Etemad", "Etemad"},
	}
	for _, tt := range tests {
		if got := tt.outlet.Subject(); got != tt.subject {
			t.Errorf("%s: Subject() = %q, want %q", tt.outlet.Name, got, tt.subject)
		}
		if got := tt.outlet.Reference(); got != tt.reference {
			t.Errorf("%s: Reference() = %q, want %q", tt.outlet.Name, got, tt.reference)
		}
	}
}

// tricky has text in every place that Markdown would otherwise read as
// syntax: emphasis, links, raw HTML, code, headings, entities, list markers
// at the start of a line, and line breaks inside stored text.
func tricky() *reviews.Page {
	p := newPage(
		reviews.Entry{Date: "2025-03-04", Outlet: "kayhan", Verb: "wrote *in bold* and _in italics_ about [1] and <b>tags</b>", Items: []reviews.Item{
			item(narration("1. A numbered start, then `code`, a # hash, &amp; an entity and a \\ backslash:"), quote("2 * 3 = 6 and snake_case [link](http://example.com)")),
			item(narration("- a dash")),
			item(narration("+ a plus")),
			item(narration("3) a paren")),
			item(quote("> not a block quote"), narration("# not a heading")),
			item(quote("~~not struck~~ | not | a table |")),
		}},
	)
	p.Edition.Title = "Kayhan on *Stars* #1"
	p.Edition.Dek = "_Underscores_ and <i>tags</i> in the dek"
	p.Edition.Intro = "1. Not a list,\n\neven over two paragraphs."
	p.Series.Description = "    - not a list, nor code"
	return p
}

func render(t *testing.T, f reviews.Format, p *reviews.Page) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reviews.Render(&buf, p, f); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// commonMark renders Markdown as a CommonMark renderer would, returning the
// parsed HTML.
func commonMark(t *testing.T, md string) *html.Node {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// checkMarkdownWords checks that the Markdown of p, once rendered, reads
// exactly like the text rendering.
func checkMarkdownWords(t *testing.T, p *reviews.Page) *html.Node {
	t.Helper()
	md := render(t, reviews.FormatMarkdown, p)
	doc := commonMark(t, md)
	if diff := wordDiff(words(textOf(doc)), words(render(t, reviews.FormatText, p))); diff != "" {
		t.Errorf("rendered Markdown reads differently from the text rendering:\n%s\nMarkdown:\n%s", diff, md)
	}
	return doc
}

func TestRenderMarkdownEscaping(t *testing.T) {
	p := tricky()
	doc := checkMarkdownWords(t, p)
	// Only the structure RenderMarkdown writes may survive: anything else
	// means some text was read as syntax.
	count := map[string]int{}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode {
			count[n.Data]++
		}
	}
	want := map[string]int{"html": 1, "head": 1, "body": 1, "h1": 1, "p": 6, "em": 2, "strong": 1, "ul": 2, "li": 7}
	for name, n := range count {
		if want[name] != n {
			t.Errorf("rendered Markdown has %d <%s>, want %d", n, name, want[name])
		}
	}
	for name, n := range want {
		if count[name] == 0 {
			t.Errorf("rendered Markdown has no <%s>, want %d", name, n)
		}
	}
}

func TestRenderMarkdownStructure(t *testing.T) {
	p := newPage(reviews.Entry{Date: "2025-03-04", Outlet: "kayhan", Verb: "wrote", Items: []reviews.Item{
		item(quote("First."), narration("he said, adding:"), quote("Second.")),
	}})
	p.Edition.Dek = "A dek."
	got := render(t, reviews.FormatMarkdown, p)
	want := `Analysis

# Test Edition

*A dek.*

By Ali Alfoneh · March 7, 2025

- **March 4:** Hard-line Kayhan wrote:
  - “First.” he said, adding: “Second.”

*Views are the speakers’ own.*
`
	if got != want {
		t.Errorf("RenderMarkdown =\n%s\nwant\n%s", got, want)
	}
}

// withOriginals is a page whose quotes carry original-language text; the
// originals are placeholders ("sample"), not quotations.
func withOriginals() *reviews.Page {
	fa := reviews.Part{Kind: reviews.Quote, Text: "A sample.", Original: "نمونه", OriginalLang: "fa", SourceURL: "https://kayhan.ir/fa/news/1"}
	ar := reviews.Part{Kind: reviews.Quote, Text: "Another sample.", Original: "مثال", OriginalLang: "ar-IQ"}
	ru := reviews.Part{Kind: reviews.Quote, Text: "A third sample.", Original: "Пример", OriginalLang: "ru"}
	return newPage(reviews.Entry{Date: "2025-03-04", Outlet: "kayhan", Verb: "wrote", Items: []reviews.Item{
		item(fa, narration("and")),
		item(ar, narration("then"), ru),
	}})
}

func TestRenderOriginals(t *testing.T) {
	p := withOriginals()
	t.Run("html", func(t *testing.T) {
		got := render(t, reviews.FormatHTML, p)
		for _, want := range []string{
			`<li><q cite="https://kayhan.ir/fa/news/1">A sample.</q> and
<blockquote class="original" lang="fa" dir="rtl">نمونه</blockquote></li>`,
			`<blockquote class="original" lang="ar-IQ" dir="rtl">مثال</blockquote>`,
			`<blockquote class="original" lang="ru" dir="ltr">Пример</blockquote>`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("RenderHTML lacks\n%s\nin\n%s", want, got)
			}
		}
	})
	t.Run("text", func(t *testing.T) {
		got := render(t, reviews.FormatText, p)
		want := `• March 4: Hard-line Kayhan wrote:
    ◦ “A sample.” and
      «نمونه»
    ◦ “Another sample.” then “A third sample.”
      «مثال»
      «Пример»
`
		if !strings.Contains(got, want) {
			t.Errorf("RenderText lacks\n%s\nin\n%s", want, got)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		got := render(t, reviews.FormatMarkdown, p)
		want := `- **March 4:** Hard-line Kayhan wrote:
  - “A sample.” and
    > «نمونه»
  - “Another sample.” then “A third sample.”
    > «مثال»
    >
    > «Пример»
`
		if !strings.Contains(got, want) {
			t.Errorf("RenderMarkdown lacks\n%s\nin\n%s", want, got)
		}
		doc := checkMarkdownWords(t, p)
		var quotes, loose int
		for n := range doc.Descendants() {
			switch {
			case n.Type == html.ElementNode && n.Data == "blockquote":
				quotes++
			case n.Type == html.ElementNode && n.Data == "p" && n.Parent.Data == "li":
				loose++
			}
		}
		if quotes != 2 || loose != 0 {
			t.Errorf("rendered Markdown has %d block quotes and %d paragraphs in list items, want 2 and 0 (a tight list)", quotes, loose)
		}
	})
}

func TestRenderHTMLEscapes(t *testing.T) {
	p := newPage(reviews.Entry{Date: "2025-03-04", Outlet: "kayhan", Verb: "wrote <b>this</b>", Items: []reviews.Item{
		item(reviews.Part{Kind: reviews.Quote, Text: `<script>alert("x")</script> & more`, SourceURL: "javascript:alert(1)"}),
	}})
	got := render(t, reviews.FormatHTML, p)
	for _, bad := range []string{"<script>", "<b>", "javascript:"} {
		if strings.Contains(got, bad) {
			t.Errorf("RenderHTML passed %q through:\n%s", bad, got)
		}
	}
	doc, err := html.Parse(strings.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "q" {
			if got, want := textOf(n), `<script>alert("x")</script> & more`; got != want {
				t.Errorf("<q> reads %q, want %q", got, want)
			}
		}
	}
}

func TestRenderTextHeader(t *testing.T) {
	tests := []struct {
		authors []posts.Author
		byline  string
	}{
		{nil, "March 7, 2025"},
		{[]posts.Author{{Name: "Ali Alfoneh"}}, "By Ali Alfoneh · March 7, 2025"},
		{[]posts.Author{{Name: "Ali Alfoneh"}, {Name: "Kristin Diwan"}}, "By Ali Alfoneh and Kristin Diwan · March 7, 2025"},
		{[]posts.Author{{Name: "A"}, {Name: "B"}, {Name: "C"}}, "By A, B, and C · March 7, 2025"},
	}
	for _, tt := range tests {
		p := newPage()
		p.Authors = tt.authors
		p.Edition.Intro = "An intro\nover two lines."
		got := render(t, reviews.FormatText, p)
		want := "Analysis\nTest Edition\n" + tt.byline + "\n\nAn intro over two lines.\n\nViews are the speakers’ own.\n"
		if got != want {
			t.Errorf("RenderText =\n%s\nwant\n%s", got, want)
		}
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	err := reviews.Render(&bytes.Buffer{}, newPage(), "pdf")
	if err == nil || !strings.Contains(err.Error(), `"pdf"`) || !strings.Contains(err.Error(), "text, markdown, html") {
		t.Errorf("Render(pdf) error = %v, want one naming pdf and the valid formats", err)
	}
}

func TestPlainWords(t *testing.T) {
	p := withOriginals()
	p.Edition.Intro = "The intro."
	got := reviews.PlainWords(p)
	want := "The intro.\nHard-line Kayhan wrote:\nA sample.\nنمونه\nand\nAnother sample.\nمثال\nthen\nA third sample.\nПример\n"
	if got != want {
		t.Errorf("PlainWords =\n%s\nwant\n%s", got, want)
	}
}
