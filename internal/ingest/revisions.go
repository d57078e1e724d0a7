package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/pressreview/pressreview/internal/store"
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
	if tx.Dialect() == store.Postgres {
		// One statement, one round trip, for the revision, the row, the
		// old short-text keys and the old quote candidates: an edit is
		// stored while its group holds the story lock, which the other
		// groups wait for.
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM quote_candidates WHERE article_id = ?`, old.ID); err != nil {
		return fmt.Errorf("quote candidates of edited article %d: %w", old.ID, err)
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
