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

// Buffers gives, on PostgreSQL, the search index's size — search_docs
// with its indexes — and the server's shared_buffers, in bytes. A search
// of a common word reads some 16,000 of its rows; when the index is the
// larger, each comes from the operating system's cache instead, and at a
// million articles the benchmark's whole mix then took 125–147 ms at p95
// against 72–80 ms with a quarter of memory (docs/benchmarks.md, issue
// 15). PostgreSQL's default of 128 MB is smaller than the index of about
// 40,000 articles, and nothing else tells a growing desk. On SQLite, whose
// pages the operating system's cache holds, both are 0.
func Buffers(ctx context.Context, db store.Querier) (index, buffers int64, err error) {
	if db.Dialect() != store.Postgres {
		return 0, 0, nil
	}
	err = db.QueryRowContext(ctx, `SELECT pg_total_relation_size('search_docs'), pg_size_bytes(current_setting('shared_buffers'))`).Scan(&index, &buffers)
	if err != nil {
		return 0, 0, fmt.Errorf("search index size: %w", err)
	}
	return index, buffers, nil
}
