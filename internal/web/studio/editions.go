package studio

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// The composer edits the working copy of an edition through
// internal/editorial: every save is a version based on the one the form
// was drawn from, so a stale save is refused and shown as a conflict.

type newEditionPage struct {
	Nav    string
	Series []reviews.Series
	Form   reviews.Edition
	Author string
	Error  string
}

func (w *work) seriesList(r *http.Request) ([]reviews.Series, error) {
	rows, err := w.db.QueryContext(r.Context(), `SELECT key FROM series ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []reviews.Series
	for _, k := range keys {
		sr, err := reviews.SeriesByKey(r.Context(), w.db, k)
		if err != nil {
			return nil, err
		}
		out = append(out, sr)
	}
	return out, nil
}

func (w *work) editionNew(rw http.ResponseWriter, r *http.Request) {
	sr, err := w.seriesList(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p := newEditionPage{Nav: "editions", Series: sr, Form: reviews.Edition{Date: time.Now().UTC().Format(time.DateOnly)}}
	w.render(rw, r, http.StatusOK, "New edition", "edition-new", p)
}

// editionCreate makes a draft. Its category is the site's "Analysis", as
// every edition's is: the public page heads the edition with it.
func (w *work) editionCreate(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	f := r.PostForm
	e := reviews.Edition{Series: f.Get("series"), Date: strings.TrimSpace(f.Get("date")), Title: strings.TrimSpace(f.Get("title")),
		Dek: strings.TrimSpace(f.Get("dek")), Intro: strings.TrimSpace(f.Get("intro")), Authors: splitKeys(f.Get("authors")),
		Slug: strings.TrimSpace(f.Get("slug")), Category: "Analysis"}
	ac, _ := accounts.ActorFrom(r.Context())
	err := checkAuthors(r, w, e.Authors)
	var d editorial.Doc
	if err == nil {
		d, err = editorial.Create(r.Context(), w.db, ac, e)
	}
	if err != nil {
		var ve *valid.Error
		if !errors.As(err, &ve) {
			w.fail(rw, r, err)
			return
		}
		sr, serr := w.seriesList(r)
		if serr != nil {
			w.fail(rw, r, serr)
			return
		}
		w.render(rw, r, http.StatusUnprocessableEntity, "New edition", "edition-new", newEditionPage{Nav: "editions",
			Series: sr, Form: e, Author: strings.Join(e.Authors, ", "), Error: ve.Error()})
		return
	}
	http.Redirect(rw, r, "/studio/editions/"+d.Slug, http.StatusSeeOther)
}

// checkAuthors names an unknown author key before the edition is made.
func checkAuthors(r *http.Request, w *work, keys []string) error {
	for i, k := range keys {
		if _, err := posts.AuthorByKey(r.Context(), w.db, k); errors.Is(err, store.ErrNotFound) {
			return valid.Errorf(valid.Index("authors", i), "no author has the key %q", k)
		} else if err != nil {
			return err
		}
	}
	return nil
}

func (w *work) badForm(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusBadRequest, "Form", "message", message{Title: "The form could not be read",
		Text: "It was too large or malformed; go back and try again."})
}

type composerPage struct {
	Nav     string
	Doc     editorial.Doc
	State   string
	Entries []composeEntry
	Authors string
	Actions []actionButton
	Error   string
	Notice  string
	// Unsaved says the form holds changes not yet saved (a row was
	// added); the script saves them as soon as something is typed.
	Unsaved bool
	// Mine is the editor's own text after a conflict, shown beside the
	// form while they merge by hand.
	Mine          string
	Preview       string
	Script, Style string
	Editor        bool
	Public        string
}

type actionButton struct {
	Action, Label string
	// Confirm sends the button to a confirmation page first.
	Confirm bool
}

var actionLabels = map[editorial.Action]string{
	editorial.Submit: "Submit for review", editorial.Approve: "Approve", editorial.Schedule: "Schedule…",
	editorial.Publish: "Publish…", editorial.Unpublish: "Unpublish…",
}

// confirmed are the actions that change what readers see: each is taken
// only from its confirmation page.
var confirmed = []editorial.Action{editorial.Publish, editorial.Schedule, editorial.Unpublish}

func (w *work) composerPage(r *http.Request, d editorial.Doc) (composerPage, error) {
	ac, _ := accounts.ActorFrom(r.Context())
	p := composerPage{Nav: "editions", Doc: d, State: stateLabel(d.State), Authors: strings.Join(d.Authors, ", "),
		Preview: "/api/editions/" + url.PathEscape(d.Slug) + "/preview", Script: w.asset("studio-compose.js"),
		Style: w.asset("studio-work.css"), Editor: ac.Role.Allows(accounts.Editor)}
	if d.Status == reviews.Published {
		p.Public = "/analysis/" + d.Slug
	}
	for _, a := range editorial.Allowed(ac, d) {
		p.Actions = append(p.Actions, actionButton{Action: string(a), Label: actionLabels[a], Confirm: slices.Contains(confirmed, a)})
	}
	roster, err := w.roster(r, d.Edition)
	if err != nil {
		return p, err
	}
	p.Entries = composeEntries(d.Edition, roster)
	return p, nil
}

// roster is the outlets and people the edition names, for suggestions
// and default labels; a key the roster lacks is left out (the save names
// it as an error).
func (w *work) roster(r *http.Request, e reviews.Edition) (reviews.Roster, error) {
	ro := reviews.Roster{Outlets: map[string]outlets.Outlet{}, People: map[string]outlets.Person{}}
	for _, en := range e.Entries {
		// Legacy (pressreview/1) entries name one outlet and speaker.
		keys := []string{en.Outlet}
		for _, o := range en.Outlets {
			keys = append(keys, o.Key)
		}
		for _, k := range keys {
			if _, ok := ro.Outlets[k]; ok || k == "" {
				continue
			}
			if v, err := outlets.OutletByKey(r.Context(), w.db, k); err == nil {
				ro.Outlets[k] = v
			} else if !errors.Is(err, store.ErrNotFound) {
				return ro, err
			}
		}
		keys = []string{en.Speaker}
		for _, sp := range en.Speakers {
			keys = append(keys, sp.Key)
		}
		for _, k := range keys {
			if _, ok := ro.People[k]; ok || k == "" {
				continue
			}
			if v, err := outlets.PersonByKey(r.Context(), w.db, k); err == nil {
				ro.People[k] = v
			} else if !errors.Is(err, store.ErrNotFound) {
				return ro, err
			}
		}
	}
	return ro, nil
}

func (w *work) loadDoc(rw http.ResponseWriter, r *http.Request) (editorial.Doc, bool) {
	d, err := editorial.Get(r.Context(), w.db, r.PathValue("slug"))
	if errors.Is(err, store.ErrNotFound) {
		w.notFound(rw, r, "There is no edition "+strconv.Quote(r.PathValue("slug"))+".")
		return d, false
	}
	if err != nil {
		w.fail(rw, r, err)
		return d, false
	}
	return d, true
}

func (w *work) composer(rw http.ResponseWriter, r *http.Request) {
	d, ok := w.loadDoc(rw, r)
	if !ok {
		return
	}
	p, err := w.composerPage(r, d)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	switch q := r.URL.Query(); {
	case q.Get("saved") != "":
		p.Notice = "Saved as version " + q.Get("saved") + "."
	case q.Get("done") != "":
		p.Notice = "Done: " + q.Get("done") + ". The edition is now " + p.State + "."
	}
	w.render(rw, r, http.StatusOK, "Edit: "+d.Title, "composer", p)
}

// wantsJSON tells the script's autosave from a form post.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// composerSave saves the form as a new version. The script posts it too,
// asking for JSON: the new version and the lead-in suggestions, or 409
// when someone saved in between (it then posts the form to get the
// conflict view).
func (w *work) composerSave(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	cur, ok := w.loadDoc(rw, r)
	if !ok {
		return
	}
	based, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || based < 1 {
		w.badForm(rw, r)
		return
	}
	e, ix, err := editionFromForm(cur.Edition, r.PostForm)
	if err == nil {
		err = checkAuthors(r, w, e.Authors)
	}
	ro := reviews.Roster{}
	if err == nil {
		ro, err = w.roster(r, e)
	}
	if err == nil {
		for i, en := range e.Entries {
			e.Entries[i] = reviews.WithLabels(en, ro)
		}
	}
	op := r.PostForm.Get("op")
	if err == nil && op != "" {
		if op, err = ix.positional(op); err == nil {
			err = applyOp(&e, op, ro)
		}
		if err == nil && slices.Contains(adds, strings.SplitN(op, ":", 2)[0]) {
			// A blank row is drawn, not saved: there is nothing in it yet.
			w.drawUnsaved(rw, r, cur, based, e, "")
			return
		}
	}
	// The lead-in suggestions go back to the script by entry id, so they
	// are made before blank entries are left out of the save.
	sugg := map[string]string{}
	if err == nil {
		for i, en := range e.Entries {
			if i < len(ix.entries) {
				sugg[ix.entries[i]] = reviews.SuggestLeadIn(en, ro)
			}
		}
		e.Entries = slices.DeleteFunc(e.Entries, blankEntry)
	}
	ac, _ := accounts.ActorFrom(r.Context())
	var d editorial.Doc
	if err == nil {
		d, err = editorial.Save(r.Context(), w.db, ac, cur.Slug, based, e)
	}
	var ce *editorial.ConflictError
	var ve *valid.Error
	switch {
	case err == nil && wantsJSON(r):
		httpjson.Write(rw, http.StatusOK, map[string]any{"version": d.Version, "state": stateLabel(d.State), "suggestions": sugg})
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/studio/editions/%s?saved=%d", url.PathEscape(d.Slug), d.Version), http.StatusSeeOther)
	case errors.As(err, &ce) && wantsJSON(r):
		httpjson.Write(rw, http.StatusConflict, map[string]any{"error": ce.Error(), "version": ce.Current.Version})
	case errors.As(err, &ce):
		w.conflict(rw, r, e, ce.Current)
	case errors.As(err, &ve) && wantsJSON(r):
		httpjson.Error(rw, r, err)
	case errors.As(err, &ve):
		w.drawUnsaved(rw, r, cur, based, e, ve.Error())
	default:
		w.fail(rw, r, err)
	}
}

// drawUnsaved draws the composer on the editor's own edition e, not yet
// saved, still based on version based.
func (w *work) drawUnsaved(rw http.ResponseWriter, r *http.Request, cur editorial.Doc, based int, e reviews.Edition, problem string) {
	d := cur
	d.Edition, d.Version = e, based
	p, err := w.composerPage(r, d)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p.Unsaved = true
	status := http.StatusOK
	if problem != "" {
		p.Error, status = "Not saved: "+problem, http.StatusUnprocessableEntity
	}
	w.render(rw, r, status, "Edit: "+d.Title, "composer", p)
}

type conflictPage struct {
	Nav              string
	Slug, Title      string
	Mine, Theirs     string
	Current          editorial.Doc
	Diff             []lineRow
	MineJSON         string
	Style            string
	ChangedAt, Since string
}

// conflict shows both texts of a stale save, with what the other save
// changed, and lets the editor keep theirs, keep their own, or merge.
func (w *work) conflict(rw http.ResponseWriter, r *http.Request, mine reviews.Edition, cur editorial.Doc) {
	doc, err := json.Marshal(mine)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p := conflictPage{Nav: "editions", Slug: cur.Slug, Title: cur.Title, Mine: editorial.Text(mine),
		Theirs: editorial.Text(cur.Edition), Current: cur, MineJSON: string(doc), Style: w.asset("studio-work.css"),
		ChangedAt: cur.ChangedAt.Format("2 Jan 2006 15:04 UTC")}
	p.Diff = diffRows(editorial.Diff(cur.Edition, mine))
	w.render(rw, r, http.StatusConflict, "Conflict: "+cur.Title, "conflict", p)
}

func diffRows(lines []editorial.DiffLine) []lineRow {
	out := make([]lineRow, len(lines))
	for i, l := range lines {
		out[i] = lineRow{Op: l.Op, Text: l.Text}
		switch l.Op {
		case "-":
			out[i].Op, out[i].Class = "−", "del"
		case "+":
			out[i].Class = "ins"
		}
	}
	return out
}

// merge settles a conflict: "mine" saves the editor's text over the
// current version (which stays in the history), "hand" opens the current
// version in the composer with the editor's text beside it.
func (w *work) merge(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	cur, ok := w.loadDoc(rw, r)
	if !ok {
		return
	}
	var mine reviews.Edition
	if err := json.Unmarshal([]byte(r.PostForm.Get("mine")), &mine); err != nil {
		w.badForm(rw, r)
		return
	}
	based, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		w.badForm(rw, r)
		return
	}
	switch r.PostForm.Get("choice") {
	case "mine":
		ac, _ := accounts.ActorFrom(r.Context())
		d, err := editorial.Save(r.Context(), w.db, ac, cur.Slug, based, mine)
		var ce *editorial.ConflictError
		var ve *valid.Error
		switch {
		case err == nil:
			http.Redirect(rw, r, fmt.Sprintf("/studio/editions/%s?saved=%d", url.PathEscape(d.Slug), d.Version), http.StatusSeeOther)
		case errors.As(err, &ce):
			w.conflict(rw, r, mine, ce.Current)
		case errors.As(err, &ve):
			w.drawUnsaved(rw, r, cur, based, mine, ve.Error())
		default:
			w.fail(rw, r, err)
		}
	case "hand":
		p, err := w.composerPage(r, cur)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		p.Mine = editorial.Text(mine)
		p.Notice = "This is the current version " + strconv.Itoa(cur.Version) + ". Your text is beside it: copy what you need, then save."
		w.render(rw, r, http.StatusOK, "Merge: "+cur.Title, "composer", p)
	default:
		w.badForm(rw, r)
	}
}

type confirmPage struct {
	Nav, Slug, Title, Action, Label, State string
	Version                                int
	At                                     string
	Error                                  string
}

// confirm is the explicit step before an action that changes what readers
// see. A role that may not take the action gets the 403 page here already.
func (w *work) confirm(rw http.ResponseWriter, r *http.Request) {
	a := editorial.Action(r.PathValue("action"))
	if !slices.Contains(confirmed, a) {
		w.notFound(rw, r, "There is no confirmation for "+strconv.Quote(string(a))+".")
		return
	}
	d, ok := w.loadDoc(rw, r)
	if !ok {
		return
	}
	ac, _ := accounts.ActorFrom(r.Context())
	if !ac.Role.Allows(accounts.Editor) {
		w.forbidden(rw, r, fmt.Errorf("%s needs the editor role", a))
		return
	}
	p := confirmPage{Nav: "editions", Slug: d.Slug, Title: d.Title, Action: string(a), Label: strings.TrimSuffix(actionLabels[a], "…"),
		State: stateLabel(d.State), Version: d.Version,
		At: time.Now().UTC().Add(24 * time.Hour).Truncate(time.Hour).Format("2006-01-02T15:04")}
	w.render(rw, r, http.StatusOK, p.Label+": "+d.Title, "confirm", p)
}

func (w *work) forbidden(rw http.ResponseWriter, r *http.Request, err error) {
	ac, _ := accounts.ActorFrom(r.Context())
	w.render(rw, r, http.StatusForbidden, "Not allowed", "message", message{Title: "Not allowed",
		Text: "Your role (" + string(ac.Role) + ") may not do this: " + err.Error() + ". Ask an editor of the desk."})
}

// do takes a workflow action. Publish, schedule and unpublish come only
// from their confirmation page (confirm=yes).
func (w *work) do(rw http.ResponseWriter, r *http.Request) {
	a := editorial.Action(r.PathValue("action"))
	if !slices.Contains(editorial.Actions, a) {
		w.notFound(rw, r, "There is no action "+strconv.Quote(string(a))+".")
		return
	}
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	slug := r.PathValue("slug")
	back := "/studio/editions/" + url.PathEscape(slug)
	ac, _ := accounts.ActorFrom(r.Context())
	if slices.Contains(confirmed, a) && r.PostForm.Get("confirm") != "yes" && ac.Role.Allows(accounts.Editor) {
		http.Redirect(rw, r, back+"/confirm/"+string(a), http.StatusSeeOther)
		return
	}
	// The version the page showed: approving or publishing acts on the
	// words the editor read, not on a save that came in since.
	based := 0
	if v := r.PostForm.Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			w.badForm(rw, r)
			return
		}
		based = n
	}
	var at time.Time
	if a == editorial.Schedule {
		var err error
		at, err = time.ParseInLocation("2006-01-02T15:04", r.PostForm.Get("at"), time.UTC)
		if err != nil {
			w.render(rw, r, http.StatusUnprocessableEntity, "Schedule", "message", message{Title: "Not scheduled",
				Text: "at: " + strconv.Quote(r.PostForm.Get("at")) + " is not a date and time (YYYY-MM-DDTHH:MM, UTC)."})
			return
		}
	}
	_, err := editorial.Do(r.Context(), w.db, ac, slug, a, at, based)
	var ce *editorial.ConflictError
	switch {
	case err == nil:
		http.Redirect(rw, r, back+"?done="+url.QueryEscape(string(a)), http.StatusSeeOther)
	case errors.Is(err, editorial.ErrForbidden):
		w.forbidden(rw, r, err)
	case errors.Is(err, store.ErrNotFound):
		w.notFound(rw, r, "There is no edition "+strconv.Quote(slug)+".")
	case errors.Is(err, editorial.ErrState), errors.As(err, &ce):
		w.render(rw, r, http.StatusConflict, "Not done", "message", message{Title: "Not done", Text: upperFirst(err.Error()) + "."})
	default:
		w.fail(rw, r, err)
	}
}

type versionsPage struct {
	Nav, Slug, Title string
	Current          int
	Versions         []versionRow
	From, To         int
	Diff             []lineRow
	Style            string
}

type versionRow struct {
	editorial.VersionInfo
	When *stamp
}

func (w *work) versionList(r *http.Request, d editorial.Doc) (versionsPage, error) {
	vs, err := editorial.Versions(r.Context(), w.db, d.Slug)
	if err != nil {
		return versionsPage{}, err
	}
	p := versionsPage{Nav: "editions", Slug: d.Slug, Title: d.Title, Current: d.Version, Style: w.asset("studio-work.css")}
	for _, v := range vs {
		p.Versions = append(p.Versions, versionRow{VersionInfo: v, When: newStamp(v.CreatedAt)})
	}
	return p, nil
}

func (w *work) versions(rw http.ResponseWriter, r *http.Request) {
	d, ok := w.loadDoc(rw, r)
	if !ok {
		return
	}
	p, err := w.versionList(r, d)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The list opens on what the newest save changed.
	if d.Version > 1 {
		p.From, p.To = d.Version-1, d.Version
		if p.Diff, err = w.versionDiff(r, d.Slug, p.From, p.To); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	w.render(rw, r, http.StatusOK, "Versions: "+d.Title, "versions", p)
}

func (w *work) versionDiff(r *http.Request, slug string, from, to int) ([]lineRow, error) {
	a, err := editorial.GetVersion(r.Context(), w.db, slug, from)
	if err != nil {
		return nil, err
	}
	b, err := editorial.GetVersion(r.Context(), w.db, slug, to)
	if err != nil {
		return nil, err
	}
	return diffRows(editorial.Diff(a.Edition, b.Edition)), nil
}

func (w *work) diff(rw http.ResponseWriter, r *http.Request) {
	d, ok := w.loadDoc(rw, r)
	if !ok {
		return
	}
	p, err := w.versionList(r, d)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	from, err1 := strconv.Atoi(r.URL.Query().Get("from"))
	to, err2 := strconv.Atoi(r.URL.Query().Get("to"))
	if err1 != nil || err2 != nil || from < 1 || to < 1 || from > d.Version || to > d.Version {
		w.render(rw, r, http.StatusBadRequest, "Versions", "message", message{Title: "Which versions?",
			Text: fmt.Sprintf("from and to must be version numbers between 1 and %d.", d.Version)})
		return
	}
	p.From, p.To = from, to
	if p.Diff, err = w.versionDiff(r, d.Slug, from, to); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "Versions: "+d.Title, "versions", p)
}

func (w *work) restore(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.badForm(rw, r)
		return
	}
	n, err1 := strconv.Atoi(r.PathValue("n"))
	based, err2 := strconv.Atoi(r.PostForm.Get("version"))
	if err1 != nil || err2 != nil {
		w.badForm(rw, r)
		return
	}
	ac, _ := accounts.ActorFrom(r.Context())
	slug := r.PathValue("slug")
	d, err := editorial.Restore(r.Context(), w.db, ac, slug, n, based)
	var ce *editorial.ConflictError
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/studio/editions/%s?saved=%d", url.PathEscape(slug), d.Version), http.StatusSeeOther)
	case errors.As(err, &ce):
		w.render(rw, r, http.StatusConflict, "Not restored", "message", message{Title: "Not restored",
			Text: upperFirst(ce.Error()) + ". Open the versions again to restore from the newest."})
	case errors.Is(err, store.ErrNotFound):
		w.notFound(rw, r, upperFirst(err.Error())+".")
	default:
		w.fail(rw, r, err)
	}
}
