package ops

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pressreview/pressreview/internal/store"
)

// ContentChannel is the PostgreSQL channel on which bump_site_version()
// notifies every write to content the public site shows (migration 00021).
const ContentChannel = "pressreview_site_version"

// ListenContent calls changed whenever another session of the database
// bumped site_version, until ctx ends: the page caches of every instance
// learn of a publish within the round trip of a notification instead of
// polling the row. It holds one connection of its own (outside the pool,
// which it must not starve). When the connection drops it calls changed
// (notifications may have been missed), waits and reconnects; the caller's
// periodic check of site_version covers that gap. On SQLite, a single
// instance whose writes all go through it, there is nothing to listen to
// and it returns at once.
func ListenContent(ctx context.Context, db *store.DB, log *slog.Logger, changed func()) {
	if db.Dialect() != store.Postgres || db.Pool == nil {
		return
	}
	cfg := db.Pool.Config().ConnConfig.Copy()
	backoff := time.Second
	for ctx.Err() == nil {
		listened, err := listen(ctx, cfg, changed)
		changed()
		if listened {
			backoff = time.Second
		}
		if ctx.Err() != nil {
			return
		}
		log.Warn("content notifications lost; the periodic check stands in until they return",
			"channel", ContentChannel, "err", err, "retry", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// listen holds one listening connection until it fails; listened says
// whether LISTEN took effect (the backoff starts over then).
func listen(ctx context.Context, cfg *pgx.ConnConfig, changed func()) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ContentChannel); err != nil {
		return false, err
	}
	// What changed between the last notification seen and LISTEN taking
	// effect is caught by this call.
	changed()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return true, err
		}
		changed()
	}
}
