package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// Revision is a change seen when an article was fetched again.
type Revision struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"` // edited, deleted or restored
	SeenAt      time.Time `json:"seen_at"`
	Status      int       `json:"status,omitempty"`
	TitleBefore string    `json:"title_before,omitempty"`
	TitleAfter  string    `json:"title_after,omitempty"`
	Diff        string    `json:"diff,omitempty"`
	CaptureID   *int64    `json:"capture_id,omitempty"`
}

// textDiff is a line diff of two texts: removed lines start with "- ",
// added ones with "+ ". Lines are the paragraphs of extracted text, the
// unit in which outlets edit (a sentence softened, a paragraph removed).
func textDiff(before, after string) string {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(before, after)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out strings.Builder
	for _, d := range diffs {
		prefix := ""
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			prefix = "- "
		case diffmatchpatch.DiffInsert:
			prefix = "+ "
		default:
			continue
		}
		for _, line := range strings.SplitAfter(d.Text, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			out.WriteString(prefix + strings.TrimRight(line, "\n") + "\n")
		}
	}
	return out.String()
}

// recordEdit keeps the change from old to a as a revision and makes a the
// article's current text, with the quotations found in it in place of
// the previous text's (in g's group, when not nil: see saveQuotes). The
// previous text stays readable in the diff and, byte for byte, in the
// previous capture. a is keyed.
func (s *Service) recordEdit(ctx context.Context, tx *store.Tx, old Article, a *Article, capt *capture, now time.Time, g *groupWrites) error {
	diff := textDiff(old.Text, a.Text)
	if old.Title != a.Title {
		diff = "- # " + old.Title + "\n+ # " + a.Title + "\n" + diff
	}
	rev := Revision{Kind: "edited", SeenAt: now, Status: 200,
		TitleBefore: old.Title, TitleAfter: a.Title, Diff: diff, CaptureID: capt.id()}
	var b [4]any
	if a.fingerprinted {
		for i, v := range bands(a.Simhash) {
			b[i] = v
		}
	}
	update := []any{a.Title, a.Byline, a.Text, a.HTML, a.ContentHash, int64(a.Simhash), b[0], b[1], b[2], b[3], capt.id(), old.ID}
	if tx.Dialect() == store.Postgres && g != nil && len(a.shortKeys) == 0 {
		// Left to the group's end, with its other edits and final writes
		// (groupWrites.flushWith): no round trip of its own while the
		// group holds the story lock. A short text's new keys must follow
		// the deletion of the old ones, so such an edit is written now;
		// an edit of a row whose insert waits too, once it is written
		// (one statement cannot update the row another part inserts).
		if g.inserting(old.ID) {
			if err := g.flushPending(ctx, tx); err != nil {
				return err
			}
		}
		e := pendingEdit{id: old.ID, seen: rev.SeenAt, capture: rev.CaptureID, titleBefore: rev.TitleBefore,
			title: a.Title, hashBefore: old.ContentHash, hash: a.ContentHash, diff: rev.Diff, byline: a.Byline,
			text: a.Text, html: a.HTML, simhash: int64(a.Simhash), oldShort: !text.HasWords(old.Text, minFingerprintWords)}
		if a.fingerprinted {
			for i, v := range bands(a.Simhash) {
				e.bands[i] = &v
			}
		}
		g.edits = append(g.edits, e)
		return s.saveQuotes(ctx, tx, old.ID, a, g)
	}
	if tx.Dialect() == store.Postgres {
		// One statement, one round trip, for the revision, the row, the
		// old short-text keys and the old quote candidates: an edit is
		// stored while its group holds the story lock, which the other
		// groups wait for. What the group has waiting is written first:
		// it may be this row's insert or an earlier edit of it.
		if err := g.flushPending(ctx, tx); err != nil {
			return err
		}
		args := append([]any{old.ID, rev.Kind, rev.SeenAt, rev.CaptureID, rev.Status, rev.TitleBefore, rev.TitleAfter,
			old.ContentHash, a.ContentHash, rev.Diff, old.ID, old.ID}, update...)
		if _, err := tx.ExecContext(ctx, `
			WITH revision AS (`+insertRevisionSQL+`),
				old_keys AS (DELETE FROM article_short_keys WHERE article_id = ?),
				old_quotes AS (DELETE FROM quote_candidates WHERE article_id = ?)
			`+updateEditedSQL, args...); err != nil {
			return fmt.Errorf("update edited article %d: %w", old.ID, err)
		}
		if err := insertShortKeys(ctx, tx, old.ID, a.shortKeys); err != nil {
			return err
		}
		return s.saveQuotes(ctx, tx, old.ID, a, g)
	}
	if err := insertRevision(ctx, tx, old.ID, rev, old.ContentHash, a.ContentHash); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, updateEditedSQL, update...); err != nil {
		return fmt.Errorf("update edited article %d: %w", old.ID, err)
	}
	if err := replaceShortKeys(ctx, tx, old.ID, a.shortKeys); err != nil {
		return err
	}
	if err := candidates.Clear(ctx, tx, old.ID); err != nil {
		return err
	}
	return s.saveQuotes(ctx, tx, old.ID, a, g)
}

// updateEditedSQL gives an edited article its new text and keys.
const updateEditedSQL = `
	UPDATE articles SET title = ?, byline = ?, text = ?, html = ?, content_hash = ?, simhash = ?,
		sh_band0 = ?, sh_band1 = ?, sh_band2 = ?, sh_band3 = ?, capture_id = COALESCE(?, capture_id),
		gone_at = NULL, updated_at = CURRENT_TIMESTAMP
	WHERE id = ?`

const insertRevisionSQL = `
	INSERT INTO article_revisions (article_id, kind, seen_at, capture_id, status, title_before, title_after,
		hash_before, hash_after, diff)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func insertRevision(ctx context.Context, q store.Querier, articleID int64, r Revision, hashBefore, hashAfter string) error {
	_, err := q.ExecContext(ctx, insertRevisionSQL,
		articleID, r.Kind, r.SeenAt, r.CaptureID, r.Status, r.TitleBefore, r.TitleAfter, hashBefore, hashAfter, r.Diff)
	if err != nil {
		return fmt.Errorf("record %s revision of article %d: %w", r.Kind, articleID, err)
	}
	return nil
}

// Revisions lists an article's recorded changes, oldest first.
func Revisions(ctx context.Context, q store.Querier, articleID int64) ([]Revision, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, kind, seen_at, status, title_before, title_after, diff, capture_id
		FROM article_revisions WHERE article_id = ? ORDER BY seen_at, id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("revisions of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var capID sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Kind, &r.SeenAt, &r.Status, &r.TitleBefore, &r.TitleAfter, &r.Diff, &capID); err != nil {
			return nil, err
		}
		r.SeenAt = r.SeenAt.UTC()
		r.CaptureID = nullInt(capID)
		out = append(out, r)
	}
	return out, rows.Err()
}

// pendingEdit is an edit recordEdit left to its group's end on PostgreSQL
// (groupWrites.edits): the revision, and the row's new title, text and
// keys.
type pendingEdit struct {
	id                                   int64
	seen                                 time.Time
	capture                              *int64
	titleBefore, title, hashBefore, hash string
	diff, byline, text, html             string
	simhash                              int64
	bands                                [4]*int64
	// oldShort says the row's text before the edit was too short for a
	// simhash (fingerprint): it may have short-text keys, which the edit
	// deletes, and be the same text as a short one of the group
	// (groupWrites.shortTextsRead).
	oldShort bool
}

// editsCTEs are the common table expressions that write a group's
// waiting edits, as recordEdit's one statement does an edit's, from
// arrays (editArgs): one text whatever their number
// (groupWrites.pendingCTEs). An article edited twice in the group has
// both revisions and its last text.
const editsCTEs = `
	revisions AS (
		INSERT INTO article_revisions (article_id, kind, seen_at, capture_id, status, title_before, title_after,
			hash_before, hash_after, diff)
		SELECT id, 'edited', seen_at, capture_id, 200, title_before, title_after, hash_before, hash_after, diff
		FROM unnest(CAST(? AS bigint[]), CAST(? AS timestamptz[]), CAST(? AS bigint[]), CAST(? AS text[]),
			CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
			AS r(id, seen_at, capture_id, title_before, title_after, hash_before, hash_after, diff)),
	e AS (
		SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]),
			CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]),
			CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
			AS e(id, capture_id, title, hash, byline, body, html, simhash, b0, b1, b2, b3)),
	old_keys AS (DELETE FROM article_short_keys WHERE article_id IN (SELECT id FROM e)),
	old_quotes AS (DELETE FROM quote_candidates WHERE article_id IN (SELECT id FROM e)),
	edited AS (
		UPDATE articles a SET title = e.title, byline = e.byline, text = e.body, html = e.html, content_hash = e.hash,
			simhash = e.simhash, sh_band0 = e.b0, sh_band1 = e.b1, sh_band2 = e.b2, sh_band3 = e.b3,
			capture_id = COALESCE(e.capture_id, a.capture_id), gone_at = NULL, updated_at = CURRENT_TIMESTAMP
		FROM e WHERE a.id = e.id)`

// editArgs are editsCTEs' parameters for edits, in the order made: a
// revision each, and each article's last text, with the last capture
// given (recordEdit's COALESCE, applied in turn).
func editArgs(edits []pendingEdit) []any {
	n := len(edits)
	ids, seen, capts := make([]int64, n), make([]time.Time, n), make([]*int64, n)
	var rev [5][]string
	for i := range rev {
		rev[i] = make([]string, n)
	}
	last := make(map[int64]int, n)
	for i, e := range edits {
		ids[i], seen[i], capts[i] = e.id, e.seen, e.capture
		for j, v := range []string{e.titleBefore, e.title, e.hashBefore, e.hash, e.diff} {
			rev[j][i] = v
		}
		last[e.id] = i
	}
	var uids, usim []int64
	var ucapts []*int64
	var ustrs [5][]string
	var ubands [4][]*int64
	for i, e := range edits {
		if last[e.id] != i {
			continue
		}
		capt := e.capture
		for j := i - 1; capt == nil && j >= 0; j-- {
			if edits[j].id == e.id {
				capt = edits[j].capture
			}
		}
		uids, usim, ucapts = append(uids, e.id), append(usim, e.simhash), append(ucapts, capt)
		for j, v := range []string{e.title, e.hash, e.byline, e.text, e.html} {
			ustrs[j] = append(ustrs[j], v)
		}
		for j, v := range e.bands {
			ubands[j] = append(ubands[j], v)
		}
	}
	return []any{ids, seen, capts, rev[0], rev[1], rev[2], rev[3], rev[4],
		uids, ucapts, ustrs[0], ustrs[1], ustrs[2], ustrs[3], ustrs[4], usim, ubands[0], ubands[1], ubands[2], ubands[3]}
}
