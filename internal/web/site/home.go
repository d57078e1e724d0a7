package site

import (
	"net/http"
	"slices"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
)

// homeView is the front page.
type homeView struct {
	SiteName string
	Latest   []card
	Edition  *card
	Series   *reviews.Series
	Events   []eventCard
}

// home serves /: the newest edition of the review, the latest analyses
// and upcoming events. The subscribe box is in the layout.
func (s *Site) home(r *http.Request) (*Response, error) {
	ctx := r.Context()
	v := homeView{SiteName: s.opts.SiteName}
	eds, _, err := posts.List(ctx, s.db, posts.Filter{Kind: posts.KindEdition}, s.now(), 1, 0)
	if err != nil {
		return nil, err
	}
	if len(eds) == 1 {
		cs, err := s.cards(ctx, eds)
		if err != nil {
			return nil, err
		}
		v.Edition = &cs[0]
		sr, err := reviews.SeriesByKey(ctx, s.db, eds[0].SeriesKey)
		if err != nil {
			return nil, err
		}
		v.Series = &sr
	}
	// The featured edition is not listed again under it: one more is read
	// so the list stays five long without it.
	latest, _, err := posts.List(ctx, s.db, posts.Filter{}, s.now(), 6, 0)
	if err != nil {
		return nil, err
	}
	latest = slices.DeleteFunc(latest, func(p *posts.Post) bool {
		return len(eds) == 1 && p.Kind == posts.KindEdition && p.ID == eds[0].ID
	})
	latest = latest[:min(5, len(latest))]
	if v.Latest, err = s.cards(ctx, latest); err != nil {
		return nil, err
	}
	evs, _, err := posts.ListEvents(ctx, s.db, s.now(), true, 4, 0)
	if err != nil {
		return nil, err
	}
	v.Events = s.eventCards(evs)
	body, err := s.render("home", v)
	if err != nil {
		return nil, err
	}
	return &Response{Head: Head{Path: "/", Type: "website",
		Description: s.opts.SiteName + ": analyses of the Iranian press, the weekly Iran Media Review, and events.",
		Feeds:       feedLinks(s.opts.SiteName, ""),
		JSONLD:      []any{s.website()}}, Body: body}, nil
}

// seriesIndex serves /series: every review series.
func (s *Site) seriesIndex(r *http.Request) (*Response, error) {
	all, err := posts.PublicSeries(r.Context(), s.db, s.now())
	if err != nil {
		return nil, err
	}
	body, err := s.render("series-index", all)
	if err != nil {
		return nil, err
	}
	return &Response{Head: Head{Title: "Review series", Path: "/series"}, Body: body}, nil
}
