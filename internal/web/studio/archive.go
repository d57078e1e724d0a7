package studio

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/pressreview/pressreview/internal/search"
)

// The archive reader searches the monitored articles with the query
// language of docs/search.md through internal/search, as the command line
// and the JSON API do.

// archivePageSize is a page of results: enough to scan, short enough that
// the facets beside them stay in view.
const archivePageSize = 20

type archivePage struct {
	Nav       string
	Query     string
	Sort      string
	Error     string
	Searched  bool
	Total     string
	Window    int  // search.Result.Window: the order and facets are of the newest Window matches
	Estimated bool // search.Result.Estimated: Total is an estimate
	Hits      []hitRow
	Clips     []archiveClip
	Facets    []facetGroup
	ChartSrc  string
	ChartAlt  string
	NextHref  string
	FirstHref string
}

type hitRow struct {
	Href      string
	Title     template.HTML // escaped by internal/search, matches in <mark>
	Snippet   template.HTML
	Lang, Dir string
	Outlet    string
	Camp      string
	Date      string
}

type archiveClip struct {
	Speaker, Outlet, Date, Edition string
	Text                           template.HTML
	Original                       template.HTML
	Lang, Dir                      string
	// Found links a quote the finder found, not clipped yet, in its article.
	Found string
}

type facetGroup struct {
	ID, Title string
	Links     []link
}

func (s *studio) archive(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := archivePage{Nav: "archive", Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort")}
	if p.Query == "" {
		s.render(w, r, http.StatusOK, "Archive", "archive", p)
		return
	}
	p.Searched = true
	res, err := search.Search(r.Context(), s.db, search.Request{Query: p.Query, Sort: p.Sort, Limit: archivePageSize,
		Cursor: q.Get("cursor"), Facets: true})
	if err != nil {
		var qe *search.Error
		if errors.As(err, &qe) || errors.Is(err, search.ErrInvalid) {
			p.Error = err.Error()
			s.render(w, r, http.StatusBadRequest, "Archive", "archive", p)
			return
		}
		s.fail(w, r, err)
		return
	}
	p.Total, p.Window, p.Estimated = res.ShownTotal(), res.Window, res.Estimated
	for _, h := range res.Hits {
		p.Hits = append(p.Hits, hitRow{Href: articleHref(h.ArticleID), Title: template.HTML(h.TitleHTML),
			Snippet: template.HTML(h.SnippetHTML), Lang: h.Lang, Dir: h.Dir, Outlet: h.Outlet.Name,
			Camp: h.Outlet.Orientation, Date: h.PublishedAt.UTC().Format("2006-01-02")})
	}
	for _, c := range res.Clips {
		ac := archiveClip{Speaker: c.Speaker.Name, Outlet: c.Outlet.Name, Date: c.Date, Edition: c.EditionSlug,
			Text: template.HTML(c.TextHTML), Original: template.HTML(c.OriginalHTML), Lang: c.OriginalLang, Dir: c.OriginalDir}
		if c.CandidateID != 0 {
			ac.Found = fmt.Sprintf("/studio/articles/%d#quote-%d", c.ArticleID, c.CandidateID)
		}
		p.Clips = append(p.Clips, ac)
	}
	if f := res.Facets; f != nil {
		add := func(id, title, field string, counts []search.Count, label func(search.Count) string) {
			g := facetGroup{ID: "facet-" + id, Title: title}
			for _, c := range counts {
				if c.Key == "" {
					continue
				}
				g.Links = append(g.Links, link{Label: label(c), Count: c.Count,
					Href: archiveHref(p.Query + " " + search.Filter{Field: field, Values: []string{c.Key}}.String())})
			}
			if len(g.Links) > 0 {
				p.Facets = append(p.Facets, g)
			}
		}
		key := func(c search.Count) string { return c.Key }
		add("camp", "Camp", search.FieldOrientation, f.Orientations, key)
		add("outlet", "Outlet", search.FieldOutlet, f.Outlets, func(c search.Count) string { return c.Label })
		add("lang", "Language", search.FieldLang, f.Langs, key)
	}
	if len(res.Hits) > 0 {
		p.ChartSrc = "/studio/archive/coverage.svg?" + url.Values{"q": {p.Query}}.Encode()
		p.ChartAlt = "Coverage of “" + p.Query + "”: matching articles per day, one line per camp. The counts by camp are listed beside the results."
	}
	base := url.Values{"q": {p.Query}}
	if p.Sort != "" {
		base.Set("sort", p.Sort)
	}
	if res.NextCursor != "" {
		next := url.Values{"q": {p.Query}, "cursor": {res.NextCursor}}
		if p.Sort != "" {
			next.Set("sort", p.Sort)
		}
		p.NextHref = "/studio/archive?" + next.Encode()
	}
	if q.Get("cursor") != "" {
		p.FirstHref = "/studio/archive?" + base.Encode()
	}
	s.render(w, r, http.StatusOK, "Archive: "+p.Query, "archive", p)
}

// coverageSVG is the archive's coverage chart of a query, per day by
// camp, drawn by internal/search. It is an image of its own (not inline
// SVG) because the chart styles its labels, which the site's
// Content-Security-Policy forbids inline.
func (s *studio) coverageSVG(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	c, err := search.CoverageOf(r.Context(), s.db, search.CoverageRequest{Query: q, By: search.ByOrientation})
	if err != nil {
		var qe *search.Error
		if errors.As(err, &qe) || errors.Is(err, search.ErrInvalid) {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.log.ErrorContext(r.Context(), "studio coverage", "err", err)
		http.Error(w, "The chart could not be drawn.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = c.WriteSVG(w, search.ChartOptions{Width: 720, Height: 300})
}
