// Package subscribe serves the newsletter's public pages: the subscribe
// form, the double opt-in confirmation, subscription settings, one-click
// unsubscribe (RFC 8058) and the bounce webhook. Every page but the form is
// reached through a signed link; there are no logins and no cookies.
//
// Mount it with
//
//	subscribe.Register(mux, subscribe.Deps{Service: svc, PrivacyURL: "/privacy"})
package subscribe

import (
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store"
)

//go:embed templates
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.tmpl"))

// DefaultWording is the consent sentence shown beside the privacy link and
// recorded, word for word, in the consent ledger.
const DefaultWording = "By subscribing you agree to our"

// Deps is what the handlers need.
type Deps struct {
	Service    *newsletter.Service
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
	Logger            *slog.Logger
	// Now is the clock (tests set it).
	Now func() time.Time
}

type handler struct {
	Deps
	byIP, byAddress *limiter
}

// Register mounts the pages on mux at newsletter.Path*.
func Register(mux *http.ServeMux, d Deps) {
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
	h := &handler{Deps: d, byIP: newLimiter(d.PerIP, time.Hour), byAddress: newLimiter(d.PerAddress, time.Hour)}
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

func (h *handler) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the URL carries a token
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, data); err != nil {
		h.Logger.Error("newsletter page", "template", name, "err", err)
	}
}

func (h *handler) message(w http.ResponseWriter, status int, title string, paras ...string) {
	h.render(w, status, "message", messagePage{Title: title, Paragraphs: paras})
}

// fail maps an error to a page; it is the one place errors become HTTP.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, newsletter.ErrLinkExpired):
		h.render(w, http.StatusGone, "message", messagePage{Title: "This link has expired",
			Paragraphs: []string{"Links in our emails work for a limited time. You can ask for a new one by subscribing again."},
			Link:       &link{URL: newsletter.PathSubscribe, Text: "Subscribe"}})
	case errors.Is(err, newsletter.ErrLinkInvalid):
		h.message(w, http.StatusBadRequest, "This link is not valid",
			"It may have been cut short or altered. Please open the link from the email again.")
	case errors.Is(err, store.ErrNotFound):
		h.message(w, http.StatusNotFound, "No subscription", "We have no subscription for this link; it may have been erased.")
	default:
		h.Logger.Error("newsletter", "path", r.URL.Path, "err", err)
		h.message(w, http.StatusInternalServerError, "Something went wrong", "Please try again in a few minutes.")
	}
}

// token verifies the t parameter (query or form) for purpose p.
func (h *handler) token(r *http.Request, p newsletter.Purpose) (string, newsletter.Token, error) {
	raw := r.FormValue("t")
	tok, err := h.Service.Signer().Verify(p, raw, h.Now())
	return raw, tok, err
}

func (h *handler) consent(r *http.Request, form string) newsletter.Consent {
	return newsletter.Consent{Form: form, IP: clientIP(r), UserAgent: r.UserAgent()}
}

// clientIP is the peer address. A proxy in front must rewrite RemoteAddr
// (the shared server's middleware does); forwarded headers are not
// trusted here because anyone can set them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
