package editorial

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
)

// Action is a step of the workflow.
type Action string

// The workflow's actions. Analysts write and submit; editors approve,
// schedule, publish and unpublish.
const (
	Submit    Action = "submit"
	Approve   Action = "approve"
	Schedule  Action = "schedule"
	Publish   Action = "publish"
	Unpublish Action = "unpublish"
)

// step is what an action needs and does.
type step struct {
	role accounts.Role
	from []State
	to   State
	// public: the action needs an edition that readers can see (or will,
	// when scheduled), whatever state its working copy is in.
	public bool
}

// allows reports whether the step can start from d.
func (st step) allows(d Doc) bool {
	if st.public {
		return d.Status == reviews.Published || d.Status == reviews.Scheduled
	}
	return slices.Contains(st.from, d.State)
}

var steps = map[Action]step{
	Submit:    {role: accounts.Analyst, from: []State{Draft}, to: InReview},
	Approve:   {role: accounts.Editor, from: []State{InReview}, to: Approved},
	Schedule:  {role: accounts.Editor, from: []State{Approved, Scheduled}, to: Scheduled},
	Publish:   {role: accounts.Editor, from: []State{Approved, Scheduled}, to: Published},
	Unpublish: {role: accounts.Editor, to: Draft, public: true},
}

// Actions lists the workflow's actions, for routes and forms.
var Actions = []Action{Submit, Approve, Schedule, Publish, Unpublish}

// Allowed lists what ac may do to edition d now, so screens offer only
// those buttons.
func Allowed(ac accounts.Actor, d Doc) []Action {
	var out []Action
	for _, a := range Actions {
		st := steps[a]
		if ac.Role.Allows(st.role) && st.allows(d) {
			out = append(out, a)
		}
	}
	return out
}

// Do takes action a on edition slug. at is the publication time for
// Schedule (in the future) and ignored otherwise. Publishing and scheduling
// freeze what readers will see; unpublishing takes the edition off the
// site and back to draft.
//
// based is the version the actor read before deciding: an editor approves
// or publishes the words on their screen, so when someone saved since
// (a save in review keeps the edition in review) the action is a
// *ConflictError rather than a blessing of text nobody reviewed. based 0
// acts on whatever version is current, for scripts that do not say.
func Do(ctx context.Context, db *store.DB, ac accounts.Actor, slug string, a Action, at time.Time, based int) (Doc, error) {
	st, ok := steps[a]
	if !ok {
		return Doc{}, fmt.Errorf("unknown action %q", a)
	}
	if !ac.Role.Allows(st.role) {
		return Doc{}, fmt.Errorf("%s needs the %s role: %w", a, st.role, ErrForbidden)
	}
	if a == Schedule && !at.After(time.Now()) {
		return Doc{}, fmt.Errorf("at: schedule a time in the future (got %s): %w", at.UTC().Format(time.RFC3339), ErrState)
	}
	var d Doc
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := adopt(ctx, tx, slug); err != nil {
			return err
		}
		cur, err := load(ctx, tx, slug)
		if err != nil {
			return err
		}
		if based != 0 && based != cur.Version {
			return &ConflictError{Based: based, Current: cur}
		}
		if !st.allows(cur) {
			if st.public {
				return fmt.Errorf("cannot %s an edition that is not on the site: %w", a, ErrState)
			}
			return fmt.Errorf("cannot %s an edition that is %s: %w", a, strings.ReplaceAll(string(cur.State), "_", " "), ErrState)
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE edition_workflow SET state = ?, changed_by = ?, changed_at = CURRENT_TIMESTAMP
			WHERE edition_id = ? AND state = ? AND version = ?`, st.to, who(ac), cur.ID, cur.State, cur.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &ConflictError{Based: cur.Version, Current: cur}
		}
		// Publishing writes the working copy to the edition tables the
		// site reads, then freezes the page as readers will see it.
		live := cur.Edition
		switch a {
		case Publish, Schedule, Unpublish:
			if err := reviews.SaveEdition(ctx, tx, &live); err != nil {
				return err
			}
		}
		switch a {
		case Publish:
			now := time.Now().UTC()
			when := now
			// A correction keeps the date the edition first went out,
			// and is recorded as its revision for feeds and crawlers.
			if cur.Status == reviews.Published && cur.PublishAt != nil {
				when = *cur.PublishAt
				if _, err := tx.ExecContext(ctx, `UPDATE editions SET revised_at = ? WHERE id = ?`, now, cur.ID); err != nil {
					return err
				}
			}
			if err := setPublic(ctx, tx, cur.ID, reviews.Published, &when); err != nil {
				return err
			}
			err = reviews.Freeze(ctx, tx, slug, cur.Version, who(ac))
		case Schedule:
			when := at.UTC()
			if err := setPublic(ctx, tx, cur.ID, reviews.Scheduled, &when); err != nil {
				return err
			}
			err = reviews.Freeze(ctx, tx, slug, cur.Version, who(ac))
		case Unpublish:
			if err := setPublic(ctx, tx, cur.ID, reviews.Draft, nil); err != nil {
				return err
			}
			err = reviews.Thaw(ctx, tx, slug)
		}
		if err != nil {
			return err
		}
		d, err = load(ctx, tx, slug)
		return err
	})
	return d, err
}

func setPublic(ctx context.Context, tx *store.Tx, id int64, s reviews.Status, at *time.Time) error {
	var v any
	if at != nil {
		v = *at
	}
	_, err := tx.ExecContext(ctx, `UPDATE editions SET status = ?, publish_at = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?`, s, v, id)
	return err
}

// VersionInfo describes one saved version.
type VersionInfo struct {
	Version   int       `json:"version"`
	Author    string    `json:"author,omitempty"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Published bool      `json:"published,omitempty"`
}

// Version is a saved version with its edition.
type Version struct {
	VersionInfo
	Edition reviews.Edition `json:"edition"`
}

// Versions lists an edition's versions, newest first.
func Versions(ctx context.Context, db *store.DB, slug string) ([]VersionInfo, error) {
	// An imported edition gets its first version here, as in Get.
	if err := db.InTx(ctx, func(tx *store.Tx) error { return adopt(ctx, tx, slug) }); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `
		SELECT v.version, v.author, v.note, v.created_at, COALESCE(p.version = v.version, FALSE)
		FROM edition_versions v JOIN editions e ON e.id = v.edition_id
		LEFT JOIN edition_publications p ON p.edition_id = e.id
		WHERE e.slug = ? ORDER BY v.version DESC`, slug)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VersionInfo
	for rows.Next() {
		var v VersionInfo
		if err := rows.Scan(&v.Version, &v.Author, &v.Note, &v.CreatedAt, &v.Published); err != nil {
			return nil, err
		}
		v.CreatedAt = v.CreatedAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// GetVersion returns version n of an edition.
func GetVersion(ctx context.Context, q store.Querier, slug string, n int) (Version, error) {
	var v Version
	var doc string
	err := q.QueryRowContext(ctx, `
		SELECT v.version, v.author, v.note, v.created_at, v.doc
		FROM edition_versions v JOIN editions e ON e.id = v.edition_id
		WHERE e.slug = ? AND v.version = ?`, slug, n).Scan(&v.Version, &v.Author, &v.Note, &v.CreatedAt, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("edition %q version %d: %w", slug, n, store.ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	v.CreatedAt = v.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(doc), &v.Edition); err != nil {
		return v, fmt.Errorf("edition %q version %d: %w", slug, n, err)
	}
	return v, nil
}

// Restore saves version n again as the newest version; nothing is lost,
// since the versions in between stay.
func Restore(ctx context.Context, db *store.DB, ac accounts.Actor, slug string, n, based int) (Doc, error) {
	v, err := GetVersion(ctx, db, slug, n)
	if err != nil {
		return Doc{}, err
	}
	return save(ctx, db, ac, slug, based, v.Edition, fmt.Sprintf("restored version %d", n))
}

// Text is an edition as reviewable lines: the fields an editor reads, one
// per line, so that a diff of two versions reads as a change of text.
func Text(e reviews.Edition) string {
	var b strings.Builder
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", label, v)
		}
	}
	line("Title", e.Title)
	line("Date", e.Date)
	line("Dek", e.Dek)
	line("Intro", e.Intro)
	line("Authors", strings.Join(e.Authors, ", "))
	for i, en := range e.Entries {
		fmt.Fprintf(&b, "\nEntry %d — %s\n", i+1, en.Date)
		line("  Outlet", en.Outlet)
		line("  Speaker", en.Speaker)
		for _, o := range en.Outlets {
			role := string(o.Role)
			if o.Intermediary != "" {
				role += ", " + o.Intermediary
			}
			line("  Outlet", fmt.Sprintf("%s (%s) %q", o.Key, role, o.Label))
		}
		for _, sp := range en.Speakers {
			line("  Speaker", fmt.Sprintf("%s %q", sp.Key, sp.Label))
		}
		line("  Intermediary", en.Intermediary)
		line("  Verb", en.Verb)
		line("  Lead-in", en.LeadIn)
		for _, pt := range en.Inline {
			fmt.Fprintf(&b, "  Inline %s: %s\n", pt.Kind, pt.Text)
			line("     Original", pt.Original)
		}
		for j, it := range en.Items {
			for _, pt := range it.Parts {
				kind := "Text"
				if pt.Kind == reviews.Quote {
					kind = "Quote"
				}
				fmt.Fprintf(&b, "  %d. %s: %s\n", j+1, kind, pt.Text)
				line("     Original", pt.Original)
			}
		}
	}
	line("\nDisclaimer", e.Disclaimer)
	return b.String()
}

// Diff compares two editions line by line, in unified form ("-" removed,
// "+" added, " " unchanged), with line-level diffs from diffmatchpatch.
func Diff(a, b reviews.Edition) []DiffLine {
	dmp := diffmatchpatch.New()
	ta, tb, lines := dmp.DiffLinesToChars(Text(a), Text(b))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ta, tb, false), lines)
	var out []DiffLine
	for _, d := range diffs {
		op := " "
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = "-"
		case diffmatchpatch.DiffInsert:
			op = "+"
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				out = append(out, DiffLine{Op: op, Text: strings.TrimSuffix(l, "\n")})
			}
		}
	}
	return out
}

// DiffLine is one line of a diff.
type DiffLine struct {
	Op   string `json:"op"` // "-", "+" or " "
	Text string `json:"text"`
}
