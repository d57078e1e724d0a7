package clips

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// payloadDigest reads the WARC payload digest ("sha256:…") of a capture
// from its record, which archive.Read verifies against the bytes: the
// anchor names the exact response its text was extracted from.
func payloadDigest(ctx context.Context, q store.Querier, files archive.Files, captureID int64) (string, error) {
	var loc archive.Location
	err := q.QueryRowContext(ctx, `SELECT warc_file, warc_offset, warc_length, warc_record_id, warc_sha256 FROM captures WHERE id = ?`,
		captureID).Scan(&loc.File, &loc.Offset, &loc.Length, &loc.RecordID, &loc.SHA256)
	if err != nil {
		return "", fmt.Errorf("capture %d: %w", captureID, err)
	}
	rec, err := archive.Read(ctx, files, loc)
	if err != nil {
		return "", fmt.Errorf("capture %d in %s: %w", captureID, loc.File, err)
	}
	return rec.PayloadDigest, nil
}

// Recheck checks every clip on an article against the article as it now
// stands, after a re-fetch recorded a revision (an edit, a deletion or a
// restoration) in the transaction q. before is the article's text before
// that revision, for the diff of a flagged clip. Each clip is
//   - deleted when the outlet deleted the article (its archived copy
//     stays);
//   - ok when its exact text is found where Locate finds it — anchored
//     anew on the revision if the offsets or the capture changed, the
//     earlier anchors kept;
//   - changed otherwise, with why and the part of the diff that touches
//     it.
//
// Every outcome is kept as a check. files holds the WARC files.
func Recheck(ctx context.Context, q store.Querier, files archive.Files, articleID int64, before string) error {
	anchors, err := latestAnchors(ctx, q, articleID)
	if err != nil || len(anchors) == 0 {
		return err
	}
	src, err := loadSource(ctx, q, articleID)
	if err != nil {
		return err
	}
	var revisionID int64
	var revisionDiff string
	err = q.QueryRowContext(ctx, `SELECT id, diff FROM article_revisions WHERE article_id = ? ORDER BY id DESC LIMIT 1`,
		articleID).Scan(&revisionID, &revisionDiff)
	if err != nil {
		return fmt.Errorf("re-check clips of article %d: latest revision: %w", articleID, err)
	}
	now := time.Now().UTC()
	runes := []rune(src.text)
	digest := ""
	for _, c := range anchors {
		status, note, after := StatusDeleted, "The outlet deleted the article; the archived copy remains.", ""
		var anchorID *int64 // the anchor found, none when flagged
		if src.goneAt == nil {
			start, why := Locate(runes, c.anchor)
			status, note, after = StatusChanged, why, src.text
			if why == "" {
				status = StatusOK
				id, err := reanchor(ctx, q, files, c, runes, start, revisionID, src.captureID, &digest, now)
				if err != nil {
					return err
				}
				anchorID = &id
			}
		}
		diff := ""
		if status != StatusOK {
			if diff = clipDiff(before, after, c.anchor); diff == "" {
				diff = revisionDiff
			}
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO clip_checks (clip_id, revision_id, checked_at, status, note, diff, anchor_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.clipID, revisionID, now, status, note, diff, anchorID); err != nil {
			return fmt.Errorf("re-check clip %d: %w", c.clipID, err)
		}
		if _, err := q.ExecContext(ctx, `UPDATE clips SET status = ?, status_note = ?, status_diff = ?, checked_at = ? WHERE id = ?`,
			status, note, diff, now, c.clipID); err != nil {
			return fmt.Errorf("re-check clip %d: %w", c.clipID, err)
		}
	}
	return nil
}

// reanchor returns the anchor of c's passage found at start: a new one on
// the revision when the offsets or the capture changed, else c's own.
// *digest caches the payload digest of the article's capture.
func reanchor(ctx context.Context, q store.Querier, files archive.Files, c clipAnchor, runes []rune, start int,
	revisionID int64, captureID *int64, digest *string, now time.Time) (int64, error) {
	next := anchorOf(runes, start, start+utf8.RuneCountInString(c.anchor.Exact))
	if next.Start == c.anchor.Start && sameCapture(captureID, c.anchor.Capture) {
		return c.anchor.ID, nil
	}
	next.Revision, next.Capture = &revisionID, captureID
	if captureID != nil && *digest == "" {
		var err error
		if *digest, err = payloadDigest(ctx, q, files, *captureID); err != nil {
			return 0, err
		}
	}
	next.CaptureDigest = *digest
	return insertAnchor(ctx, q, c.clipID, next, now)
}

type clipAnchor struct {
	clipID int64
	anchor Anchor
}

// latestAnchors returns the latest anchor of each clip on an article.
func latestAnchors(ctx context.Context, q store.Querier, articleID int64) ([]clipAnchor, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT c.id, `+anchorColumns+`
		FROM clips c JOIN clip_anchors a ON a.id = (SELECT MAX(id) FROM clip_anchors WHERE clip_id = c.id)
		WHERE c.article_id = ? ORDER BY c.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("clips of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []clipAnchor
	for rows.Next() {
		var c clipAnchor
		a, err := scanAnchor(rows, &c.clipID)
		if err != nil {
			return nil, fmt.Errorf("clips of article %d: %w", articleID, err)
		}
		c.anchor = a
		out = append(out, c)
	}
	return out, rows.Err()
}

func sameCapture(a, b *int64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// Locate finds the passage of anchor a in the text runes and returns its
// new start, or why it cannot: the text must hold the exact passage, and
// where it holds it several times, the context must say which. A
// candidate's context agrees on a side when its ContextLen code points
// there equal the anchor's prefix (or suffix) as text.Normalize compares
// them. The best candidates agree on the most sides; one of them is taken,
// the one nearest the old start, unless no side agrees anywhere. A lone
// occurrence with no agreeing side is taken only when the passage is at
// least ContextLen code points long: a short passage whose surroundings
// all changed may be other words that happen to be spelled alike.
func Locate(runes []rune, a Anchor) (start int, why string) {
	exact := []rune(a.Exact)
	var found []int
	for i := 0; i+len(exact) <= len(runes); i++ {
		if runes[i] == exact[0] && equalRunes(runes[i:i+len(exact)], exact) {
			found = append(found, i)
		}
	}
	if len(found) == 0 {
		return 0, "The clipped passage is no longer in the text."
	}
	oldPrefix, oldSuffix := text.Normalize(a.Prefix), text.Normalize(a.Suffix)
	best, bestSides := -1, -1
	for _, s := range found {
		c := anchorOf(runes, s, s+len(exact))
		sides := 0
		if text.Normalize(c.Prefix) == oldPrefix {
			sides++
		}
		if text.Normalize(c.Suffix) == oldSuffix {
			sides++
		}
		if sides > bestSides || sides == bestSides && abs(s-a.Start) < abs(best-a.Start) {
			best, bestSides = s, sides
		}
	}
	switch {
	case bestSides > 0:
		return best, ""
	case len(found) > 1:
		return 0, fmt.Sprintf("The clipped passage now occurs %d times and its context matches none of them.", len(found))
	case len(exact) < ContextLen:
		return 0, "The clipped passage occurs once, but everything around it changed."
	}
	return best, ""
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// clipDiff is the part of the line diff from before to after that touches
// the clip: the removed lines that held its passage and what replaced
// them, in the "- " / "+ " form of the article's revisions. It is ""
// when a's offsets do not address its passage in before (a is then an
// anchor on an older text).
func clipDiff(before, after string, a Anchor) string {
	bs, be, ok := byteRange(before, a)
	if !ok {
		return ""
	}
	// A last line without its newline would differ from the same line
	// followed by others.
	if !strings.HasSuffix(before, "\n") {
		before += "\n"
	}
	if after != "" && !strings.HasSuffix(after, "\n") {
		after += "\n"
	}
	dmp := diffmatchpatch.New()
	x, y, lines := dmp.DiffLinesToChars(before, after)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(x, y, false), lines)
	var out strings.Builder
	pos := 0 // in before
	touched := false
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			pos += len(d.Text)
			touched = false
		case diffmatchpatch.DiffDelete:
			end := pos + len(d.Text)
			touched = pos < be && end > bs
			if touched {
				for line := range strings.Lines(d.Text) {
					if pos < be && pos+len(line) > bs {
						writeLine(&out, "- ", line)
					}
					pos += len(line)
				}
			}
			pos = end
		case diffmatchpatch.DiffInsert:
			// What replaced the clip's lines, or lines that now stand
			// inside the passage, or another copy of it.
			if touched || (pos > bs && pos < be) || strings.Contains(d.Text, a.Exact) {
				for line := range strings.Lines(d.Text) {
					writeLine(&out, "+ ", line)
				}
			}
		}
	}
	return out.String()
}

func writeLine(b *strings.Builder, prefix, line string) {
	if line = strings.TrimRight(line, "\n"); strings.TrimSpace(line) != "" {
		b.WriteString(prefix + line + "\n")
	}
}

// byteRange returns the byte offsets in s of a's code-point offsets, if
// they address a's exact text.
func byteRange(s string, a Anchor) (start, end int, ok bool) {
	n := 0
	start, end = -1, -1
	for i := range s {
		if n == a.Start {
			start = i
		}
		if n == a.End {
			end = i
			break
		}
		n++
	}
	if end < 0 && n == a.End {
		end = len(s)
	}
	if start < 0 || end < 0 || s[start:end] != a.Exact {
		return 0, 0, false
	}
	return start, end, true
}
