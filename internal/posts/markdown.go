package posts

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	nethtml "golang.org/x/net/html"
)

// Analyses are written in Markdown. Raw HTML is let through the Markdown
// step so an author can mark a Persian or Arabic passage with
// <span lang="fa" dir="rtl"> or quote with <q>, and the result is then
// sanitized: whatever an author (or an imported file) writes, no script,
// style or event handler reaches a reader.
var (
	markdown = goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Typographer),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	sanitizer = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowAttrs("lang", "dir").Globally()
		p.AllowElements("q", "figure", "figcaption")
		p.AllowAttrs("cite").OnElements("q", "blockquote")
		return p
	}()
)

// RenderMarkdown turns an analysis body into safe HTML.
func RenderMarkdown(src string) (template.HTML, error) {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return "", err
	}
	return template.HTML(sanitizer.SanitizeBytes(b.Bytes())), nil
}

// PlainText is the text a reader reads in an HTML fragment, for word
// counts: tags and link targets do not count as words.
func PlainText(fragment template.HTML) string {
	var b strings.Builder
	z := nethtml.NewTokenizer(strings.NewReader(string(fragment)))
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return b.String()
		case nethtml.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		}
	}
}
