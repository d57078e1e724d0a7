// Package subscribe serves the newsletter's public pages: the subscribe
// form, the double opt-in confirmation, subscription settings, one-click
// unsubscribe (RFC 8058) and the bounce webhook. Every page but the form is
// reached through a signed link; there are no logins and no cookies. The
// pages are drawn inside the site's layout, so they carry its header,
// navigation, stylesheet and footer.
//
// Mount it with
//
//	subscribe.Register(mux, subscribe.Deps{Service: svc, Layout: site, PrivacyURL: "/privacy"})
//
// where site is the *web.Server the mux is mounted on.
package subscribe

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store"
)

//go:embed templates
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.tmpl"))

// DefaultWording is the consent sentence shown beside the privacy link and
// recorded, word for word, in the consent ledger.
const DefaultWording = "By subscribing you agree to our"

// Layout draws a page body inside the site's layout, as a complete page;
// *web.Server is one. It answers 200; the handlers set another status
// through the writer they pass.
type Layout interface {
	RenderPage(w http.ResponseWriter, r *http.Request, status int, title string, body template.HTML) error
}

// Deps is what the handlers need.
type Deps struct {
	Service *newsletter.Service
	// Layout is the site's page layout; required.
	Layout     Layout
	PrivacyURL string // the privacy policy page
	// Wording is the consent text before the privacy link; DefaultWording
	// when empty.
	Wording string
	// Form names the form in the consent ledger ("newsletter-page").
	Form string
	// MinFillTime is how long a person takes at least to fill the form;
	// faster submissions are treated as bots. Default 3 s.
	MinFillTime time.Duration
	// PerIP and PerAddress limit submissions per hour. Defaults 20 and 3.
	PerIP, PerAddress int
	// Forms holds the rate limits and form tokens in the database;
	// default one keyed with the service's signing key.
	Forms  *forms.Guard
	Logger *slog.Logger
	// Now is the clock (tests set it).
	Now func() time.Time
}

type handler struct {
	Deps
	byIP, byAddress forms.Limit
}

// formName names the subscribe form to its tokens.
const formName = "subscribe"

// Register mounts the pages on mux at newsletter.Path*.
func Register(mux *http.ServeMux, d Deps) {
	if d.Layout == nil {
		panic("subscribe: Deps.Layout is required (the site's *web.Server)")
	}
	if d.Wording == "" {
		d.Wording = DefaultWording
	}
	if d.Form == "" {
		d.Form = "newsletter-page"
	}
	if d.MinFillTime == 0 {
		d.MinFillTime = 3 * time.Second
	}
	if d.PerIP <= 0 {
		d.PerIP = 20
	}
	if d.PerAddress <= 0 {
		d.PerAddress = 3
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Forms == nil {
		d.Forms = forms.New(d.Service.DB(), d.Service.Config().SigningKey)
	}
	h := &handler{Deps: d, byIP: forms.Limit{Bucket: "subscribe-ip", Max: d.PerIP, Window: time.Hour},
		byAddress: forms.Limit{Bucket: "subscribe-email", Max: d.PerAddress, Window: time.Hour}}
	mux.HandleFunc("GET "+newsletter.PathSubscribe, h.form)
	mux.HandleFunc("POST "+newsletter.PathSubscribe, h.subscribe)
	mux.HandleFunc("GET "+newsletter.PathConfirm, h.confirmPage)
	mux.HandleFunc("POST "+newsletter.PathConfirm, h.confirm)
	mux.HandleFunc("GET "+newsletter.PathSettings, h.settingsPage)
	mux.HandleFunc("POST "+newsletter.PathSettings, h.settings)
	mux.HandleFunc("GET "+newsletter.PathSettings+"/data", h.data)
	mux.HandleFunc("GET "+newsletter.PathUnsubscribe, h.unsubscribePage)
	mux.HandleFunc("POST "+newsletter.PathUnsubscribe, h.unsubscribe)
	mux.HandleFunc("POST "+newsletter.PathWebhook, h.webhook)
}

type link struct{ URL, Text string }

type messagePage struct {
	Title      string
	Paragraphs []string
	Link       *link
}

type buttonPage struct {
	Title      string
	Paragraphs []string
	Action     string
	Token      string
	Button     string
}

// render draws the named template inside the site layout with status.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, title, name string, data any) {
	var body bytes.Buffer
	if err := pages.ExecuteTemplate(&body, name, data); err != nil {
		h.Logger.Error("newsletter page", "template", name, "err", err)
		http.Error(w, "The page could not be drawn.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")                                               // the URL carries a token
	w.Header().Set("X-Robots-Tag", "noindex")                                                      // personal pages, never in a search engine
	if err := h.Layout.RenderPage(w, r, status, title, template.HTML(body.String())); err != nil { // html/template output
		h.Logger.Error("newsletter page layout", "template", name, "err", err)
		http.Error(w, "The page could not be drawn.", http.StatusInternalServerError)
	}
}

func (h *handler) message(w http.ResponseWriter, r *http.Request, status int, title string, paras ...string) {
	h.render(w, r, status, title, "message", messagePage{Title: title, Paragraphs: paras})
}

// fail maps an error to a page; it is the one place errors become HTTP.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, newsletter.ErrLinkExpired):
		h.render(w, r, http.StatusGone, "This link has expired", "message", messagePage{Title: "This link has expired",
			Paragraphs: []string{"Links in our emails work for a limited time. You can ask for a new one by subscribing again."},
			Link:       &link{URL: newsletter.PathSubscribe, Text: "Subscribe"}})
	case errors.Is(err, newsletter.ErrLinkInvalid):
		h.message(w, r, http.StatusBadRequest, "This link is not valid",
			"It may have been cut short or altered. Please open the link from the email again.")
	case errors.Is(err, store.ErrNotFound):
		h.message(w, r, http.StatusNotFound, "No subscription", "We have no subscription for this link; it may have been erased.")
	default:
		h.Logger.Error("newsletter", "path", r.URL.Path, "err", err)
		h.message(w, r, http.StatusInternalServerError, "Something went wrong", "Please try again in a few minutes.")
	}
}

// token verifies the t parameter (query or form) for purpose p.
func (h *handler) token(r *http.Request, p newsletter.Purpose) (string, newsletter.Token, error) {
	raw := r.FormValue("t")
	tok, err := h.Service.Signer().Verify(p, raw, h.Now())
	return raw, tok, err
}

func (h *handler) consent(r *http.Request, form string) newsletter.Consent {
	return newsletter.Consent{Form: form, IP: forms.Client(r), UserAgent: r.UserAgent()}
}
