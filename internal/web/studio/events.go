package studio

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// An event's start and end are typed in its own time zone, as the
// organisers announce it; the store keeps instants, and the form shows
// the UTC equivalent beside each. Saving a new time or place raises the
// event's calendar SEQUENCE (posts.SaveEvent), so calendars that imported
// its .ics notice the change.

// zoneSuggestions are offered in the time zone input; any IANA name is
// accepted.
var zoneSuggestions = []string{
	"Asia/Tehran", "America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
	"Europe/Paris", "Europe/Berlin", "Asia/Dubai", "Asia/Riyadh", "Asia/Baghdad", "Asia/Beirut",
	"Asia/Jerusalem", "Europe/Istanbul", "Asia/Kabul", "UTC",
}

// loadZone is the event's zone, or an error on the time_zone field.
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return nil, valid.Errorf("time_zone", "is required (an IANA name such as Asia/Tehran)")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, valid.Errorf("time_zone", "%q is not a known time zone; use an IANA name such as Asia/Tehran or America/New_York", name)
	}
	return loc, nil
}

// inUTC is the hint beside a time field: the instant in UTC.
func inUTC(t time.Time) string {
	if t.IsZero() {
		return "In the event's time zone."
	}
	return "In the event's time zone; in UTC that is " + t.UTC().Format("Mon 2 Jan 2006 15:04") + "."
}

// eventFacts is what a saved event looks like from outside: its time in
// its zone and in UTC, its calendar revision and its seats.
type eventFacts struct {
	Local, UTC  string
	Sequence    int
	Seats       string
	ICS         string
	StartsAtISO string
	UpdatedAt   *stamp
}

func newEventFacts(e *posts.EventPage) *eventFacts {
	loc := e.Location()
	start, end := e.StartsAt.In(loc), e.EndsAt.In(loc)
	f := &eventFacts{Local: start.Format("Mon 2 Jan 2006, 15:04") + "–" + end.Format("15:04") + " " + e.TimeZone + " (UTC" + start.Format("-07:00") + ")",
		UTC:      e.StartsAt.UTC().Format("Mon 2 Jan 2006, 15:04") + "–" + e.EndsAt.UTC().Format("15:04") + " UTC",
		Sequence: e.Sequence, Seats: strconv.Itoa(e.Registered) + " registered, no limit", ICS: "/events/" + e.Slug + "/event.ics",
		StartsAtISO: e.StartsAt.UTC().Format(time.RFC3339), UpdatedAt: newStamp(e.UpdatedAt)}
	if e.Capacity > 0 {
		f.Seats = strconv.Itoa(e.Registered) + " of " + strconv.Itoa(e.Capacity) + " seats taken"
	}
	if e.RegistrationClosed {
		f.Seats += "; registration closed"
	}
	return f
}

func (s *studio) eventList(w http.ResponseWriter, r *http.Request) {
	list, err := posts.AllEvents(r.Context(), s.db)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		Title, Status, Href, Zone, Local string
		Starts                           *stamp
		Where                            string
		Seats                            string
	}
	p := struct {
		Rows  []row
		Style string
	}{Style: s.asset("studio-posts.css")}
	for _, e := range list {
		rw := row{Title: e.Title, Status: e.Status, Href: "/studio/events/" + e.Slug, Zone: e.TimeZone,
			Local: e.StartsAt.In(e.Location()).Format("Mon 2 Jan 2006 15:04"), Starts: newStamp(e.StartsAt)}
		switch {
		case e.Place != "" && e.OnlineURL != "":
			rw.Where = e.Place + " and online"
		case e.Place != "":
			rw.Where = e.Place
		case e.OnlineURL != "":
			rw.Where = "Online"
		}
		rw.Seats = strconv.Itoa(e.Registered) + " registered"
		if e.Capacity > 0 {
			rw.Seats += " of " + strconv.Itoa(e.Capacity)
		}
		p.Rows = append(p.Rows, rw)
	}
	s.render(w, r, http.StatusOK, "Events", "events", p)
}

// eventForm is the event's form; the slug is fixed once the event exists
// (its page, calendar UID and registration links use it).
func (s *studio) eventForm(r *http.Request, e posts.Event, create bool) (form, error) {
	images, err := posts.ListImages(r.Context(), s.db)
	if err != nil {
		return form{}, err
	}
	loc := e.Location()
	f := form{ID: "event", Action: "/studio/events/" + e.Slug, Submit: "Save event"}
	slugHint := "The page's address, /events/SLUG. It cannot change once saved."
	if create {
		f.Action = "/studio/events"
		slugHint = "The page's address, /events/SLUG: lower-case letters, digits and hyphens. Left empty, it is made from the title. It cannot change once saved."
	}
	capacity := ""
	if e.Capacity > 0 {
		capacity = strconv.Itoa(e.Capacity)
	}
	start, end := &e.StartsAt, &e.EndsAt
	open := ""
	if !e.RegistrationClosed {
		open = "1"
	}
	f.Fields = []field{
		{Name: "title", Label: "Title", Value: e.Title, Required: true, Auto: true},
		{Name: "slug", Label: "Slug", Value: e.Slug, ReadOnly: !create, Hint: slugHint},
		{Name: "summary", Label: "Summary", Value: e.Summary, Auto: true, Hint: "One or two sentences for listings and calendars."},
		{Name: "time_zone", Label: "Time zone", Kind: "zone", Value: e.TimeZone, Required: true,
			Hint: "Where the event happens, as an IANA name: Asia/Tehran, America/New_York, Europe/London."},
		{Name: "starts_at", Label: "Starts", Kind: "datetime-local", Value: localValue(start, loc), Required: true, Hint: inUTC(e.StartsAt)},
		{Name: "ends_at", Label: "Ends", Kind: "datetime-local", Value: localValue(end, loc), Required: true, Hint: inUTC(e.EndsAt)},
		{Name: "place", Label: "Place", Value: e.Place, Auto: true, Hint: "The address of the room; leave empty for an online-only event."},
		{Name: "online_url", Label: "Online link", Kind: "url", Value: e.OnlineURL, Hint: "An https:// link to join; leave empty for an event in a room only."},
		{Name: "capacity", Label: "Capacity", Kind: "number", Value: capacity, Hint: "Seats readers can register for; empty for no limit."},
		{Name: "registration_open", Label: "Registration is open", Kind: "checkbox", Value: open,
			Hint: "Readers register on the event's page until it starts. Untick to close registration: the page then says \"Registration is closed\" and takes no registration or confirmation."},
		{Name: "image", Label: "Picture", Kind: "select", Value: e.Image, Options: imageOptions(images, e.Image),
			Hint: "An uploaded image, shown with its caption and credit. Upload new ones under Images."},
		{Name: "status", Label: "Status", Kind: "select", Value: e.Status, Options: statusOptions(e.Status, canEdit(r)),
			Hint: "Drafts are seen only in the studio. Editors schedule and publish."},
		{Name: "publish_at", Label: "Publish time (UTC)", Kind: "datetime-local", Value: localValue(e.PublishAt, time.UTC),
			Hint: "When the event's page goes public; a publish without one goes public now."},
		{Name: "body", Label: "Description (Markdown)", Kind: "textarea", Size: 12, Value: e.Body, Auto: true,
			Hint: "Markdown, as in analyses: ## for a heading, *italic*, **bold**, [a link](https://…)."},
	}
	return f, nil
}

// eventFrom reads the posted form; what the form does not show (speakers,
// the recording link) is kept from old.
func eventFrom(f form, old *posts.EventPage) (posts.Event, error) {
	v := func(n string) string { return strings.TrimSpace(f.value(n)) }
	e := posts.Event{Title: v("title"), Slug: v("slug"), Summary: v("summary"), Body: markdownValue(f.value("body")),
		TimeZone: v("time_zone"), Place: v("place"), OnlineURL: v("online_url"), Image: v("image"), Status: v("status"),
		RegistrationClosed: v("registration_open") == ""}
	if old != nil {
		e.Speakers, e.RecordingURL = old.Speakers, old.RecordingURL
	}
	if c := v("capacity"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			return e, valid.Errorf("capacity", "%q is not a whole number; leave it empty for no limit", c)
		}
		e.Capacity = n
	}
	loc, err := loadZone(e.TimeZone)
	if err != nil {
		return e, err
	}
	for _, t := range []struct {
		name string
		into *time.Time
	}{{"starts_at", &e.StartsAt}, {"ends_at", &e.EndsAt}} {
		at, err := parseLocal(t.name, v(t.name), loc)
		if err != nil {
			return e, err
		}
		if at == nil {
			return e, valid.Errorf(t.name, "is required")
		}
		*t.into = *at
	}
	e.PublishAt, err = parseLocal("publish_at", v("publish_at"), time.UTC)
	return e, err
}

func (s *studio) eventNew(w http.ResponseWriter, r *http.Request) {
	f, err := s.eventForm(r, posts.Event{Status: "draft"}, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPostPage("events", "New event", f)
	p.Create, p.Zones = true, zoneSuggestions
	s.render(w, r, http.StatusOK, p.Title, "event-edit", p)
}

func (s *studio) eventShow(w http.ResponseWriter, r *http.Request) {
	e, err := posts.EventBySlug(r.Context(), s.db, r.PathValue("slug"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	f, err := s.eventForm(r, e.Event, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPostPage("events", e.Title, f)
	p.Zones = zoneSuggestions
	p.Saved = r.URL.Query().Get("saved") == "1"
	p.Locked = mayChange(r, "event", e.Status, e.Status)
	p.Facts = newEventFacts(e)
	if posts.Public(e.Status, e.PublishAt, time.Now()) {
		p.PublicURL = "/events/" + e.Slug
	} else {
		p.Facts.ICS = "" // the calendar file is served for public events only
	}
	s.render(w, r, http.StatusOK, p.Title, "event-edit", p)
}

func (s *studio) eventCreate(w http.ResponseWriter, r *http.Request) {
	s.eventSave(w, r, nil)
}

func (s *studio) eventUpdate(w http.ResponseWriter, r *http.Request) {
	old, err := posts.EventBySlug(r.Context(), s.db, r.PathValue("slug"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	s.eventSave(w, r, old)
}

// eventSave previews or saves the posted form over old (nil when the
// event is new).
func (s *studio) eventSave(w http.ResponseWriter, r *http.Request, old *posts.EventPage) {
	ctx := r.Context()
	base, title := posts.Event{}, "New event"
	if old != nil {
		base, title = old.Event, old.Title
	}
	f, err := s.eventForm(r, base, old == nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.fill(r.PostFormValue)
	e, err := eventFrom(f, old)
	if old != nil {
		e.Slug = old.Slug
	} else if e.Slug == "" {
		e.Slug = valid.Slugify(e.Title)
		setValue(&f, "slug", e.Slug)
	}
	if err == nil {
		// Show what was typed as the instants it means.
		setHint(&f, "starts_at", inUTC(e.StartsAt))
		setHint(&f, "ends_at", inUTC(e.EndsAt))
	}
	if r.PostFormValue("do") == "preview" {
		s.previewPost(w, r, "events", title, f, e.Body, old == nil)
		return
	}
	oldStatus := ""
	if old != nil {
		oldStatus = old.Status
	}
	if why := mayChange(r, "event", oldStatus, e.Status); why != "" {
		s.notAllowed(w, r, why)
		return
	}
	if err == nil && e.Status == "published" && e.PublishAt == nil {
		now := time.Now().UTC().Truncate(time.Minute)
		e.PublishAt = &now
	}
	if err == nil && old == nil {
		err = s.refuseTakenSlug(r, "event", func() error { _, err := posts.EventBySlug(ctx, s.db, e.Slug); return err })
	}
	if err == nil {
		err = s.db.InTx(ctx, func(tx *store.Tx) error { return posts.SaveEvent(ctx, tx, &e) })
	}
	if err != nil {
		s.refuse(w, r, "events", title, f, old == nil, err)
		return
	}
	http.Redirect(w, r, "/studio/events/"+e.Slug+"?saved=1", http.StatusSeeOther)
}

// setHint sets the hint of f's field name.
func setHint(f *form, name, hint string) {
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			f.Fields[i].Hint = hint
		}
	}
}
