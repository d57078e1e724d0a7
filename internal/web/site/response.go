package site

import (
	"errors"
	"html/template"
	"net/http"
)

// Handler is a public page: it decodes the request, asks the domain and
// returns what to show. Writing, caching and error pages belong to the web
// server, so every handler maps errors to HTTP the same way.
type Handler func(r *http.Request) (*Response, error)

// Route binds a Handler to a ServeMux pattern.
type Route struct {
	Pattern string
	Handler Handler
	// Dynamic routes are never put in the page cache: their answer
	// depends on more than the stored content (a search's query, a form
	// post), or is kept in a cache of its own that a publish does not
	// empty (resized images, which are addressed by content).
	Dynamic bool
}

// Response is a page (Body inside the site layout) or, when ContentType is
// set, a document served as is (feeds, sitemap, .ics, images).
type Response struct {
	Head        Head
	Body        template.HTML
	ContentType string
	Raw         []byte
	// Filename, when set, makes the browser download Raw under that name.
	Filename string
	// Immutable content never changes at its URL (it carries a digest),
	// so browsers may keep it for a year without asking.
	Immutable bool
	// ETag, when set, spares the server hashing Raw for one: content
	// addressed by a digest already has one.
	ETag string
	// NoStore keeps the page out of every cache, the browser's included:
	// it carries a form token made for one reader.
	NoStore bool
}

// Head is what the layout puts in <head> and around the body.
type Head struct {
	Title       string
	Description string
	// Path is the canonical path of the page ("/analysis/slug"); the
	// server makes it absolute with the site URL.
	Path string
	// Type is the OpenGraph type: "article", "website", "profile".
	Type string
	// Image is a site path or URL of the page's picture, with its alt text.
	Image    string
	ImageAlt string
	// JSONLD holds structured-data objects, one script element each.
	JSONLD []any
	// Feeds are alternate links (RSS, Atom, JSON Feed) for the page.
	Feeds []Feed
	// NoIndex keeps search engines off pages such as search results.
	NoIndex bool
}

// LinksFeed reports whether the page links the feed at path itself; the
// layout links the site's RSS feed on pages that do not, so that no page
// links a feed twice.
func (h Head) LinksFeed(path string) bool {
	for _, f := range h.Feeds {
		if f.Path == path {
			return true
		}
	}
	return false
}

// Feed is one alternate representation of a listing.
type Feed struct {
	Title string
	Type  string // "application/rss+xml", "application/atom+xml", "application/feed+json"
	Path  string
}

// ErrBadRequest marks a request the site cannot answer as asked (a page
// number that is not a number); the server answers 400.
var ErrBadRequest = errors.New("bad request")
