package subscribe

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

type formPage struct {
	Title, Action, Email, Name, FormToken, Wording, PrivacyURL string
	// Notice tells a reader who came from the site-wide box what is left
	// to do.
	Notice string
	Lists  []newsletter.List
	Chosen map[string]bool
	// Errors are the problems, by field ("email", "name", "lists"): each
	// is shown next to its field and in a summary above the form.
	Errors map[string]string
	// MaxName is the longest name the form takes, in characters.
	MaxName int
}

// fieldLabels name the fields in the error summary.
var fieldLabels = map[string]string{"email": "Email", "name": "Name", "lists": "Lists"}

// Summary is the error summary, in the order of the fields.
func (p formPage) Summary() []link {
	var out []link
	for _, f := range []string{"email", "name", "lists"} {
		if e, ok := p.Errors[f]; ok {
			target := "#" + f
			if f == "lists" && len(p.Lists) > 0 {
				target = "#list-" + p.Lists[0].Key
			}
			out = append(out, link{URL: target, Text: fieldLabels[f] + ": " + e})
		}
	}
	return out
}

// formData is the form with a token issued at issued: the form's clock
// starts then (see isBot).
func (h *handler) formData(r *http.Request, issued time.Time) (formPage, error) {
	lists, err := newsletter.Lists(r.Context(), h.Service.DB(), true)
	if err != nil {
		return formPage{}, err
	}
	return formPage{
		Title: "Subscribe to our newsletters", Action: newsletter.PathSubscribe,
		FormToken: h.Forms.Issue(formName, forms.Client(r), issued),
		Wording:   h.Wording, PrivacyURL: h.PrivacyURL, Lists: lists, Chosen: map[string]bool{},
		Errors: map[string]string{}, MaxName: newsletter.MaxNameLength,
	}, nil
}

func (h *handler) form(w http.ResponseWriter, r *http.Request) {
	p, err := h.formData(r, h.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, p.Title, "subscribe", p)
}

func (h *handler) thanks(w http.ResponseWriter, r *http.Request) {
	h.message(w, r, http.StatusOK, "Please check your inbox",
		"We have sent you an email. Open the link in it to confirm your subscription; until then we will send you nothing else.")
}

// isBot reads the traps: the honeypot field, and a form token that is
// missing, forged, issued to another address, too fresh (filled faster
// than a person can), a day old or used before. It also counts the post
// against the rate limits; a flood is answered like a bot.
func (h *handler) isBot(r *http.Request, email string) (bool, error) {
	if r.PostFormValue("website") != "" {
		return true, nil
	}
	ctx, client, now := r.Context(), forms.Client(r), h.Now()
	err := h.Forms.Consume(ctx, formName, r.PostFormValue("ft"), client, now, h.MinFillTime)
	if forms.Refused(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if ok, err := h.Forms.Allow(ctx, h.byIP, client, now); !ok || err != nil {
		return !ok, err
	}
	ok, err := h.Forms.Allow(ctx, h.byAddress, strings.ToLower(email), now)
	return !ok, err
}

func (h *handler) subscribe(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.message(w, r, http.StatusBadRequest, "The form could not be read", err.Error())
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	// The site-wide box carries no form token (its pages are cached): it
	// leads to this full form, prefilled, with the list of the page it was
	// sent from ticked and a word on what is left to do. Nothing is stored
	// yet. The reader spent the fill time in the box already, so the
	// form's clock is set back by it: pressing Subscribe at once is not
	// taken for a bot.
	if r.PostFormValue("ft") == "" && r.PostFormValue("website") == "" {
		p, err := h.formData(r, h.Now().Add(-h.MinFillTime))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Email, p.Name = email, r.PostFormValue("name")
		p.Notice = "One more step: choose your lists and press Subscribe. We will then send you an email to confirm."
		if k := h.contextList(r, r.PostFormValue("context"), p.Lists); k != "" {
			p.Chosen[k] = true
			p.Notice = "One more step: check your details and press Subscribe. We will then send you an email to confirm."
		}
		h.render(w, r, http.StatusOK, p.Title, "subscribe", p)
		return
	}
	if bot, err := h.isBot(r, email); err != nil {
		h.fail(w, r, err)
		return
	} else if bot {
		// A bot, or a flood: the same answer as a success, and nothing stored.
		h.thanks(w, r)
		return
	}
	c := h.consent(r, h.Form)
	c.Wording = h.Wording + " Privacy Policy (" + h.PrivacyURL + ")"
	_, err := h.Service.Subscribe(r.Context(), newsletter.SubscribeRequest{
		Email: email, Name: r.PostFormValue("name"), Lists: r.PostForm["list"], Consent: c,
	})
	var ve *valid.Error
	if errors.As(err, &ve) {
		p, ferr := h.formData(r, h.Now())
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		p.Email, p.Name, p.Errors[ve.Path] = email, r.PostFormValue("name"), ve.Problem
		for _, k := range r.PostForm["list"] {
			p.Chosen[k] = true
		}
		h.render(w, r, http.StatusUnprocessableEntity, p.Title, "subscribe", p)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.thanks(w, r)
}

// contextList is the key of the public list that fits the page the
// site-wide box was sent from (its path): the edition's series on an
// edition, the series on a series page, analyses on an analysis, events on
// the events pages. "" when none fits.
func (h *handler) contextList(r *http.Request, path string, public []newsletter.List) string {
	var want []string
	switch {
	case strings.HasPrefix(path, "/analysis/"):
		slug := strings.TrimPrefix(path, "/analysis/")
		if page, err := reviews.LoadPage(r.Context(), h.Service.DB(), slug); err == nil {
			want = append(want, page.Series.Key)
		}
		want = append(want, "analysis")
	case path == "/analysis":
		want = append(want, "analysis")
	case strings.HasPrefix(path, "/series/"):
		want = append(want, strings.TrimPrefix(path, "/series/"))
	case path == "/events" || strings.HasPrefix(path, "/events/"):
		want = append(want, "events")
	}
	for _, k := range want {
		for _, l := range public {
			if l.Key == k {
				return k
			}
		}
	}
	return ""
}

// confirmPage only shows a button: link scanners that fetch the URL must
// not confirm anything.
func (h *handler) confirmPage(w http.ResponseWriter, r *http.Request) {
	raw, _, err := h.token(r, newsletter.PurposeConfirm)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "Confirm your subscription", "button", buttonPage{Title: "Confirm your subscription",
		Paragraphs: []string{"Press the button to start receiving our newsletters."},
		Action:     newsletter.PathConfirm, Token: raw, Button: "Confirm my subscription"})
}

func (h *handler) confirm(w http.ResponseWriter, r *http.Request) {
	_, tok, err := h.token(r, newsletter.PurposeConfirm)
	if err == nil {
		_, err = h.Service.Confirm(r.Context(), tok.Subject, h.consent(r, "confirm-link"))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	settings := h.Service.Links().Settings(tok.Subject, 0, h.Now())
	h.render(w, r, http.StatusOK, "Subscription confirmed", "message", messagePage{Title: "Subscription confirmed",
		Paragraphs: []string{"Thank you. Your subscription is confirmed."},
		Link:       &link{URL: settings, Text: "Subscription settings"}})
}

type settingsPage struct {
	Title, Action, Token, Email, Name, DataURL, Notice string
	Lists                                              []newsletter.List
	Chosen                                             map[string]bool
	Errors                                             []string
}

func (h *handler) settingsData(r *http.Request, raw, uid string) (settingsPage, error) {
	ctx := r.Context()
	db := h.Service.DB()
	sub, err := newsletter.SubscriberByUID(ctx, db, uid)
	if err != nil {
		return settingsPage{}, err
	}
	ms, err := newsletter.Memberships(ctx, db, sub.ID)
	if err != nil {
		return settingsPage{}, err
	}
	pub, err := newsletter.Lists(ctx, db, true)
	if err != nil {
		return settingsPage{}, err
	}
	p := settingsPage{Title: "Subscription settings", Action: newsletter.PathSettings, Token: raw,
		Email: sub.Email, Name: sub.Name, Chosen: map[string]bool{},
		DataURL: newsletter.PathSettings + "/data?t=" + url.QueryEscape(raw)}
	seen := map[string]bool{}
	for _, m := range ms {
		p.Lists, seen[m.List.Key] = append(p.Lists, m.List), true
		p.Chosen[m.List.Key] = m.Status == "confirmed"
	}
	for _, l := range pub {
		if !seen[l.Key] {
			p.Lists = append(p.Lists, l)
		}
	}
	return p, nil
}

func (h *handler) settingsPage(w http.ResponseWriter, r *http.Request) {
	raw, tok, err := h.token(r, newsletter.PurposeSettings)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.settingsData(r, raw, tok.Subject)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, p.Title, "settings", p)
}

func (h *handler) settings(w http.ResponseWriter, r *http.Request) {
	raw, tok, err := h.token(r, newsletter.PurposeSettings)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, c := r.Context(), h.consent(r, "settings-page")
	switch r.PostFormValue("action") {
	case "save":
		err = h.Service.UpdateSettings(ctx, tok.Subject, r.PostFormValue("name"), r.PostForm["list"], c)
	case "unsubscribe":
		if err = h.Service.Unsubscribe(ctx, tok.Subject, c); err == nil {
			h.message(w, r, http.StatusOK, "You are unsubscribed", "We will send you no more newsletters.")
			return
		}
	case "erase":
		if r.PostFormValue("confirm") != "yes" {
			err = valid.Errorf("confirm", "tick the box to confirm that you want to be erased")
			break
		}
		if err = h.Service.Erase(ctx, tok.Subject, c); err == nil {
			h.message(w, r, http.StatusOK, "Your data is erased",
				"We keep only a one-way hash of your address, so that no one can add it to our lists again without you.")
			return
		}
	default:
		err = valid.Errorf("action", "unknown action %q", r.PostFormValue("action"))
	}
	var ve *valid.Error
	if err != nil && !errors.As(err, &ve) {
		h.fail(w, r, err)
		return
	}
	p, perr := h.settingsData(r, raw, tok.Subject)
	if perr != nil {
		h.fail(w, r, perr)
		return
	}
	status := http.StatusOK
	if ve != nil {
		p.Errors, status = []string{ve.Problem}, http.StatusUnprocessableEntity
	} else {
		p.Notice = "Your settings are saved."
	}
	h.render(w, r, status, p.Title, "settings", p)
}

func (h *handler) data(w http.ResponseWriter, r *http.Request) {
	_, tok, err := h.token(r, newsletter.PurposeSettings)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	x, err := newsletter.Export(r.Context(), h.Service.DB(), tok.Subject)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="my-newsletter-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(x)
}

// unsubscribePage only shows a button, like the confirm page: a GET must
// never unsubscribe (RFC 8058 section 3.2).
func (h *handler) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	raw, _, err := h.token(r, newsletter.PurposeUnsubscribe)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "Unsubscribe", "button", buttonPage{Title: "Unsubscribe",
		Paragraphs: []string{"Press the button to stop receiving all our newsletters."},
		Action:     newsletter.PathUnsubscribe + "?t=" + url.QueryEscape(raw), Token: raw, Button: "Unsubscribe"})
}

// unsubscribe serves both the page's button and the mail client's
// one-click POST (body "List-Unsubscribe=One-Click"): 200, no redirect, no
// cookie, no login.
func (h *handler) unsubscribe(w http.ResponseWriter, r *http.Request) {
	_, tok, err := h.token(r, newsletter.PurposeUnsubscribe)
	if err == nil {
		form := "unsubscribe-page"
		if r.PostFormValue("List-Unsubscribe") == "One-Click" {
			form = "list-unsubscribe-one-click"
		}
		err = h.Service.Unsubscribe(r.Context(), tok.Subject, h.consent(r, form))
	}
	// An erased subscriber is as unsubscribed as can be: answer the same.
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, err)
		return
	}
	h.message(w, r, http.StatusOK, "You are unsubscribed", "We will send you no more newsletters.")
}

func (h *handler) webhook(w http.ResponseWriter, r *http.Request) {
	// Switched off, the webhook is not there: a quiet 404, nothing logged,
	// whatever probes it.
	if len(h.Service.Config().WebhookKey) == 0 {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	n, err := h.Service.HandleWebhook(r.Context(), r.Header.Get(newsletter.WebhookSignatureHeader), body)
	w.Header().Set("Content-Type", "application/json")
	var ve *valid.Error
	switch {
	case errors.Is(err, newsletter.ErrWebhookSignature):
		w.WriteHeader(http.StatusUnauthorized)
	case errors.As(err, &ve):
		w.WriteHeader(http.StatusBadRequest)
	case err != nil:
		h.Logger.Error("newsletter webhook", "err", err)
		w.WriteHeader(http.StatusInternalServerError)
	}
	resp := map[string]any{"applied": n}
	if err != nil {
		resp["error"] = err.Error()
	}
	_ = json.NewEncoder(w).Encode(resp)
}
