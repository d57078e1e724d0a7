package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// prune removes page furniture before readability scores the page: share
// bars, related-story lists, cookie and newsletter boxes, author bios,
// captions and credits, hidden elements. Readability.js skips such blocks
// only while it looks for the best candidate; once a candidate is chosen it
// keeps whatever sits inside it, and a cookie banner with more prose than a
// short article can win outright. Measured on trafilatura's evaluation set
// (bench/extract), this is where go-readability loses its precision.
//
// The vocabulary is trafilatura's (trafilatura/xpaths.py,
// OVERALL_DISCARD_XPATH, TEASER_DISCARD_XPATH and DISCARD_IMAGE_ELEMENTS;
// Apache-2.0), restated as Go predicates because no Go library evaluates
// those XPath expressions with their regular-expression extension. Two
// guards of our own keep it from eating the article: a block that holds a
// large share of the page's text is never removed (a theme that calls its
// article wrapper "post-meta-content" is not furniture), and a short author
// line is left for readability, which reads the byline from it.
func prune(doc *html.Node) {
	body := findBody(doc)
	if body == nil {
		return
	}
	lengths := map[*html.Node]int{}
	total := textLength(body, lengths)
	keep := map[*html.Node]bool{}
	markContent(body, keep, countArticles(body) == 1)
	var doomed []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			// A <template> is never shown; a block named for the page's
			// chrome (<footer>, <nav>, <aside>) goes even when its content
			// looks like an article's: readability judges prose, not place.
			doom := c.DataAtom == atom.Template ||
				(prunedTags[c.DataAtom] || !keep[c] && furniture(c, lengths[c])) && lengths[c]*guardShare < total*guardDenominator
			if doom {
				doomed = append(doomed, c)
				continue
			}
			walk(c)
		}
	}
	walk(body)
	for _, n := range doomed {
		n.Parent.RemoveChild(n)
	}
}

// A block holding more than 2/5 of the page's text is kept whatever its
// class says.
const (
	guardShare       = 5
	guardDenominator = 2
)

// bylineMax is readability's own limit for a byline (isValidByline): an
// author block shorter than this may be the byline; longer, it is a bio.
const bylineMax = 100

// Elements dropped by tag (trafilatura's MANUALLY_CLEANED, the part that
// readability keeps).
var prunedTags = map[atom.Atom]bool{
	atom.Aside: true, atom.Footer: true, atom.Nav: true, atom.Menu: true,
	atom.Figcaption: true, atom.Dialog: true, atom.Form: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Label: true,
}

// Blocks whose class or id names furniture: trafilatura's lists apply to
// these tags only (its "div, item, list, p, section, span").
var blockTags = map[atom.Atom]bool{
	atom.Div: true, atom.Section: true, atom.P: true, atom.Span: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
}

// The vocabularies below restate trafilatura's regular expressions as
// plain token lists (see words): Go's regexp runs a long alternation
// through its NFA, which made these tests most of pruning's cost.
var (
	// Tokens tested on both id and class.
	discardBoth = []string{"^shar", "social", "viral", "newsletter", "syndication", "tags", "sidebar",
		"banner", "bread-crumb", "breadcrumb", "button", "caption", "mvp-post-add-", "infinite-scroll", "infinitescroll"}
	discardID = words(discardBoth, "^jp-", "^dpsp-content", "footer", "Footer", "share", "Share", "nav", "Nav",
		"menu", "related", "message-container", "premium", "paywall", "cookie", "hidden", "copyright",
		"^comment", "^Comment", "^comol", "^disqus_thread", "^dsq-comments", "^respond")
	discardCls = words(discardBoth, "^nav", "^post-nav", "subnav", "avigation", "navbar", "navbox", "menu",
		"=ad", "-ad-", "outbrain", "taboola", "criteo", "paid-content", "paidcontent", "footer", "Footer",
		"share-", "sociable", "embedded", "copyright", "credit", "^comment", "^Comment", "article-comments",
		"post-comments", "comment-list", "commentlist", "tag-list", "consent", "modal", "login", "teaser-list",
		"permission", "sr-only", "screen-reader", "visually-hidden", "=d-none", "elated", "next-", "-stories",
		"most-popular", "rating", "timestamp", "user-info", "user-profile", "article-infos", "overlay",
		"obfuscated", "cookie", "^hide-", "-hide-", "hide-print", " hidden", " hide", "comments-title",
		"nocomments", "-reply-", "akismet", "suggest-links")
	// Author blocks: a bio, unless short enough to be the byline.
	authorAttr = words(nil, "~author", "~byline")
)

// Containers that name themselves the article (trafilatura's BODY_XPATH
// vocabulary): they and their ancestors are never furniture, whatever else
// their class says ("widget Blog" on Blogger, "article-content
// sticky-sidebar" on news themes).
var (
	contentID = words(nil, "^post-#", "entry-content", "article-content", "art-content", "article__content",
		"article-body", "article__body", "articlebody", "articleBody", "body-text", "^articleContent$",
		"^primary", "story-body", "content-main", "content-body", "contentBody", "main-content")
	contentCls = words(nil, "^post$", "^entry$", "post-text", "post_text", "post-body", "post-entry",
		"postentry", "post-content", "post_content", "postcontent", "postContent", "post_inner_wrapper",
		"article-text", "articletext", "articleText", "entry-content", "page-content", "text-content",
		"article-content", "art-content", "article__content", "article-body", "article__body", "articlebody",
		"articleBody", "ArticleContent", "body-text", "article__container", "story-content", "storycontent",
		"story-body", "field-body", "content-main", "content_main", "content-body", "content__body",
		"main-content")
)

// vocabulary is a list of tests on an attribute value: "x" holds x,
// "^x" starts with x, "^x$" is x, "=x" has x as one of its
// space-separated tokens, "~x" holds x in any case, "^x#" is x followed by
// digits only.
type vocabulary []string

func words(base []string, more ...string) vocabulary {
	return append(append(vocabulary{}, base...), more...)
}

func (v vocabulary) match(s string) bool {
	if s == "" {
		return false
	}
	var lower string
	for _, w := range v {
		switch {
		case strings.HasPrefix(w, "~"):
			if lower == "" {
				lower = strings.ToLower(s)
			}
			if strings.Contains(lower, w[1:]) {
				return true
			}
		case strings.HasPrefix(w, "="):
			for _, f := range strings.Fields(s) {
				if f == w[1:] {
					return true
				}
			}
		case strings.HasPrefix(w, "^") && strings.HasSuffix(w, "$"):
			if s == w[1:len(w)-1] {
				return true
			}
		case strings.HasPrefix(w, "^") && strings.HasSuffix(w, "#"):
			if rest, ok := strings.CutPrefix(s, w[1:len(w)-1]); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
				return true
			}
		case strings.HasPrefix(w, "^"):
			if strings.HasPrefix(s, w[1:]) {
				return true
			}
		default:
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

// markContent marks the content containers under n and their ancestors;
// it reports whether n holds one.
func markContent(n *html.Node, keep map[*html.Node]bool, oneArticle bool) bool {
	held := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && markContent(c, keep, oneArticle) {
			held = true
		}
	}
	if !held && n.Type == html.ElementNode {
		switch {
		case n.DataAtom == atom.Article && oneArticle, n.DataAtom == atom.Main,
			attr(n, "itemprop") == "articleBody", attr(n, "role") == "main":
			held = true
		default:
			id, class := attr(n, "id"), attr(n, "class")
			held = contentID.match(id) || contentCls.match(class)
		}
	}
	if held {
		keep[n] = true
	}
	return held
}

// countArticles counts the <article> elements under n: one is the page's
// article; several are teasers (in a sidebar, a "more stories" box) and
// protect nothing.
func countArticles(n *html.Node) int {
	c := 0
	if n.Type == html.ElementNode && n.DataAtom == atom.Article {
		c++
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c += countArticles(k)
	}
	return c
}

// furniture reports whether n is named or marked as page furniture (the
// tags of prunedTags are the caller's).
func furniture(n *html.Node, length int) bool {
	if attr(n, "aria-hidden") == "true" || hasAttr(n, "hidden") || hiddenStyle(attr(n, "style")) {
		return true
	}
	if !blockTags[n.DataAtom] {
		return false
	}
	if strings.Contains(strings.ToLower(attr(n, "role")), "nav") {
		return true
	}
	id, class := attr(n, "id"), attr(n, "class")
	if id == "" && class == "" {
		return false
	}
	if (authorAttr.match(id) || authorAttr.match(class)) && length > bylineMax {
		return true
	}
	return discardID.match(id) || discardCls.match(class)
}

func hiddenStyle(style string) bool {
	if style == "" {
		return false
	}
	s := strings.ReplaceAll(strings.ToLower(style), " ", "")
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}

// textLength records the length in bytes of the visible text under each
// element and returns the total under n.
func textLength(n *html.Node, lengths map[*html.Node]int) int {
	switch n.Type {
	case html.TextNode:
		return len(strings.TrimSpace(n.Data))
	case html.ElementNode:
		if n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Noscript {
			return 0
		}
	}
	sum := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		sum += textLength(c, lengths)
	}
	if n.Type == html.ElementNode {
		lengths[n] = sum
	}
	return sum
}

func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

// trimTail removes, from the end of the article readability chose, the
// furniture that sits after the last paragraph of prose: related-story
// links ("Auch interessant: …"), source and author lines ("Quelle: dpa",
// "Autoren: …"), "back to the list", "Kommentar verfassen", a heading with
// nothing under it. Readability judges link density and length per
// candidate container, not per paragraph, so such lines inside the chosen
// container stay; on trafilatura's evaluation set two thirds of the
// boilerplate we kept sat there. A block goes when it is mostly links, or
// short and not a sentence (no closing punctuation); the first real
// paragraph from the end stops the trimming. A page whose tail would be
// more than half its text (a link roundup) is left alone.
func trimTail(article *html.Node) {
	if article == nil {
		return
	}
	var blocks []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if leafBlock(c) {
				if textRunes(c) > 0 {
					blocks = append(blocks, c)
				}
				continue
			}
			walk(c)
		}
	}
	walk(article)
	doomed := map[*html.Node]bool{}
	for i := len(blocks) - 1; i >= 0 && tailFurniture(blocks[i]); i-- {
		doomed[blocks[i]] = true
	}
	// At the head: the date, author and category lines before the first
	// sentence ("23.10.2018", "Kategorie: News", "Publikacja: …").
	for i := 0; i < len(blocks) && !doomed[blocks[i]] && headFurniture(blocks[i]); i++ {
		doomed[blocks[i]] = true
	}
	// Anywhere: "Read more: <a>…</a>", "Lea también: …", "Czytaj też: …".
	for _, b := range blocks {
		if seeAlso(b) || creditLine(b) {
			doomed[b] = true
		}
	}
	removed := 0
	for n := range doomed {
		removed += textRunes(n)
	}
	if removed*2 > textRunes(article) {
		return
	}
	for n := range doomed {
		n.Parent.RemoveChild(n)
	}
}

func tailFurniture(n *html.Node) bool {
	all := textRunes(n)
	switch {
	case all <= linkBlockMax && linkRunes(n)*10 >= all*8:
		return true
	case headings[n.DataAtom]:
		return true
	case all <= tailNoticeMax && notice(n):
		return true
	case all <= tailLineMax && n.DataAtom != atom.Li:
		// A list item need not be a sentence: ingredients, steps.
		return !sentence(n)
	}
	return false
}

// seeAlso reports whether n is a cross-reference line: a short label with
// a colon, then a link that makes most of the line.
func seeAlso(n *html.Node) bool {
	all := textRunes(n)
	if all > linkBlockMax || linkRunes(n)*2 < all {
		return false
	}
	t := strings.TrimSpace(nodeText(n))
	i := strings.IndexAny(t, ":»>")
	return i > 0 && len([]rune(t[:i])) <= seeAlsoLabel && linkRunes(n) > 0
}

// creditLine reports whether n is a short picture credit or source line
// ("Foto: dpa", "© AFP / Marco Bertorello", "Credit: Grist"): captions
// that sit in the text instead of a <figcaption>.
func creditLine(n *html.Node) bool {
	if textRunes(n) > creditMax {
		return false
	}
	t := strings.TrimSpace(nodeText(n))
	if strings.HasPrefix(t, "©") || strings.HasPrefix(t, "(©") {
		return true
	}
	i := strings.IndexByte(t, ':')
	return i > 0 && creditLabels[strings.ToLower(strings.Trim(t[:i], "( "))]
}

// creditMax: a credit line is short.
const creditMax = 100

// Labels of credit lines, in the languages of the evaluation pages and
// the desk's own (fa, ar).
var creditLabels = map[string]bool{
	"foto": true, "fotos": true, "bild": true, "bilder": true, "photo": true, "photos": true,
	"credit": true, "credits": true, "crédit": true, "crédits": true, "crédits photos": true,
	"image": true, "picture": true, "fotografía": true, "zdjęcie": true, "fot": true,
	"عکس": true, "تصویر": true, "صورة": true, "الصورة": true,
}

// seeAlsoLabel is the longest label of a cross-reference ("Lesen Sie auch").
const seeAlsoLabel = 30

func headFurniture(n *html.Node) bool {
	if headings[n.DataAtom] || n.DataAtom == atom.Li {
		return false
	}
	all := textRunes(n)
	return all <= headLineMax && !sentence(n) || all <= tailNoticeMax && notice(n)
}

// headLineMax: a metadata line at the head of an article.
const headLineMax = 60

// sentence reports whether the text of n ends like a sentence.
func sentence(n *html.Node) bool {
	t := []rune(strings.TrimSpace(nodeText(n)))
	if len(t) == 0 {
		return false
	}
	return strings.ContainsRune(".!?…。！？）」؟»”\"'“)", t[len(t)-1])
}

// notice reports whether n reads like the site talking to its reader —
// newsletter and subscription offers, sharing and comment prompts,
// copyright, advertising, "read more" — words that end a page, not an
// article. The phrases are specific on purpose: a news story's last line
// may well say that an official "declined to comment" or that "shares
// fell", and must stay.
func notice(n *html.Node) bool {
	t := strings.ToLower(nodeText(n))
	for _, w := range noticeWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// tailNoticeMax: a notice is a line or two.
const tailNoticeMax = 200

var noticeWords = []string{
	// The site talking: subscriptions, comments, sharing, rights.
	"newsletter", "subscribe to", "sign up", "abonnieren", "suscríb", "s'abonner", "leave a comment",
	"comments are closed", "kommentar schreiben", "kommentar verfassen", "kommentare", "share this",
	"share on", "teilen sie", "artikel teilen", "comparte", "partager", "©", "all rights reserved",
	"alle rechte",
	// Advertising.
	"advertisement", "sponsored", "affiliate", "anzeige", "werbung", "publicité", "publicidad", "reklama",
	// Pointers elsewhere, sign-in, donations, post metadata.
	"read more", "also like", "interessieren", "weiterlesen", "schon gelesen", "lesen sie auch",
	"lee también", "le puede interesar", "veja também", "follow us", "folgen sie", "registrier",
	"eingeloggt", "log in", "spenden sie", "permalink", "permalien", "posted in",
	// The desk's own languages.
	"خبرنامه", "به اشتراک بگذارید", "نظر خود را", "کلیه حقوق", "بیشتر بخوانید", "مطالب مرتبط",
	"جميع الحقوق", "اشترك في", "النشرة البريدية", "اقرأ أيضا", "اقرأ أيضاً", "تابعونا",
}

// tailLineMax: longer than this, a line at the end is prose, whatever its
// punctuation.
const tailLineMax = 100

var headings = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// linkBlockMax: a related-link line is short; a longer block that is all
// links is more likely a list the article is about.
const linkBlockMax = 300

// Blocks of text in readability's output.
var linkBlocks = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Div: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
}

func linkRunes(n *html.Node) int {
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		return textRunes(n)
	}
	sum := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		sum += linkRunes(c)
	}
	return sum
}

func textRunes(n *html.Node) int {
	if n.Type == html.TextNode {
		return len([]rune(strings.TrimSpace(n.Data)))
	}
	if invisible(n) {
		return 0
	}
	sum := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		sum += textRunes(c)
	}
	return sum
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (linkBlocks[c.DataAtom] || hasBlockChild(c)) {
			return true
		}
	}
	return false
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var w func(*html.Node)
	w = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case invisible(n):
			return
		case n.DataAtom == atom.Br:
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w(c)
		}
	}
	w(n)
	return b.String()
}

// ownText reports whether n holds text directly, not only in child
// elements: such text is a block of its own however n is named.
func ownText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return true
		}
	}
	return false
}

// invisible reports whether n is an element whose text is not shown.
func invisible(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Noscript || n.DataAtom == atom.Template)
}
