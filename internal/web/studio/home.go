package studio

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/reviews"
)

// The desk home (s.home) is in desk.go; this file holds the editions list
// it links to.

type editionsPage struct {
	Nav      string
	State    string // the filter, "" for all
	States   []link
	Editions []editionRow
}

type editionRow struct {
	Slug, Date, Title, Series string
	State                     string
	// EditURL opens the edition in the composer; PublicURL links published
	// editions to the page readers see (drafts have none yet).
	EditURL, PublicURL string
	When               *stamp
}

type stamp struct{ Machine, Human string }

func newStamp(t time.Time) *stamp {
	t = t.UTC()
	return &stamp{Machine: t.Format(time.RFC3339), Human: t.Format("2 Jan 2006 15:04 UTC")}
}

func newEditionRow(e editorial.Summary) editionRow {
	row := editionRow{Slug: e.Slug, Date: e.Date, Title: e.Title, Series: e.Series, State: stateLabel(e.State),
		EditURL: "/studio/editions/" + e.Slug}
	if e.Status == reviews.Published {
		row.PublicURL = "/analysis/" + e.Slug
	}
	if e.ChangedAt != nil {
		row.When = newStamp(*e.ChangedAt)
	}
	return row
}

// stateLabel is a workflow state as the desk says it.
func stateLabel(s editorial.State) string { return strings.ReplaceAll(string(s), "_", " ") }

var allStates = []editorial.State{editorial.Draft, editorial.InReview, editorial.Approved, editorial.Scheduled, editorial.Published}

// editions lists every edition with its workflow state, or those in one
// state (?state=in_review), newest first.
func (s *studio) editions(w http.ResponseWriter, r *http.Request) {
	want := editorial.State(r.URL.Query().Get("state"))
	known := want == ""
	for _, st := range allStates {
		known = known || st == want
	}
	if !known {
		s.render(w, r, http.StatusBadRequest, "Editions", "message", message{Title: "Unknown state",
			Text: "There is no edition state " + strconv.Quote(string(want)) + "; the states are draft, in_review, approved, scheduled and published."})
		return
	}
	eds, err := editorial.List(r.Context(), s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := editionsPage{Nav: "editions", State: stateLabel(want)}
	count := map[editorial.State]int{}
	for _, e := range eds {
		count[e.State]++
		if want == "" || e.State == want {
			p.Editions = append(p.Editions, newEditionRow(e))
		}
	}
	p.States = append(p.States, link{Label: "all", Count: len(eds), Href: "/studio/editions"})
	for _, st := range allStates {
		p.States = append(p.States, link{Label: stateLabel(st), Count: count[st], Href: "/studio/editions?state=" + string(st)})
	}
	s.render(w, r, http.StatusOK, "Editions", "editions-list", p)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
