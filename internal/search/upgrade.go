package search

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// UpgradeIndex reindexes the archive when its terms were written with
// other spelling rules than text.AnalyzerVersion: queries are normalized
// with the rules of the running program, so an index built with older
// ones would silently miss articles (a compound the new joiner reads as
// one word is two terms in it). Opening the store calls it after the
// migrations; it costs one query when the index is current. A reindex
// interrupted before the end leaves the old number, so the next start
// runs it again.
func UpgradeIndex(ctx context.Context, db *store.DB, log *slog.Logger) error {
	var built int
	if err := db.QueryRowContext(ctx, `SELECT analyzer FROM search_state WHERE id = 1`).Scan(&built); err != nil {
		return fmt.Errorf("search index state: %w", err)
	}
	if built == text.AnalyzerVersion {
		return nil
	}
	log.Info("search index built with other spelling rules: reindexing the archive",
		"index", built, "rules", text.AnalyzerVersion)
	n, err := Reindex(ctx, db)
	if err != nil {
		return fmt.Errorf("reindex for spelling rules %d: %w", text.AnalyzerVersion, err)
	}
	log.Info("search index rebuilt", "articles", n)
	return nil
}
