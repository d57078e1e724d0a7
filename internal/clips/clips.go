// Package clips holds the analyst's clips: passages of archived articles
// with their English translation and speaker, anchored to the text they
// came from so that they can be checked again when the source changes.
//
// An anchor is what Hypothesis keeps for an annotation (a W3C
// TextPositionSelector and TextQuoteSelector): the code-point offsets of
// the passage in the article's extracted text, the exact text, and up to
// ContextLen code points on each side. When a re-fetch records an edit or
// a deletion of the source, Recheck looks for the passage in the new text
// and either anchors it there again or flags the clip; it never moves a
// clip to text that merely looks like it.
package clips

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// The statuses of a clip.
const (
	StatusOK      = "ok"      // the passage stands in the source as clipped
	StatusChanged = "changed" // the source was edited and the passage is gone or no longer unique
	StatusDeleted = "deleted" // the outlet deleted the source; the archived copy remains
)

// Clip is a passage an analyst clipped, with its translation and
// attribution, its anchor and the outcome of its last re-check.
type Clip struct {
	ID                 int64   `json:"id"`
	Article            int64   `json:"article"`
	Original           string  `json:"original"`
	OriginalLang       string  `json:"original_lang,omitempty"`
	Translation        string  `json:"translation"`
	TranslationMachine bool    `json:"translation_machine"`
	Speaker            Speaker `json:"speaker"`
	Outlet             Outlet  `json:"outlet"`
	Date               string  `json:"date"`
	Intermediary       string  `json:"intermediary,omitempty"`
	SourceURL          string  `json:"source_url,omitempty"`
	// Archive is the archived copy of the page the passage was clipped
	// from ("/archive/{capture}"); empty for pasted articles.
	Archive string `json:"archive,omitempty"`
	// Anchor is the latest anchor: the first one, or where the last
	// successful re-check found the passage.
	Anchor Anchor `json:"anchor"`
	// Anchors and Checks, oldest first, are filled by Get only.
	Anchors []Anchor `json:"anchors,omitempty"`
	Checks  []Check  `json:"checks,omitempty"`
	Status  string   `json:"status"`
	// Note says why a flagged clip was flagged; Diff is the part of the
	// source's diff that touches it.
	Note      string     `json:"note,omitempty"`
	Diff      string     `json:"diff,omitempty"`
	CheckedAt *time.Time `json:"checked_at,omitempty"`
	// Editions are the slugs of the editions that quote the clip.
	Editions  []string  `json:"editions"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Speaker is who said the clipped words.
type Speaker struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	NativeName string `json:"native_name,omitempty"`
	Role       string `json:"role,omitempty"`
}

// Outlet is where the words appeared, with its camp.
type Outlet struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	NativeName  string `json:"native_name,omitempty"`
	Orientation string `json:"orientation,omitempty"`
}

// Anchor locates a clip's passage in one version of its article.
type Anchor struct {
	ID int64 `json:"id"`
	// Revision is the article revision the anchor was made on; nil for
	// the anchor the analyst made.
	Revision      *int64 `json:"revision"`
	Capture       *int64 `json:"capture"`
	CaptureDigest string `json:"capture_digest,omitempty"`
	// Start and End are code-point offsets into the article's text, End
	// exclusive.
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Exact     string    `json:"exact"`
	Prefix    string    `json:"prefix"`
	Suffix    string    `json:"suffix"`
	CreatedAt time.Time `json:"created_at"`
}

// Check is one re-check of a clip after its source was re-fetched.
type Check struct {
	Revision  int64     `json:"revision"`
	CheckedAt time.Time `json:"checked_at"`
	Status    string    `json:"status"`
	Note      string    `json:"note,omitempty"`
	Diff      string    `json:"diff,omitempty"`
	Anchor    *int64    `json:"anchor,omitempty"`
}

// ContextLen is how many code points of context an anchor keeps on each
// side of the passage.
const ContextLen = 32

// NewClip is what an analyst sends to clip a passage.
type NewClip struct {
	Article int64 `json:"article"`
	// Start and End are code-point offsets into the article's text, End
	// exclusive; pointers, so that a missing one is told from 0.
	Start              *int       `json:"start"`
	End                *int       `json:"end"`
	Speaker            SpeakerRef `json:"speaker"`
	Translation        string     `json:"translation"`
	TranslationMachine bool       `json:"translation_machine"`
	// Outlet is an outlet key; the article's outlet when empty.
	Outlet string `json:"outlet"`
	// Date is YYYY-MM-DD; the article's publication day (UTC) when empty.
	Date string `json:"date"`
	// Intermediary is how the words reached the outlet: "interviewed by
	// …", "as reported by …", "on X".
	Intermediary string `json:"intermediary"`
	// CreatedBy names who clipped it (set by the caller, not the body).
	CreatedBy string `json:"-"`
}

// SpeakerRef is a speaker as the request names them: the key of a person
// on the roster, or a new person to add to it.
type SpeakerRef struct {
	Key string
	New *outlets.Person
}

var errSpeaker = errors.New(`want a person key or {"name", "role", "native_name"}`)

// UnmarshalJSON reads "key" or {"name", "role", "native_name"} (with an
// optional "key" and "aliases").
func (s *SpeakerRef) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &s.Key); err == nil {
		return nil
	}
	var p outlets.Person
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return errSpeaker
	}
	s.New = &p
	return nil
}

// ErrorCode says what kind of problem an Error is.
type ErrorCode int

// The kinds of Error.
const (
	Invalid  ErrorCode = iota + 1 // a field's value cannot be used
	NotFound                      // what the request names does not exist
	Conflict                      // it would duplicate what exists
)

// Error is a request the package refuses, with the field at fault.
type Error struct {
	Code    ErrorCode
	Field   string
	Message string
}

func (e *Error) Error() string { return e.Field + ": " + e.Message }

func invalid(field, format string, args ...any) error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Service saves, lists and re-checks clips.
type Service struct {
	db *store.DB
	// archive holds the WARC files, read for the payload digest of the
	// capture a passage is clipped from.
	archive archive.Files
	now     func() time.Time
}

// New returns a Service on db whose captures are in files.
func New(db *store.DB, files archive.Files) *Service {
	return &Service{db: db, archive: files, now: func() time.Time { return time.Now().UTC() }}
}

// source is what a clip needs of its article.
type source struct {
	id, outletID int64
	text, lang   string
	contentHash  string
	url          string
	published    time.Time
	captureID    *int64
	goneAt       *time.Time
}

func loadSource(ctx context.Context, q store.Querier, id int64) (source, error) {
	s := source{id: id}
	var published sql.NullTime
	var fetched time.Time
	var capID sql.NullInt64
	var gone sql.NullTime
	var canonical string
	err := q.QueryRowContext(ctx, `
		SELECT outlet_id, text, lang, content_hash, url, canonical_url, published_at, fetched_at, capture_id, gone_at
		FROM articles WHERE id = ?`, id,
	).Scan(&s.outletID, &s.text, &s.lang, &s.contentHash, &s.url, &canonical, &published, &fetched, &capID, &gone)
	if errors.Is(err, sql.ErrNoRows) {
		return s, &Error{Code: NotFound, Field: "article", Message: fmt.Sprintf("no article %d", id)}
	}
	if err != nil {
		return s, fmt.Errorf("article %d: %w", id, err)
	}
	if canonical != "" {
		s.url = canonical
	}
	s.published = fetched.UTC()
	if published.Valid {
		s.published = published.Time.UTC()
	}
	if capID.Valid {
		s.captureID = &capID.Int64
	}
	if gone.Valid {
		t := gone.Time.UTC()
		s.goneAt = &t
	}
	return s, nil
}

// Save clips the passage in.Start–in.End of the article, creating the
// speaker first when in.Speaker is a new person, and returns the clip.
func (s *Service) Save(ctx context.Context, in NewClip) (Clip, error) {
	if in.Article <= 0 {
		return Clip{}, invalid("article", "is required (an article id)")
	}
	if strings.TrimSpace(in.Translation) == "" {
		return Clip{}, invalid("translation", "is required: the analyst's English translation of the passage")
	}
	if in.Date != "" {
		if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
			return Clip{}, invalid("date", "%q is not a date in the form 2025-03-07", in.Date)
		}
	}
	// The article is read, and its capture's WARC record verified, before
	// the transaction, which on SQLite holds the one write lock.
	src, err := loadSource(ctx, s.db, in.Article)
	if err != nil {
		return Clip{}, err
	}
	a, err := anchorAt(src.text, in.Start, in.End)
	if err != nil {
		return Clip{}, err
	}
	if src.captureID != nil {
		a.Capture = src.captureID
		if a.CaptureDigest, err = payloadDigest(ctx, s.db, s.archive, *src.captureID); err != nil {
			return Clip{}, err
		}
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := lockUnchanged(ctx, tx, src); err != nil {
			return err
		}
		speakerID, err := resolveSpeaker(ctx, tx, in.Speaker)
		if err != nil {
			return err
		}
		outletID := src.outletID
		if in.Outlet != "" {
			o, err := outlets.OutletByKey(ctx, tx, in.Outlet)
			if errors.Is(err, store.ErrNotFound) {
				return invalid("outlet", "no outlet has the key %q", in.Outlet)
			} else if err != nil {
				return err
			}
			outletID = o.ID
		}
		date := in.Date
		if date == "" {
			date = src.published.Format(time.DateOnly)
		}
		err = tx.QueryRowContext(ctx, `
			INSERT INTO clips (article_id, speaker_id, outlet_id, clip_date, original, original_lang, translation,
				translation_machine, intermediary, source_url, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			src.id, speakerID, outletID, date, a.Exact, src.lang, strings.TrimSpace(in.Translation),
			in.TranslationMachine, strings.TrimSpace(in.Intermediary), src.url, in.CreatedBy, s.now(),
		).Scan(&id)
		if err != nil {
			return fmt.Errorf("save clip: %w", err)
		}
		_, err = insertAnchor(ctx, tx, id, a, s.now())
		return err
	})
	if err != nil {
		return Clip{}, err
	}
	// A new clip has its one anchor and no checks yet: Get's two more
	// queries would add nothing.
	cs, err := list(ctx, s.db, Filter{id: id})
	if err != nil {
		return Clip{}, err
	}
	if len(cs) == 0 {
		return Clip{}, fmt.Errorf("clip %d: not found after it was saved", id)
	}
	cs[0].Anchors = []Anchor{cs[0].Anchor}
	return cs[0], nil
}

// lockUnchanged makes sure the article is still the text src read, and
// keeps it so until the transaction ends: a re-fetch that records an edit
// updates the article's row, so on PostgreSQL it waits for the clip and
// then re-checks it (on SQLite the transaction's write lock does the
// same). A clip is never anchored on a text that has already been
// replaced without being checked against the new one.
func lockUnchanged(ctx context.Context, tx *store.Tx, src source) error {
	lock := ""
	if tx.Dialect() == store.Postgres {
		lock = " FOR UPDATE"
	}
	var hash string
	var captureID int64
	err := tx.QueryRowContext(ctx, `SELECT content_hash, COALESCE(capture_id, 0) FROM articles WHERE id = ?`+lock, src.id).
		Scan(&hash, &captureID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("article %d: %w", src.id, err)
	}
	if err != nil || hash != src.contentHash || (src.captureID == nil) != (captureID == 0) ||
		src.captureID != nil && *src.captureID != captureID {
		return &Error{Code: Conflict, Field: "article", Message: fmt.Sprintf(
			"article %d changed while the passage was clipped (a re-fetch recorded an edit); select the passage again", src.id)}
	}
	return nil
}

// anchorAt makes the anchor of the code points start–end of text.
func anchorAt(text string, start, end *int) (Anchor, error) {
	n := utf8.RuneCountInString(text)
	switch {
	case start == nil:
		return Anchor{}, invalid("start", "is required (a code-point offset into the article's text)")
	case end == nil:
		return Anchor{}, invalid("end", "is required (a code-point offset into the article's text)")
	case *start < 0 || *start >= n:
		return Anchor{}, invalid("start", "%d is outside the article's text, which has %d code points", *start, n)
	case *end > n:
		return Anchor{}, invalid("end", "%d is past the end of the article's text, which has %d code points", *end, n)
	case *end <= *start:
		return Anchor{}, invalid("end", "%d must be greater than start (%d)", *end, *start)
	}
	runes := []rune(text)
	a := anchorOf(runes, *start, *end)
	if strings.IndexFunc(a.Exact, func(r rune) bool { return !unicode.IsSpace(r) }) < 0 {
		return Anchor{}, invalid("end", "the passage %d–%d is only white space", *start, *end)
	}
	return a, nil
}

// anchorOf is the anchor of runes[start:end] with its context.
func anchorOf(runes []rune, start, end int) Anchor {
	return Anchor{
		Start:  start,
		End:    end,
		Exact:  string(runes[start:end]),
		Prefix: string(runes[max(0, start-ContextLen):start]),
		Suffix: string(runes[end:min(len(runes), end+ContextLen)]),
	}
}

func insertAnchor(ctx context.Context, q store.Querier, clipID int64, a Anchor, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `
		INSERT INTO clip_anchors (clip_id, revision_id, capture_id, capture_digest, start_cp, end_cp, exact, prefix, suffix, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		clipID, a.Revision, a.Capture, a.CaptureDigest, a.Start, a.End, a.Exact, a.Prefix, a.Suffix, now,
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("anchor clip %d: %w", clipID, err)
	}
	return id, nil
}

// resolveSpeaker returns the id of the person ref names, adding a new
// person to the roster. A new person whose name is already on the roster
// (as a name, native name or alias) is refused with Conflict rather than
// added twice or silently merged: the analyst picks the existing person
// or gives the new one a key of their own.
func resolveSpeaker(ctx context.Context, tx *store.Tx, ref SpeakerRef) (int64, error) {
	if ref.New == nil {
		if ref.Key == "" {
			return 0, invalid("speaker", `is required: a person key or {"name", "role", "native_name"}`)
		}
		p, err := outlets.PersonByKey(ctx, tx, ref.Key)
		if errors.Is(err, store.ErrNotFound) {
			return 0, invalid("speaker", "no person has the key %q (send {\"name\", \"role\", \"native_name\"} to add them)", ref.Key)
		}
		return p.ID, err
	}
	p := *ref.New
	p.Name, p.NativeName, p.Role = strings.TrimSpace(p.Name), strings.TrimSpace(p.NativeName), strings.TrimSpace(p.Role)
	if p.Name == "" {
		return 0, invalid("speaker.name", "is required")
	}
	if p.Key == "" {
		for _, n := range []string{p.Name, p.NativeName} {
			if n == "" {
				continue
			}
			same, err := outlets.FindPeople(ctx, tx, n, 0)
			if err != nil {
				return 0, err
			}
			for _, o := range same {
				if isNameOf(o, n) {
					return 0, &Error{Code: Conflict, Field: "speaker.name", Message: fmt.Sprintf(
						"%s is already on the roster as %q (%s); send \"speaker\": %q, or give the new person a \"key\" of their own",
						n, o.Key, o.Described(), o.Key)}
				}
			}
		}
		key, err := freeKey(ctx, tx, slug(p.Name))
		if err != nil {
			return 0, err
		}
		p.Key = key
	} else if _, err := outlets.PersonByKey(ctx, tx, p.Key); err == nil {
		return 0, &Error{Code: Conflict, Field: "speaker.key", Message: fmt.Sprintf("%q is taken; send \"speaker\": %q to use that person", p.Key, p.Key)}
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	if err := p.Validate(); err != nil {
		var ve *valid.Error
		if errors.As(err, &ve) {
			return 0, invalid("speaker."+ve.Path, "%s", ve.Problem)
		}
		return 0, err
	}
	if err := outlets.SavePerson(ctx, tx, &p); err != nil {
		return 0, err
	}
	return p.ID, nil
}

// isNameOf reports whether n is p's name, native name or an alias, as
// FindPeople compares them.
func isNameOf(p outlets.Person, n string) bool {
	for _, m := range append([]string{p.Name, p.NativeName}, p.Aliases...) {
		if m != "" && sameName(m, n) {
			return true
		}
	}
	return false
}

// freeKey returns key, or key-2, key-3 … when it is taken.
func freeKey(ctx context.Context, q store.Querier, key string) (string, error) {
	if key == "" {
		return "", invalid("speaker.name", "write the name in Latin letters (the original script goes in native_name), or give a \"key\"")
	}
	for i := 1; ; i++ {
		k := key
		if i > 1 {
			k = fmt.Sprintf("%s-%d", key, i)
		}
		_, err := outlets.PersonByKey(ctx, q, k)
		if errors.Is(err, store.ErrNotFound) {
			return k, nil
		}
		if err != nil {
			return "", err
		}
	}
}

// slug makes a roster key of a Latin-script name: "Nemat-Allah Izadi" →
// "nemat-allah-izadi". Accents are dropped; other scripts give "".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldAccents(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r + 'a' - 'A')
		default:
			dash = true
		}
	}
	return b.String()
}
