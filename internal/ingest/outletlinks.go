package ingest

import (
	"context"
	"fmt"

	"github.com/pressreview/pressreview/internal/store"
)

// recordOtherOutlet lists an outlet whose feed announced an article that
// is stored under another outlet (one URL in two outlets' feeds: a wire
// story an agency and a newspaper both list). The article stays stored
// once, under the outlet that stored it first; article_outlets makes it
// count for the other too. An outlet meeting its own article again is
// not listed.
func recordOtherOutlet(ctx context.Context, q store.Querier, articleID, outletID int64, feedID *int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO article_outlets (article_id, outlet_id, feed_id)
		SELECT id, ?, ? FROM articles WHERE id = ? AND outlet_id <> ?
		ON CONFLICT DO NOTHING`, outletID, feedID, articleID, outletID)
	if err != nil {
		return fmt.Errorf("list article %d for outlet %d: %w", articleID, outletID, err)
	}
	return nil
}

// OtherOutlets returns the keys of the outlets, besides the article's
// own, whose feeds announced it, in the order they did.
func OtherOutlets(ctx context.Context, q store.Querier, articleID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.key FROM article_outlets ao JOIN outlets o ON o.id = ao.outlet_id
		WHERE ao.article_id = ? ORDER BY ao.added_at, o.key`, articleID)
	if err != nil {
		return nil, fmt.Errorf("outlets of article %d: %w", articleID, err)
	}
	return store.Column[string](rows)
}
