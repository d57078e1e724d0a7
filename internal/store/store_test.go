package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in      string
		dialect store.Dialect
		target  string
		err     string
	}{
		{in: "sqlite:pressreview.db", dialect: store.SQLite, target: "pressreview.db"},
		{in: "sqlite:///var/lib/pr.db", dialect: store.SQLite, target: "/var/lib/pr.db"},
		{in: "postgres://u:p@localhost/db", dialect: store.Postgres, target: "postgres://u:p@localhost/db"},
		{in: "sqlite:", err: "needs a file path"},
		{in: "mysql://u:secret@x/db", err: "want sqlite:PATH or a postgres:// URL"},
	} {
		d, target, err := store.ParseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseURL(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseURL(%q) error leaks the password: %v", tc.in, err)
			}
			continue
		}
		if err != nil || d != tc.dialect || target != tc.target {
			t.Errorf("ParseURL(%q) = %v, %q, %v", tc.in, d, target, err)
		}
	}
}

func TestRebind(t *testing.T) {
	got := store.Rebind(store.Postgres, `SELECT '?', "a?" FROM t WHERE a = ? AND b = ?`)
	want := `SELECT '?', "a?" FROM t WHERE a = $1 AND b = $2`
	if got != want {
		t.Errorf("Rebind = %s, want %s", got, want)
	}
	if q := "SELECT ? "; store.Rebind(store.SQLite, q) != q {
		t.Error("Rebind changed a SQLite query")
	}
}

func TestOpenUnreachablePostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err := store.Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("Open on a closed port: err = %v, want 'cannot be reached'", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error leaks the password: %v", err)
	}
}

// TestTransactions checks, on both stores, that migrations are idempotent,
// that InTx rolls back on error, and that timestamps round-trip in UTC.
func TestTransactions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if applied, err := db.Migrate(ctx); err != nil || len(applied) != 0 {
			t.Fatalf("second Migrate = %v, %v; want nothing applied", applied, err)
		}
		if _, pending, err := db.MigrationStatus(ctx); err != nil || pending {
			t.Fatalf("MigrationStatus pending=%v err=%v", pending, err)
		}
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO series (key, name) VALUES (?, ?)`, "rolled-back", "X"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v, want boom", err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM series`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("after rollback: %d series, err %v", n, err)
		}

		at := time.Date(2025, 3, 7, 14, 0, 0, 0, time.FixedZone("IRST", 3*3600+1800))
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO series (key, name) VALUES ('s', 'S')`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO editions (slug, series_id, edition_date, title, status, publish_at)
				SELECT 'e', id, '2025-03-07', 'T', 'published', ? FROM series WHERE key = 's'`, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var got time.Time
		if err := db.QueryRowContext(ctx, `SELECT publish_at FROM editions WHERE slug = 'e'`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(at) {
			t.Errorf("publish_at = %v, want %v", got, at)
		}
	})
}

// TestExclusive: on PostgreSQL a second holder of the lock waits until the
// first lets go (seen in pg_locks, not by timing); on SQLite fn just runs.
func TestExclusive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ran := false
		if err := db.Exclusive(ctx, "test lock", func() error { ran = true; return nil }); err != nil || !ran {
			t.Fatalf("Exclusive ran=%v err=%v", ran, err)
		}
		boom := errors.New("boom")
		if err := db.Exclusive(ctx, "test lock", func() error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("Exclusive error = %v, want boom", err)
		}
		if db.Dialect() != store.Postgres {
			return
		}
		entered, release, second := make(chan struct{}), make(chan struct{}), make(chan struct{})
		go db.Exclusive(ctx, "test lock", func() error { close(entered); <-release; return nil })
		<-entered
		go func() {
			db.Exclusive(ctx, "test lock", func() error { close(second); return nil })
		}()
		for waiting := 0; waiting == 0; {
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks
				WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = (hashtext('test lock')::bigint & 4294967295)
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case <-second:
			t.Fatal("the second holder ran while the first held the lock")
		default:
		}
		close(release)
		<-second
	})
}
