package extract

import (
	"html/template"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Readability scores containers by commas and paragraph length, so a page
// whose article sits beside a list with many commas — a letter and its
// signatories "Name, University", a table of MPs and their addresses, a
// stack of editorial notices — can lose the article to the list. On
// trafilatura's evaluation set that is most of the pages where nothing we
// extracted was right. proseBlock is the second opinion: the block of the
// page that holds the most prose, where prose is paragraphs of sentences
// with few links. When readability's choice holds far less prose than this
// block, the block wins.

// proseBlock returns the element under doc with the best balance of prose
// over other text, and the prose it holds (in runes).
func proseBlock(doc *html.Node) (*html.Node, int) {
	body := findBody(doc)
	if body == nil {
		return nil, 0
	}
	var best *html.Node
	bestScore, bestProse := 0, 0
	var walk func(n *html.Node) (prose, other int)
	walk = func(n *html.Node) (prose, other int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				other += textRunes(c)
			case c.Type != html.ElementNode, c.DataAtom == atom.Script, c.DataAtom == atom.Style, c.DataAtom == atom.Noscript:
			case leafBlock(c):
				if isProse(c) {
					prose += textRunes(c)
				} else {
					other += textRunes(c)
				}
			default:
				p, o := walk(c)
				prose += p
				other += o
			}
		}
		// Other text counts half against: a little furniture around the
		// article is cheaper than losing a paragraph of it.
		if score := prose - other/2; score > bestScore {
			best, bestScore, bestProse = n, score, prose
		}
		return prose, other
	}
	walk(body)
	return best, bestProse
}

// proseIn is the prose readability's choice holds.
func proseIn(n *html.Node) int {
	if leafBlock(n) {
		if isProse(n) {
			return textRunes(n)
		}
		return 0
	}
	prose := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if leafBlock(c) {
				if isProse(c) {
					prose += textRunes(c)
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return prose
}

// A paragraph of prose: long enough to be more than a line, ends like a
// sentence, and is not mostly a link.
const proseMin = 80

func isProse(n *html.Node) bool {
	all := textRunes(n)
	if all < proseMin || linkRunes(n)*10 >= all*3 {
		return false
	}
	if all <= proseLong {
		return sentence(n)
	}
	// A long block (text run on with <br>s) is prose when sentences end
	// in it often enough, however its last line ends, and its lines are
	// paragraphs rather than the entries of a list.
	t := nodeText(n)
	lines := 0
	for _, l := range strings.Split(t, "\n") {
		if strings.TrimSpace(l) != "" {
			lines++
		}
	}
	return (sentence(n) || sentenceEnds(t)*proseSentence >= all) && all >= lines*proseLine
}

// proseLong and proseSentence: a block longer than proseLong runes is prose
// with a sentence end every proseSentence runes or more often.
const (
	proseLong     = 400
	proseSentence = 250
	proseLine     = 60
)

func sentenceEnds(s string) int {
	n := 0
	prev := rune(0)
	for _, r := range s {
		if unicode.IsSpace(r) && strings.ContainsRune(".!?…。؟", prev) {
			n++
		}
		prev = r
	}
	return n
}

func leafBlock(n *html.Node) bool {
	return (linkBlocks[n.DataAtom] && !hasBlockChild(n)) || ownText(n)
}

// proseText renders n, a detached copy it trims, as Extract's Text and
// HTML: one paragraph a block, whitespace folded. The HTML is built from the
// text alone, so nothing of the page's markup passes through.
func proseText(n *html.Node) (text, markup string) {
	trimTail(n)
	var paras []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Noscript {
				continue
			}
			if leafBlock(c) {
				if t := cleanLine(nodeText(c)); t != "" {
					paras = append(paras, t)
				}
				continue
			}
			walk(c)
		}
	}
	if leafBlock(n) {
		paras = append(paras, cleanLine(nodeText(n)))
	} else {
		walk(n)
	}
	var b strings.Builder
	for _, p := range paras {
		b.WriteString("<p>")
		b.WriteString(template.HTMLEscapeString(p))
		b.WriteString("</p>\n")
	}
	return strings.Join(paras, "\n\n"), b.String()
}

// The prose block replaces readability's choice when it holds proseRatio
// times more prose, and at least proseSwitch runes of it: a sentence or
// two is no article.
const (
	proseRatio  = 3
	proseSwitch = 400
)

// clone copies the subtree under n, detached.
func clone(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: n.Attr}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.AppendChild(clone(k))
	}
	return c
}
