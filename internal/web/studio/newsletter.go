package studio

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// "Send as newsletter" drafts a campaign from a published edition with the
// newsletter service (as `campaigns from-edition` does), shows its
// preview, and mails a test to the editor. Sending it to the list stays
// with the campaign tools (`campaigns send`, /api/campaigns).

type newsletterPage struct {
	Nav, Slug, Title string
	Published        bool
	Ready            bool
	Lists            []newsletter.List
	Campaign         *newsletter.Campaign
	Preview          newsletter.Preview
	To               string
	Notice, Error    string
	Style            string
}

func (w *work) newsletterBase(rw http.ResponseWriter, r *http.Request) (newsletterPage, bool) {
	d, ok := w.loadDoc(rw, r)
	if !ok {
		return newsletterPage{}, false
	}
	ac, _ := accounts.ActorFrom(r.Context())
	p := newsletterPage{Nav: "editions", Slug: d.Slug, Title: d.Title, Published: d.Status == reviews.Published,
		Ready: w.Letters != nil, To: ac.Email, Style: w.asset("studio-work.css")}
	ls, err := newsletter.Lists(r.Context(), w.db, false)
	if err != nil {
		w.fail(rw, r, err)
		return p, false
	}
	p.Lists = ls
	return p, true
}

func (w *work) newsletterPage(rw http.ResponseWriter, r *http.Request) {
	p, ok := w.newsletterBase(rw, r)
	if !ok {
		return
	}
	if v := r.URL.Query().Get("campaign"); v != "" && p.Ready {
		if !w.loadCampaign(rw, r, &p, v) {
			return
		}
	}
	if r.URL.Query().Get("sent") != "" {
		p.Notice = "A test was sent to " + p.To + "."
	}
	w.render(rw, r, http.StatusOK, "Newsletter: "+p.Title, "newsletter", p)
}

// loadCampaign puts campaign v, which must have been made from this
// edition, and its preview on the page.
func (w *work) loadCampaign(rw http.ResponseWriter, r *http.Request, p *newsletterPage, v string) bool {
	id, err := strconv.ParseInt(v, 10, 64)
	var c newsletter.Campaign
	if err == nil {
		c, err = newsletter.LoadCampaign(r.Context(), w.db, id)
	}
	if err != nil || c.Source != "edition:"+p.Slug {
		w.notFound(rw, r, "There is no campaign "+strconv.Quote(v)+" of this edition.")
		return false
	}
	pv, err := w.Letters.PreviewCampaign(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return false
	}
	p.Campaign, p.Preview = &c, pv
	return true
}

func (w *work) newsletterCreate(rw http.ResponseWriter, r *http.Request) {
	p, ok := w.newsletterBase(rw, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	if !p.Ready {
		w.render(rw, r, http.StatusServiceUnavailable, "Newsletter", "newsletter", p)
		return
	}
	c, err := w.Letters.CampaignFromEdition(r.Context(), r.PostForm.Get("list"), p.Slug)
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/studio/editions/%s/newsletter?campaign=%d", url.PathEscape(p.Slug), c.ID), http.StatusSeeOther)
	case errors.As(err, &ve), errors.Is(err, store.ErrNotFound):
		p.Error = upperFirst(err.Error()) + "."
		w.render(rw, r, http.StatusUnprocessableEntity, "Newsletter: "+p.Title, "newsletter", p)
	default:
		w.fail(rw, r, err)
	}
}

// newsletterTest mails the campaign to the signed-in editor only.
func (w *work) newsletterTest(rw http.ResponseWriter, r *http.Request) {
	p, ok := w.newsletterBase(rw, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	if !p.Ready {
		w.render(rw, r, http.StatusServiceUnavailable, "Newsletter", "newsletter", p)
		return
	}
	v := r.PostForm.Get("campaign")
	if !w.loadCampaign(rw, r, &p, v) {
		return
	}
	if err := w.Letters.TestSend(r.Context(), p.Campaign.ID, p.To); err != nil {
		p.Error = "The test could not be sent: " + err.Error() + "."
		w.log.ErrorContext(r.Context(), "studio test send", "campaign", p.Campaign.ID, "err", err)
		w.render(rw, r, http.StatusBadGateway, "Newsletter: "+p.Title, "newsletter", p)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/studio/editions/%s/newsletter?campaign=%d&sent=1", url.PathEscape(p.Slug), p.Campaign.ID), http.StatusSeeOther)
}
