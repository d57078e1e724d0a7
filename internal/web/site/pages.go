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
