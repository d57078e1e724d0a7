package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// RequireRole lets a request through to h only when it comes from someone
// whose role allows role; ActorFrom then tells handlers who it is.
// Otherwise:
//   - nobody signed in, HTML page: 303 to the sign-in page, with next= the
//     page asked for when it can be asked for again (GET);
//   - nobody signed in, JSON (Accept: application/json, a path under
//     /api/, or a bearer token): 401 with a JSON error;
//   - signed in with too low a role: 403.
func (a *Auth) RequireRole(role Role) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ac, ok, err := a.Current(r)
			switch {
			case errors.Is(err, ErrInvalidToken):
				a.unauthorized(w, r, err.Error())
			case err != nil:
				a.log.ErrorContext(r.Context(), "identify request", "method", r.Method, "path", r.URL.Path, "err", err)
				http.Error(w, "Could not check who you are; please try again.", http.StatusInternalServerError)
			case !ok:
				a.unauthorized(w, r, "sign in or send an API token")
			case !ac.Role.Allows(role):
				r = r.WithContext(withActor(r.Context(), ac))
				if wantsJSON(r) {
					writeJSONError(w, http.StatusForbidden, "your role ("+string(ac.Role)+") does not allow this; it needs "+string(role))
					return
				}
				a.cfg.Forbidden.ServeHTTP(w, r)
			default:
				h.ServeHTTP(w, r.WithContext(withActor(r.Context(), ac)))
			}
		})
		withSession := a.WithSession(check)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, ok := bearer(r); ok {
				// Scripts carry no cookies; loading a session would only
				// set one.
				check.ServeHTTP(w, r)
				return
			}
			withSession.ServeHTTP(w, r)
		})
	}
}

func (a *Auth) unauthorized(w http.ResponseWriter, r *http.Request, msg string) {
	if wantsJSON(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pressreview"`)
		writeJSONError(w, http.StatusUnauthorized, msg)
		return
	}
	target := a.cfg.LoginPath
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		target += "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// wantsJSON tells API clients from browsers.
func wantsJSON(r *http.Request) bool {
	if _, ok := bearer(r); ok {
		return true
	}
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func plainForbidden(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not allowed</title></head>` +
		`<body><main><h1>Not allowed</h1><p>Your role does not allow this page. Ask an admin if you need it.</p></main></body></html>`))
}

func withActor(ctx context.Context, ac Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, ac)
}
