package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/valid"
)

// Event registration takes two steps, so that nobody holds a seat, or
// makes the site mail anyone more than once, with an address that is not
// theirs:
//
//  1. GET /events/{slug}/register serves the form, never cached: it
//     carries a one-use token bound to the reader's address, beside a
//     honeypot field hidden by the stylesheet. The POST is rate-limited
//     per address and per email, validated, and stores an unconfirmed
//     registration; a new one gets one mail with a signed link.
//  2. The link's GET shows a button (link scanners must not confirm); its
//     POST holds the seat, if one is left. Unconfirmed registrations
//     expire after posts.RegistrationTTL.
//
// Bots, floods and repeats get the same answer as a real request, so the
// form tells nobody what it caught or who has registered.

// The registration form's name for its tokens and its rate limits.
const (
	registerForm      = "event-register"
	confirmLink       = "event-confirm"
	maxRegisterForm   = 16 << 10
	defaultFillTime   = 3 * time.Second
	registerPerIP     = 10
	registerPerAddr   = 3
	registerPerWindow = time.Hour
)

var (
	limitRegisterIP   = forms.Limit{Bucket: "event-register-ip", Max: registerPerIP, Window: registerPerWindow}
	limitRegisterAddr = forms.Limit{Bucket: "event-register-email", Max: registerPerAddr, Window: registerPerWindow}
)

// registerView is the registration page in each of its states.
type registerView struct {
	Path, Title, When, StartISO string
	SeatsLeft                   int
	Form                        bool // show the form (with Name, Email, Token)
	Name, Email, Token          string
	Confirm                     string // show the confirm button for this link token
	Registered                  bool
	Message, Problem            string
}

const checkInbox = "Please check your inbox: we have sent you a link to confirm your registration. " +
	"Your seat is held once you open it, within 24 hours. If you registered before, your seat is kept."

func (s *Site) registerView(e *posts.EventPage) registerView {
	loc := e.Location()
	start := e.StartsAt.In(loc)
	return registerView{Path: "/events/" + e.Slug, Title: e.Title, When: eventTime(start, e.EndsAt.In(loc)),
		StartISO: start.Format(time.RFC3339), SeatsLeft: e.SeatsLeft()}
}

func (s *Site) registerPage(e *posts.EventPage, v registerView) (*Response, error) {
	body, err := s.render("register", v)
	if err != nil {
		return nil, err
	}
	return &Response{Head: Head{Title: "Register: " + e.Title, Path: v.Path + "/register", NoIndex: true},
		Body: body, NoStore: true}, nil
}

// withForm shows the form again, with a new token for this reader.
func (s *Site) withForm(r *http.Request, e *posts.EventPage, v registerView) (*Response, error) {
	if !s.now().Before(e.StartsAt) {
		v.Problem = problemText(posts.ErrEventClosed)
	} else if e.RegistrationClosed {
		v.Problem = problemText(posts.ErrRegistrationClosed)
	} else if e.SeatsLeft() != 0 {
		v.Form, v.Token = true, s.forms.Issue(registerForm, forms.Client(r), s.now())
	} else if v.Problem == "" {
		v.Problem = problemText(posts.ErrEventFull)
	}
	return s.registerPage(e, v)
}

// registerForm serves GET /events/{slug}/register.
func (s *Site) registerForm(r *http.Request) (*Response, error) {
	e, err := s.loadEvent(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	return s.withForm(r, e, s.registerView(e))
}

// register serves POST /events/{slug}/register.
func (s *Site) register(r *http.Request) (*Response, error) {
	ctx := r.Context()
	e, err := s.loadEvent(ctx, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	v := s.registerView(e)
	// A closed event takes no registration, whatever the form holds.
	if e.RegistrationClosed {
		return s.withForm(r, e, v)
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxRegisterForm)
	if err := r.ParseForm(); err != nil {
		v.Problem = "The form could not be read; please fill it in again."
		return s.withForm(r, e, v)
	}
	v.Name, v.Email = r.PostFormValue("name"), r.PostFormValue("email")
	// A form from a page served before registration needed a token: show
	// the full form, filled in, with one.
	if r.PostFormValue("ft") == "" && r.PostFormValue("website") == "" {
		return s.withForm(r, e, v)
	}
	bot, err := s.caught(r, v.Email)
	if err != nil {
		return nil, err
	}
	if bot {
		v.Message = checkInbox
		return s.registerPage(e, v)
	}
	reg, fresh, err := posts.RequestRegistration(ctx, s.db, e.Slug, v.Name, v.Email, s.now())
	switch {
	case errors.Is(err, posts.ErrEventFull), errors.Is(err, posts.ErrEventClosed), errors.Is(err, posts.ErrRegistrationClosed),
		isValidation(err):
		v.Problem = problemText(err)
		return s.withForm(r, e, v)
	case err != nil:
		return nil, err
	}
	if fresh {
		if err := s.mailConfirmation(ctx, e, reg); err != nil {
			s.log.ErrorContext(ctx, "registration confirmation", "event", e.Slug, "err", err)
			// Without the mail the registration cannot be confirmed; drop
			// it so that the reader can try again.
			if derr := posts.DropUnconfirmed(ctx, s.db, reg.ID); derr != nil {
				return nil, errors.Join(err, derr)
			}
			v.Problem = "We could not send the confirmation email; please try again later."
			return s.withForm(r, e, v)
		}
	}
	v.Message = checkInbox
	return s.registerPage(e, v)
}

// caught reads the traps — the honeypot and the form token — and counts
// the post against the rate limits of its client address and its email.
func (s *Site) caught(r *http.Request, email string) (bool, error) {
	if r.PostFormValue("website") != "" {
		return true, nil
	}
	ctx, client, now := r.Context(), forms.Client(r), s.now()
	err := s.forms.Consume(ctx, registerForm, r.PostFormValue("ft"), client, now, s.opts.MinFillTime)
	if forms.Refused(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if ok, err := s.forms.Allow(ctx, limitRegisterIP, client, now); !ok || err != nil {
		return !ok, err
	}
	ok, err := s.forms.Allow(ctx, limitRegisterAddr, strings.ToLower(strings.TrimSpace(email)), now)
	return !ok, err
}

// confirmSubject names a registration in its link: the id, and a digest of
// the address, so that a link never confirms another registration that
// later gets the same id.
func confirmSubject(reg posts.Registration) string {
	sum := sha256.Sum256([]byte(reg.Email))
	return strconv.FormatInt(reg.ID, 10) + "-" + hex.EncodeToString(sum[:8])
}

func (s *Site) confirmURL(e *posts.EventPage, reg posts.Registration) string {
	tok := s.forms.SignLink(confirmLink, confirmSubject(reg), reg.CreatedAt.Add(posts.RegistrationTTL))
	return s.URL("/events/" + e.Slug + "/confirm?t=" + tok)
}

// confirmForm serves GET /events/{slug}/confirm: a button only, since link
// scanners open every link in a mail.
func (s *Site) confirmForm(r *http.Request) (*Response, error) {
	e, err := s.loadEvent(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	v := s.registerView(e)
	tok := r.URL.Query().Get("t")
	if _, err := s.forms.VerifyLink(confirmLink, tok, s.now()); err != nil {
		v.Problem = linkProblem(err)
		return s.registerPage(e, v)
	}
	v.Message, v.Confirm = "Press the button to confirm your registration.", tok
	return s.registerPage(e, v)
}

// confirm serves POST /events/{slug}/confirm.
func (s *Site) confirm(r *http.Request) (*Response, error) {
	ctx := r.Context()
	e, err := s.loadEvent(ctx, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	v := s.registerView(e)
	r.Body = http.MaxBytesReader(nil, r.Body, maxRegisterForm)
	subject, err := s.forms.VerifyLink(confirmLink, r.FormValue("t"), s.now())
	if err != nil {
		v.Problem = linkProblem(err)
		return s.registerPage(e, v)
	}
	idText, _, _ := strings.Cut(subject, "-")
	id, _ := strconv.ParseInt(idText, 10, 64)
	reg, booked, err := posts.ConfirmRegistration(ctx, s.db, e.Slug, id, s.now())
	switch {
	case err == nil && confirmSubject(reg) != subject:
		v.Problem = linkProblem(forms.ErrLinkInvalid)
	case err == nil:
		v.Registered = true
		v.Message = "You are registered for " + sentence(e.Title) + " We look forward to seeing you."
		if !booked {
			v.Message = "Your registration was already confirmed; your seat is kept."
		}
	case errors.Is(err, posts.ErrEventFull), errors.Is(err, posts.ErrEventClosed), errors.Is(err, posts.ErrRegistrationClosed),
		errors.Is(err, posts.ErrRegistrationExpired):
		v.Problem = problemText(err)
	default:
		return nil, err
	}
	if v.Registered {
		// The page shows the seats left; read them after the booking.
		if e, err = s.loadEvent(ctx, e.Slug); err != nil {
			return nil, err
		}
		v.SeatsLeft = e.SeatsLeft()
	}
	return s.registerPage(e, v)
}

func linkProblem(err error) string {
	if errors.Is(err, forms.ErrLinkExpired) {
		return "This link has expired: registrations must be confirmed within a day. Please register again."
	}
	return "This link is not valid; it may have been cut short. Please open it from the email again."
}

// sentence ends s with a period unless it already ends with punctuation:
// "What Next?" stays as it is, not "What Next?.".
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if last, _ := utf8.DecodeLastRuneInString(s); s == "" || strings.ContainsRune(".?!…؟", last) {
		return s
	}
	return s + "."
}

// problemText is err as a sentence for the reader: "Name is 120
// characters long; …".
func problemText(err error) string {
	var ve *valid.Error
	if errors.As(err, &ve) {
		return sentence(upperFirst(ve.Path) + " " + ve.Problem)
	}
	return sentence(upperFirst(err.Error()))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mailContext bounds a confirmation's delivery, which the reader waits
// for; it survives the reader closing the tab.
func mailContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), mailTimeout)
}
