package reviews

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// SaveSeries inserts the series or, when the key exists, updates it.
func SaveSeries(ctx context.Context, q store.Querier, s *Series) error {
	if err := s.Validate(); err != nil {
		return err
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO series (key, name, description, disclaimer) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			name = excluded.name, description = excluded.description, disclaimer = excluded.disclaimer,
			updated_at = CURRENT_TIMESTAMP
		RETURNING id`, s.Key, s.Name, s.Description, s.Disclaimer).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("save series %q: %w", s.Key, err)
	}
	return nil
}

// SeriesByKey finds a series; it returns store.ErrNotFound when none has key.
func SeriesByKey(ctx context.Context, q store.Querier, key string) (Series, error) {
	var s Series
	err := q.QueryRowContext(ctx, `SELECT id, key, name, description, disclaimer FROM series WHERE key = ?`, key).
		Scan(&s.ID, &s.Key, &s.Name, &s.Description, &s.Disclaimer)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("series %q: %w", key, store.ErrNotFound)
	}
	return s, err
}

// SaveEdition writes an edition with its authors and entries, replacing any
// edition with the same slug. Every outlet, person, author and series it
// names must already exist: an unknown key is an error that names the field,
// never a silent creation. Run it inside a transaction (store.DB.InTx) so a
// failure leaves the old edition whole.
func SaveEdition(ctx context.Context, tx *store.Tx, e *Edition) error {
	if err := e.Validate(); err != nil {
		return err
	}
	series, err := SeriesByKey(ctx, tx, e.Series)
	if err != nil {
		return unknown("series", "series", e.Series, err)
	}
	authorIDs := make([]int64, len(e.Authors))
	for i, key := range e.Authors {
		a, err := posts.AuthorByKey(ctx, tx, key)
		if err != nil {
			return unknown(valid.Index("authors", i), "author", key, err)
		}
		authorIDs[i] = a.ID
	}
	var publishAt any
	if e.PublishAt != nil {
		publishAt = e.PublishAt.UTC()
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO editions (slug, series_id, edition_date, title, dek, intro, category, status, publish_at, disclaimer)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET
			series_id = excluded.series_id, edition_date = excluded.edition_date, title = excluded.title,
			dek = excluded.dek, intro = excluded.intro, category = excluded.category, status = excluded.status,
			publish_at = excluded.publish_at, disclaimer = excluded.disclaimer, updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		e.Slug, series.ID, e.Date, e.Title, e.Dek, e.Intro, e.Category, e.Status, publishAt, e.Disclaimer,
	).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("save edition %q: %w", e.Slug, err)
	}
	// Entries and bylines are replaced whole: an edition is edited as one
	// document, and positions renumber freely.
	for _, stmt := range []string{`DELETE FROM edition_authors WHERE edition_id = ?`, `DELETE FROM entries WHERE edition_id = ?`} {
		if _, err := tx.ExecContext(ctx, stmt, e.ID); err != nil {
			return fmt.Errorf("save edition %q: %w", e.Slug, err)
		}
	}
	for i, id := range authorIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO edition_authors (edition_id, position, author_id) VALUES (?, ?, ?)`, e.ID, i, id); err != nil {
			return fmt.Errorf("save edition %q: %w", e.Slug, err)
		}
	}
	for i, en := range e.Entries {
		if err := saveEntry(ctx, tx, e.ID, i, en); err != nil {
			return valid.In(valid.Index("entries", i), err)
		}
	}
	return nil
}

// saveEntry stores one entry in the current model: a pressreview/1 entry is
// upgraded first (see Upgrade), and empty labels are filled from the
// roster, since an entry's labels are its own from the moment it is made.
func saveEntry(ctx context.Context, tx *store.Tx, editionID int64, position int, en Entry) error {
	r, ids, err := lookUp(ctx, tx, en)
	if err != nil {
		return err
	}
	en = WithLabels(Upgrade(en, r), r)
	var entryID int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO entries (edition_id, position, entry_date, intermediary, verb, lead_in)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		editionID, position, en.Date, en.Intermediary, en.Verb, en.LeadIn).Scan(&entryID)
	if err != nil {
		return err
	}
	for i, o := range en.Outlets {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO entry_outlets (entry_id, position, outlet_id, role, label, intermediary) VALUES (?, ?, ?, ?, ?, ?)`,
			entryID, i, ids.outlets[o.Key], o.Role, o.Label, o.Intermediary); err != nil {
			return err
		}
	}
	for i, sp := range en.Speakers {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO entry_speakers (entry_id, position, person_id, label, title_before) VALUES (?, ?, ?, ?, ?)`,
			entryID, i, ids.people[sp.Key], sp.Label, sp.TitleBefore); err != nil {
			return err
		}
	}
	// The inline parts are stored as item -1, before the sub-bullets.
	items := append([]Item{{Parts: en.Inline}}, en.Items...)
	for i, it := range items {
		for j, p := range it.Parts {
			at := valid.Index("items", i-1) + "." + valid.Index("parts", j)
			if i == 0 {
				at = valid.Index("inline", j)
			}
			var clip any
			if p.Clip != 0 {
				if err := clipExists(ctx, tx, p.Clip); err != nil {
					return valid.In(at, err)
				}
				clip = p.Clip
			}
			_, err := tx.ExecContext(ctx, `
				INSERT INTO entry_parts (entry_id, item, position, kind, text, original, original_lang, source_url, clip_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				entryID, i-1, j, p.Kind, p.Text, p.Original, p.OriginalLang, p.SourceURL, clip)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// entryIDs are the store ids of the outlets and people an entry names.
type entryIDs struct{ outlets, people map[string]int64 }

// lookUp reads the outlets and people an entry names from the store, and
// refuses an unknown key at its field: "outlet" or "speaker" in a
// pressreview/1 entry, "outlets[1].key" in the current model.
func lookUp(ctx context.Context, q store.Querier, en Entry) (Roster, entryIDs, error) {
	r := Roster{Outlets: map[string]outlets.Outlet{}, People: map[string]outlets.Person{}}
	ids := entryIDs{outlets: map[string]int64{}, people: map[string]int64{}}
	outletAt := func(field, key string) error {
		o, err := outlets.OutletByKey(ctx, q, key)
		if err != nil {
			return unknown(field, "outlet", key, err)
		}
		r.Outlets[key], ids.outlets[key] = o, o.ID
		return nil
	}
	personAt := func(field, key string) error {
		pe, err := outlets.PersonByKey(ctx, q, key)
		if err != nil {
			return unknown(field, "person", key, err)
		}
		r.People[key], ids.people[key] = pe, pe.ID
		return nil
	}
	if en.Outlet != "" {
		if err := outletAt("outlet", en.Outlet); err != nil {
			return r, ids, err
		}
	}
	if en.Speaker != "" {
		if err := personAt("speaker", en.Speaker); err != nil {
			return r, ids, err
		}
	}
	for i, o := range en.Outlets {
		if err := outletAt(valid.Index("outlets", i)+".key", o.Key); err != nil {
			return r, ids, err
		}
	}
	for i, sp := range en.Speakers {
		if err := personAt(valid.Index("speakers", i)+".key", sp.Key); err != nil {
			return r, ids, err
		}
	}
	return r, ids, nil
}

// clipExists refuses a clip id that names no clip, before the foreign key
// would with a message that names no field.
func clipExists(ctx context.Context, q store.Querier, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM clips WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return valid.Errorf("clip", "unknown clip %d", id)
	}
	return err
}

// unknown turns a failed lookup into a validation error on field.
func unknown(field, what, key string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return valid.Unknown(field, what, key)
	}
	return err
}

// EditionSummary is a row of an edition listing.
type EditionSummary struct {
	Slug      string
	Series    string
	Date      string
	Title     string
	Status    Status
	PublishAt *time.Time
}

// ListEditions returns every edition, newest first.
func ListEditions(ctx context.Context, q store.Querier) ([]EditionSummary, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT e.slug, s.key, e.edition_date, e.title, e.status, e.publish_at
		FROM editions e JOIN series s ON s.id = e.series_id
		ORDER BY e.edition_date DESC, e.slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EditionSummary
	for rows.Next() {
		var s EditionSummary
		var at sql.NullTime
		if err := rows.Scan(&s.Slug, &s.Series, &s.Date, &s.Title, &s.Status, &at); err != nil {
			return nil, err
		}
		s.PublishAt = utcPtr(at)
		out = append(out, s)
	}
	return out, rows.Err()
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// LoadPage reads an edition as readers see it: a published or scheduled
// edition from the page frozen when it was published (see Freeze), any
// other from the working copy. It returns store.ErrNotFound when no edition
// has the slug.
func LoadPage(ctx context.Context, q store.Querier, slug string) (*Page, error) {
	if p, err := loadFrozen(ctx, q, slug); p != nil || err != nil {
		return p, err
	}
	return LoadWorkingPage(ctx, q, slug)
}

// LoadWorkingPage reads the working copy of an edition and everything it
// refers to as the roster is now: what the studio edits and previews.
func LoadWorkingPage(ctx context.Context, q store.Querier, slug string) (*Page, error) {
	p := &Page{Outlets: map[string]outlets.Outlet{}, People: map[string]outlets.Person{}}
	e := &p.Edition
	var at sql.NullTime
	err := q.QueryRowContext(ctx, `
		SELECT e.id, e.slug, e.edition_date, e.title, e.dek, e.intro, e.category, e.status, e.publish_at, e.disclaimer,
		       s.id, s.key, s.name, s.description, s.disclaimer
		FROM editions e JOIN series s ON s.id = e.series_id WHERE e.slug = ?`, slug).
		Scan(&e.ID, &e.Slug, &e.Date, &e.Title, &e.Dek, &e.Intro, &e.Category, &e.Status, &at, &e.Disclaimer,
			&p.Series.ID, &p.Series.Key, &p.Series.Name, &p.Series.Description, &p.Series.Disclaimer)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("edition %q: %w", slug, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load edition %q: %w", slug, err)
	}
	e.Series = p.Series.Key
	e.PublishAt = utcPtr(at)
	if err := loadAuthors(ctx, q, p); err != nil {
		return nil, fmt.Errorf("load edition %q authors: %w", slug, err)
	}
	if err := loadEntries(ctx, q, p); err != nil {
		return nil, fmt.Errorf("load edition %q entries: %w", slug, err)
	}
	return p, nil
}

func loadAuthors(ctx context.Context, q store.Querier, p *Page) error {
	rows, err := q.QueryContext(ctx, `
		SELECT a.id, a.key, a.name, a.title, a.organisation, a.bio, a.photo
		FROM edition_authors ea JOIN authors a ON a.id = ea.author_id
		WHERE ea.edition_id = ? ORDER BY ea.position`, p.Edition.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a posts.Author
		if err := rows.Scan(&a.ID, &a.Key, &a.Name, &a.Title, &a.Organisation, &a.Bio, &a.Photo); err != nil {
			return err
		}
		p.Authors = append(p.Authors, a)
		p.Edition.Authors = append(p.Edition.Authors, a.Key)
	}
	return rows.Err()
}

// loadEntries reads entries, their outlets, speakers and parts in four
// queries, whatever the number of entries. Rows written before the
// pressreview/2 model (lead_in_template) come back in the pressreview/1
// form, their lead-in composed against the page's roster as before, so a
// roster change shows in them (and the import report can say so) until
// the edition is saved again; Page.Resolve upgrades them for editing.
func loadEntries(ctx context.Context, q store.Querier, p *Page) error {
	rows, err := q.QueryContext(ctx, `
		SELECT id, entry_date, intermediary, verb, lead_in, lead_in_template
		FROM entries WHERE edition_id = ? ORDER BY position`, p.Edition.ID)
	if err != nil {
		return err
	}
	index := map[int64]int{}
	var legacy []int
	for rows.Next() {
		var (
			id       int64
			en       Entry
			template bool
		)
		if err := rows.Scan(&id, &en.Date, &en.Intermediary, &en.Verb, &en.LeadIn, &template); err != nil {
			rows.Close()
			return err
		}
		index[id] = len(p.Edition.Entries)
		p.Edition.Entries = append(p.Edition.Entries, en)
		if template {
			legacy = append(legacy, len(p.Edition.Entries)-1)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := loadEntryOutlets(ctx, q, p, index); err != nil {
		return err
	}
	if err := loadEntrySpeakers(ctx, q, p, index); err != nil {
		return err
	}
	for _, i := range legacy {
		en := &p.Edition.Entries[i]
		if len(en.Outlets) > 0 {
			en.Outlet = en.Outlets[0].Key
		}
		if len(en.Speakers) > 0 {
			en.Speaker = en.Speakers[0].Key
		}
		en.Outlets, en.Speakers = nil, nil
	}
	parts, err := q.QueryContext(ctx, `
		SELECT ep.entry_id, ep.item, ep.kind, ep.text, ep.original, ep.original_lang, ep.source_url, COALESCE(ep.clip_id, 0)
		FROM entry_parts ep JOIN entries en ON en.id = ep.entry_id
		WHERE en.edition_id = ? ORDER BY en.position, ep.item, ep.position`, p.Edition.ID)
	if err != nil {
		return err
	}
	defer parts.Close()
	for parts.Next() {
		var (
			entryID int64
			item    int
			pt      Part
		)
		if err := parts.Scan(&entryID, &item, &pt.Kind, &pt.Text, &pt.Original, &pt.OriginalLang, &pt.SourceURL, &pt.Clip); err != nil {
			return err
		}
		en := &p.Edition.Entries[index[entryID]]
		if item < 0 {
			en.Inline = append(en.Inline, pt)
			continue
		}
		for len(en.Items) <= item {
			en.Items = append(en.Items, Item{})
		}
		en.Items[item].Parts = append(en.Items[item].Parts, pt)
	}
	return parts.Err()
}

func loadEntryOutlets(ctx context.Context, q store.Querier, p *Page, index map[int64]int) error {
	rows, err := q.QueryContext(ctx, `
		SELECT eo.entry_id, eo.role, eo.label, eo.intermediary,
		       o.id, o.key, o.name, o.native_name, o.kind, o.language, o.country, o.orientation, o.affiliation, o.homepage
		FROM entry_outlets eo JOIN entries en ON en.id = eo.entry_id JOIN outlets o ON o.id = eo.outlet_id
		WHERE en.edition_id = ? ORDER BY en.position, eo.position`, p.Edition.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			entryID int64
			ref     OutletRef
			o       outlets.Outlet
		)
		if err := rows.Scan(&entryID, &ref.Role, &ref.Label, &ref.Intermediary,
			&o.ID, &o.Key, &o.Name, &o.NativeName, &o.Kind, &o.Language, &o.Country, &o.Orientation, &o.Affiliation, &o.Homepage); err != nil {
			return err
		}
		ref.Key = o.Key
		p.Outlets[o.Key] = o
		en := &p.Edition.Entries[index[entryID]]
		en.Outlets = append(en.Outlets, ref)
	}
	return rows.Err()
}

func loadEntrySpeakers(ctx context.Context, q store.Querier, p *Page, index map[int64]int) error {
	rows, err := q.QueryContext(ctx, `
		SELECT es.entry_id, es.label, es.title_before, pe.id, pe.key, pe.name, pe.native_name, pe.role
		FROM entry_speakers es JOIN entries en ON en.id = es.entry_id JOIN people pe ON pe.id = es.person_id
		WHERE en.edition_id = ? ORDER BY en.position, es.position`, p.Edition.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			entryID int64
			ref     SpeakerRef
			pe      outlets.Person
		)
		if err := rows.Scan(&entryID, &ref.Label, &ref.TitleBefore, &pe.ID, &pe.Key, &pe.Name, &pe.NativeName, &pe.Role); err != nil {
			return err
		}
		ref.Key = pe.Key
		p.People[pe.Key] = pe
		en := &p.Edition.Entries[index[entryID]]
		en.Speakers = append(en.Speakers, ref)
	}
	return rows.Err()
}
