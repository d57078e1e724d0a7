package studio

import (
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/reviews"
)

type homePage struct {
	Actor    accounts.Actor
	Editions []editionRow
}

type editionRow struct {
	Date, Title, Series string
	Status              reviews.Status
	// PublicURL links published editions to the page readers see; drafts
	// have none yet.
	PublicURL string
	When      *stamp
}

type stamp struct{ Machine, Human string }

func (s *studio) home(w http.ResponseWriter, r *http.Request) {
	eds, err := reviews.ListEditions(r.Context(), s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ac, _ := accounts.ActorFrom(r.Context())
	p := homePage{Actor: ac}
	// The table shows each series by its name, as readers know it; a desk
	// has a handful of series, read once each.
	names := map[string]string{}
	for _, e := range eds {
		name, ok := names[e.Series]
		if !ok {
			sr, err := reviews.SeriesByKey(r.Context(), s.db, e.Series)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			name, names[e.Series] = sr.Name, sr.Name
		}
		row := editionRow{Date: e.Date, Title: e.Title, Series: name, Status: e.Status}
		if e.Status == reviews.Published {
			row.PublicURL = "/analysis/" + e.Slug
		}
		if e.PublishAt != nil {
			row.When = &stamp{Machine: e.PublishAt.UTC().Format(time.RFC3339), Human: e.PublishAt.UTC().Format("2 Jan 2006 15:04 UTC")}
		}
		p.Editions = append(p.Editions, row)
	}
	s.render(w, r, http.StatusOK, "Studio", "home", p)
}
