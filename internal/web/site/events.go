package site

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
)

// eventCard is an event in a listing.
type eventCard struct {
	Path    string
	Title   string
	Summary string
	Day     string // "Jun 23, 2025", in the event's zone
	DayISO  string
	Image   *imageView
}

func (s *Site) eventCards(evs []*posts.EventPage) []eventCard {
	out := make([]eventCard, len(evs))
	for i, e := range evs {
		start := e.StartsAt.In(e.Location())
		out[i] = eventCard{Path: "/events/" + e.Slug, Title: e.Title, Summary: e.Summary,
			Day: start.Format("Jan 2, 2006"), DayISO: start.Format(time.DateOnly), Image: newImageView(e.ImageMeta)}
	}
	return out
}

type eventsView struct {
	Upcoming []eventCard
	Past     []eventCard
	Pager    pager
}

// events serves /events: upcoming events, then a page of past ones.
func (s *Site) events(r *http.Request) (*Response, error) {
	page, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	var v eventsView
	if page == 1 {
		up, _, err := posts.ListEvents(ctx, s.db, s.now(), true, 100, 0)
		if err != nil {
			return nil, err
		}
		v.Upcoming = s.eventCards(up)
	}
	past, total, err := posts.ListEvents(ctx, s.db, s.now(), false, pageSize, (page-1)*pageSize)
	if err != nil {
		return nil, err
	}
	if page > 1 && len(past) == 0 {
		return nil, store.ErrNotFound
	}
	v.Past, v.Pager = s.eventCards(past), newPager("/events", page, total)
	body, err := s.render("events", v)
	if err != nil {
		return nil, err
	}
	return &Response{Head: Head{Title: "Events", Path: "/events", Description: "Discussions hosted by " + s.opts.SiteName + "."}, Body: body}, nil
}

// eventView is the event page.
type eventView struct {
	*posts.EventPage
	Path      string
	When      string // in the event's zone: "Monday, June 23, 2025, 10:00–11:30 AM EDT"
	StartISO  string
	EndISO    string
	Image     *imageView
	Body      template.HTML
	Past      bool
	SeatsLeft int
}

// loadEvent reads a public event.
func (s *Site) loadEvent(ctx context.Context, slug string) (*posts.EventPage, error) {
	e, err := posts.EventBySlug(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	if !posts.Public(e.Status, e.PublishAt, s.now()) {
		return nil, errors.Join(store.ErrNotFound, errNotPublic)
	}
	return e, nil
}

// event serves /events/{slug}.
func (s *Site) event(r *http.Request) (*Response, error) {
	e, err := s.loadEvent(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	return s.eventPage(e)
}

func (s *Site) eventPage(e *posts.EventPage) (*Response, error) {
	body, err := posts.RenderMarkdown(e.Body)
	if err != nil {
		return nil, err
	}
	loc := e.Location()
	start, end := e.StartsAt.In(loc), e.EndsAt.In(loc)
	v := eventView{EventPage: e, Path: "/events/" + e.Slug, When: eventTime(start, end),
		StartISO: start.Format(time.RFC3339), EndISO: end.Format(time.RFC3339), Image: newImageView(e.ImageMeta),
		Body: body, Past: !s.now().Before(e.StartsAt), SeatsLeft: e.SeatsLeft()}
	html, err := s.render("event", v)
	if err != nil {
		return nil, err
	}
	head := Head{Title: e.Title, Description: e.Summary, Path: v.Path, Type: "website",
		JSONLD: []any{s.eventLD(e, v.Path)}}
	if v.Image != nil {
		head.Image, head.ImageAlt = v.Image.Src, v.Image.Alt
	}
	return &Response{Head: head, Body: html}, nil
}

// eventTime is the event's date and time in its own zone.
func eventTime(start, end time.Time) string {
	s := start.Format("Monday, January 2, 2006, 3:04 PM")
	if start.Format(time.DateOnly) == end.Format(time.DateOnly) {
		return s + " – " + end.Format("3:04 PM MST")
	}
	return s + " MST – " + end.Format("Monday, January 2, 2006, 3:04 PM MST")
}

// errNotPublic explains in logs why an existing page answered 404.
var errNotPublic = errors.New("not published yet")
