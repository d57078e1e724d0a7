package ingest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pressreview/pressreview/internal/shorttext"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// shortKeys are the MinHash band keys of a text too short for a simhash
// (shorttext.MinWords to minFingerprintWords words), computed from its
// matching form, and its shingles for findShortStory; nil for longer and
// shorter texts.
func shortKeys(body, normalized string, fingerprinted bool) ([]int64, storyForm) {
	if fingerprinted || !shorttext.Eligible(text.Words(body), minFingerprintWords) {
		return nil, storyForm{}
	}
	sh := shorttext.Shingles(normalized)
	return shorttext.Keys(sh), storyForm{shingles: sh}
}

// nearStory is findStory for an article with a simhash, findShortStory
// for a short one; 0 when it has neither or no near duplicate. The
// candidates of one with a simhash come from its group's lookup when
// made (g may be nil); a lookup made now first writes the group's rows
// waiting (groupWrites.flushPending), which the lookup reads: for a short
// text only when an edit waiting changes what it reads.
func nearStory(ctx context.Context, tx *store.Tx, forms *storyForms, a *Article, fingerprinted bool, g *groupWrites) (int64, error) {
	if !fingerprinted && len(a.shortKeys) == 0 {
		return 0, nil
	}
	if fingerprinted && g != nil {
		if near, ok := g.copies.nearOf(a); ok {
			return pickStory(ctx, tx, forms, a, near, g)
		}
	}
	// A short text's candidates are stored short texts, whose rows and
	// keys never wait (only fingerprinted articles' inserts do), unless
	// an edit waiting deletes their keys (shortTextsRead).
	if fingerprinted || g.shortTextsRead() {
		if err := g.flushPending(ctx, tx); err != nil {
			return 0, err
		}
	}
	if fingerprinted {
		return findStory(ctx, tx, forms, a)
	}
	return findShortStory(ctx, tx, forms, a)
}

// findShortStory returns the story of the short article that resembles a
// most (shorttext.Threshold or more, among those sharing a band key), or
// 0. saveArticle records a's keys for the articles to come once a is
// inserted (insertShortKeys). The caller holds lockStories. a is keyed; the candidates' shingles come from forms when
// kept there.
func findShortStory(ctx context.Context, tx *store.Tx, forms *storyForms, a *Article) (int64, error) {
	args := make([]any, 0, len(a.shortKeys)+1)
	for _, k := range a.shortKeys {
		args = append(args, k)
	}
	args = append(args, a.ID)
	// The keys are parameters (shorttext.Bands of them): one text, which
	// SQLite compiles once per connection (the store's statement cache).
	// Each candidate's content hash comes with it, so that its shingles,
	// when kept in forms, cost no read of its text; looked up by primary
	// key per candidate, which no table statistics can turn into a scan.
	rows, err := tx.QueryContext(ctx, `SELECT k.article_id, COUNT(*),
			(SELECT a.content_hash FROM articles a WHERE a.id = k.article_id),
			(SELECT COALESCE(a.story_id, a.id) FROM articles a WHERE a.id = k.article_id)
		FROM article_short_keys k
		WHERE k.band_key IN (?`+strings.Repeat(", ?", len(a.shortKeys)-1)+`) AND k.article_id <> ?
		GROUP BY k.article_id`, args...)
	if err != nil {
		return 0, fmt.Errorf("find short near duplicates of article %d: %w", a.ID, err)
	}
	type candidate struct {
		id, story int64
		shared    int
		hash      string
	}
	var near []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.shared, &c.hash, &c.story); err != nil {
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
		for _, c := range near[:min(len(near), maxStoryCandidates)] {
			theirs, err := forms.shingles(c.hash, func() (string, error) {
				var body string
				err := tx.QueryRowContext(ctx, `SELECT text FROM articles WHERE id = ?`, c.id).Scan(&body)
				return body, err
			})
			if err != nil {
				return 0, fmt.Errorf("read short near duplicate %d of article %d: %w", c.id, a.ID, err)
			}
			if r := shorttext.Resemblance(a.story.shingles, theirs); r >= shorttext.Threshold && r > bestScore {
				best, bestStory, bestScore = c.id, c.story, r
			}
		}
	}
	if best == 0 {
		return 0, nil
	}
	return bestStory, nil
}

// insertShortKeys records an article's short-text keys, in one statement.
func insertShortKeys(ctx context.Context, tx *store.Tx, id int64, keys []int64) error {
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k, id)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_short_keys (band_key, article_id) VALUES (?, ?)`+
		strings.Repeat(", (?, ?)", len(keys)-1)+` ON CONFLICT DO NOTHING`, args...); err != nil {
		return fmt.Errorf("record short-text keys of article %d: %w", id, err)
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
