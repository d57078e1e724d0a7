package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestStatementCache runs cached statements inside and outside
// transactions, a rolled-back transaction, an error from a cached
// statement, and more distinct queries than the cache keeps.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO t (v) VALUES (?) RETURNING id`
	// A call outside a transaction prepares the insert at once; the
	// update misses in the first transaction and is prepared in the
	// background. Both then serve the transactions on any connection.
	var first int64
	db.stmts.lookup(insert) // seen once before: the next call prepares it
	if err := db.QueryRowContext(ctx, insert, "a0").Scan(&first); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE t SET v = v || '!' WHERE id = ?`, first); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 50; i++ {
		err := db.InTx(ctx, func(tx *Tx) error {
			var id int64
			if err := tx.QueryRowContext(ctx, insert, fmt.Sprint("a", i)).Scan(&id); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE t SET v = v || '!' WHERE id = ?`, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if s, _ := db.stmts.lookup(insert); s == nil {
		t.Error("the insert was not cached")
	}
	// A rolled-back transaction leaves nothing, cached statement or not.
	boom := errors.New("boom")
	err = db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, "rolled back"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v", err)
	}
	// A constraint error comes back from the cached statement.
	if _, err := db.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, "a0!"); err == nil {
		t.Error("duplicate value inserted")
	}
	// Rows open on one cached query while other statements run.
	rows, err := db.QueryContext(ctx, `SELECT id, v FROM t ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint("a", n, "!"); v != want {
			t.Errorf("row %d: %q, want %q", id, v, want)
		}
		var got string
		if err := db.QueryRowContext(ctx, `SELECT v FROM t WHERE id = ?`, id).Scan(&got); err != nil || got != v {
			t.Errorf("lookup of %d: %q, %v", id, got, err)
		}
		n++
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if n != 50 {
		t.Errorf("%d rows, want 50", n)
	}
	// More distinct queries than the cache holds, each run twice:
	// evicted statements are closed, and every query still answers.
	for i := range stmtCacheSize + 100 {
		for range 2 {
			var got int
			if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) + %d FROM t`, i)).Scan(&got); err != nil || got != 50+i {
				t.Fatalf("query %d: %d, %v", i, got, err)
			}
		}
	}
	// A query run once is not prepared.
	const once = `SELECT COUNT(*) + 1000000 FROM t`
	if err := db.QueryRowContext(ctx, once).Scan(new(int)); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.stmts.lookup(once); s != nil {
		t.Error("a query run once was prepared")
	}
	if l := db.stmts.lru.Len(); l > stmtCacheSize {
		t.Errorf("cache holds %d statements, bound %d", l, stmtCacheSize)
	}
}

// BenchmarkStatementCache runs the statements of a typical store
// transaction — an upsert returning its id, an update and a lookup —
// through the DB's methods (cached statements) and through database/sql
// with query text (prepared again on every call):
//
//	go test -run '^$' -bench StatementCache ./internal/store/
func BenchmarkStatementCache(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, n INTEGER NOT NULL DEFAULT 0,
		a TEXT NOT NULL DEFAULT '', b TEXT NOT NULL DEFAULT '', c TIMESTAMP)`); err != nil {
		b.Fatal(err)
	}
	const (
		upsert = `INSERT INTO t (k, a, b, c) VALUES (?, ?, ?, CURRENT_TIMESTAMP)
			ON CONFLICT (k) DO UPDATE SET n = t.n + 1, a = excluded.a RETURNING id`
		update = `UPDATE t SET b = ?, c = CURRENT_TIMESTAMP WHERE id = ? AND n >= 0`
		lookup = `SELECT id, k, n, a, b FROM t WHERE id = ?`
	)
	work := func(b *testing.B, q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	}, i int) {
		var id int64
		if err := q.QueryRowContext(ctx, upsert, fmt.Sprint("key", i%1000), "a", "b").Scan(&id); err != nil {
			b.Fatal(err)
		}
		if _, err := q.ExecContext(ctx, update, "bb", id); err != nil {
			b.Fatal(err)
		}
		var k, a, bb string
		var n int
		if err := q.QueryRowContext(ctx, lookup, id).Scan(&id, &k, &n, &a, &bb); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("cached", func(b *testing.B) {
		defer reportCPU(b)()
		for i := 0; b.Loop(); i++ {
			err := db.InTx(ctx, func(tx *Tx) error { work(b, tx, i); return nil })
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prepared-each-call", func(b *testing.B) {
		defer reportCPU(b)()
		for i := 0; b.Loop(); i++ {
			tx, err := db.SQL.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			work(b, tx, i)
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the process's CPU time per operation, steadier than
// wall time on a shared machine; call the function it returns at the end.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64((cpu()-start).Microseconds())/float64(b.N), "cpu-µs/op") }
}

// TestCloseEndsBackgroundPrepares closes the database right after
// transactions have queued background prepares. Close must wait for them:
// a prepare still opening a connection after the pool closed recreated the
// -wal and -shm files while a test's temporary directory was being removed
// ("directory not empty"), and left its statement open.
func TestCloseEndsBackgroundPrepares(t *testing.T) {
	ctx := context.Background()
	for round := range 20 {
		dir := t.TempDir()
		db, err := Open(ctx, "sqlite:"+filepath.Join(dir, "close.db"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
			t.Fatal(err)
		}
		// Each query comes twice inside a transaction, so the second
		// time queues a prepare in the background.
		err = db.InTx(ctx, func(tx *Tx) error {
			for i := range 40 {
				q := fmt.Sprintf(`SELECT count(*) + %d FROM t`, i)
				for range 2 {
					var n int
					if err := tx.QueryRowContext(ctx, q).Scan(&n); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if len(db.stmts.pending) != 0 || db.stmts.lru.Len() != 0 {
			t.Fatalf("round %d: after Close, %d prepares pending and %d statements cached", round, len(db.stmts.pending), db.stmts.lru.Len())
		}
		// The last connection's close removes the WAL and shared-memory
		// files; nothing may bring them back.
		time.Sleep(5 * time.Millisecond)
		if left, _ := filepath.Glob(filepath.Join(dir, "close.db-*")); len(left) != 0 {
			t.Fatalf("round %d: after Close, %v left beside the database", round, left)
		}
	}
}
