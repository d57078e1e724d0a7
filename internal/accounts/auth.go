// Package accounts holds pressreview's staff: accounts with roles,
// passwords, sign-in with lockout, sessions kept in the database (so that
// several instances share them), API tokens for scripts, and the
// middleware that protects the studio and the staff APIs.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/store"
)

// Config configures Auth. Every field has a usable zero value.
type Config struct {
	// SiteURL is the public base URL; an https URL makes the session
	// cookie Secure (and __Host- prefixed, so no subdomain can set it).
	SiteURL string
	// LoginPath is the sign-in page; default "/studio/login".
	LoginPath string
	// Lifetime bounds a session however busy; default 7 days.
	Lifetime time.Duration
	// IdleTimeout ends a session unused this long; default 12 hours, so an
	// analyst keeps a working day's session but not a forgotten one. To
	// move the deadline, scs saves the session on every request.
	IdleTimeout time.Duration
	// Forbidden answers a signed-in person whose role is too low for an
	// HTML page; default a plain page. studio.Forbidden renders it in the
	// site layout.
	Forbidden http.Handler
	Logger    *slog.Logger
	// Now is the clock of the sign-in lockout; default time.Now. Sessions
	// use the wall clock, as scs does.
	Now func() time.Time
}

// Auth signs staff in and out and guards handlers.
type Auth struct {
	db       *store.DB
	sessions *scs.SessionManager
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
}

// Session keys.
const (
	keyUserID = "user_id"
	keyEpoch  = "epoch"
)

// New returns an Auth on db.
func New(db *store.DB, cfg Config) *Auth {
	if cfg.LoginPath == "" {
		cfg.LoginPath = "/studio/login"
	}
	if cfg.Lifetime == 0 {
		cfg.Lifetime = 7 * 24 * time.Hour
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 12 * time.Hour
	}
	if cfg.Forbidden == nil {
		cfg.Forbidden = http.HandlerFunc(plainForbidden)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	sm := scs.New()
	sm.Store = NewSessionStore(db)
	sm.HashTokenInStore = true
	sm.Lifetime = cfg.Lifetime
	sm.IdleTimeout = cfg.IdleTimeout
	sm.Cookie.Name = "pressreview_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	if strings.HasPrefix(cfg.SiteURL, "https://") {
		sm.Cookie.Secure = true
		sm.Cookie.Name = "__Host-pressreview_session"
	}
	a := &Auth{db: db, sessions: sm, cfg: cfg, log: cfg.Logger, now: cfg.Now}
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		a.log.ErrorContext(r.Context(), "session", "method", r.Method, "path", r.URL.Path, "err", err)
		http.Error(w, "The session could not be loaded or saved; please try again.", http.StatusInternalServerError)
	}
	return a
}

type sessionLoaded struct{}

// WithSession loads the session before h and saves it after. Handlers
// that sign in or out need it; RequireRole applies it itself. Applying it
// twice is harmless.
func (a *Auth) WithSession(h http.Handler) http.Handler {
	marked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionLoaded{}, true)))
	})
	saved := a.sessions.LoadAndSave(marked)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(sessionLoaded{}) != nil {
			h.ServeHTTP(w, r)
			return
		}
		saved.ServeHTTP(w, r)
	})
}

// LogIn checks email and password from the client's address (see
// LoginFrom and forms.Client) and, when they match,
// starts a session for the account under a new token, so that a token
// planted before sign-in is worthless after. r must have passed through
// WithSession.
func (a *Auth) LogIn(r *http.Request, email, password string) (User, error) {
	u, err := a.LoginFrom(r.Context(), email, password, forms.Client(r))
	if err != nil {
		return User{}, err
	}
	if err := a.sessions.RenewToken(r.Context()); err != nil {
		return User{}, fmt.Errorf("start session for %s: %w", u.Email, err)
	}
	a.sessions.Put(r.Context(), keyUserID, u.ID)
	a.sessions.Put(r.Context(), keyEpoch, u.sessionEpoch)
	return u, nil
}

// LogOut ends the session of r, which must have passed through
// WithSession.
func (a *Auth) LogOut(r *http.Request) error {
	if err := a.sessions.Destroy(r.Context()); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// Actor is who makes a request: a signed-in staff member or an API token.
type Actor struct {
	UserID  int64 // 0 for a token
	TokenID int64 // 0 for a person
	Name    string
	Email   string // "" for a token
	Role    Role
}

type actorKey struct{}

// ActorFrom returns the actor RequireRole let through.
func ActorFrom(ctx context.Context) (Actor, bool) {
	ac, ok := ctx.Value(actorKey{}).(Actor)
	return ac, ok
}

// Current identifies who makes r: the bearer of a valid API token, or the
// account of the session. ok is false when nobody is signed in; err is
// ErrInvalidToken for a bad token. Without an Authorization header, r
// must have passed through WithSession.
func (a *Auth) Current(r *http.Request) (Actor, bool, error) {
	if secret, ok := bearer(r); ok {
		t, err := VerifyToken(r.Context(), a.db, secret)
		if err != nil {
			return Actor{}, false, err
		}
		return Actor{TokenID: t.ID, Name: t.Name, Role: t.Role}, true, nil
	}
	ctx := r.Context()
	id := a.sessions.GetInt64(ctx, keyUserID)
	if id == 0 {
		return Actor{}, false, nil
	}
	u, err := UserByID(ctx, a.db, id)
	switch {
	case errors.Is(err, store.ErrNotFound), err == nil && (u.Disabled || u.sessionEpoch != a.sessions.GetInt64(ctx, keyEpoch)):
		// The account was deleted, disabled or given a new password since
		// this session began.
		return Actor{}, false, a.LogOut(r)
	case err != nil:
		return Actor{}, false, err
	}
	return Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role}, true, nil
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true // some other scheme: present, and invalid here
	}
	return strings.TrimSpace(token), true
}
