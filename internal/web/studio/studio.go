// Package studio serves the analysts' and editors' screens: sign-in and
// sign-out, the desk home, the roster, the archive reader and manual
// intake, clipping and the edition composer, and the editing of analyses,
// events and images. Every page but the
// sign-in form requires a role (see accounts.RequireRole); cross-site
// form posts are refused by the web server's CrossOriginProtection.
package studio

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

//go:embed templates
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.tmpl"))

// Paths of the studio.
const (
	PathHome   = "/studio/"
	PathLogin  = "/studio/login"
	PathLogout = "/studio/logout"
)

type studio struct {
	srv  *web.Server
	db   *store.DB
	auth *accounts.Auth
	log  *slog.Logger
}

// Register mounts the studio on srv. auth's LoginPath must be PathLogin
// (its default).
func Register(srv *web.Server, db *store.DB, auth *accounts.Auth) {
	s := &studio{srv: srv, db: db, auth: auth, log: slog.Default()}
	srv.Handle("GET "+PathLogin, auth.WithSession(http.HandlerFunc(s.loginForm)))
	srv.Handle("POST "+PathLogin, auth.WithSession(http.HandlerFunc(s.login)))
	srv.Handle("POST "+PathLogout, auth.WithSession(http.HandlerFunc(s.logout)))
	srv.Handle("GET /studio", http.RedirectHandler(PathHome, http.StatusMovedPermanently))
	srv.Handle("GET "+PathHome+"{$}", auth.RequireRole(accounts.Analyst)(http.HandlerFunc(s.home)))
	s.registerDesk()
	s.registerPosts()
}

// Forbidden is the page for a signed-in person whose role is too low, in
// the site layout; pass it as accounts.Config.Forbidden.
func Forbidden(srv *web.Server) http.Handler {
	s := &studio{srv: srv, log: slog.Default()}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		text := "Your role does not allow this page. Ask an admin of the desk if you need it."
		if ac, ok := accounts.ActorFrom(r.Context()); ok {
			text = "Your role (" + string(ac.Role) + ") does not allow this page. Ask an admin of the desk if you need it."
		}
		s.render(w, r, http.StatusForbidden, "Not allowed", "message", message{Title: "Not allowed", Text: text})
	})
}

type message struct{ Title, Text string }

// fail answers with a generic error page and logs the cause, which may
// hold details staff should not see in a browser.
func (s *studio) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "studio", "method", r.Method, "path", r.URL.Path, "err", err)
	s.render(w, r, http.StatusInternalServerError, "Something went wrong", "message", message{
		Title: "Something went wrong",
		Text:  "The studio could not do this because of an error on our side. It has been logged; please try again in a moment.",
	})
}

// render writes the named template inside the site layout with status.
func (s *studio) render(w http.ResponseWriter, r *http.Request, status int, title, name string, data any) {
	var body bytes.Buffer
	if err := pages.ExecuteTemplate(&body, name, data); err != nil {
		s.log.ErrorContext(r.Context(), "studio template", "name", name, "err", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
		return
	}
	// Every studio page links the studio's own stylesheet (a <link> in
	// the body is valid HTML and keeps the site's layout untouched).
	page := body.String()
	if css, err := s.srv.Asset("studio.css"); err == nil {
		page = `<link rel="stylesheet" href="` + template.HTMLEscapeString(css) + `">` + "\n" + page
	}
	// Staff pages are private and change with every edit.
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	if err := s.srv.RenderPage(w, r, status, title, template.HTML(page)); err != nil {
		s.log.ErrorContext(r.Context(), "studio layout", "name", name, "err", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
	}
}
