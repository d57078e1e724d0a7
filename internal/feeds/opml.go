package feeds

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// opmlFormat names OPML in a *ParseError.
const opmlFormat Format = "OPML"

// Subscription is one feed of an OPML outlet list. Categories is the path
// of enclosing outlines, outermost first — e.g. ["Iran", "Hard-line"] —
// which is how desks group outlets by country and political camp.
type Subscription struct {
	Title      string
	FeedURL    string // xmlUrl
	SiteURL    string // htmlUrl
	Categories []string
}

type opmlDoc struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title       string `xml:"title,omitempty"`
		DateCreated string `xml:"dateCreated,omitempty"`
	} `xml:"head"`
	Body struct {
		Outlines []outline `xml:"outline"`
	} `xml:"body"`
}

// outline keeps attributes generically because exporters disagree on their
// case (xmlUrl, xmlURL, xmlurl).
type outline struct {
	Attrs    []xml.Attr `xml:",any,attr"`
	Outlines []outline  `xml:"outline"`
}

func (o outline) attr(name string) string {
	for _, a := range o.Attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// ParseOPML reads an OPML 1.0/2.0 subscription list, flattening nested
// outlines into Subscriptions with their category path. Outlines without
// an xmlUrl are categories only.
func ParseOPML(data []byte) (title string, subs []Subscription, err error) {
	var doc opmlDoc
	if err := newXMLDecoder(data).Decode(&doc); err != nil {
		return "", nil, xmlError(opmlFormat, err)
	}
	var walk func([]outline, []string)
	walk = func(outlines []outline, path []string) {
		for _, o := range outlines {
			name := o.attr("title")
			if name == "" {
				name = o.attr("text")
			}
			if feedURL := o.attr("xmlUrl"); feedURL != "" {
				subs = append(subs, Subscription{Title: name, FeedURL: feedURL, SiteURL: o.attr("htmlUrl"),
					Categories: append([]string(nil), path...)})
			}
			if len(o.Outlines) > 0 {
				walk(o.Outlines, append(path[:len(path):len(path)], name))
			}
		}
	}
	walk(doc.Body.Outlines, nil)
	return strings.TrimSpace(doc.Head.Title), subs, nil
}

// WriteOPML writes subs as an OPML 2.0 document, nesting each under
// outlines named by its Categories, in first-seen order.
func WriteOPML(w io.Writer, title string, subs []Subscription) error {
	type node struct {
		name     string
		children []*node
		byName   map[string]*node
		subs     []Subscription
	}
	root := &node{byName: map[string]*node{}}
	for _, s := range subs {
		n := root
		for _, c := range s.Categories {
			child, ok := n.byName[c]
			if !ok {
				child = &node{name: c, byName: map[string]*node{}}
				n.byName[c] = child
				n.children = append(n.children, child)
			}
			n = child
		}
		n.subs = append(n.subs, s)
	}
	var build func(*node) []outline
	build = func(n *node) []outline {
		var out []outline
		for _, c := range n.children {
			out = append(out, outline{
				Attrs:    []xml.Attr{{Name: xml.Name{Local: "text"}, Value: c.name}, {Name: xml.Name{Local: "title"}, Value: c.name}},
				Outlines: build(c),
			})
		}
		for _, s := range n.subs {
			attrs := []xml.Attr{
				{Name: xml.Name{Local: "type"}, Value: "rss"},
				{Name: xml.Name{Local: "text"}, Value: s.Title},
				{Name: xml.Name{Local: "title"}, Value: s.Title},
				{Name: xml.Name{Local: "xmlUrl"}, Value: s.FeedURL},
			}
			if s.SiteURL != "" {
				attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "htmlUrl"}, Value: s.SiteURL})
			}
			out = append(out, outline{Attrs: attrs})
		}
		return out
	}
	doc := opmlDoc{Version: "2.0"}
	doc.Head.Title = title
	doc.Head.DateCreated = time.Now().UTC().Format(time.RFC1123Z)
	doc.Body.Outlines = build(root)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing OPML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
