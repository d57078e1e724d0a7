package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/store"
)

// ErrQuoted refuses to delete an article that an edition quotes: the
// edition's source link must keep leading to the archived article.
var ErrQuoted = errors.New("quoted in an edition")

// ErrClipped refuses to delete an article that clips were taken from: a
// clip stays anchored to its article's text.
var ErrClipped = errors.New("clipped")

// DeleteArticle removes an article from the archive: its row, the URLs it
// was met under, its revisions, its search entry (and with it coverage and
// alerts). The evidence stays: the WARC records and their captures rows are
// never removed, and the feed's entry stays marked as seen, so polling does
// not bring the article back (`articles add URL` does). Reprints of the
// article stay grouped, under the oldest of them. An article quoted in an
// edition (a quote's source_url among its URLs) is refused with ErrQuoted,
// one with clips with ErrClipped; a missing one is store.ErrNotFound.
func (s *Service) DeleteArticle(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *store.Tx) error {
		if err := lockStories(ctx, tx); err != nil {
			return err
		}
		a, err := ArticleByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if slug, err := quotingEdition(ctx, tx, a); err != nil {
			return err
		} else if slug != "" {
			return fmt.Errorf("%w %q: remove the quote from the edition first", ErrQuoted, slug)
		}
		var clips int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM clips WHERE article_id = ?`, id).Scan(&clips); err != nil {
			return fmt.Errorf("article %d: clips: %w", id, err)
		}
		if clips > 0 {
			return fmt.Errorf("%w: %s of it; delete the clips first", ErrClipped, cli.Count(clips, "clip holds a passage", "clips hold passages"))
		}
		// The reprints of an original keep their story under the oldest
		// remaining one, which becomes the original.
		var next sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MIN(id) FROM articles WHERE story_id = ? AND id <> ?`, id, id).Scan(&next); err != nil {
			return fmt.Errorf("article %d: story: %w", id, err)
		}
		if next.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET story_id = ? WHERE story_id = ? AND id <> ?`, next.Int64, id, id); err != nil {
				return fmt.Errorf("article %d: regroup story: %w", id, err)
			}
		}
		// search_docs, search_alerts, article_urls and article_revisions
		// go with the row (ON DELETE CASCADE); feed_entries keep their
		// row with article_id NULL.
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id); err != nil {
			return fmt.Errorf("article %d: delete: %w", id, err)
		}
		return nil
	})
}

// quotingEdition returns the slug of an edition that quotes a (one of its
// quotes' source_url, in canonical form, is a URL a was met under), or "".
func quotingEdition(ctx context.Context, q store.Querier, a Article) (string, error) {
	urls := map[string]bool{}
	for _, u := range []string{a.CanonicalURL, extract.CanonicalURL(a.URL)} {
		if u != "" {
			urls[u] = true
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT url FROM article_urls WHERE article_id = ?`, a.ID)
	if err != nil {
		return "", fmt.Errorf("article %d: URLs: %w", a.ID, err)
	}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return "", err
		}
		urls[u] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(urls) == 0 {
		return "", nil // pasted without a URL: nothing can link to it
	}
	rows, err = q.QueryContext(ctx, `SELECT DISTINCT p.source_url, ed.slug FROM entry_parts p
		JOIN entries e ON e.id = p.entry_id JOIN editions ed ON ed.id = e.edition_id
		WHERE p.source_url <> '' ORDER BY ed.slug`)
	if err != nil {
		return "", fmt.Errorf("quoted articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, slug string
		if err := rows.Scan(&u, &slug); err != nil {
			return "", err
		}
		if urls[extract.CanonicalURL(u)] {
			return slug, nil
		}
	}
	return "", rows.Err()
}
