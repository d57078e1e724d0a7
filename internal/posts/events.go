package posts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Event is a discussion the desk hosts, in a room or online.
type Event struct {
	ID      int64  `json:"-"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Summary string `json:"summary,omitempty"`
	Body    string `json:"body,omitempty"` // Markdown
	// StartsAt and EndsAt are instants; TimeZone (IANA, "America/New_York")
	// is where the event happens, for showing its local time.
	StartsAt     time.Time  `json:"starts_at"`
	EndsAt       time.Time  `json:"ends_at"`
	TimeZone     string     `json:"time_zone"`
	Place        string     `json:"place,omitempty"`
	OnlineURL    string     `json:"online_url,omitempty"`
	Image        string     `json:"image,omitempty"` // image key
	Capacity     int        `json:"capacity,omitempty"`
	RecordingURL string     `json:"recording_url,omitempty"`
	Speakers     []Speaker  `json:"speakers,omitempty"`
	Status       string     `json:"status"`
	PublishAt    *time.Time `json:"publish_at,omitempty"`
	// RegistrationClosed stops readers registering before the event
	// starts (the store's registration_open, negated): the zero value
	// keeps registration open, as it is for events saved before the
	// switch and in bundles that do not mention it.
	RegistrationClosed bool `json:"registration_closed,omitempty"`
}

// Speaker is someone on an event's panel; Author links to their page when
// they write for the desk.
type Speaker struct {
	Name   string `json:"name"`
	Role   string `json:"role,omitempty"`
	Author string `json:"author,omitempty"`
}

// Location is the event's own time zone.
func (e Event) Location() *time.Location {
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Validate checks the event on its own; SaveEvent checks references.
func (e Event) Validate() error {
	if err := valid.CheckKey("slug", e.Slug); err != nil {
		return err
	}
	// The title goes into the subject of every registration mail.
	if err := valid.Line("title", e.Title); err != nil {
		return err
	}
	if e.StartsAt.IsZero() {
		return valid.Errorf("starts_at", "is required")
	}
	if e.EndsAt.Before(e.StartsAt) {
		return valid.Errorf("ends_at", "is before starts_at")
	}
	if e.TimeZone == "" {
		return valid.Errorf("time_zone", "is required (an IANA zone such as America/New_York)")
	}
	if _, err := time.LoadLocation(e.TimeZone); err != nil {
		return valid.Errorf("time_zone", "%q is not a known time zone", e.TimeZone)
	}
	if e.Capacity < 0 {
		return valid.Errorf("capacity", "cannot be negative")
	}
	if err := checkOnlineURL(e.OnlineURL); err != nil {
		return err
	}
	for i, sp := range e.Speakers {
		if err := valid.Line(valid.Index("speakers", i)+".name", sp.Name); err != nil {
			return err
		}
	}
	return checkStatus(e.Status, e.PublishAt)
}

// A saved event is rescheduled when its time or place changes (RFC 5545
// §3.8.7.4 counts these as the revisions that raise SEQUENCE), and edited
// when anything else a reader sees does. Saving it unchanged — importing
// the same bundle again — touches neither its sequence nor updated_at.
const (
	rescheduled = `(events.starts_at IS DISTINCT FROM excluded.starts_at OR events.ends_at IS DISTINCT FROM excluded.ends_at
		OR events.time_zone IS DISTINCT FROM excluded.time_zone OR events.place IS DISTINCT FROM excluded.place
		OR events.online_url IS DISTINCT FROM excluded.online_url)`
	edited = `(events.title IS DISTINCT FROM excluded.title OR events.summary IS DISTINCT FROM excluded.summary
		OR events.body IS DISTINCT FROM excluded.body OR events.image_id IS DISTINCT FROM excluded.image_id
		OR events.capacity IS DISTINCT FROM excluded.capacity OR events.recording_url IS DISTINCT FROM excluded.recording_url
		OR events.status IS DISTINCT FROM excluded.status OR events.publish_at IS DISTINCT FROM excluded.publish_at
		OR events.registration_open IS DISTINCT FROM excluded.registration_open)`
)

// SaveEvent writes an event with its speakers, replacing any event with
// the same slug. Registrations are kept.
func SaveEvent(ctx context.Context, q store.Querier, e *Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	img, err := imageID(ctx, q, e.Image)
	if err != nil {
		return err
	}
	speakerAuthors := make([]any, len(e.Speakers))
	for i, sp := range e.Speakers {
		if sp.Author == "" {
			continue
		}
		ids, err := authorIDs(ctx, q, []string{sp.Author})
		var ve *valid.Error
		if errors.As(err, &ve) {
			return &valid.Error{Path: valid.Index("speakers", i) + ".author", Problem: fmt.Sprintf("unknown author %q", sp.Author),
				Missing: ve.Missing}
		}
		if err != nil {
			return err
		}
		speakerAuthors[i] = ids[0]
	}
	err = q.QueryRowContext(ctx, `
		INSERT INTO events (slug, title, summary, body, starts_at, ends_at, time_zone, place, online_url,
			image_id, capacity, recording_url, status, publish_at, registration_open)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET
			title = excluded.title, summary = excluded.summary, body = excluded.body,
			starts_at = excluded.starts_at, ends_at = excluded.ends_at, time_zone = excluded.time_zone,
			place = excluded.place, online_url = excluded.online_url, image_id = excluded.image_id,
			capacity = excluded.capacity, recording_url = excluded.recording_url, status = excluded.status,
			publish_at = excluded.publish_at, registration_open = excluded.registration_open,
			sequence = events.sequence + CASE WHEN `+rescheduled+` THEN 1 ELSE 0 END,
			updated_at = CASE WHEN `+rescheduled+` OR `+edited+` THEN CURRENT_TIMESTAMP ELSE events.updated_at END
		RETURNING id`,
		e.Slug, e.Title, e.Summary, e.Body, e.StartsAt.UTC(), e.EndsAt.UTC(), e.TimeZone, e.Place, e.OnlineURL,
		img, e.Capacity, e.RecordingURL, e.Status, utc(e.PublishAt), !e.RegistrationClosed,
	).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("save event %q: %w", e.Slug, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM event_speakers WHERE event_id = ?`, e.ID); err != nil {
		return fmt.Errorf("save event %q: %w", e.Slug, err)
	}
	for i, sp := range e.Speakers {
		if _, err := q.ExecContext(ctx, `INSERT INTO event_speakers (event_id, position, name, role, author_id) VALUES (?, ?, ?, ?, ?)`,
			e.ID, i, sp.Name, sp.Role, speakerAuthors[i]); err != nil {
			return fmt.Errorf("save event %q: %w", e.Slug, err)
		}
	}
	return nil
}

// EventPage is an event with what its page shows.
type EventPage struct {
	Event
	ImageMeta  *Image
	Registered int // seats taken: confirmed registrations
	// Sequence counts the changes of the event's time or place, and
	// UpdatedAt is when its content last changed: the iCalendar SEQUENCE
	// and LAST-MODIFIED, by which calendars notice a reschedule.
	Sequence  int
	UpdatedAt time.Time
}

// SeatsLeft is how many can still register; -1 when there is no limit.
func (p *EventPage) SeatsLeft() int {
	if p.Capacity == 0 {
		return -1
	}
	return max(0, p.Capacity-p.Registered)
}

const eventColumns = `e.id, e.slug, e.title, e.summary, e.body, e.starts_at, e.ends_at, e.time_zone, e.place,
	e.online_url, e.image_id, e.capacity, e.recording_url, e.status, e.publish_at,
	e.sequence, e.updated_at, e.registration_open,
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.confirmed_at IS NOT NULL)`

func scanEvent(row interface{ Scan(...any) error }) (*EventPage, int64, error) {
	var (
		p          EventPage
		img        nullInt
		start, end nullTime
		at, upd    nullTime
		open       bool
	)
	err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.Body, &start, &end, &p.TimeZone, &p.Place,
		&p.OnlineURL, &img, &p.Capacity, &p.RecordingURL, &p.Status, &at, &p.Sequence, &upd, &open, &p.Registered)
	p.RegistrationClosed = !open
	p.StartsAt, p.EndsAt, p.UpdatedAt = start.Time, end.Time, upd.Time.UTC()
	if at.Valid {
		p.PublishAt = &at.Time
	}
	return &p, img.n, err
}

// EventBySlug reads an event (any status); store.ErrNotFound when none has slug.
func EventBySlug(ctx context.Context, q store.Querier, slug string) (*EventPage, error) {
	p, img, err := scanEvent(q.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("event %q: %w", slug, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load event %q: %w", slug, err)
	}
	if err := fillEvents(ctx, q, []*EventPage{p}, []int64{img}); err != nil {
		return nil, err
	}
	return p, nil
}

// ListEvents returns public events, upcoming (not yet ended, soonest
// first) or past (most recent first), and how many there are in all.
func ListEvents(ctx context.Context, q store.Querier, now time.Time, upcoming bool, limit, offset int) ([]*EventPage, int, error) {
	where, order := `e.ends_at >= ?`, `e.starts_at, e.slug`
	if !upcoming {
		where, order = `e.ends_at < ?`, `e.starts_at DESC, e.slug`
	}
	where = `e.status <> 'draft' AND e.publish_at <= ? AND ` + where
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM events e WHERE `+where, now.UTC(), now.UTC()).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count events: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		now.UTC(), now.UTC(), limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var (
		out  []*EventPage
		imgs []int64
	)
	for rows.Next() {
		p, img, err := scanEvent(rows)
		if err != nil {
			return nil, 0, err
		}
		out, imgs = append(out, p), append(imgs, img)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	return out, total, fillEvents(ctx, q, out, imgs)
}

func fillEvents(ctx context.Context, q store.Querier, events []*EventPage, imageIDs []int64) error {
	images, err := imagesByID(ctx, q, imageIDs)
	if err != nil {
		return err
	}
	for i, p := range events {
		if im, ok := images[imageIDs[i]]; ok {
			p.ImageMeta = &im
			p.Image = im.Key
		}
		rows, err := q.QueryContext(ctx, `SELECT s.name, s.role, COALESCE(a.key, '') FROM event_speakers s
			LEFT JOIN authors a ON a.id = s.author_id WHERE s.event_id = ? ORDER BY s.position`, p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sp Speaker
			if err := rows.Scan(&sp.Name, &sp.Role, &sp.Author); err != nil {
				rows.Close()
				return err
			}
			p.Speakers = append(p.Speakers, sp)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Registration errors a reader can act on.
var (
	ErrEventFull           = errors.New("this event is full")
	ErrEventClosed         = errors.New("registration for this event has closed")
	ErrRegistrationClosed  = errors.New("registration is closed")
	ErrRegistrationExpired = errors.New("this registration was not confirmed in time; please register again")
)

// RegistrationTTL is how long a registration waits for its confirmation;
// unconfirmed, it then expires and holds nothing.
const RegistrationTTL = 24 * time.Hour

// Limits of what a registration form may store.
const (
	maxNameRunes = 100
	maxEmail     = 254 // RFC 5321 §4.5.3.1.3: a path of 256 octets, less the brackets
	maxLocalPart = 64
)

// Registration is one reader's request for a seat; it holds the seat once
// Confirmed.
type Registration struct {
	ID        int64
	Name      string
	Email     string
	CreatedAt time.Time
	Confirmed bool
}

// CheckRegistrant validates and normalizes a registration form's name and
// address: one line of at most 100 characters, and one plain address of at
// most 254 octets (64 before the @) without a display name.
func CheckRegistrant(name, email string) (string, string, error) {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	if err := valid.Line("name", name); err != nil {
		return "", "", err
	}
	if n := utf8.RuneCountInString(name); n > maxNameRunes {
		return "", "", valid.Errorf("name", "is %d characters long; at most %d are allowed", n, maxNameRunes)
	}
	if email == "" {
		return "", "", valid.Errorf("email", "is required")
	}
	if len(email) > maxEmail {
		return "", "", valid.Errorf("email", "is %d characters long; an email address has at most %d", len(email), maxEmail)
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return "", "", valid.Errorf("email", "%q is not an email address", email)
	}
	if at := strings.LastIndexByte(email, '@'); at > maxLocalPart {
		return "", "", valid.Errorf("email", "the part before @ has %d characters; at most %d are allowed", at, maxLocalPart)
	}
	return name, strings.ToLower(email), nil
}

// RequestRegistration records an unconfirmed registration of email for
// the event at slug. fresh is true when a new one was made, and only then
// should a confirmation link be mailed: a second request within
// RegistrationTTL, or for an address already registered, returns the
// existing registration and must mail nothing, so the form cannot flood an
// inbox. Expired requests for the event are dropped on the way.
func RequestRegistration(ctx context.Context, db *store.DB, slug, name, email string, now time.Time) (reg Registration, fresh bool, err error) {
	name, email, err = CheckRegistrant(name, email)
	if err != nil {
		return Registration{}, false, err
	}
	now = now.UTC()
	err = db.InTx(ctx, func(tx *store.Tx) error {
		p, err := openEvent(ctx, tx, slug, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM event_registrations
			WHERE event_id = ? AND confirmed_at IS NULL AND created_at < ?`, p.ID, now.Add(-RegistrationTTL)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO event_registrations (event_id, name, email, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (event_id, email) DO NOTHING`, p.ID, name, email, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		fresh = n == 1
		var confirmed nullTime
		var created nullTime
		if err := tx.QueryRowContext(ctx, `SELECT id, name, email, created_at, confirmed_at FROM event_registrations
			WHERE event_id = ? AND email = ?`, p.ID, email).Scan(&reg.ID, &reg.Name, &reg.Email, &created, &confirmed); err != nil {
			return err
		}
		reg.CreatedAt, reg.Confirmed = created.Time, confirmed.Valid
		if fresh && p.Capacity > 0 && p.Registered >= p.Capacity {
			return ErrEventFull // rolls the insert back
		}
		return nil
	})
	if err != nil {
		return Registration{}, false, err
	}
	return reg, fresh, nil
}

// ConfirmRegistration holds a seat for registration id of the event at
// slug, if the event still has one. booked is false when it was already
// confirmed. The capacity is checked in the same transaction as the
// update.
func ConfirmRegistration(ctx context.Context, db *store.DB, slug string, id int64, now time.Time) (reg Registration, booked bool, err error) {
	now = now.UTC()
	err = db.InTx(ctx, func(tx *store.Tx) error {
		p, err := openEvent(ctx, tx, slug, now)
		if err != nil {
			return err
		}
		var confirmed, created nullTime
		err = tx.QueryRowContext(ctx, `SELECT id, name, email, created_at, confirmed_at FROM event_registrations
			WHERE id = ? AND event_id = ?`, id, p.ID).Scan(&reg.ID, &reg.Name, &reg.Email, &created, &confirmed)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrRegistrationExpired // dropped as expired, or never made
		}
		if err != nil {
			return err
		}
		reg.CreatedAt, reg.Confirmed = created.Time, confirmed.Valid
		if reg.Confirmed {
			return nil
		}
		if !now.Before(reg.CreatedAt.Add(RegistrationTTL)) {
			return ErrRegistrationExpired
		}
		if p.Capacity > 0 && p.Registered >= p.Capacity {
			return ErrEventFull
		}
		if _, err := tx.ExecContext(ctx, `UPDATE event_registrations SET confirmed_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		reg.Confirmed, booked = true, true
		return nil
	})
	return reg, booked, err
}

// DropUnconfirmed deletes registration id unless it is confirmed: its
// confirmation mail could not be sent, and the reader may try again.
func DropUnconfirmed(ctx context.Context, db *store.DB, id int64) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM event_registrations WHERE id = ? AND confirmed_at IS NULL`, id); err != nil {
		return fmt.Errorf("drop registration %d: %w", id, err)
	}
	return nil
}

// openEvent reads the event at slug for a registration inside tx, after
// touching its row: that serializes registrations for one event on
// PostgreSQL (SQLite serializes all writers anyway), so two readers cannot
// both take the last seat, and it bumps the site's content version, so the
// seats left shown are current. The touch changes no column: updated_at
// is the calendar's LAST-MODIFIED, which a registration is not.
func openEvent(ctx context.Context, tx *store.Tx, slug string, now time.Time) (*EventPage, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE events SET sequence = sequence WHERE slug = ?`, slug); err != nil {
		return nil, err
	}
	p, err := EventBySlug(ctx, tx, slug)
	if err != nil {
		return nil, err
	}
	if !Public(p.Status, p.PublishAt, now) {
		return nil, fmt.Errorf("event %q: %w", slug, store.ErrNotFound)
	}
	if !now.Before(p.StartsAt) {
		return nil, ErrEventClosed
	}
	// Closing registration stops confirmations too: a seat is only held
	// once confirmed, and the editor closed the list.
	if p.RegistrationClosed {
		return nil, ErrRegistrationClosed
	}
	return p, nil
}
