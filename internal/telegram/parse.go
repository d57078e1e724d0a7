package telegram

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/pressreview/pressreview/internal/feeds"
)

// Parse reads a preview page (UTF-8). pageURL is the address it was
// fetched from (after redirects), for the error and the relative links.
// A page without a message history is ErrNotPreview; a message the page
// renders without an id, or with nothing to read, is listed in
// Page.Skipped rather than failing the page.
func Parse(doc []byte, pageURL string) (*Page, error) {
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", pageURL, ErrNotPreview, err)
	}
	history := find(root, "tgme_channel_history")
	wraps := findAll(root, "tgme_widget_message_wrap")
	if history == nil && len(wraps) == 0 {
		return nil, fmt.Errorf("%s: %w: the page has no message history (a channel that does not exist, is private, or has its preview turned off)",
			pageURL, ErrNotPreview)
	}
	base, _ := url.Parse(pageURL)
	p := &Page{Channel: channelInfo(root)}
	for _, w := range wraps {
		post, why := parsePost(w, base)
		if why != "" {
			p.Skipped = append(p.Skipped, why)
			continue
		}
		if p.Channel.Username == "" {
			p.Channel.Username = post.Channel
		}
		p.Posts = append(p.Posts, post)
	}
	p.Before = beforeCursor(root, p.Posts)
	return p, nil
}

// channelInfo reads the header of the preview.
func channelInfo(root *html.Node) Channel {
	var c Channel
	if n := find(root, "tgme_channel_info_header_title"); n != nil {
		c.Title = textOf(n)
	}
	if n := find(root, "tgme_channel_info_header_username"); n != nil {
		c.Username = strings.TrimPrefix(textOf(n), "@")
	}
	if n := find(root, "tgme_channel_info_description"); n != nil {
		c.Description = textOf(n)
	}
	return c
}

// beforeCursor is the id the "load more" link pages back from: its
// data-before, else the before= of the page's rel=prev link. Without
// either there is no older page (the channel's first posts).
func beforeCursor(root *html.Node, posts []Post) int64 {
	for _, n := range findAll(root, "tme_messages_more") {
		if v, err := strconv.ParseInt(attr(n, "data-before"), 10, 64); err == nil && v > 0 {
			return v
		}
	}
	var prev int64
	walk(root, func(n *html.Node) bool {
		if n.DataAtom == atom.Link && attr(n, "rel") == "prev" {
			if u, err := url.Parse(attr(n, "href")); err == nil {
				if v, err := strconv.ParseInt(u.Query().Get("before"), 10, 64); err == nil && v > 0 {
					prev = v
					return false
				}
			}
		}
		return true
	})
	return prev
}

// parsePost reads one tgme_widget_message_wrap; why is non-empty when it
// is not taken as a post.
func parsePost(wrap *html.Node, base *url.URL) (p Post, why string) {
	msg := find(wrap, "tgme_widget_message")
	if msg == nil {
		return p, "a message wrapper without a message"
	}
	dp := attr(msg, "data-post")
	name, id, ok := splitPost(dp)
	if !ok {
		return p, fmt.Sprintf("a message without a post id (data-post=%q)", dp)
	}
	p.Channel, p.ID, p.URL, p.Views = name, id, PostURL(name, id), -1
	if hasClass(msg, "service_message") {
		return p, fmt.Sprintf("post %s/%d: a service message (%s)", name, id, textOf(find(msg, "tgme_widget_message_text")))
	}
	if n := find(msg, "message_media_not_supported"); n != nil && find(msg, "media_supported_cont") == nil &&
		find(msg, "tgme_widget_message_text") == nil {
		return p, fmt.Sprintf("post %s/%d: media the preview does not show", name, id)
	}
	if d := find(msg, "tgme_widget_message_date"); d != nil {
		if t := firstElement(d, atom.Time); t != nil {
			if when, err := time.Parse(time.RFC3339, attr(t, "datetime")); err == nil {
				p.Date = when.UTC()
			}
		}
	}
	if v := find(msg, "tgme_widget_message_views"); v != nil {
		if n, err := parseViews(textOf(v)); err == nil {
			p.Views = n
		}
	}
	if a := find(msg, "tgme_widget_message_from_author"); a != nil {
		p.Author = textOf(a)
	}
	if m := find(msg, "tgme_widget_message_meta"); m != nil && strings.Contains(textOf(m), "edited") {
		p.Edited = true
	}
	p.Forward = forwardOf(msg, base)
	p.Text = messageText(msg)
	p.Photos = len(findAll(msg, "tgme_widget_message_photo_wrap"))
	p.Videos = len(findAll(msg, "tgme_widget_message_video_player"))
	for _, d := range findAll(msg, "tgme_widget_message_document_title") {
		if t := textOf(d); t != "" {
			p.Documents = append(p.Documents, t)
		}
	}
	p.Link = linkPreview(msg, base)
	p.Poll = pollOf(msg)
	if strings.TrimSpace(p.Body()) == "" {
		what := "no text"
		if p.Photos+p.Videos > 0 {
			what = "media without a caption"
		}
		return p, fmt.Sprintf("post %s/%d: %s", name, id, what)
	}
	return p, ""
}

// messageText is the post's own text: the tgme_widget_message_text that
// is not inside a quoted reply or a link card.
func messageText(msg *html.Node) string {
	for _, n := range findAll(msg, "tgme_widget_message_text") {
		if inside(n, msg, "tgme_widget_message_reply", "tgme_widget_message_link_preview") {
			continue
		}
		return textOf(n)
	}
	return ""
}

func forwardOf(msg *html.Node, base *url.URL) *Forward {
	n := find(msg, "tgme_widget_message_forwarded_from_name")
	if n == nil {
		return nil
	}
	f := &Forward{Name: textOf(n), URL: feeds.ResolveURL(base, attr(n, "href"))}
	if u, err := url.Parse(f.URL); err == nil && f.URL != "" {
		if name, ok := ChannelOf(u.Scheme + "://" + u.Host + "/" + strings.Split(strings.Trim(u.Path, "/"), "/")[0]); ok {
			f.Channel = name
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) == 2 && f.Channel != "" {
			if id, err := strconv.ParseInt(parts[1], 10, 64); err == nil {
				f.PostID = id
				f.URL = PostURL(f.Channel, id)
			}
		}
	}
	return f
}

func linkPreview(msg *html.Node, base *url.URL) *LinkPreview {
	n := find(msg, "tgme_widget_message_link_preview")
	if n == nil {
		return nil
	}
	l := &LinkPreview{URL: feeds.ResolveURL(base, attr(n, "href"))}
	if s := find(n, "link_preview_site_name"); s != nil {
		l.Site = textOf(s)
	}
	if s := find(n, "link_preview_title"); s != nil {
		l.Title = textOf(s)
	}
	if s := find(n, "link_preview_description"); s != nil {
		l.Description = textOf(s)
	}
	return l
}

func pollOf(msg *html.Node) *Poll {
	n := find(msg, "tgme_widget_message_poll")
	if n == nil {
		return nil
	}
	p := &Poll{}
	if q := find(n, "tgme_widget_message_poll_question"); q != nil {
		p.Question = textOf(q)
	}
	if t := find(n, "tgme_widget_message_poll_type"); t != nil {
		p.Type = textOf(t)
	}
	for _, o := range findAll(n, "tgme_widget_message_poll_option") {
		var opt PollOption
		if t := find(o, "tgme_widget_message_poll_option_text"); t != nil {
			opt.Text = textOf(t)
		}
		if pc := find(o, "tgme_widget_message_poll_option_percent"); pc != nil {
			opt.Percent = textOf(pc)
		}
		if opt.Text != "" {
			p.Options = append(p.Options, opt)
		}
	}
	if p.Question == "" && len(p.Options) == 0 {
		return nil
	}
	return p
}

// walk visits n and its descendants in document order while visit
// returns true.
func walk(n *html.Node, visit func(*html.Node) bool) bool {
	if !visit(n) {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !walk(c, visit) {
			return false
		}
	}
	return true
}

func hasClass(n *html.Node, class string) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// find is the first descendant of n (n included) with the class.
func find(n *html.Node, class string) *html.Node {
	var found *html.Node
	walk(n, func(m *html.Node) bool {
		if hasClass(m, class) {
			found = m
			return false
		}
		return true
	})
	return found
}

// findAll lists the descendants of n with the class, not looking inside
// one found.
func findAll(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	var rec func(*html.Node)
	rec = func(m *html.Node) {
		if hasClass(m, class) {
			out = append(out, m)
			return
		}
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return out
}

func firstElement(n *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	walk(n, func(m *html.Node) bool {
		if m.Type == html.ElementNode && m.DataAtom == a {
			found = m
			return false
		}
		return true
	})
	return found
}

// inside says whether n sits, below top, in an element with one of the
// classes.
func inside(n, top *html.Node, classes ...string) bool {
	for p := n.Parent; p != nil && p != top; p = p.Parent {
		for _, c := range classes {
			if hasClass(p, c) {
				return true
			}
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the text of n with <br> as a line break, runs of spaces
// folded and lines trimmed; "" for nil.
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(m *html.Node) {
		switch {
		case m.Type == html.TextNode:
			b.WriteString(m.Data)
		case m.Type == html.ElementNode && m.DataAtom == atom.Br:
			b.WriteByte('\n')
		case m.Type == html.ElementNode && (m.DataAtom == atom.Script || m.DataAtom == atom.Style):
			return
		}
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	for _, l := range lines {
		out = append(out, strings.Join(strings.Fields(l), " "))
	}
	return strings.TrimSpace(collapseBlankLines(strings.Join(out, "\n")))
}

func collapseBlankLines(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}
