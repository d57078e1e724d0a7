package search

import (
	"context"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestBuffers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		index, buffers, err := Buffers(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == store.SQLite {
			if index != 0 || buffers != 0 {
				t.Errorf("SQLite: %d, %d; want nothing to compare", index, buffers)
			}
			return
		}
		// shared_buffers as pg_settings gives it: a number of blocks.
		var want int64
		if err := db.QueryRowContext(ctx, `SELECT setting::bigint * current_setting('block_size')::bigint FROM pg_settings WHERE name = 'shared_buffers'`).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if buffers != want {
			t.Errorf("shared_buffers %d bytes, want %d", buffers, want)
		}
		// An empty index still has its indexes' first pages, and is far
		// smaller than any shared_buffers a server starts with.
		if index <= 0 || index > buffers {
			t.Errorf("empty index: %d bytes, shared_buffers %d", index, buffers)
		}
	})
}
