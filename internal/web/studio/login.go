package studio

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
)

type loginPage struct {
	Action, Next, Email, Error string
}

// maxLoginForm bounds what a sign-in post may send; an address and a
// password fit in far less.
const maxLoginForm = 16 << 10

func (s *studio) loginForm(w http.ResponseWriter, r *http.Request) {
	next := accounts.LocalPath(r.URL.Query().Get("next"), PathHome)
	if _, ok, err := s.auth.Current(r); err == nil && ok {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "Sign in", "login", loginPage{Action: PathLogin, Next: next})
}

func (s *studio) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusBadRequest, "Sign in", "login", loginPage{
			Action: PathLogin, Next: PathHome, Error: "The form could not be read; please try again.",
		})
		return
	}
	next := accounts.LocalPath(r.PostForm.Get("next"), PathHome)
	email := r.PostForm.Get("email")
	_, err := s.auth.LogIn(r, email, r.PostForm.Get("password"))
	var locked *accounts.LockedError
	switch {
	case err == nil:
		http.Redirect(w, r, next, http.StatusSeeOther)
	case errors.Is(err, accounts.ErrInvalidLogin):
		s.render(w, r, http.StatusUnprocessableEntity, "Sign in", "login", loginPage{
			Action: PathLogin, Next: next, Email: email, Error: upperFirst(err.Error()) + ".",
		})
	case errors.As(err, &locked):
		w.Header().Set("Retry-After", strconv.Itoa(int(locked.RetryAfter.Round(time.Second).Seconds())))
		s.render(w, r, http.StatusTooManyRequests, "Sign in", "login", loginPage{
			Action: PathLogin, Next: next, Email: email, Error: upperFirst(locked.Error()) + ".",
		})
	default:
		s.fail(w, r, err)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (s *studio) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.LogOut(r); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, PathLogin, http.StatusSeeOther)
}
