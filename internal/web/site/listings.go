package site

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// listView is a listing page: a heading, an optional introduction, cards
// and pagination.
type listView struct {
	Heading string
	Intro   string
	Author  *posts.Author
	Cards   []card
	Pager   pager
	Feeds   []Feed
}

// listing renders one page of the posts that match f.
func (s *Site) listing(r *http.Request, f posts.Filter, path string, v listView, head Head) (*Response, error) {
	page, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	ps, total, err := posts.List(r.Context(), s.db, f, s.now(), pageSize, (page-1)*pageSize)
	if err != nil {
		return nil, err
	}
	if page > 1 && len(ps) == 0 {
		return nil, store.ErrNotFound
	}
	if v.Cards, err = s.cards(r.Context(), ps); err != nil {
		return nil, err
	}
	for i := range v.Cards {
		v.Cards[i].Top = true
	}
	v.Pager = newPager(path, page, total)
	head.Path = path
	if page > 1 {
		head.Path = path + "?page=" + strconv.Itoa(page)
	}
	head.Feeds = v.Feeds
	if head.Type == "" {
		head.Type = "website"
	}
	body, err := s.render("list", v)
	if err != nil {
		return nil, err
	}
	return &Response{Head: head, Body: body}, nil
}

// analyses serves /analysis: every post, newest first.
func (s *Site) analyses(r *http.Request) (*Response, error) {
	return s.listing(r, posts.Filter{}, "/analysis",
		listView{Heading: "Analysis", Feeds: feedLinks("All analyses", "")},
		Head{Title: "Analysis", Description: "Analyses and editions of the review series, newest first."})
}

// category serves /category/{key}.
func (s *Site) category(r *http.Request) (*Response, error) {
	label, err := s.categoryLabel(r)
	if err != nil {
		return nil, err
	}
	path := "/category/" + r.PathValue("key")
	return s.listing(r, posts.Filter{Category: label}, path,
		listView{Heading: label, Feeds: feedLinks(label, path)},
		Head{Title: label, Description: label + " from " + s.opts.SiteName + "."})
}

// categoryLabel finds the category whose URL form is the {key} of r.
func (s *Site) categoryLabel(r *http.Request) (string, error) {
	cats, err := posts.Categories(r.Context(), s.db, s.now())
	if err != nil {
		return "", err
	}
	for _, c := range cats {
		if valid.Slugify(c) == r.PathValue("key") {
			return c, nil
		}
	}
	return "", errors.Join(store.ErrNotFound, errors.New("no such category"))
}

// series serves /series/{key}: the series' description and its editions.
func (s *Site) series(r *http.Request) (*Response, error) {
	sr, err := reviews.SeriesByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	path := "/series/" + sr.Key
	return s.listing(r, posts.Filter{Series: sr.Key}, path,
		listView{Heading: sr.Name, Intro: sr.Description, Feeds: feedLinks(sr.Name, path)},
		Head{Title: sr.Name, Description: sr.Description})
}

// author serves /author/{key}: the author's card and their posts.
func (s *Site) author(r *http.Request) (*Response, error) {
	a, err := posts.AuthorByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	path := "/author/" + a.Key
	return s.listing(r, posts.Filter{Author: a.Key}, path,
		listView{Heading: a.Name, Author: &a, Feeds: feedLinks(a.Name, path)},
		Head{Title: a.Name, Description: a.Affiliation(), Type: "profile", Image: a.Photo, ImageAlt: a.Name,
			JSONLD: []any{s.person(a)}})
}

// tag serves /tag/{key}.
func (s *Site) tag(r *http.Request) (*Response, error) {
	t, err := posts.TagByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	return s.listing(r, posts.Filter{Tag: t.Key}, "/tag/"+t.Key,
		listView{Heading: "Tagged: " + t.Name},
		Head{Title: t.Name, Description: "Analyses tagged " + t.Name + "."})
}
