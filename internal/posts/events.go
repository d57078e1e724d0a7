package posts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

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
	if strings.TrimSpace(e.Title) == "" {
		return valid.Errorf("title", "is required")
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
	for i, sp := range e.Speakers {
		if strings.TrimSpace(sp.Name) == "" {
			return valid.Errorf(valid.Index("speakers", i)+".name", "is required")
		}
	}
	return checkStatus(e.Status, e.PublishAt)
}

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
		if err != nil {
			return valid.Errorf(valid.Index("speakers", i)+".author", "unknown author %q", sp.Author)
		}
		speakerAuthors[i] = ids[0]
	}
	err = q.QueryRowContext(ctx, `
		INSERT INTO events (slug, title, summary, body, starts_at, ends_at, time_zone, place, online_url,
			image_id, capacity, recording_url, status, publish_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET
			title = excluded.title, summary = excluded.summary, body = excluded.body,
			starts_at = excluded.starts_at, ends_at = excluded.ends_at, time_zone = excluded.time_zone,
			place = excluded.place, online_url = excluded.online_url, image_id = excluded.image_id,
			capacity = excluded.capacity, recording_url = excluded.recording_url, status = excluded.status,
			publish_at = excluded.publish_at, updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		e.Slug, e.Title, e.Summary, e.Body, e.StartsAt.UTC(), e.EndsAt.UTC(), e.TimeZone, e.Place, e.OnlineURL,
		img, e.Capacity, e.RecordingURL, e.Status, utc(e.PublishAt),
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
	Registered int // seats taken
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
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id)`

func scanEvent(row interface{ Scan(...any) error }) (*EventPage, int64, error) {
	var (
		p          EventPage
		img        nullInt
		start, end nullTime
		at         nullTime
	)
	err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.Body, &start, &end, &p.TimeZone, &p.Place,
		&p.OnlineURL, &img, &p.Capacity, &p.RecordingURL, &p.Status, &at, &p.Registered)
	p.StartsAt, p.EndsAt = start.Time, end.Time
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
	ErrEventFull   = errors.New("this event is full")
	ErrEventClosed = errors.New("registration for this event has closed")
)

// Register books a seat for email at the event and reports whether a new
// seat was booked. Registering twice with one address keeps one seat and
// is not an error (booked is then false). Capacity is checked in the same
// transaction as the insert.
func Register(ctx context.Context, db *store.DB, slug, name, email string, now time.Time) (booked bool, err error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return false, valid.Errorf("name", "is required")
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Address != strings.TrimSpace(email) {
		return false, valid.Errorf("email", "%q is not an email address", email)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		// Touching the event row first serializes registrations for one
		// event on PostgreSQL (SQLite serializes all writers anyway), so
		// two readers cannot both take the last seat; it also bumps the
		// site's content version, so the seats left shown are current.
		if _, err := tx.ExecContext(ctx, `UPDATE events SET updated_at = CURRENT_TIMESTAMP WHERE slug = ?`, slug); err != nil {
			return err
		}
		p, err := EventBySlug(ctx, tx, slug)
		if err != nil {
			return err
		}
		if !Public(p.Status, p.PublishAt, now) {
			return fmt.Errorf("event %q: %w", slug, store.ErrNotFound)
		}
		if !now.Before(p.StartsAt) {
			return ErrEventClosed
		}
		addr := strings.ToLower(addr.Address)
		var already int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND email = ?`,
			p.ID, addr).Scan(&already); err != nil {
			return err
		}
		if already > 0 {
			return nil
		}
		if p.Capacity > 0 && p.Registered >= p.Capacity {
			return ErrEventFull
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO event_registrations (event_id, name, email) VALUES (?, ?, ?)
			ON CONFLICT (event_id, email) DO NOTHING`, p.ID, name, addr)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		booked = n == 1
		return err
	})
	return booked && err == nil, err
}
