package subscribe

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

type formPage struct {
	Title, Action, Email, Name, FormToken, Wording, PrivacyURL string
	Lists                                                      []newsletter.List
	Chosen                                                     map[string]bool
	Errors                                                     []string
}

func (h *handler) formData(r *http.Request) (formPage, error) {
	lists, err := newsletter.Lists(r.Context(), h.Service.DB(), true)
	if err != nil {
		return formPage{}, err
	}
	return formPage{
		Title: "Subscribe to our newsletters", Action: newsletter.PathSubscribe,
		FormToken: h.Service.Signer().Sign(newsletter.PurposeForm, newsletter.Token{Subject: "form", Issued: h.Now()}),
		Wording:   h.Wording, PrivacyURL: h.PrivacyURL, Lists: lists, Chosen: map[string]bool{},
	}, nil
}

func (h *handler) form(w http.ResponseWriter, r *http.Request) {
	p, err := h.formData(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "subscribe", p)
}

func (h *handler) thanks(w http.ResponseWriter) {
	h.message(w, http.StatusOK, "Please check your inbox",
		"We have sent you an email. Open the link in it to confirm your subscription; until then we will send you nothing else.")
}

// isBot reads the traps: the honeypot field, and a form token that is
// missing, forged, too fresh (filled faster than a person can) or a day old.
func (h *handler) isBot(r *http.Request) bool {
	if r.PostFormValue("website") != "" {
		return true
	}
	tok, err := h.Service.Signer().Verify(newsletter.PurposeForm, r.PostFormValue("ft"), h.Now())
	if err != nil {
		return true
	}
	age := h.Now().Sub(tok.Issued)
	return age < h.MinFillTime || age > 24*time.Hour
}

func (h *handler) subscribe(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.message(w, http.StatusBadRequest, "The form could not be read", err.Error())
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	// The site-wide box carries no form token (its pages are cached): it
	// leads to this full form, prefilled, where the reader chooses lists and
	// the fill-time clock starts. Nothing is stored yet.
	if r.PostFormValue("ft") == "" && r.PostFormValue("website") == "" {
		p, err := h.formData(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Email, p.Name = email, r.PostFormValue("name")
		h.render(w, http.StatusOK, "subscribe", p)
		return
	}
	if h.isBot(r) || !h.byIP.allow(clientIP(r), h.Now()) || !h.byAddress.allow(strings.ToLower(email), h.Now()) {
		// A bot, or a flood: the same answer as a success, and nothing stored.
		h.thanks(w)
		return
	}
	c := h.consent(r, h.Form)
	c.Wording = h.Wording + " Privacy Policy (" + h.PrivacyURL + ")"
	_, err := h.Service.Subscribe(r.Context(), newsletter.SubscribeRequest{
		Email: email, Name: r.PostFormValue("name"), Lists: r.PostForm["list"], Consent: c,
	})
	var ve *valid.Error
	if errors.As(err, &ve) {
		p, ferr := h.formData(r)
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		p.Email, p.Name, p.Errors = email, r.PostFormValue("name"), []string{ve.Problem}
		for _, k := range r.PostForm["list"] {
			p.Chosen[k] = true
		}
		h.render(w, http.StatusUnprocessableEntity, "subscribe", p)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.thanks(w)
}

// confirmPage only shows a button: link scanners that fetch the URL must
// not confirm anything.
func (h *handler) confirmPage(w http.ResponseWriter, r *http.Request) {
	raw, _, err := h.token(r, newsletter.PurposeConfirm)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "button", buttonPage{Title: "Confirm your subscription",
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
	h.render(w, http.StatusOK, "message", messagePage{Title: "Subscription confirmed",
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
	h.render(w, http.StatusOK, "settings", p)
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
			h.message(w, http.StatusOK, "You are unsubscribed", "We will send you no more newsletters.")
			return
		}
	case "erase":
		if r.PostFormValue("confirm") != "yes" {
			err = valid.Errorf("confirm", "tick the box to confirm that you want to be erased")
			break
		}
		if err = h.Service.Erase(ctx, tok.Subject, c); err == nil {
			h.message(w, http.StatusOK, "Your data is erased",
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
	h.render(w, status, "settings", p)
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
	h.render(w, http.StatusOK, "button", buttonPage{Title: "Unsubscribe",
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
	h.message(w, http.StatusOK, "You are unsubscribed", "We will send you no more newsletters.")
}

func (h *handler) webhook(w http.ResponseWriter, r *http.Request) {
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
