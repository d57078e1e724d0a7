package site

import (
	"net/http"
)

// privacy serves /privacy: what the site and its newsletter keep about
// readers. The text lives in templates/privacy.html.
func (s *Site) privacy(*http.Request) (*Response, error) {
	body, err := s.render("privacy", s.opts.SiteName)
	if err != nil {
		return nil, err
	}
	return &Response{Head: Head{Title: "Privacy Policy", Path: "/privacy",
		Description: "What " + s.opts.SiteName + " records about readers and subscribers, and why."}, Body: body}, nil
}

// search serves /search. Full-text search over the site arrives with
// package search; until then the page offers the form and the listings.
func (s *Site) search(r *http.Request) (*Response, error) {
	body, err := s.render("search", r.URL.Query().Get("q"))
	if err != nil {
		return nil, err
	}
	return &Response{Head: Head{Title: "Search", Path: "/search", NoIndex: true}, Body: body}, nil
}
