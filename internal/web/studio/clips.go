package studio

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// clipboardLimit is how many clips the clipboard shows at once; the
// exports carry every clip the filters choose.
const clipboardLimit = 200

type clipboardPage struct {
	Nav      string
	Filter   clipFilterForm
	Clips    []clipboardRow
	Editions []editorial.Summary
	Export   string
	More     bool
	Error    string
	Style    string
}

type clipFilterForm struct {
	Speaker, Outlet, Camp, After, Before, Edition, Status string
}

type clipboardRow struct {
	clips.Clip
	Lang, Dir string
	Diff      []lineRow
}

func (w *work) clipboard(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ff := clipFilterForm{Speaker: strings.TrimSpace(q.Get("speaker")), Outlet: q.Get("outlet"), Camp: q.Get("camp"),
		After: q.Get("after"), Before: q.Get("before"), Edition: q.Get("edition"), Status: q.Get("status")}
	p, err := w.clipboardPage(r, ff)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	status := http.StatusOK
	if p.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	w.render(rw, r, status, "Clips", "clips", p)
}

func (w *work) clipboardPage(r *http.Request, ff clipFilterForm) (clipboardPage, error) {
	p := clipboardPage{Nav: "clips", Filter: ff, Style: w.asset("studio-work.css")}
	eds, err := editorial.List(r.Context(), w.db)
	if err != nil {
		return p, err
	}
	p.Editions = eds
	f := clips.Filter{Speaker: ff.Speaker, Outlet: ff.Outlet, Camp: ff.Camp, After: ff.After, Before: ff.Before,
		Edition: ff.Edition, Status: ff.Status, Limit: clipboardLimit + 1}
	cs, err := w.Clips.List(r.Context(), f)
	var ce *clips.Error
	if errors.As(err, &ce) {
		p.Error = ce.Field + ": " + ce.Message
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if len(cs) > clipboardLimit {
		cs, p.More = cs[:clipboardLimit], true
	}
	for _, c := range cs {
		b := bidiIn(c.Original, c.OriginalLang)
		p.Clips = append(p.Clips, clipboardRow{Clip: c, Lang: b.Lang, Dir: b.Dir, Diff: textDiffRows(c.Diff)})
	}
	v := url.Values{}
	for k, s := range map[string]string{"speaker": ff.Speaker, "outlet": ff.Outlet, "camp": ff.Camp, "after": ff.After,
		"before": ff.Before, "edition": ff.Edition, "status": ff.Status} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if len(v) > 0 {
		p.Export = "?" + v.Encode()
	}
	return p, nil
}

// clipsToEntry turns the chosen clips into one entry at the end of an
// edition: their outlets and speakers with labels from the roster, a
// quote per clip, and the lead-in suggested in house style, all of which
// the composer then lets the analyst edit.
func (w *work) clipsToEntry(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	slug := r.PostForm.Get("edition")
	var chosen []clips.Clip
	for _, v := range r.PostForm["clip"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			w.badForm(rw, r)
			return
		}
		c, err := w.Clips.Get(r.Context(), id)
		if err != nil {
			var ce *clips.Error
			if errors.As(err, &ce) && ce.Code == clips.NotFound {
				w.notFound(rw, r, "There is no clip "+v+".")
				return
			}
			w.fail(rw, r, err)
			return
		}
		chosen = append(chosen, c)
	}
	refuse := func(text string) {
		p, err := w.clipboardPage(r, clipFilterForm{})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		p.Error = text
		w.render(rw, r, http.StatusUnprocessableEntity, "Clips", "clips", p)
	}
	if len(chosen) == 0 {
		refuse("Tick the clips that make the entry, then choose the edition.")
		return
	}
	if slug == "" {
		refuse("Choose the edition the entry goes to.")
		return
	}
	cur, err := editorial.Get(r.Context(), w.db, slug)
	if errors.Is(err, store.ErrNotFound) {
		refuse("There is no edition " + strconv.Quote(slug) + ".")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	en := entryOfClips(chosen, strings.TrimSpace(r.PostForm.Get("verb")))
	e := cur.Edition
	e.Entries = append(slices.Clone(e.Entries), en)
	ro, err := w.roster(r, e)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	last := &e.Entries[len(e.Entries)-1]
	*last = reviews.WithLabels(*last, ro)
	last.LeadIn = reviews.SuggestLeadIn(*last, ro)
	ac, _ := accounts.ActorFrom(r.Context())
	d, err := editorial.Save(r.Context(), w.db, ac, slug, cur.Version, e)
	var ve *valid.Error
	var ce *editorial.ConflictError
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/studio/editions/%s?saved=%d#entry-%d", url.PathEscape(slug), d.Version, len(d.Entries)), http.StatusSeeOther)
	case errors.As(err, &ve):
		refuse("The entry could not be made: " + ve.Error())
	case errors.As(err, &ce):
		refuse("Someone saved the edition at this moment; make the entry again.")
	default:
		w.fail(rw, r, err)
	}
}

// entryOfClips makes an entry of clips: dated by the earliest, naming
// each outlet and speaker once in the order the clips do, a quote per
// clip (its translation, original and source), and verb, "said" when
// empty, for the suggested lead-in.
func entryOfClips(cs []clips.Clip, verb string) reviews.Entry {
	if verb == "" {
		verb = "said"
	}
	en := reviews.Entry{Date: cs[0].Date, Verb: verb}
	for _, c := range cs {
		if c.Date < en.Date {
			en.Date = c.Date
		}
		if !slices.ContainsFunc(en.Outlets, func(o reviews.OutletRef) bool { return o.Key == c.Outlet.Key }) {
			en.Outlets = append(en.Outlets, reviews.OutletRef{Key: c.Outlet.Key, Role: reviews.Source})
		}
		if !slices.ContainsFunc(en.Speakers, func(s reviews.SpeakerRef) bool { return s.Key == c.Speaker.Key }) {
			en.Speakers = append(en.Speakers, reviews.SpeakerRef{Key: c.Speaker.Key})
		}
		if en.Intermediary == "" {
			en.Intermediary = c.Intermediary
		}
		q := reviews.Part{Kind: reviews.Quote, Text: c.Translation, SourceURL: c.SourceURL, Clip: c.ID}
		// An original is printed in its language's direction; without a
		// language the clip's translation stands alone.
		if c.OriginalLang != "" {
			q.Original, q.OriginalLang = c.Original, c.OriginalLang
		}
		en.Items = append(en.Items, reviews.Item{Parts: []reviews.Part{q}})
	}
	return en
}
