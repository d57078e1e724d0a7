package studio

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// The roster screens save through the same domain functions as `import`
// (outlets.SaveOutlet, outlets.SavePerson, posts.SaveAuthor), whose
// Validate methods name the field that is wrong; the form shows the
// message beside that field.

type rosterPage struct {
	Nav, Title string
	CanEdit    bool
	Outlets    []outletRow
	People     []personRow
	Authors    []authorRow
	// Proposals are speakers of quotes found whom the roster lacks;
	// Dismissed is the name just dismissed.
	Proposals []proposalRow
	Dismissed string
}

type outletRow struct {
	Key, Href   string
	Name        string
	Native      bidi
	Kind        string
	Language    string
	Orientation string
	Affiliation string
	Homepage    string
	// HomepageLabel is the homepage without its scheme, as a link text
	// that fits a table column.
	HomepageLabel string
	Feeds         int
	Failing       int
}

type personRow struct {
	Key, Href string
	Name      string
	Native    bidi
	Aliases   []bidi
	Role      string
}

type authorRow struct {
	Key, Href, Name, Affiliation string
}

func canEdit(r *http.Request) bool {
	ac, _ := accounts.ActorFrom(r.Context())
	return ac.Role.Allows(accounts.Editor)
}

func (s *studio) outletList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	os, err := outlets.ListOutlets(ctx, s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fds, err := outlets.ListFeeds(ctx, s.db, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	feeds, failing := map[string]int{}, map[string]int{}
	for _, f := range fds {
		feeds[f.OutletKey]++
		if f.Status() == "failing" {
			failing[f.OutletKey]++
		}
	}
	p := rosterPage{Nav: "outlets", Title: "Outlets", CanEdit: canEdit(r)}
	for _, o := range os {
		p.Outlets = append(p.Outlets, outletRow{Key: o.Key, Href: "/studio/outlets/" + o.Key, Name: o.Name,
			Native: bidiIn(o.NativeName, o.Language), Kind: o.Kind.Noun(), Language: o.Language,
			Orientation: o.Orientation, Affiliation: o.Affiliation, Homepage: o.Homepage,
			HomepageLabel: strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(o.Homepage, "https://"), "http://"), "/"),
			Feeds:         feeds[o.Key], Failing: failing[o.Key]})
	}
	s.render(w, r, http.StatusOK, "Outlets", "outlets", p)
}

// outletForm is the outlet's form; key is fixed once the outlet exists,
// since editions and import files name outlets by it.
func outletForm(o outlets.Outlet, create bool) form {
	f := form{ID: "outlet", Action: "/studio/outlets/" + o.Key, Submit: "Save outlet"}
	if create {
		f.Action, f.Submit = "/studio/outlets", "Add outlet"
	}
	kinds := []option{{Value: "", Label: "Choose a kind"}}
	for _, k := range outlets.Kinds() {
		kinds = append(kinds, option{Value: k, Label: outlets.Kind(k).Noun(), Selected: k == string(o.Kind)})
	}
	f.Fields = []field{
		{Name: "key", Label: "Key", Value: o.Key, Required: true, ReadOnly: !create,
			Hint: "Lower-case letters, digits and hyphens; import files and search (outlet:key) use it. It cannot change later."},
		{Name: "name", Label: "Name in English", Value: o.Name, Required: true},
		{Name: "native_name", Label: "Name in the original script", Value: o.NativeName, Auto: true,
			Lang: bidiIn(o.NativeName, o.Language).Lang},
		{Name: "kind", Label: "Kind", Value: string(o.Kind), Kind: "select", Options: kinds, Required: true},
		{Name: "language", Label: "Language", Value: o.Language, Hint: "A language code: fa, ar, en."},
		{Name: "country", Label: "Country", Value: o.Country, Hint: "A country code: IR, IQ, LB."},
		{Name: "orientation", Label: "Orientation label", Value: o.Orientation,
			Hint: `The camp as an edition names it: "hard-line", "reformist", "IRGC-affiliated", or a noun phrase such as "mouthpiece of …".`},
		{Name: "affiliation", Label: "Affiliation clause", Value: o.Affiliation,
			Hint: `Replaces the orientation after the name: "which is close to …".`},
		{Name: "homepage", Label: "Homepage", Value: o.Homepage, Kind: "url"},
	}
	return f
}

func outletFrom(f form) outlets.Outlet {
	v := func(n string) string { return strings.TrimSpace(f.value(n)) }
	return outlets.Outlet{Key: v("key"), Name: v("name"), NativeName: v("native_name"), Kind: outlets.Kind(v("kind")),
		Language: v("language"), Country: v("country"), Orientation: v("orientation"), Affiliation: v("affiliation"),
		Homepage: v("homepage")}
}

type outletPage struct {
	Nav, Title string
	Create     bool
	CanEdit    bool
	Outlet     outletRow
	Form       form
	Saved      bool
	Checked    *feedRow
	Table      feedTable
	// FeedForm adds a feed (editors); Added are the feeds it just added,
	// Removed the URL of the one just removed.
	FeedForm form
	Added    []feedRow
	Removed  string
}

// feedForm subscribes the outlet at key to a feed, or to the feeds a
// homepage advertises, as `feeds add` does.
func feedForm(key string) form {
	return form{ID: "feed", Action: "/studio/outlets/" + key + "/feeds", Submit: "Add feed",
		Fields: []field{{Name: "url", Label: "Feed or homepage URL", Kind: "url", Required: true,
			Hint: "An RSS, Atom or JSON feed, or a news sitemap. Given a homepage, the studio subscribes to the feeds it advertises, or finds one at the usual paths (/feed, /rss, /sitemap.xml …)."}}}
}

func (s *studio) outletNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "New outlet", "outlet", outletPage{Nav: "outlets", Title: "New outlet", Create: true,
		CanEdit: true, Form: outletForm(outlets.Outlet{}, true)})
}

func (s *studio) outletCreate(w http.ResponseWriter, r *http.Request) {
	f := outletForm(outlets.Outlet{}, true)
	f.fill(r.PostFormValue)
	o := outletFrom(f)
	err := o.Validate()
	if err == nil {
		err = s.refuseTaken(r.Context(), "key", "outlet", func(ctx context.Context) error {
			_, err := outlets.OutletByKey(ctx, s.db, o.Key)
			return err
		})
	}
	if err == nil {
		err = outlets.SaveOutlet(r.Context(), s.db, &o)
	}
	if err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "New outlet", "outlet", outletPage{Nav: "outlets", Title: "New outlet",
			Create: true, CanEdit: true, Form: f})
		return
	}
	http.Redirect(w, r, "/studio/outlets/"+o.Key+"?saved=1", http.StatusSeeOther)
}

// refuseTaken returns a validation error on field when find finds a
// record: creating must not overwrite one (the Save functions upsert).
func (s *studio) refuseTaken(ctx context.Context, fieldName, what string, find func(context.Context) error) error {
	switch err := find(ctx); {
	case err == nil:
		return valid.Errorf(fieldName, "another %s already has this key; open it to edit it, or choose another key", what)
	case errors.Is(err, store.ErrNotFound):
		return nil
	default:
		return err
	}
}

func (s *studio) outletShow(w http.ResponseWriter, r *http.Request) {
	o, err := outlets.OutletByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	p, err := s.outletPage(r, o, outletForm(o, false))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Saved = r.URL.Query().Get("saved") == "1"
	if id, _ := strconv.ParseInt(r.URL.Query().Get("checked"), 10, 64); id > 0 {
		for i, f := range p.Table.Feeds {
			if f.ID == id {
				p.Checked = &p.Table.Feeds[i]
			}
		}
	}
	p.Removed = r.URL.Query().Get("removed")
	for _, v := range strings.Split(r.URL.Query().Get("added"), ",") {
		id, _ := strconv.ParseInt(v, 10, 64)
		for _, f := range p.Table.Feeds {
			if f.ID == id && id > 0 {
				p.Added = append(p.Added, f)
			}
		}
	}
	s.render(w, r, http.StatusOK, o.Name, "outlet", p)
}

func (s *studio) outletPage(r *http.Request, o outlets.Outlet, f form) (outletPage, error) {
	p := outletPage{Nav: "outlets", Title: o.Name, CanEdit: canEdit(r), Form: f, FeedForm: feedForm(o.Key),
		Outlet: outletRow{Key: o.Key, Name: o.Name, Native: bidiIn(o.NativeName, o.Language), Kind: o.Kind.Noun(),
			Language: o.Language, Orientation: o.Orientation, Affiliation: o.Affiliation, Homepage: o.Homepage}}
	fds, err := outlets.ListFeeds(r.Context(), s.db, o.Key)
	if err != nil {
		return p, err
	}
	p.Table.Caption, p.Table.CanRemove = "outlet-feeds", p.CanEdit
	for _, fd := range fds {
		p.Table.Feeds = append(p.Table.Feeds, newFeedRow(fd))
	}
	return p, nil
}

func (s *studio) outletUpdate(w http.ResponseWriter, r *http.Request) {
	old, err := outlets.OutletByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	f := outletForm(old, false)
	f.fill(r.PostFormValue)
	o := outletFrom(f)
	if err := outlets.SaveOutlet(r.Context(), s.db, &o); err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		p, perr := s.outletPage(r, old, f)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, old.Name, "outlet", p)
		return
	}
	http.Redirect(w, r, "/studio/outlets/"+o.Key+"?saved=1", http.StatusSeeOther)
}

// notFoundOr answers 404 for a record that does not exist, 500 otherwise.
func (s *studio) notFoundOr(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, r, http.StatusNotFound, "Not found", "message", message{Title: "Not found",
			Text: "There is nothing at this address in the studio; it may have been renamed or removed."})
		return
	}
	s.fail(w, r, err)
}

// Feeds.

type feedRow struct {
	ID                   int64
	OutletKey, OutletURL string
	URL, Title, Status   string
	LastSuccess, Next    *stamp
	LastError            string
	Failures             int
}

func newFeedRow(f outlets.Feed) feedRow {
	row := feedRow{ID: f.ID, OutletKey: f.OutletKey, OutletURL: "/studio/outlets/" + f.OutletKey, URL: f.URL,
		Title: f.Title, Status: f.Status(), LastError: f.LastError, Failures: f.ConsecutiveFailures}
	if f.LastSuccessAt != nil {
		row.LastSuccess = newStamp(*f.LastSuccessAt)
	}
	if !f.NextCheckAt.IsZero() {
		row.Next = newStamp(f.NextCheckAt)
	}
	return row
}

// feedTable is a table of feeds with their health; Caption is the id of
// the heading that names it.
type feedTable struct {
	Caption    string
	ShowOutlet bool
	// CanRemove offers each feed's "remove" (editors, on the outlet).
	CanRemove bool
	Feeds     []feedRow
}

type feedsPage struct {
	Nav, Status string
	Filters     []link
	Table       feedTable
}

// feedList lists every feed with its health, or those with one status
// (?status=failing), as `feeds list` does.
func (s *studio) feedList(w http.ResponseWriter, r *http.Request) {
	want := r.URL.Query().Get("status")
	if want != "" && want != "ok" && want != "failing" && want != "new" {
		s.render(w, r, http.StatusBadRequest, "Feeds", "message", message{Title: "Unknown status",
			Text: "There is no feed status " + strconv.Quote(want) + "; the statuses are ok, failing and new."})
		return
	}
	fds, err := outlets.ListFeeds(r.Context(), s.db, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := feedsPage{Nav: "outlets", Status: want, Table: feedTable{Caption: "feeds-title", ShowOutlet: true}}
	count := map[string]int{}
	for _, f := range fds {
		count[f.Status()]++
		if want == "" || f.Status() == want {
			p.Table.Feeds = append(p.Table.Feeds, newFeedRow(f))
		}
	}
	p.Filters = []link{{Label: "all", Count: len(fds), Href: "/studio/feeds"}}
	for _, st := range []string{"failing", "ok", "new"} {
		p.Filters = append(p.Filters, link{Label: st, Count: count[st], Href: "/studio/feeds?status=" + st})
	}
	s.render(w, r, http.StatusOK, "Feeds", "feeds", p)
}

// People.

func (s *studio) personList(w http.ResponseWriter, r *http.Request) {
	ps, err := outlets.ListPeople(r.Context(), s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := rosterPage{Nav: "people", Title: "People", CanEdit: true}
	for _, pe := range ps {
		row := personRow{Key: pe.Key, Href: "/studio/people/" + pe.Key, Name: pe.Name, Native: newBidi(pe.NativeName), Role: pe.Role}
		for _, a := range pe.Aliases {
			row.Aliases = append(row.Aliases, newBidi(a))
		}
		p.People = append(p.People, row)
	}
	if p.Proposals, err = s.proposals(r, maxProposals); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Dismissed = r.URL.Query().Get("dismissed")
	s.render(w, r, http.StatusOK, "People", "people", p)
}

func personForm(pe outlets.Person, create bool) form {
	f := form{ID: "person", Action: "/studio/people/" + pe.Key, Submit: "Save person"}
	if create {
		f.Action, f.Submit = "/studio/people", "Add person"
	}
	f.Fields = []field{
		{Name: "key", Label: "Key", Value: pe.Key, Required: true, ReadOnly: !create,
			Hint: "Lower-case letters, digits and hyphens; editions and search (speaker:key) use it. It cannot change later."},
		{Name: "name", Label: "Name in English", Value: pe.Name, Required: true},
		{Name: "native_name", Label: "Name in the original script", Value: pe.NativeName, Auto: true, Lang: newBidi(pe.NativeName).Lang},
		{Name: "aliases", Label: "Other spellings", Value: strings.Join(pe.Aliases, "\n"), Kind: "textarea", Size: 4, Auto: true,
			Hint: "One a line: Persian and Arabic spellings (ي/ی, ك/ک), transliterations. Speaker search finds the person by any of them."},
		{Name: "role", Label: "Role", Value: pe.Role,
			Hint: `As the text introduces them: "an international affairs expert", "Iran’s foreign minister".`},
	}
	return f
}

func personFrom(f form) outlets.Person {
	v := func(n string) string { return strings.TrimSpace(f.value(n)) }
	return outlets.Person{Key: v("key"), Name: v("name"), NativeName: v("native_name"), Role: v("role"),
		Aliases: lines(f.value("aliases"))}
}

type personPage struct {
	Nav, Title string
	Key        string // of a person on the roster, for the link to their quotes
	Create     bool
	Saved      bool
	Form       form
}

func (s *studio) personNew(w http.ResponseWriter, r *http.Request) {
	// A speaker proposed from the quotes found comes with the name and
	// role as written (see proposals).
	q := r.URL.Query()
	s.render(w, r, http.StatusOK, "New person", "person", personPage{Nav: "people", Title: "New person", Create: true,
		Form: personForm(outlets.Person{NativeName: q.Get("native_name"), Role: q.Get("role")}, true)})
}

func (s *studio) personCreate(w http.ResponseWriter, r *http.Request) {
	f := personForm(outlets.Person{}, true)
	f.fill(r.PostFormValue)
	pe := personFrom(f)
	err := pe.Validate()
	if err == nil {
		err = s.refuseTaken(r.Context(), "key", "person", func(ctx context.Context) error {
			_, err := outlets.PersonByKey(ctx, s.db, pe.Key)
			return err
		})
	}
	if err == nil {
		err = outlets.SavePerson(r.Context(), s.db, &pe)
	}
	if err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "New person", "person", personPage{Nav: "people", Title: "New person", Create: true, Form: f})
		return
	}
	http.Redirect(w, r, "/studio/people/"+pe.Key+"?saved=1", http.StatusSeeOther)
}

func (s *studio) personShow(w http.ResponseWriter, r *http.Request) {
	pe, err := outlets.PersonByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pe.Name, "person", personPage{Nav: "people", Title: pe.Name, Key: pe.Key,
		Saved: r.URL.Query().Get("saved") == "1", Form: personForm(pe, false)})
}

func (s *studio) personUpdate(w http.ResponseWriter, r *http.Request) {
	old, err := outlets.PersonByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	f := personForm(old, false)
	f.fill(r.PostFormValue)
	pe := personFrom(f)
	if err := outlets.SavePerson(r.Context(), s.db, &pe); err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, old.Name, "person", personPage{Nav: "people", Title: old.Name, Form: f})
		return
	}
	http.Redirect(w, r, "/studio/people/"+pe.Key+"?saved=1", http.StatusSeeOther)
}

// Authors.

func (s *studio) authorList(w http.ResponseWriter, r *http.Request) {
	as, err := posts.ListAuthors(r.Context(), s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := rosterPage{Nav: "authors", Title: "Authors", CanEdit: canEdit(r)}
	for _, a := range as {
		p.Authors = append(p.Authors, authorRow{Key: a.Key, Href: "/studio/authors/" + a.Key, Name: a.Name, Affiliation: a.Affiliation()})
	}
	s.render(w, r, http.StatusOK, "Authors", "authors", p)
}

func authorForm(a posts.Author, create bool) form {
	f := form{ID: "author", Action: "/studio/authors/" + a.Key, Submit: "Save author"}
	if create {
		f.Action, f.Submit = "/studio/authors", "Add author"
	}
	f.Fields = []field{
		{Name: "key", Label: "Key", Value: a.Key, Required: true, ReadOnly: !create,
			Hint: "Lower-case letters, digits and hyphens; the author's page is /author/key. It cannot change later."},
		{Name: "name", Label: "Name", Value: a.Name, Required: true},
		{Name: "title", Label: "Title", Value: a.Title, Hint: `"Senior Fellow"`},
		{Name: "organisation", Label: "Organisation", Value: a.Organisation},
		{Name: "bio", Label: "Biography", Value: a.Bio, Kind: "textarea", Size: 5},
		{Name: "photo", Label: "Photo", Value: a.Photo, Hint: "A site path or URL of the portrait."},
	}
	return f
}

func authorFrom(f form) posts.Author {
	v := func(n string) string { return strings.TrimSpace(f.value(n)) }
	return posts.Author{Key: v("key"), Name: v("name"), Title: v("title"), Organisation: v("organisation"),
		Bio: v("bio"), Photo: v("photo")}
}

type authorPage struct {
	Nav, Title string
	Create     bool
	Saved      bool
	Form       form
}

func (s *studio) authorNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "New author", "author", authorPage{Nav: "authors", Title: "New author", Create: true,
		Form: authorForm(posts.Author{}, true)})
}

func (s *studio) authorCreate(w http.ResponseWriter, r *http.Request) {
	f := authorForm(posts.Author{}, true)
	f.fill(r.PostFormValue)
	a := authorFrom(f)
	err := a.Validate()
	if err == nil {
		err = s.refuseTaken(r.Context(), "key", "author", func(ctx context.Context) error {
			_, err := posts.AuthorByKey(ctx, s.db, a.Key)
			return err
		})
	}
	if err == nil {
		err = posts.SaveAuthor(r.Context(), s.db, &a)
	}
	if err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "New author", "author", authorPage{Nav: "authors", Title: "New author", Create: true, Form: f})
		return
	}
	http.Redirect(w, r, "/studio/authors/"+a.Key+"?saved=1", http.StatusSeeOther)
}

func (s *studio) authorShow(w http.ResponseWriter, r *http.Request) {
	a, err := posts.AuthorByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, a.Name, "author", authorPage{Nav: "authors", Title: a.Name,
		Saved: r.URL.Query().Get("saved") == "1", Form: authorForm(a, false)})
}

func (s *studio) authorUpdate(w http.ResponseWriter, r *http.Request) {
	old, err := posts.AuthorByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	f := authorForm(old, false)
	f.fill(r.PostFormValue)
	a := authorFrom(f)
	if err := posts.SaveAuthor(r.Context(), s.db, &a); err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, old.Name, "author", authorPage{Nav: "authors", Title: old.Name, Form: f})
		return
	}
	http.Redirect(w, r, "/studio/authors/"+a.Key+"?saved=1", http.StatusSeeOther)
}

type feedAddHandler struct {
	s   *studio
	svc *ingest.Service
}

// ServeHTTP subscribes the outlet to the posted URL through the intake,
// as `feeds add` does, and shows the outlet with the feeds it added; a
// URL that gives no new feed comes back with the reason beside it.
func (h feedAddHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := h.s
	o, err := outlets.OutletByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	f := feedForm(o.Key)
	f.fill(r.PostFormValue)
	// Discovery may try several URLs of a slow server; it goes on if the
	// editor closes the page, and what it fetched is kept as evidence.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Minute)
	defer cancel()
	added, err := h.svc.SubscribeFeeds(ctx, o.Key, f.value("url"))
	if err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		p, perr := s.outletPage(r, o, outletForm(o, false))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		p.FeedForm = f
		s.render(w, r, http.StatusUnprocessableEntity, o.Name, "outlet", p)
		return
	}
	ids := make([]string, len(added))
	for i, fd := range added {
		ids[i] = itoa(fd.ID)
	}
	http.Redirect(w, r, "/studio/outlets/"+o.Key+"?added="+strings.Join(ids, ",")+"#outlet-feeds", http.StatusSeeOther)
}

// feedRemove unsubscribes the outlet from a feed (editors). The outlet's
// page says what went and that its captures stay in the archive; adding
// the URL again resumes it.
func (s *studio) feedRemove(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFoundOr(w, r, store.ErrNotFound)
		return
	}
	f, err := outlets.DeleteFeed(r.Context(), s.db, id)
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	http.Redirect(w, r, "/studio/outlets/"+f.OutletKey+"?"+url.Values{"removed": {f.URL}}.Encode()+"#outlet-feeds", http.StatusSeeOther)
}
