package site

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// searchView is the search page: the form, and the results of a query or
// why there are none.
type searchView struct {
	Query    string
	Problem  string // a malformed query, explained
	Searched bool   // a query that constrains something was run
	Total    int
	From, To int // the results shown, counting from 1
	Hits     []searchHit
	Pager    pager
}

// searchHit is one result. Title and Snippet are escaped text with the
// matching words in <mark>; their Lang and Dir are set for Persian and
// Arabic text so that it reads right to left inside the English page.
type searchHit struct {
	Label, Path          string
	Title                template.HTML
	TitleLang, TitleDir  string
	Snippet              template.HTML
	SnippetLang, SnipDir string
	Date, DateISO        string
}

// search serves /search?q=…&page=N over the site's public pages.
func (s *Site) search(r *http.Request) (*Response, error) {
	page, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	v := searchView{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	head := Head{Title: "Search", Path: "/search", NoIndex: true,
		Description: "Search the analyses, editions, events and authors of " + s.opts.SiteName + "."}
	if v.Query != "" {
		head.Title = "Search: " + v.Query
		if err := s.runSearch(r, &v, page); err != nil {
			return nil, err
		}
	}
	body, err := s.render("search", v)
	if err != nil {
		return nil, err
	}
	return &Response{Head: head, Body: body}, nil
}

// runSearch fills v with one page of results, or with the problem of a
// malformed query.
func (s *Site) runSearch(r *http.Request, v *searchView, page int) error {
	ctx := r.Context()
	if err := search.SyncPublished(ctx, s.db, siteContent{}, s.now()); err != nil {
		return err
	}
	first := (page - 1) * pageSize
	res, err := search.SearchPublished(ctx, s.db, search.PublishedRequest{Query: v.Query, Offset: first, Limit: pageSize})
	var qe *search.Error
	if errors.As(err, &qe) {
		v.Problem = qe.Error()
		return nil
	}
	if err != nil || !res.Searched {
		return err
	}
	v.Searched = true
	v.Total = res.Total
	if page > 1 && len(res.Hits) == 0 {
		return store.ErrNotFound
	}
	v.From, v.To = first+1, first+len(res.Hits)
	v.Pager = newPager("/search?q="+url.QueryEscape(v.Query), page, v.Total)
	v.Pager.PrevLabel, v.Pager.NextLabel = "Previous", "Next"
	for _, d := range res.Hits {
		// The engine escapes the text it marks.
		hit := searchHit{Label: d.Label, Path: d.Path, Title: template.HTML(d.TitleHTML), DateISO: d.Day,
			Snippet: template.HTML(d.SnippetHTML)}
		hit.TitleLang, hit.TitleDir = text.LangDir(d.Title)
		hit.SnippetLang, hit.SnipDir = text.LangDir(d.Text)
		if d.Day != "" {
			hit.Date = reviews.LongDate(d.Day)
		}
		v.Hits = append(v.Hits, hit)
	}
	return nil
}
