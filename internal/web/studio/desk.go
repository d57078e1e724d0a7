package studio

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// registerDesk mounts the desk's screens: the editions list, the roster
// (outlets with their feeds, people, authors) and the archive reader.
// Intake and "check now" need the intake service: see RegisterIntake.
func (s *studio) registerDesk() {
	analyst := s.auth.RequireRole(accounts.Analyst)
	editor := s.auth.RequireRole(accounts.Editor)
	handle := func(pattern string, role func(http.Handler) http.Handler, h http.HandlerFunc) {
		s.srv.Handle(pattern, role(s.limitForm(h)))
	}
	handle("GET /studio/editions", analyst, s.editions)

	handle("GET /studio/outlets", analyst, s.outletList)
	handle("GET /studio/outlets/new", editor, s.outletNew)
	handle("POST /studio/outlets", editor, s.outletCreate)
	handle("GET /studio/outlets/{key}", analyst, s.outletShow)
	handle("POST /studio/outlets/{key}", editor, s.outletUpdate)
	handle("GET /studio/feeds", analyst, s.feedList)
	handle("POST /studio/feeds/{id}/remove", editor, s.feedRemove)

	// Analysts add people: they create speakers while clipping.
	handle("GET /studio/people", analyst, s.personList)
	handle("GET /studio/people/new", analyst, s.personNew)
	handle("POST /studio/people", analyst, s.personCreate)
	handle("GET /studio/people/{key}", analyst, s.personShow)
	handle("POST /studio/people/{key}", analyst, s.personUpdate)
	handle("GET /studio/people/{key}/quotes", analyst, s.personQuotes)
	handle("POST /studio/people/proposals/dismiss", analyst, s.dismissProposal)

	handle("GET /studio/authors", analyst, s.authorList)
	handle("GET /studio/authors/new", editor, s.authorNew)
	handle("POST /studio/authors", editor, s.authorCreate)
	handle("GET /studio/authors/{key}", editor, s.authorShow)
	handle("POST /studio/authors/{key}", editor, s.authorUpdate)

	handle("GET /studio/archive", analyst, s.archive)
	handle("GET /studio/archive/coverage.svg", analyst, s.coverageSVG)
}

// newWindow is how long the desk counts as new when a person has never
// visited it.
const newWindow = 7 * 24 * time.Hour

// visitGap separates two visits: desk views closer than this are one
// visit, so reloading the desk does not reset what counts as new.
const visitGap = time.Hour

// recordVisit notes that the user looks at the desk now and returns the
// moment their previous visit ended, from which the desk counts what is
// new.
func recordVisit(ctx context.Context, db *store.DB, userID int64, now time.Time) (since time.Time, err error) {
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var last time.Time
		err := tx.QueryRowContext(ctx, `SELECT since_at, last_seen_at FROM studio_visits WHERE user_id = ?`, userID).Scan(&since, &last)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			since = now.Add(-newWindow)
			_, err = tx.ExecContext(ctx, `INSERT INTO studio_visits (user_id, since_at, last_seen_at) VALUES (?, ?, ?)`, userID, since, now)
			return err
		case err != nil:
			return err
		}
		if now.Sub(last) >= visitGap {
			since = last
		}
		_, err = tx.ExecContext(ctx, `UPDATE studio_visits SET since_at = ?, last_seen_at = ? WHERE user_id = ?`, since, now, userID)
		return err
	})
	return since.UTC(), err
}

type deskPage struct {
	Actor accounts.Actor
	// Since is the day from which articles count as new (the search's
	// after: filter has a day's precision).
	Since    string
	NewTotal link
	// Window is search.Result.Window: when set, the counts by camp and by
	// outlet are of the newest Window new articles, and the page says so.
	Window       int
	Camps        []link
	Outlets      []link
	Topics       []link
	Alerts       []alertRow
	Failing      []feedRow
	FailingCount link
	States       []link
	InProgress   []editionRow
}

// link is a count or a label that leads to the view it sums up.
type link struct {
	Label string
	Count int
	Href  string
}

type alertRow struct {
	Topic, Title, Outlet, Href string
	Lang, Dir                  string
}

// archiveHref is the archive's search for query.
func archiveHref(query string) string {
	return "/studio/archive?" + url.Values{"q": {query}}.Encode()
}

func (s *studio) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ac, _ := accounts.ActorFrom(ctx)
	now := time.Now().UTC()
	since := now.Add(-newWindow)
	if ac.UserID != 0 {
		var err error
		if since, err = recordVisit(ctx, s.db, ac.UserID, now); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p := deskPage{Actor: ac, Since: since.Format("2006-01-02")}

	// New articles, by camp and by outlet: the search's own facets, so
	// each count is exactly what its link finds.
	after := search.Filter{Field: search.FieldAfter, Values: []string{p.Since}}.String()
	res, err := search.Search(ctx, s.db, search.Request{Query: after, Limit: 1, Facets: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.NewTotal = link{Label: plural(res.Total, "article", "articles"), Count: res.Total, Href: archiveHref(after)}
	p.Window = res.Window
	if f := res.Facets; f != nil {
		for _, c := range f.Orientations {
			l := link{Label: c.Key, Count: c.Count}
			if c.Key == "" {
				l.Label = "no camp recorded"
			} else {
				l.Href = archiveHref(after + " " + search.Filter{Field: search.FieldOrientation, Values: []string{c.Key}}.String())
			}
			p.Camps = append(p.Camps, l)
		}
		for _, c := range f.Outlets {
			p.Outlets = append(p.Outlets, link{Label: c.Label, Count: c.Count,
				Href: archiveHref(after + " " + search.Filter{Field: search.FieldOutlet, Values: []string{c.Key}}.String())})
		}
	}

	topics, err := search.ListTopics(ctx, s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	alerts, err := search.ListAlerts(ctx, s.db, search.AlertFilter{UnseenOnly: true, Limit: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	unseen := map[string]int{}
	for i, a := range alerts {
		unseen[a.TopicName]++
		if i < 8 {
			p.Alerts = append(p.Alerts, alertRow{Topic: a.TopicName, Title: a.Hit.Title, Outlet: a.Hit.Outlet.Name,
				Href: articleHref(a.Hit.ArticleID), Lang: a.Hit.Lang, Dir: a.Hit.Dir})
		}
	}
	for _, t := range topics {
		p.Topics = append(p.Topics, link{Label: t.Name, Count: unseen[t.Name], Href: archiveHref(t.Query)})
	}

	fds, err := outlets.ListFeeds(ctx, s.db, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, f := range fds {
		if f.Status() == "failing" {
			p.Failing = append(p.Failing, newFeedRow(f))
		}
	}
	p.FailingCount = link{Label: plural(len(p.Failing), "failing feed", "failing feeds"), Count: len(p.Failing), Href: "/studio/feeds?status=failing"}

	eds, err := editorial.List(ctx, s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	count := map[editorial.State]int{}
	for _, e := range eds {
		count[e.State]++
		if e.State == editorial.Draft || e.State == editorial.InReview || e.State == editorial.Approved {
			p.InProgress = append(p.InProgress, newEditionRow(e))
		}
	}
	for _, st := range []editorial.State{editorial.Draft, editorial.InReview, editorial.Approved} {
		p.States = append(p.States, link{Label: stateLabel(st), Count: count[st], Href: "/studio/editions?state=" + string(st)})
	}
	s.render(w, r, http.StatusOK, "Desk", "desk", p)
}

func articleHref(id int64) string { return "/studio/articles/" + itoa(id) }

// plural picks the word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
