package site

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
)

// feedSize is how many posts a feed carries.
const feedSize = 20

// The three feed files a listing offers, under its own path.
const (
	rssFile  = "feed.xml"
	atomFile = "atom.xml"
	jsonFile = "feed.json"
)

// feedLinks are the alternate links of a listing at base ("" for the site).
func feedLinks(title, base string) []Feed {
	return []Feed{
		{Title: title + " (RSS)", Type: "application/rss+xml", Path: base + "/" + rssFile},
		{Title: title + " (Atom)", Type: "application/atom+xml", Path: base + "/" + atomFile},
		{Title: title + " (JSON Feed)", Type: "application/feed+json", Path: base + "/" + jsonFile},
	}
}

// feedSource is what a feed lists.
type feedSource struct {
	title  string
	path   string // the listing's page
	filter posts.Filter
}

// siteFeed serves /feed.xml, /atom.xml and /feed.json.
func (s *Site) siteFeed(file string) Handler {
	return func(r *http.Request) (*Response, error) {
		return s.feed(r, file, feedSource{title: s.opts.SiteName, path: "/"})
	}
}

// listingFeed serves /{category,series,author}/{key}/{file}.
func (s *Site) listingFeed(kind string) Handler {
	return func(r *http.Request) (*Response, error) {
		key, file := r.PathValue("key"), r.PathValue("file")
		src := feedSource{path: "/" + kind + "/" + key}
		switch kind {
		case "category":
			label, err := s.categoryLabel(r)
			if err != nil {
				return nil, err
			}
			src.title, src.filter = label, posts.Filter{Category: label}
		case "series":
			sr, err := reviews.SeriesByKey(r.Context(), s.db, key)
			if err != nil {
				return nil, err
			}
			src.title, src.filter = sr.Name, posts.Filter{Series: key}
		case "author":
			a, err := posts.AuthorByKey(r.Context(), s.db, key)
			if err != nil {
				return nil, err
			}
			src.title, src.filter = a.Name, posts.Filter{Author: key}
		}
		src.title += " | " + s.opts.SiteName
		return s.feed(r, file, src)
	}
}

func (s *Site) feed(r *http.Request, file string, src feedSource) (*Response, error) {
	if file != rssFile && file != atomFile && file != jsonFile {
		return nil, store.ErrNotFound
	}
	ps, _, err := posts.List(r.Context(), s.db, src.filter, s.now(), feedSize, 0)
	if err != nil {
		return nil, err
	}
	self := src.path + "/" + file
	if src.path == "/" {
		self = "/" + file
	}
	switch file {
	case rssFile:
		return s.rss(ps, src, self)
	case atomFile:
		return s.atom(r.Context(), ps, src, self)
	}
	return s.jsonFeed(ps, src, self)
}

// updated is the newest publish time among ps: feeds must not change when
// nothing in them did, so the clock is not used.
func updated(ps []*posts.Post) time.Time {
	var t time.Time
	for _, p := range ps {
		if p.UpdatedAt.After(t) {
			t = p.UpdatedAt
		}
	}
	return t.UTC()
}

func xmlResponse(ctype string, v any) (*Response, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return &Response{ContentType: ctype, Raw: append([]byte(xml.Header), append(b, '\n')...)}, nil
}

// RSS 2.0 (https://www.rssboard.org/rss-specification).
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Self        rssSelf   `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	LastBuild   string    `xml:"lastBuildDate,omitempty"`
	Items       []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        string   `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description *rssHTML `xml:"description,omitempty"`
	Category    []string `xml:"category,omitempty"`
}

// rssHTML is an item description. RSS 2.0 calls it an "entity-encoded
// HTML" synopsis, and readers render it as HTML: plain text must be
// HTML-escaped first, or "<" and "&" in it are taken for markup (the W3C
// validator reports this). The HTML goes into a CDATA section, which
// encoding/xml splits around any "]]>", so the XML layer adds no second
// escaping for a reader to undo.
type rssHTML struct {
	HTML string `xml:",cdata"`
}

// rssDescription is the description of plain text, or nil for none.
func rssDescription(text string) *rssHTML {
	if text == "" {
		return nil
	}
	return &rssHTML{HTML: html.EscapeString(text)}
}

func (s *Site) rss(ps []*posts.Post, src feedSource, self string) (*Response, error) {
	doc := rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title: src.title, Link: s.URL(src.path), Description: src.title, Language: "en",
		Self: rssSelf{Href: s.URL(self), Rel: "self", Type: "application/rss+xml"},
	}}
	if len(ps) > 0 {
		doc.Channel.LastBuild = updated(ps).Format(time.RFC1123Z)
	}
	for _, p := range ps {
		it := rssItem{Title: p.Title, Link: s.URL(postPath(p)), GUID: s.URL(postPath(p)),
			PubDate: p.PublishAt.UTC().Format(time.RFC1123Z), Description: rssDescription(p.Dek)}
		if p.Category != "" {
			it.Category = append(it.Category, p.Category)
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	return xmlResponse("application/rss+xml; charset=utf-8", doc)
}

// Atom (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  *atomPerson `xml:"author,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Title     string       `xml:"title"`
	ID        string       `xml:"id"`
	Link      atomLink     `xml:"link"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Summary   string       `xml:"summary,omitempty"`
	Authors   []atomPerson `xml:"author"`
}

func (s *Site) atom(ctx context.Context, ps []*posts.Post, src feedSource, self string) (*Response, error) {
	at := updated(ps)
	if len(ps) == 0 {
		// Atom requires a feed's updated, and an empty feed has no post
		// to take it from: it went out as year 1. The site's last change
		// is a real time that, like a post's, moves only with content.
		if err := s.db.QueryRowContext(ctx, `SELECT changed_at FROM site_version WHERE id = 1`).Scan(&at); err != nil {
			return nil, fmt.Errorf("atom feed %s: the site's last change: %w", self, err)
		}
		at = at.UTC().Truncate(time.Second)
	}
	doc := atomFeed{Title: src.title, ID: s.URL(self), Updated: at.Format(time.RFC3339),
		Links: []atomLink{{Href: s.URL(src.path), Rel: "alternate", Type: "text/html"},
			{Href: s.URL(self), Rel: "self", Type: "application/atom+xml"}}}
	for _, p := range ps {
		e := atomEntry{Title: p.Title, ID: s.URL(postPath(p)), Link: atomLink{Href: s.URL(postPath(p)), Rel: "alternate"},
			Published: p.PublishAt.UTC().Format(time.RFC3339), Updated: p.UpdatedAt.UTC().Format(time.RFC3339), Summary: p.Dek}
		for _, a := range p.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a.Name, URI: s.URL("/author/" + a.Key)})
		}
		if len(e.Authors) == 0 {
			// Atom requires an author on the feed or on each entry.
			e.Authors = []atomPerson{{Name: s.opts.SiteName}}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return xmlResponse("application/atom+xml; charset=utf-8", doc)
}

// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Language    string         `json:"language"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary,omitempty"`
	ContentText   string           `json:"content_text"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

func (s *Site) jsonFeed(ps []*posts.Post, src feedSource, self string) (*Response, error) {
	doc := jsonFeedDoc{Version: "https://jsonfeed.org/version/1.1", Title: src.title,
		HomePageURL: s.URL(src.path), FeedURL: s.URL(self), Language: "en", Items: []jsonFeedItem{}}
	for _, p := range ps {
		it := jsonFeedItem{ID: s.URL(postPath(p)), URL: s.URL(postPath(p)), Title: p.Title, Summary: p.Dek,
			ContentText: p.Dek, DatePublished: p.PublishAt.UTC().Format(time.RFC3339),
			DateModified: p.UpdatedAt.UTC().Format(time.RFC3339)}
		if p.Image != nil {
			it.Image = s.URL(imagePath(p.Image, min(1200, p.Image.Width)))
		}
		for _, a := range p.Authors {
			it.Authors = append(it.Authors, jsonFeedAuthor{Name: a.Name, URL: s.URL("/author/" + a.Key)})
		}
		for _, t := range p.Tags {
			it.Tags = append(it.Tags, t.Name)
		}
		doc.Items = append(doc.Items, it)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return &Response{ContentType: "application/feed+json; charset=utf-8", Raw: append(b, '\n')}, nil
}
