package ingest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/shorttext"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// shortKeys are the MinHash band keys of a text too short for a simhash
// (shorttext.MinWords to minFingerprintWords words), computed from its
// matching form; nil for longer and shorter texts.
func shortKeys(body, normalized string, fingerprinted bool) []int64 {
	if fingerprinted || !shorttext.Eligible(text.Words(body), minFingerprintWords) {
		return nil
	}
	return shorttext.Keys(shorttext.Shingles(normalized))
}

// nearStory is findStory for an article with a simhash, findShortStory
// for a short one; 0 when it has neither or no near duplicate.
func nearStory(ctx context.Context, tx *store.Tx, a *Article, fingerprinted bool) (int64, error) {
	if fingerprinted {
		return findStory(ctx, tx, a)
	}
	if len(a.shortKeys) == 0 {
		return 0, nil
	}
	return findShortStory(ctx, tx, a)
}

// findShortStory returns the story of the short article that resembles a
// most (shorttext.Threshold or more, among those sharing a band key), or
// 0, and records a's keys for the articles to come. The caller holds
// lockStories.
func findShortStory(ctx context.Context, tx *store.Tx, a *Article) (int64, error) {
	keys := make([]string, len(a.shortKeys))
	for i, k := range a.shortKeys {
		keys[i] = strconv.FormatInt(k, 10)
	}
	// Integers computed here: inlined, as in findStory.
	rows, err := tx.QueryContext(ctx, `SELECT k.article_id, COUNT(*) FROM article_short_keys k
		WHERE k.band_key IN (`+strings.Join(keys, ",")+`) AND k.article_id <> ?
		GROUP BY k.article_id`, a.ID)
	if err != nil {
		return 0, fmt.Errorf("find short near duplicates of article %d: %w", a.ID, err)
	}
	type candidate struct {
		id     int64
		shared int
	}
	var near []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.shared); err != nil {
			rows.Close()
			return 0, err
		}
		near = append(near, c)
	}
	// Closed before the texts are read (one connection per transaction).
	if err := rows.Close(); err != nil {
		return 0, err
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var best, bestStory int64
	bestScore := 0.0
	if len(near) > 0 {
		// More bands shared, higher resemblance: those are tried first.
		slices.SortFunc(near, func(x, y candidate) int {
			return cmp.Or(cmp.Compare(y.shared, x.shared), cmp.Compare(y.id, x.id))
		})
		mine := shorttext.Shingles(text.Normalize(a.Text))
		for _, c := range near[:min(len(near), maxStoryCandidates)] {
			var body string
			var story int64
			err := tx.QueryRowContext(ctx, `SELECT text, COALESCE(story_id, id) FROM articles WHERE id = ?`, c.id).Scan(&body, &story)
			if err != nil {
				return 0, fmt.Errorf("read short near duplicate %d of article %d: %w", c.id, a.ID, err)
			}
			if r := shorttext.Resemblance(mine, shorttext.Shingles(text.Normalize(body))); r >= shorttext.Threshold && r > bestScore {
				best, bestStory, bestScore = c.id, story, r
			}
		}
	}
	if err := insertShortKeys(ctx, tx, a.ID, a.shortKeys); err != nil {
		return 0, err
	}
	if best == 0 {
		return 0, nil
	}
	return bestStory, nil
}

func insertShortKeys(ctx context.Context, tx *store.Tx, id int64, keys []int64) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_short_keys (band_key, article_id) VALUES (?, ?)
			ON CONFLICT DO NOTHING`, k, id); err != nil {
			return fmt.Errorf("record short-text keys of article %d: %w", id, err)
		}
	}
	return nil
}

// replaceShortKeys gives an edited article the keys of its new text (none
// when it is no longer short), so its later reposts are found by what it
// says now. Its story stays: an edit does not regroup.
func replaceShortKeys(ctx context.Context, tx *store.Tx, id int64, keys []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_short_keys WHERE article_id = ?`, id); err != nil {
		return fmt.Errorf("replace short-text keys of article %d: %w", id, err)
	}
	return insertShortKeys(ctx, tx, id, keys)
}
