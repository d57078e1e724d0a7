// Package editorial is the studio's workflow for editions: every save is a
// version with its author and time, saves carry the version they were
// based on so that a stale save is refused instead of overwriting someone
// else's words, and an edition moves draft → in review → approved →
// scheduled → published by explicit actions of the roles allowed to take
// them. Publishing freezes the page readers see (reviews.Freeze).
package editorial

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// State is where the working copy of an edition is in the workflow.
type State string

// The workflow's states.
const (
	Draft     State = "draft"
	InReview  State = "in_review"
	Approved  State = "approved"
	Scheduled State = "scheduled"
	Published State = "published"
)

// Doc is an edition as the studio edits it: the bundle's edition with the
// version it is at and its workflow state. Edition.Status is the public
// status, which may stay "published" while a revision is in draft.
type Doc struct {
	reviews.Edition
	Version   int       `json:"version"`
	State     State     `json:"state"`
	ChangedBy string    `json:"changed_by,omitempty"`
	ChangedAt time.Time `json:"changed_at"`
}

// ErrForbidden is returned when the actor's role may not take an action.
var ErrForbidden = errors.New("not allowed for this role")

// ErrState is returned for an action the edition's state does not allow,
// such as approving a draft that was never submitted.
var ErrState = errors.New("not allowed in this state")

// ConflictError is a save based on a version that is no longer current.
// Current is the edition as it is now, so the editor can see both texts.
type ConflictError struct {
	Based   int
	Current Doc
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("edition %q was saved as version %d by %s after version %d that this change is based on",
		e.Current.Slug, e.Current.Version, orSomeone(e.Current.ChangedBy), e.Based)
}

func orSomeone(s string) string {
	if s == "" {
		return "someone"
	}
	return s
}

// who names an actor in versions and the workflow.
func who(ac accounts.Actor) string {
	if ac.Email != "" {
		return ac.Email
	}
	return ac.Name
}

// Create stores a new edition as version 1, a draft. An empty slug is made
// from the date and title.
func Create(ctx context.Context, db *store.DB, ac accounts.Actor, e reviews.Edition) (Doc, error) {
	if e.Slug == "" {
		e.Slug = Slug(e.Date, e.Title)
	}
	e.Status = reviews.Draft
	e.PublishAt = nil
	var d Doc
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM editions WHERE slug = ?`, e.Slug).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return valid.Errorf("slug", "%q is taken by another edition; choose another", e.Slug)
		}
		if err := reviews.SaveEdition(ctx, tx, &e); err != nil {
			return err
		}
		if err := addVersion(ctx, tx, e, 1, who(ac), "created"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO edition_workflow (edition_id, state, version, changed_by) VALUES (?, ?, 1, ?)`,
			e.ID, Draft, who(ac)); err != nil {
			return err
		}
		var err error
		d, err = load(ctx, tx, e.Slug)
		return err
	})
	return d, err
}

// Get returns the current working copy of an edition. An edition that came
// in by import gets its first version here, from what the store holds.
func Get(ctx context.Context, db *store.DB, slug string) (Doc, error) {
	var d Doc
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := adopt(ctx, tx, slug); err != nil {
			return err
		}
		var err error
		d, err = load(ctx, tx, slug)
		return err
	})
	return d, err
}

// Save writes e as the next version of edition slug, provided that the
// current version is still based — the one the editor started from. Any
// other version is a *ConflictError carrying the current text. The slug and
// the public status cannot be changed by a save. A save of an edition that
// was approved or scheduled sends it back to draft, since what was approved
// is no longer what would be published; an edition in review stays there
// so an editor can correct it before approving.
//
// The newest version is the working copy. The edition tables, which the
// site reads, hold it only while the edition is not public; a published or
// scheduled edition changes there only when an editor publishes again.
func Save(ctx context.Context, db *store.DB, ac accounts.Actor, slug string, based int, e reviews.Edition) (Doc, error) {
	return save(ctx, db, ac, slug, based, e, "saved")
}

// save is Save with the note the new version carries ("saved", "restored
// version 3"), written in the same transaction as the version.
func save(ctx context.Context, db *store.DB, ac accounts.Actor, slug string, based int, e reviews.Edition, note string) (Doc, error) {
	var d Doc
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := adopt(ctx, tx, slug); err != nil {
			return err
		}
		cur, err := load(ctx, tx, slug)
		if err != nil {
			return err
		}
		if e.Slug != "" && e.Slug != slug {
			return valid.Errorf("slug", "cannot be changed by a save (it is %q)", slug)
		}
		e.Slug, e.ID = slug, cur.ID
		e.Status, e.PublishAt = cur.Status, cur.PublishAt
		if _, err := reviews.PageFor(ctx, tx, e); err != nil {
			return err
		}
		state := cur.State
		if state != InReview {
			state = Draft
		}
		// The compare-and-set on the version is what makes concurrent
		// saves safe on both stores: of two saves based on the same
		// version, exactly one updates the row.
		res, err := tx.ExecContext(ctx, `
			UPDATE edition_workflow SET version = version + 1, state = ?, changed_by = ?, changed_at = CURRENT_TIMESTAMP
			WHERE edition_id = ? AND version = ?`, state, who(ac), cur.ID, based)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &ConflictError{Based: based, Current: cur}
		}
		if cur.Status == reviews.Draft {
			if err := reviews.SaveEdition(ctx, tx, &e); err != nil {
				return err
			}
		}
		if err := addVersion(ctx, tx, e, based+1, who(ac), note); err != nil {
			return err
		}
		d, err = load(ctx, tx, slug)
		return err
	})
	return d, err
}

// adopt gives an edition that has no workflow row (imported, or made
// before the studio existed) its first version, in the state that matches
// its public status.
func adopt(ctx context.Context, tx *store.Tx, slug string) error {
	var id int64
	var has int
	err := tx.QueryRowContext(ctx, `
		SELECT e.id, (SELECT COUNT(*) FROM edition_workflow w WHERE w.edition_id = e.id)
		FROM editions e WHERE e.slug = ?`, slug).Scan(&id, &has)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("edition %q: %w", slug, store.ErrNotFound)
	}
	if err != nil || has > 0 {
		return err
	}
	p, err := reviews.LoadWorkingPage(ctx, tx, slug)
	if err != nil {
		return err
	}
	// Entries stored before the pressreview/2 model become editable ones,
	// with their labels and lead-ins as they read now.
	p.Resolve()
	state := Draft
	switch p.Edition.Status {
	case reviews.Published:
		state = Published
	case reviews.Scheduled:
		state = Scheduled
	}
	// Another transaction may adopt the same edition at once; the version
	// row's primary key lets only one of them through.
	if err := addVersion(ctx, tx, p.Edition, 1, "", "imported"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO edition_workflow (edition_id, state, version) VALUES (?, ?, 1)`, id, state); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE edition_publications SET version = 1 WHERE edition_id = ?`, id)
	return err
}

func addVersion(ctx context.Context, tx *store.Tx, e reviews.Edition, n int, author, note string) error {
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO edition_versions (edition_id, version, doc, author, note) VALUES (?, ?, ?, ?, ?)`,
		e.ID, n, string(doc), author, note)
	if err != nil {
		return fmt.Errorf("edition %q version %d: %w", e.Slug, n, err)
	}
	return nil
}

// load reads the working copy — the newest version — with its workflow
// row and the edition's public status.
func load(ctx context.Context, q store.Querier, slug string) (Doc, error) {
	var (
		d   Doc
		at  sql.NullTime
		doc string
	)
	err := q.QueryRowContext(ctx, `
		SELECT e.id, e.status, e.publish_at, w.state, w.version, w.changed_by, w.changed_at, v.doc
		FROM editions e
		JOIN edition_workflow w ON w.edition_id = e.id
		JOIN edition_versions v ON v.edition_id = e.id AND v.version = w.version
		WHERE e.slug = ?`, slug).
		Scan(&d.ID, &d.Status, &at, &d.State, &d.Version, &d.ChangedBy, &d.ChangedAt, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return Doc{}, fmt.Errorf("edition %q: %w", slug, store.ErrNotFound)
	}
	if err != nil {
		return Doc{}, err
	}
	id, status := d.ID, d.Status
	if err := json.Unmarshal([]byte(doc), &d.Edition); err != nil {
		return Doc{}, fmt.Errorf("edition %q version %d: %w", slug, d.Version, err)
	}
	d.ID, d.Status, d.Slug = id, status, slug
	d.PublishAt = nil
	if at.Valid {
		t := at.Time.UTC()
		d.PublishAt = &t
	}
	d.ChangedAt = d.ChangedAt.UTC()
	return d, nil
}

// Slug makes an edition slug from its date and title: the title's slug,
// or "edition-DATE" for a title with no ASCII letters (a Persian title).
func Slug(date, title string) string {
	if s := valid.Slugify(title); s != "" {
		return s
	}
	return "edition-" + date
}

// Summary is a row of the studio's edition list.
type Summary struct {
	Slug      string         `json:"slug"`
	Series    string         `json:"series"`
	Date      string         `json:"date"`
	Title     string         `json:"title"`
	Status    reviews.Status `json:"status"`
	State     State          `json:"state"`
	Version   int            `json:"version"`
	ChangedBy string         `json:"changed_by,omitempty"`
	ChangedAt *time.Time     `json:"changed_at,omitempty"`
}

// List returns every edition with its workflow state, newest first. An
// edition never opened in the studio shows the state its public status
// implies, at version 0.
func List(ctx context.Context, q store.Querier) ([]Summary, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT e.slug, s.name, e.edition_date, e.title, e.status,
		       COALESCE(w.state, ''), COALESCE(w.version, 0), COALESCE(w.changed_by, ''), w.changed_at
		FROM editions e JOIN series s ON s.id = e.series_id
		LEFT JOIN edition_workflow w ON w.edition_id = e.id
		ORDER BY e.edition_date DESC, e.slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var s Summary
		var at sql.NullTime
		if err := rows.Scan(&s.Slug, &s.Series, &s.Date, &s.Title, &s.Status, &s.State, &s.Version, &s.ChangedBy, &at); err != nil {
			return nil, err
		}
		if s.State == "" {
			s.State = Draft
			switch s.Status {
			case reviews.Published:
				s.State = Published
			case reviews.Scheduled:
				s.State = Scheduled
			}
		}
		if at.Valid {
			t := at.Time.UTC()
			s.ChangedAt = &t
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Preview is the working copy resolved against the roster as it is now:
// what readers would see if it were published now.
func Preview(ctx context.Context, db *store.DB, slug string) (*reviews.Page, error) {
	d, err := Get(ctx, db, slug)
	if err != nil {
		return nil, err
	}
	return reviews.PageFor(ctx, db, d.Edition)
}
