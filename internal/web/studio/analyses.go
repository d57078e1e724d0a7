package studio

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Analyses, events and images are edited here and saved through the same
// functions as `import` (posts.SaveAnalysis, SaveEvent, SaveImage), whose
// validation names the field that is wrong; the form shows the message
// beside it. Analysts write drafts; making something public, scheduling it
// or changing what already is takes an editor.

// registerPosts mounts the analysis, event and image screens.
func (s *studio) registerPosts() {
	analyst := s.auth.RequireRole(accounts.Analyst)
	handle := func(pattern string, h http.HandlerFunc) { s.srv.Handle(pattern, analyst(s.limitForm(h))) }
	handle("GET /studio/analyses", s.analysisList)
	handle("GET /studio/analyses/new", s.analysisNew)
	handle("POST /studio/analyses", s.analysisCreate)
	handle("GET /studio/analyses/{slug}", s.analysisShow)
	handle("POST /studio/analyses/{slug}", s.analysisUpdate)

	handle("GET /studio/events", s.eventList)
	handle("GET /studio/events/new", s.eventNew)
	handle("POST /studio/events", s.eventCreate)
	handle("GET /studio/events/{slug}", s.eventShow)
	handle("POST /studio/events/{slug}", s.eventUpdate)

	handle("GET /studio/images", s.imageList)
	// The upload takes a file and caps its body itself.
	s.srv.Handle("POST /studio/images", analyst(http.HandlerFunc(s.imageUpload)))
	handle("GET /studio/images/{key}", s.imageShow)
	handle("POST /studio/images/{key}", s.imageUpdate)
}

// postField is a form field with its element id, as the post-field
// template draws it.
type postField struct {
	ID string
	field
}

// Described is the field's aria-describedby: its hint and its error.
func (f postField) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Type is the input element's type for the field's Kind.
func (f postField) Type() string {
	switch f.Kind {
	case "url", "datetime-local", "number", "file":
		return f.Kind
	}
	return "text"
}

// postPage is the edit page of an analysis or an event.
type postPage struct {
	Nav, Title, Style string
	Create, Saved     bool
	Form              form
	Fields            map[string]postField
	// Preview is the Markdown body as the site renders it, shown when
	// the preview button was pressed.
	Preview template.HTML
	// Locked says why this person cannot save the form, when so.
	Locked    string
	PublicURL string
	Zones     []string // suggested time zones (events)
	Facts     *eventFacts
}

// newPostPage lays out f for the template.
func (s *studio) newPostPage(nav, title string, f form) postPage {
	p := postPage{Nav: nav, Title: title, Style: s.asset("studio-posts.css"), Form: f, Fields: map[string]postField{}}
	for _, fl := range f.Fields {
		p.Fields[fl.Name] = postField{ID: f.ID + "-" + fl.Name, field: fl}
	}
	return p
}

// asset is the hashed URL of a static file; a missing one is a build
// mistake, logged, and the page still works unstyled.
func (s *studio) asset(name string) string {
	u, err := s.srv.Asset(name)
	if err != nil {
		s.log.Error("studio asset", "name", name, "err", err)
	}
	return u
}

// notAllowed is the 403 page for an action this person's role does not
// allow.
func (s *studio) notAllowed(w http.ResponseWriter, r *http.Request, text string) {
	s.render(w, r, http.StatusForbidden, "Not allowed", "message", message{Title: "Not allowed", Text: text})
}

// statusOptions are the statuses this person may choose: editors all of
// them, analysts a draft (and the current status, so the form shows it).
func statusOptions(current string, editor bool) []option {
	opts := []option{{Value: "draft", Label: "Draft"}}
	if editor || current == "scheduled" {
		opts = append(opts, option{Value: "scheduled", Label: "Scheduled (goes public at the publish time)"})
	}
	if editor || current == "published" {
		opts = append(opts, option{Value: "published", Label: "Published"})
	}
	for i := range opts {
		opts[i].Selected = opts[i].Value == current
	}
	return opts
}

// mayChange reports why this person may not save a post whose status goes
// from old ("" when new) to next; "" when they may.
func mayChange(r *http.Request, what, old, next string) string {
	if canEdit(r) {
		return ""
	}
	if old != "" && old != "draft" {
		return "This " + what + " is " + old + "; only an editor can change it. Ask an editor of the desk."
	}
	if next != "draft" {
		return "Analysts save " + what + "s as drafts; only an editor can schedule or publish. Save it as a draft and ask an editor."
	}
	return ""
}

func imageOptions(images []posts.Image, selected string) []option {
	opts := []option{{Value: "", Label: "No picture", Selected: selected == ""}}
	for _, im := range images {
		opts = append(opts, option{Value: im.Key, Label: im.Key + " — " + im.Alt, Selected: im.Key == selected})
	}
	return opts
}

// setValue sets the value of f's field name.
func setValue(f *form, name, v string) {
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			f.Fields[i].Value = v
		}
	}
}

// keyList splits "a, b c" into its keys.
func keyList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// markdownValue is a textarea's Markdown with the browser's CRLF line
// ends made LF, as the files it is imported from have them.
func markdownValue(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \n")
}

// The times of datetime-local inputs, with or without seconds.
var localLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

// parseLocal reads a datetime-local value as a time in loc; nil when
// empty.
func parseLocal(name, v string, loc *time.Location) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return &t, nil
		}
	}
	return nil, valid.Errorf(name, "%q is not a date and time (2025-03-07T14:00)", v)
}

// localValue is t in loc as a datetime-local input shows it.
func localValue(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02T15:04")
}

func (s *studio) analysisList(w http.ResponseWriter, r *http.Request) {
	list, err := posts.ListAnalyses(r.Context(), s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		Slug, Title, Category, Status, Href string
		Date, Updated                       *stamp
		Authors                             string
	}
	p := struct {
		Rows  []row
		Style string
	}{Style: s.asset("studio-posts.css")}
	for _, a := range list {
		rw := row{Slug: a.Slug, Title: a.Title, Category: a.Category, Status: a.Status, Href: "/studio/analyses/" + a.Slug,
			Updated: newStamp(a.UpdatedAt), Authors: strings.Join(a.Authors, ", ")}
		if a.PublishAt != nil {
			rw.Date = newStamp(*a.PublishAt)
		}
		p.Rows = append(p.Rows, rw)
	}
	s.render(w, r, http.StatusOK, "Analyses", "analyses", p)
}

// analysisForm is the analysis's form. The slug is made from the title
// when left empty, and fixed once the analysis exists: it is the page's
// address.
func (s *studio) analysisForm(r *http.Request, a posts.Analysis, create bool) (form, error) {
	ctx := r.Context()
	images, err := posts.ListImages(ctx, s.db)
	if err != nil {
		return form{}, err
	}
	authors, err := posts.ListAuthors(ctx, s.db)
	if err != nil {
		return form{}, err
	}
	var known []string
	for _, au := range authors {
		known = append(known, au.Key+" ("+au.Name+")")
	}
	authorHint := "Author keys in byline order, separated by commas."
	if len(known) > 0 {
		authorHint += " Known authors: " + strings.Join(known, ", ") + "."
	}
	f := form{ID: "analysis", Action: "/studio/analyses/" + a.Slug, Submit: "Save analysis"}
	slugHint := "The page's address, /analysis/SLUG. It cannot change once saved."
	if create {
		f.Action = "/studio/analyses"
		slugHint = "The page's address, /analysis/SLUG: lower-case letters, digits and hyphens. Left empty, it is made from the title. It cannot change once saved."
	}
	f.Fields = []field{
		{Name: "title", Label: "Title", Value: a.Title, Required: true, Auto: true},
		{Name: "slug", Label: "Slug", Value: a.Slug, ReadOnly: !create, Hint: slugHint},
		{Name: "dek", Label: "Dek", Value: a.Dek, Auto: true, Hint: "One or two sentences under the title."},
		{Name: "category", Label: "Category", Value: a.Category, Hint: `Shown above the title and in listings; "Analysis" when empty.`},
		{Name: "authors", Label: "Authors", Value: strings.Join(a.Authors, ", "), Hint: authorHint},
		{Name: "tags", Label: "Tags", Value: strings.Join(a.Tags, ", "), Hint: "Tag keys separated by commas."},
		{Name: "image", Label: "Picture", Kind: "select", Value: a.Image, Options: imageOptions(images, a.Image),
			Hint: "An uploaded image, shown with its caption and credit. Upload new ones under Images."},
		{Name: "status", Label: "Status", Kind: "select", Value: a.Status, Options: statusOptions(a.Status, canEdit(r)),
			Hint: "Drafts are seen only in the studio. Editors schedule and publish."},
		{Name: "publish_at", Label: "Publish time (UTC)", Kind: "datetime-local", Value: localValue(a.PublishAt, time.UTC),
			Hint: "When it goes public and the date readers see; a publish without one goes public now."},
		{Name: "body", Label: "Body (Markdown)", Kind: "textarea", Size: 18, Value: a.Body, Auto: true,
			Hint: `Markdown: ## for a section heading, *italic*, **bold**, [a link](https://…), > for a quotation. Mark a Persian or Arabic passage with <span lang="fa" dir="rtl">…</span>.`},
	}
	return f, nil
}

func analysisFrom(f form) (posts.Analysis, error) {
	v := func(n string) string { return strings.TrimSpace(f.value(n)) }
	a := posts.Analysis{Title: v("title"), Slug: v("slug"), Dek: v("dek"), Category: v("category"),
		Authors: keyList(v("authors")), Tags: keyList(v("tags")), Image: v("image"), Status: v("status"),
		Body: markdownValue(f.value("body"))}
	at, err := parseLocal("publish_at", v("publish_at"), time.UTC)
	a.PublishAt = at
	return a, err
}

func (s *studio) analysisNew(w http.ResponseWriter, r *http.Request) {
	f, err := s.analysisForm(r, posts.Analysis{Status: "draft", Category: "Analysis"}, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPostPage("analyses", "New analysis", f)
	p.Create = true
	s.render(w, r, http.StatusOK, p.Title, "analysis-edit", p)
}

func (s *studio) analysisShow(w http.ResponseWriter, r *http.Request) {
	a, err := posts.AnalysisBySlug(r.Context(), s.db, r.PathValue("slug"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	f, err := s.analysisForm(r, a, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPostPage("analyses", a.Title, f)
	p.Saved = r.URL.Query().Get("saved") == "1"
	p.Locked = mayChange(r, "analysis", a.Status, a.Status)
	if posts.Public(a.Status, a.PublishAt, time.Now()) {
		p.PublicURL = "/analysis/" + a.Slug
	}
	s.render(w, r, http.StatusOK, p.Title, "analysis-edit", p)
}

func (s *studio) analysisCreate(w http.ResponseWriter, r *http.Request) {
	s.analysisSave(w, r, nil)
}

func (s *studio) analysisUpdate(w http.ResponseWriter, r *http.Request) {
	old, err := posts.AnalysisBySlug(r.Context(), s.db, r.PathValue("slug"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	s.analysisSave(w, r, &old)
}

// analysisSave previews or saves the posted form over old (nil when the
// analysis is new).
func (s *studio) analysisSave(w http.ResponseWriter, r *http.Request, old *posts.Analysis) {
	ctx := r.Context()
	base, title := posts.Analysis{}, "New analysis"
	if old != nil {
		base, title = *old, old.Title
	}
	f, err := s.analysisForm(r, base, old == nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.fill(r.PostFormValue)
	a, err := analysisFrom(f)
	if old != nil {
		a.Slug = old.Slug
	} else if a.Slug == "" {
		a.Slug = valid.Slugify(a.Title)
		setValue(&f, "slug", a.Slug)
	}
	oldStatus := ""
	if old != nil {
		oldStatus = old.Status
	}
	if r.PostFormValue("do") == "preview" {
		s.previewPost(w, r, "analyses", title, f, a.Body, old == nil)
		return
	}
	if why := mayChange(r, "analysis", oldStatus, a.Status); why != "" {
		s.notAllowed(w, r, why)
		return
	}
	if err == nil && a.Status == "published" && a.PublishAt == nil {
		now := time.Now().UTC().Truncate(time.Minute)
		a.PublishAt = &now
	}
	if err == nil && old == nil {
		err = s.refuseTakenSlug(r, "analysis", func() error { _, err := posts.AnalysisBySlug(ctx, s.db, a.Slug); return err })
	}
	if err == nil {
		err = s.db.InTx(ctx, func(tx *store.Tx) error { return posts.SaveAnalysis(ctx, tx, &a) })
	}
	if err != nil {
		s.refuse(w, r, "analyses", title, f, old == nil, err)
		return
	}
	http.Redirect(w, r, "/studio/analyses/"+a.Slug+"?saved=1", http.StatusSeeOther)
}

// refuseTakenSlug is a validation error on the slug when find finds a
// record: creating must not overwrite one (the Save functions upsert).
func (s *studio) refuseTakenSlug(r *http.Request, what string, find func() error) error {
	switch err := find(); {
	case err == nil:
		return valid.Errorf("slug", "another %s already has this slug; open it to edit it, or choose another slug", what)
	case errors.Is(err, store.ErrNotFound):
		return nil
	default:
		return err
	}
}

// refuse shows the form again with err beside its field, or fails when err
// is not about the input.
func (s *studio) refuse(w http.ResponseWriter, r *http.Request, nav, title string, f form, create bool, err error) {
	if !f.setError(err) {
		s.fail(w, r, err)
		return
	}
	p := s.newPostPage(nav, title, f)
	p.Create = create
	if nav == "events" {
		p.Zones = zoneSuggestions
	}
	s.render(w, r, http.StatusUnprocessableEntity, title, templateOf(nav), p)
}

// previewPost shows the form as posted with its Markdown body rendered by
// the site's own renderer and sanitizer; nothing is saved.
func (s *studio) previewPost(w http.ResponseWriter, r *http.Request, nav, title string, f form, body string, create bool) {
	html, err := posts.RenderMarkdown(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPostPage(nav, title, f)
	p.Create, p.Preview = create, html
	if p.Preview == "" {
		p.Preview = "<p>(The body is empty.)</p>"
	}
	if nav == "events" {
		p.Zones = zoneSuggestions
	}
	s.render(w, r, http.StatusOK, title, templateOf(nav), p)
}

func templateOf(nav string) string {
	if nav == "events" {
		return "event-edit"
	}
	return "analysis-edit"
}
