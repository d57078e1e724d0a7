package newsletter

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The helpers here turn an analysis body, already rendered to sanitized
// HTML, into what a mail needs: absolute URLs in the HTML part, and a
// readable plain-text part (paragraphs, lists, quotes, link targets).

// parseFragment parses HTML as the content of a <body>.
func parseFragment(s string) ([]*html.Node, error) {
	return html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
}

func renderFragment(nodes []*html.Node) (string, error) {
	var b bytes.Buffer
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// absolutize resolves every href and src against base. A reference that
// does not parse is left alone: the sanitizer let it through, and a mail
// client will treat it no worse than the site does.
func absolutize(nodes []*html.Node, base *url.URL) {
	for _, n := range nodes {
		if n.Type == html.ElementNode {
			for i, a := range n.Attr {
				if a.Namespace == "" && (a.Key == "href" || a.Key == "src") {
					if u, err := base.Parse(strings.TrimSpace(a.Val)); err == nil {
						n.Attr[i].Val = u.String()
					}
				}
			}
		}
		var kids []*html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			kids = append(kids, c)
		}
		absolutize(kids, base)
	}
}

// fragmentText is the plain text of an HTML fragment, laid out for a
// text/plain mail part.
func fragmentText(nodes []*html.Node) string {
	var t textLayout
	for _, n := range nodes {
		t.node(n)
	}
	t.flush()
	var b strings.Builder
	for i, p := range t.paras {
		switch {
		case i == 0:
		case p.tight:
			b.WriteString("\n")
		case p.quote > 0 && t.paras[i-1].quote > 0:
			// Paragraphs of one quotation stay visibly inside it.
			b.WriteString("\n" + strings.TrimSpace(strings.Repeat("> ", min(p.quote, t.paras[i-1].quote))) + "\n")
		default:
			b.WriteString("\n\n")
		}
		b.WriteString(p.text)
	}
	return b.String()
}

type paragraph struct {
	text  string
	tight bool // a list item after the first: one line break, not two
	quote int  // blockquote depth
}

// textLayout collects inline text into the current block and emits a
// paragraph whenever a block element starts or ends.
type textLayout struct {
	cur    strings.Builder
	paras  []paragraph
	quote  int    // blockquote depth: "> " per level
	indent string // where a list item's text starts
	marker string // the current item's marker, until its first paragraph is out
	tight  bool
	pre    bool
}

func (t *textLayout) flush() {
	text := strings.TrimSpace(t.cur.String())
	t.cur.Reset()
	if text == "" {
		return
	}
	q := strings.Repeat("> ", t.quote)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if !t.pre {
			l = strings.TrimSpace(l)
		}
		lines[i] = q + t.indent + l
	}
	if t.marker != "" {
		// The marker hangs in the item's indent: "- " or "3. " then text.
		lines[0] = q + t.indent[:len(t.indent)-len(t.marker)] + t.marker + strings.TrimPrefix(lines[0], q+t.indent)
	}
	t.paras = append(t.paras, paragraph{text: strings.Join(lines, "\n"), tight: t.tight, quote: t.quote})
	// Only an item's first paragraph carries its marker and joins the
	// previous item tightly.
	t.marker, t.tight = "", false
}

func (t *textLayout) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t.node(c)
	}
}

func (t *textLayout) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if t.pre {
			t.cur.WriteString(n.Data)
		} else {
			t.cur.WriteString(collapseSpace(n.Data))
		}
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Script, atom.Style:
	case atom.Br:
		t.cur.WriteString("\n")
	case atom.Hr:
		t.flush()
		t.cur.WriteString("* * *")
		t.flush()
	case atom.Img:
		if alt := strings.TrimSpace(attr(n, "alt")); alt != "" {
			t.cur.WriteString("[" + alt + "]")
		}
	case atom.A:
		start := t.cur.Len()
		t.children(n)
		href := attr(n, "href")
		label := strings.TrimSpace(t.cur.String()[start:])
		if href != "" && href != label && !strings.HasPrefix(href, "mailto:"+label) {
			t.cur.WriteString(" (" + href + ")")
		}
	case atom.Q:
		t.cur.WriteString("“")
		t.children(n)
		t.cur.WriteString("”")
	case atom.Pre:
		t.flush()
		t.pre = true
		t.children(n)
		t.flush()
		t.pre = false
	case atom.Blockquote:
		t.flush()
		t.quote++
		t.children(n)
		t.flush()
		t.quote--
	case atom.Ul, atom.Ol:
		t.flush()
		if t.marker != "" {
			// A list right at the start of an item ("- - a"): the outer
			// item's marker gets a line of its own.
			t.paras = append(t.paras, paragraph{text: strings.Repeat("> ", t.quote) + t.indent[:len(t.indent)-len(t.marker)] + strings.TrimSpace(t.marker), tight: t.tight, quote: t.quote})
			t.marker, t.tight = "", false
		}
		outer := t.indent
		k := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom != atom.Li {
				t.node(c)
				continue
			}
			k++
			t.flush()
			// Items follow each other line by line, and a nested list
			// follows its item's text the same way.
			t.marker, t.tight = "- ", k > 1 || outer != ""
			if n.DataAtom == atom.Ol {
				t.marker = strconv.Itoa(k) + ". "
			}
			// The item's text, and any later paragraph of it, lines up
			// after the marker.
			t.indent = outer + strings.Repeat(" ", len(t.marker))
			t.children(c)
			t.flush()
		}
		t.indent, t.marker = outer, ""
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Figure, atom.Figcaption, atom.Table, atom.Tr, atom.Dl, atom.Dt, atom.Dd:
		t.flush()
		t.children(n)
		t.flush()
	case atom.Td, atom.Th:
		t.children(n)
		t.cur.WriteString("  ")
	default:
		t.children(n)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// collapseSpace folds each run of white space into one space, as a browser
// does outside <pre>.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
