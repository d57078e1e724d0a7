package reviews

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	"golang.org/x/text/language"
)

// Format names an output of Render.
type Format string

// The formats an edition renders to.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
)

// Formats lists every format Render accepts, so flags and error messages
// can name them.
var Formats = []Format{FormatText, FormatMarkdown, FormatHTML}

// Render writes p in format f. An unknown format is an error that names the
// valid ones, because f usually comes straight from a flag or a URL.
func Render(w io.Writer, p *Page, f Format) error {
	switch f {
	case FormatText:
		return RenderText(w, p)
	case FormatMarkdown:
		return RenderMarkdown(w, p)
	case FormatHTML:
		return RenderHTML(w, p)
	}
	names := make([]string, len(Formats))
	for i, v := range Formats {
		names[i] = string(v)
	}
	return fmt.Errorf("unknown format %q (valid formats: %s)", f, strings.Join(names, ", "))
}

// RenderText writes the edition as plain text, one paragraph per line so
// that mail clients and terminals wrap it to their own width: the header
// (category, title, dek, byline), the intro, the dated entries as "•"
// bullets with their items as "◦" bullets, the disclaimer and the series
// description, separated by blank lines. Quotes get curly quotation marks;
// an original follows its item in «guillemets».
func RenderText(w io.Writer, p *Page) error {
	e := &p.Edition
	header := lines(e.Category, e.Title, e.Dek, p.byline())
	var entries strings.Builder
	for _, en := range e.Entries {
		fmt.Fprintf(&entries, "• %s: %s\n", DateLabel(en.Date), withInline(oneLine(p.LeadIn(en)), en.Inline, func(s string) string { return s }))
		for _, pt := range en.Inline {
			if pt.Original != "" {
				fmt.Fprintf(&entries, "    «%s»\n", oneLine(pt.Original))
			}
		}
		for _, it := range en.Items {
			fmt.Fprintf(&entries, "    ◦ %s\n", itemLine(it, func(s string) string { return s }))
			for _, pt := range it.Parts {
				if pt.Original != "" {
					fmt.Fprintf(&entries, "      «%s»\n", oneLine(pt.Original))
				}
			}
		}
	}
	return writeBlocks(w, header, lines(e.Intro), entries.String(), lines(p.Disclaimer()), lines(p.Series.Description))
}

// RenderMarkdown writes the edition as CommonMark: the category, the title
// as a heading, the dek in italics, the byline, the intro, the entries as a
// nested list with the originals as block quotes under their items, the
// disclaimer in italics and the series description. Text is escaped so that
// an asterisk, a bracket or "1." in a quote stays literal wherever the
// Markdown is rendered.
func RenderMarkdown(w io.Writer, p *Page) error {
	e := &p.Edition
	blocks := []string{mdLine(e.Category)}
	if t := oneLine(e.Title); t != "" {
		blocks = append(blocks, "# "+mdEscape(t))
	}
	blocks = append(blocks, mdEmphasis(e.Dek), mdLine(p.byline()), mdLine(e.Intro))
	var list strings.Builder
	for _, en := range e.Entries {
		fmt.Fprintf(&list, "- **%s:** %s\n", mdEscape(DateLabel(en.Date)), withInline(mdEscape(oneLine(p.LeadIn(en))), en.Inline, mdEscape))
		var inlineOriginals []string
		for _, pt := range en.Inline {
			if pt.Original != "" {
				inlineOriginals = append(inlineOriginals, "  > «"+mdEscape(oneLine(pt.Original))+"»\n")
			}
		}
		list.WriteString(strings.Join(inlineOriginals, "  >\n"))
		for _, it := range en.Items {
			fmt.Fprintf(&list, "  - %s\n", mdLineStart(itemLine(it, mdEscape)))
			var originals []string
			for _, pt := range it.Parts {
				if pt.Original != "" {
					originals = append(originals, "    > «"+mdEscape(oneLine(pt.Original))+"»\n")
				}
			}
			// One block quote with a paragraph per original: separate
			// quotes would need a blank line, which makes the list loose.
			list.WriteString(strings.Join(originals, "    >\n"))
		}
	}
	blocks = append(blocks, list.String(), mdEmphasis(p.Disclaimer()), mdLine(p.Series.Description))
	for i, b := range blocks {
		if b != "" && !strings.HasSuffix(b, "\n") {
			blocks[i] += "\n"
		}
	}
	return writeBlocks(w, blocks...)
}

// RenderHTML writes the body of the edition — intro, entries, disclaimer
// and series description — as semantic HTML. The title, byline and author
// card belong to the page around it, which the web package draws. Quotes
// are <q> elements without quotation marks: the page's CSS supplies them,
// so they match the language of the page and nest correctly.
func RenderHTML(w io.Writer, p *Page) error {
	v := htmlBody{Intro: p.Edition.Intro, Disclaimer: p.Disclaimer(), Description: p.Series.Description}
	for _, en := range p.Edition.Entries {
		v.Entries = append(v.Entries, htmlEntry{Date: en.Date, Label: DateLabel(en.Date), LeadIn: p.LeadIn(en), Inline: en.Inline, Items: en.Items})
	}
	// Render into a buffer so a template error never leaves half a body
	// in a response.
	var buf bytes.Buffer
	if err := bodyTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("render edition %q: %w", p.Edition.Slug, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// PlainWords is the text a reader reads in the body of the edition — intro,
// lead-ins, quotes, narration and originals, a line each — for the web
// layer to count words and estimate reading time.
func PlainWords(p *Page) string {
	var b strings.Builder
	add := func(s string) {
		if s = oneLine(s); s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	add(p.Edition.Intro)
	for _, en := range p.Edition.Entries {
		add(p.LeadIn(en))
		for _, pt := range en.Inline {
			add(pt.Text)
			add(pt.Original)
		}
		for _, it := range en.Items {
			for _, pt := range it.Parts {
				add(pt.Text)
				add(pt.Original)
			}
		}
	}
	return b.String()
}

type htmlBody struct {
	Intro       string
	Entries     []htmlEntry
	Disclaimer  string
	Description string
}

type htmlEntry struct {
	Date   string // YYYY-MM-DD, for <time datetime>
	Label  string // "March 4"
	LeadIn string
	Inline []Part
	Items  []Item
}

var bodyTemplate = template.Must(template.New("body").Funcs(template.FuncMap{"dir": Direction}).Parse(`<div class="edition-body">
{{- with .Intro}}
<p class="intro">{{.}}</p>
{{- end}}
{{- with .Entries}}
<ul class="entries">
{{- range .}}
<li class="entry">
<p class="lead-in"><time datetime="{{.Date}}">{{.Label}}</time>: {{.LeadIn}}
{{- range .Inline}} {{if eq .Kind "quote"}}<q{{with .SourceURL}} cite="{{.}}"{{end}}>{{.Text}}</q>{{else}}{{.Text}}{{end}}{{end}}</p>
{{- range .Inline}}{{if .Original}}
<blockquote class="original" lang="{{.OriginalLang}}" dir="{{dir .OriginalLang}}">{{.Original}}</blockquote>
{{- end}}{{end}}
{{- with .Items}}
<ul class="items">
{{- range .}}
<li>
{{- range $i, $p := .Parts}}{{if $i}} {{end}}
{{- if eq $p.Kind "quote"}}<q{{with $p.SourceURL}} cite="{{.}}"{{end}}>{{$p.Text}}</q>{{else}}{{$p.Text}}{{end}}
{{- end}}
{{- range .Parts}}{{if .Original}}
<blockquote class="original" lang="{{.OriginalLang}}" dir="{{dir .OriginalLang}}">{{.Original}}</blockquote>
{{- end}}{{end -}}
</li>
{{- end}}
</ul>
{{- end}}
</li>
{{- end}}
</ul>
{{- end}}
{{- with .Disclaimer}}
<p class="disclaimer">{{.}}</p>
{{- end}}
{{- with .Description}}
<p class="series-description">{{.}}</p>
{{- end}}
</div>
`))

// rtlScripts are the ISO 15924 scripts written right to left (Unicode's
// bidirectional class R or AL), variants such as Nastaliq (Aran) included.
var rtlScripts = map[string]bool{
	"Adlm": true, "Arab": true, "Aran": true, "Armi": true, "Avst": true, "Chrs": true, "Cprt": true,
	"Elym": true, "Hatr": true, "Hebr": true, "Hung": true, "Khar": true, "Lydi": true, "Mand": true,
	"Mani": true, "Mend": true, "Merc": true, "Mero": true, "Narb": true, "Nbat": true, "Nkoo": true,
	"Orkh": true, "Ougr": true, "Palm": true, "Phli": true, "Phlp": true, "Phnx": true, "Prti": true,
	"Rohg": true, "Samr": true, "Sarb": true, "Sogd": true, "Sogo": true, "Syrc": true, "Syre": true,
	"Syrj": true, "Syrn": true, "Thaa": true, "Yezi": true,
}

// Direction is the HTML dir of text in the BCP 47 language lang, taken from
// its script: written out ("az-Arab", "fa-Latn") or the one CLDR expects
// for the language ("fa", "ckb" and "pes" are Arabic script, "he" Hebrew,
// "dv" Thaana). A tag that does not parse, or whose script is unknown,
// gets "auto" and the browser decides from the text; the import refuses
// such tags (checkLanguage), so only older stored values meet it.
func Direction(lang string) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return "auto"
	}
	script, conf := tag.Script()
	switch {
	case conf == language.No:
		return "auto"
	case rtlScripts[script.String()]:
		return "rtl"
	}
	return "ltr"
}

// byline is "By Ali Alfoneh · March 7, 2025", or the date alone when the
// edition has no authors.
func (p *Page) byline() string {
	date := LongDate(p.Edition.Date)
	names := make([]string, len(p.Authors))
	for i, a := range p.Authors {
		names[i] = a.Name
	}
	switch len(names) {
	case 0:
		return date
	case 1, 2:
		return "By " + strings.Join(names, " and ") + " · " + date
	}
	return "By " + strings.Join(names[:len(names)-1], ", ") + ", and " + names[len(names)-1] + " · " + date
}

// itemLine is an item as one line: its parts joined by single spaces, each
// passed through esc, the quotes in curly quotation marks.
func itemLine(it Item, esc func(string) string) string {
	parts := make([]string, len(it.Parts))
	for i, pt := range it.Parts {
		parts[i] = esc(oneLine(pt.Text))
		if pt.Kind == Quote {
			parts[i] = "“" + parts[i] + "”"
		}
	}
	return strings.Join(parts, " ")
}

// withInline is a lead-in followed by the entry's inline parts, as
// itemLine writes them.
func withInline(leadIn string, inline []Part, esc func(string) string) string {
	if len(inline) == 0 {
		return leadIn
	}
	return leadIn + " " + itemLine(Item{Parts: inline}, esc)
}

// oneLine joins the lines of stored text with single spaces: every
// renderer promises one paragraph per line, and in Markdown a stray blank
// line would end the list and leading spaces would start a code block.
// Other white space, such as a no-break space, is the analyst's typography
// and stays.
func oneLine(s string) string {
	var ls []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.Trim(l, " \t"); l != "" {
			ls = append(ls, l)
		}
	}
	return strings.Join(ls, " ")
}

// lines is the non-empty strings, folded to one line each and ended by a
// newline.
func lines(ss ...string) string {
	var b strings.Builder
	for _, s := range ss {
		if s = oneLine(s); s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// writeBlocks writes the non-empty blocks, each ending in a newline,
// separated by blank lines.
func writeBlocks(w io.Writer, blocks ...string) error {
	var nonEmpty []string
	for _, b := range blocks {
		if b != "" {
			nonEmpty = append(nonEmpty, b)
		}
	}
	_, err := io.WriteString(w, strings.Join(nonEmpty, "\n"))
	return err
}

// mdEscaper backslash-escapes the characters that start Markdown syntax
// anywhere in a line: emphasis, code, links, raw HTML and entities, and the
// GitHub extensions' strikethrough and tables.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `#`, `\#`, `&`, `\&`, `~`, `\~`, `|`, `\|`,
)

// mdEscape makes s literal inside a Markdown line.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdLineStart escapes what only matters at the start of a line, for an
// already escaped s: a "-" or "+" that would start a list or a rule, and
// digits followed by "." or ")" that would start a numbered list.
func mdLineStart(s string) string {
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return `\` + s
	}
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits > 0 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') {
		return s[:digits] + `\` + s[digits:]
	}
	return s
}

// mdLine is s as a Markdown paragraph of its own.
func mdLine(s string) string { return mdLineStart(mdEscape(oneLine(s))) }

// mdEmphasis is s as an italic paragraph; the opening "*" keeps the line
// start safe.
func mdEmphasis(s string) string {
	if s = oneLine(s); s != "" {
		return "*" + mdEscape(s) + "*"
	}
	return ""
}
