package candidates

import (
	"context"
	"fmt"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// backfillBatch is how many articles Backfill reads, scans and stores at
// a time: the finder runs outside the transaction, which on SQLite holds
// the one write lock, and a batch's candidates are stored in one commit.
const backfillBatch = 200

// Backfill runs the finder on up to limit articles (<= 0: all) that have
// no scan of their current text: those stored before the finder existed,
// and any whose text changed by a path that did not scan it. Newest
// first, as analysts read. It returns how many it scanned; a finder
// failure is recorded with the article's scan, as at ingest, and does not
// stop it.
func Backfill(ctx context.Context, db *store.DB, limit int) (int, error) {
	done := 0
	for limit <= 0 || done < limit {
		n := backfillBatch
		if limit > 0 {
			n = min(n, limit-done)
		}
		type article struct {
			id               int64
			text, lang, hash string
			found            Found
		}
		rows, err := db.QueryContext(ctx, `
			SELECT a.id, a.text, a.lang, a.content_hash FROM articles a
			LEFT JOIN quote_scans s ON s.article_id = a.id
			WHERE s.article_id IS NULL OR s.content_hash <> a.content_hash
			ORDER BY a.id DESC LIMIT ?`, n)
		if err != nil {
			return done, fmt.Errorf("articles to scan for quotes: %w", err)
		}
		var batch []article
		for rows.Next() {
			var a article
			if err := rows.Scan(&a.id, &a.text, &a.lang, &a.hash); err != nil {
				rows.Close()
				return done, fmt.Errorf("articles to scan for quotes: %w", err)
			}
			batch = append(batch, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return done, fmt.Errorf("articles to scan for quotes: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		for i := range batch {
			batch[i].found = Find(batch[i].text, batch[i].lang)
		}
		now := time.Now().UTC()
		err = db.InTx(ctx, func(tx *store.Tx) error {
			for _, a := range batch {
				// The text may have changed since it was read: the scan is
				// recorded against the hash it was made on, so the next
				// run takes the article again.
				if err := Save(ctx, tx, a.id, a.hash, a.found, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(batch)
		if len(batch) < n {
			break
		}
	}
	return done, nil
}
