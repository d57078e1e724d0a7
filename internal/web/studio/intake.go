package studio

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

// RegisterIntake mounts the screens that fetch through the intake
// service: manual intake (/studio/intake), a feed's "check now" and an
// outlet's "add a feed". They run the same domain functions as `articles
// add`, `articles paste`, `feeds check` and `feeds add`.
func RegisterIntake(srv *web.Server, db *store.DB, auth *accounts.Auth, svc *ingest.Service) {
	s := &studio{srv: srv, db: db, auth: auth, log: slog.Default()}
	analyst := auth.RequireRole(accounts.Analyst)
	srv.Handle("GET /studio/intake", analyst(http.HandlerFunc(s.intakeForm)))
	srv.Handle("POST /studio/intake", analyst(intakeHandler{s, svc}))
	srv.Handle("POST /studio/feeds/{id}/check", analyst(checkHandler{s, svc}))
	srv.Handle("POST /studio/outlets/{key}/feeds", auth.RequireRole(accounts.Editor)(feedAddHandler{s, svc}))
}

type intakePage struct {
	Nav   string
	URL   form
	Paste form
}

// outletOptions lists the roster for a select; blank is the first
// option's label (empty value).
func outletOptions(os []outlets.Outlet, blank, selected string) []option {
	out := []option{{Value: "", Label: blank}}
	for _, o := range os {
		out = append(out, option{Value: o.Key, Label: o.Name, Selected: o.Key == selected})
	}
	return out
}

func intakeForms(os []outlets.Outlet) intakePage {
	byURL := form{ID: "by-url", Action: "/studio/intake", Submit: "Fetch and store",
		Fields: []field{
			{Name: "url", Label: "Article URL", Kind: "url", Required: true},
			{Name: "outlet", Label: "Outlet", Kind: "select", Options: outletOptions(os, "The outlet whose site it is", ""),
				Hint: "Leave it to the outlet whose homepage or feed is on the URL's host."},
		}}
	paste := form{ID: "paste", Action: "/studio/intake", Submit: "Store the text",
		Fields: []field{
			{Name: "outlet", Label: "Outlet", Kind: "select", Options: outletOptions(os, "Choose the outlet", ""), Required: true},
			{Name: "date", Label: "Publication date", Kind: "date", Required: true},
			{Name: "source", Label: "Source", Required: true, Hint: `Where the text comes from: "print edition, p. 2", "IRIB TV news at 20:00", "Telegram @channel".`},
			{Name: "title", Label: "Title", Auto: true, Hint: "Default: the HTML's title or the first line."},
			{Name: "language", Label: "Language", Hint: "A language code (fa, ar, en); default: detected from the text."},
			{Name: "url", Label: "Link to the original", Kind: "url", Hint: "If there is one, such as the Telegram post."},
			{Name: "text", Label: "Text or HTML", Kind: "textarea", Size: 12, Required: true, Auto: true},
		}}
	return intakePage{Nav: "archive", URL: byURL, Paste: paste}
}

func (s *studio) intakeForm(w http.ResponseWriter, r *http.Request) {
	os, err := outlets.ListOutlets(r.Context(), s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "Add an article", "intake", intakeForms(os))
}

type intakeHandler struct {
	s   *studio
	svc *ingest.Service
}

// ServeHTTP stores the article of one of the two forms and opens it.
func (h intakeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, ctx := h.s, r.Context()
	// A paste may be as large as a fetched page; the form's other fields
	// are small.
	r.Body = http.MaxBytesReader(w, r.Body, h.svc.PasteLimit()+64<<10)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusRequestEntityTooLarge, "Add an article", "message", message{Title: "The text is too large",
			Text: "The pasted text is larger than the intake takes (PRESSREVIEW_FETCH_MAX_BYTES). Split it into articles."})
		return
	}
	os, err := outlets.ListOutlets(ctx, s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := intakeForms(os)
	var a ingest.Article
	var f *form
	if r.PostFormValue("form") == "paste" {
		f = &p.Paste
		f.fill(r.PostFormValue)
		paste := ingest.Paste{OutletKey: f.value("outlet"), Source: strings.TrimSpace(f.value("source")),
			Title: strings.TrimSpace(f.value("title")), URL: strings.TrimSpace(f.value("url")),
			Lang: strings.TrimSpace(f.value("language")), Body: []byte(f.value("text"))}
		if d := f.value("date"); d != "" {
			paste.Date, err = ingest.ParseDate(d)
		}
		if err == nil {
			a, _, err = h.svc.AddPasted(ctx, paste)
		}
	} else {
		f = &p.URL
		f.fill(r.PostFormValue)
		// A page the outlet's server refuses comes back as an error on
		// the URL, in the fetcher's words.
		a, _, err = h.svc.AddURL(ctx, f.value("outlet"), strings.TrimSpace(f.value("url")))
	}
	if err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "Add an article", "intake", p)
		return
	}
	http.Redirect(w, r, articleHref(a.ID), http.StatusSeeOther)
}

type checkHandler struct {
	s   *studio
	svc *ingest.Service
}

// ServeHTTP checks one feed now, as `feeds check ID` does, and shows its
// outlet with the feed's new health. A failing feed is not an error here:
// the outlet page shows what went wrong.
func (h checkHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.s.notFoundOr(w, r, store.ErrNotFound)
		return
	}
	// The check goes on if the analyst closes the page: its result is
	// recorded on the feed either way.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Minute)
	defer cancel()
	res, err := h.svc.PollFeed(ctx, id)
	if err != nil {
		h.s.notFoundOr(w, r, err)
		return
	}
	http.Redirect(w, r, "/studio/outlets/"+res.Feed.OutletKey+"?checked="+itoa(id)+"#feed-"+itoa(id), http.StatusSeeOther)
}
