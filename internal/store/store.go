// Package store opens pressreview's database — embedded SQLite or PostgreSQL —
// runs its migrations and hides the few differences between the two dialects.
//
// Domain packages write plain SQL with `?` placeholders and call DB or Tx
// methods; the store rewrites placeholders for PostgreSQL. Everything else
// (RETURNING, ON CONFLICT upserts, CHECK constraints) is written once in SQL
// that both engines accept.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database: a database/sql pool plus its dialect. On
// PostgreSQL it also keeps the pgx pool that the job queue needs.
type DB struct {
	SQL *sql.DB
	d   Dialect
	// Pool is the native pgx pool on PostgreSQL (nil on SQLite); the job
	// queue's driver requires it.
	Pool *pgxpool.Pool
	// Path is the database file on SQLite ("" on PostgreSQL).
	Path string

	// stmts keeps statements prepared on SQLite (nil on PostgreSQL).
	stmts *stmtCache

	queueOnce sync.Once
	queue     *sql.DB // SQLite only: the job queue's own single connection
	queueErr  error
}

// ParseURL checks a PRESSREVIEW_DATABASE value and returns its dialect:
// "sqlite:PATH" (also "sqlite://PATH") or a "postgres://" / "postgresql://" URL.
func ParseURL(dsn string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return "", "", fmt.Errorf("database URL %q: %v", redact(dsn), err)
		}
		return Postgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return "", "", fmt.Errorf("database %q: sqlite: needs a file path, as in sqlite:pressreview.db", dsn)
		}
		return SQLite, path, nil
	default:
		return "", "", fmt.Errorf("database %q: want sqlite:PATH or a postgres:// URL", redact(dsn))
	}
}

// redact hides a password in a URL before it goes into an error message.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Open connects to the database named by dsn and checks that it answers. It
// does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	dialect, target, err := ParseURL(dsn)
	if err != nil {
		return nil, err
	}
	switch dialect {
	case SQLite:
		return openSQLite(ctx, target)
	default:
		return openPostgres(ctx, target)
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("database sqlite:%s: %w", path, err)
		}
	}
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("database sqlite:%s: %w", path, err)
	}
	// A handful of connections: SQLite serializes writers anyway, and more
	// connections only add lock contention.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database sqlite:%s: %w", path, err)
	}
	return &DB{SQL: db, d: SQLite, Path: path, stmts: newStmtCache(db)}, nil
}

// sqliteDSN sets every connection up alike. WAL lets readers proceed while a
// writer works; busy_timeout makes a writer wait for the lock instead of
// failing with SQLITE_BUSY, and comes first because the driver runs the
// pragmas in order and journal_mode may need a lock too; _txlock=immediate
// takes the write lock at BEGIN so two writers never deadlock upgrading
// read locks; _time_format keeps timestamps as sortable text.
func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %v", redact(dsn), err)
	}
	// JIT compilation pays off for long analytic queries, not for a desk's
	// page-sized ones: on a million articles PostgreSQL's cost estimates
	// for a prepared lookup cross jit_above_cost and it spends 15–35 ms
	// compiling a query that runs in 0.2 ms. A DSN that sets jit wins.
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", redact(dsn), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database %s cannot be reached: %w", redact(dsn), err)
	}
	return &DB{SQL: stdlib.OpenDBFromPool(pool), d: Postgres, Pool: pool}, nil
}

// QueueSQL returns the pool the job queue should use. On SQLite it is a
// separate pool of one connection: River runs many small operations in
// parallel, which on a shared pool would hold SQLite's single write lock in
// turn and starve the site's readers and writers; one connection serializes
// them instead. On PostgreSQL it is the main pool.
func (db *DB) QueueSQL() (*sql.DB, error) {
	if db.d == Postgres {
		return db.SQL, nil
	}
	db.queueOnce.Do(func() {
		db.queue, db.queueErr = sql.Open("sqlite", sqliteDSN(db.Path))
		if db.queueErr != nil {
			db.queueErr = fmt.Errorf("database sqlite:%s: job queue pool: %w", db.Path, db.queueErr)
			return
		}
		db.queue.SetMaxOpenConns(1)
	})
	return db.queue, db.queueErr
}

// Close closes the pools.
func (db *DB) Close() error {
	if db.queue != nil {
		db.queue.Close()
	}
	if db.stmts != nil {
		db.stmts.close()
	}
	err := db.SQL.Close()
	if db.Pool != nil {
		db.Pool.Close()
	}
	return err
}

// Querier is what DB and Tx have in common, so domain functions can run
// either inside or outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

// Rebind rewrites `?` placeholders to `$1, $2, …` for PostgreSQL. It skips
// question marks inside quoted strings and identifiers.
func Rebind(d Dialect, query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ExecContext runs a statement with `?` placeholders.
func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if s := db.prepared(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return db.SQL.ExecContext(ctx, Rebind(db.d, q), args...)
}

// QueryContext runs a query with `?` placeholders.
func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := db.prepared(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return db.SQL.QueryContext(ctx, Rebind(db.d, q), args...)
}

// QueryRowContext runs a single-row query with `?` placeholders.
func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := db.prepared(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return db.SQL.QueryRowContext(ctx, Rebind(db.d, q), args...)
}

// prepared is q's cached statement on SQLite, nil on PostgreSQL.
func (db *DB) prepared(ctx context.Context, q string) *sql.Stmt {
	if db.stmts == nil {
		return nil
	}
	return db.stmts.get(ctx, q)
}

// Dialect reports the engine.
func (db *DB) Dialect() Dialect { return db.d }

// Tx is a transaction that rebinds placeholders like DB.
type Tx struct {
	tx    *sql.Tx
	d     Dialect
	stmts *stmtCache // the DB's, nil on PostgreSQL
}

// ExecContext runs a statement with `?` placeholders.
func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if s := t.prepared(ctx, q); s != nil {
		defer s.Close()
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, Rebind(t.d, q), args...)
}

// QueryContext runs a query with `?` placeholders.
func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := t.prepared(ctx, q); s != nil {
		defer s.Close() // the rows keep the connection's statement
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, Rebind(t.d, q), args...)
}

// QueryRowContext runs a single-row query with `?` placeholders.
func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := t.prepared(ctx, q); s != nil {
		defer s.Close()
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, Rebind(t.d, q), args...)
}

// prepared is q's cached statement bound to the transaction, which
// database/sql runs on the transaction's connection, preparing it there
// only the first time; nil on PostgreSQL, and on a miss, when a query
// seen before is prepared in the background for the next call.
func (t *Tx) prepared(ctx context.Context, q string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	s, repeat := t.stmts.lookup(q)
	if s == nil {
		if repeat {
			t.stmts.prepareLater(q)
		}
		return nil
	}
	return t.tx.StmtContext(ctx, s)
}

// Dialect reports the engine.
func (t *Tx) Dialect() Dialect { return t.d }

// SQLTx exposes the underlying transaction, for the job queue to enqueue
// jobs atomically with the domain writes that cause them.
func (t *Tx) SQLTx() *sql.Tx { return t.tx }

// InTx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise (also on panic), so a failed import or edit writes nothing.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) (err error) {
	sqlTx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{tx: sqlTx, d: db.d, stmts: db.stmts}); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ErrNotFound is returned by lookups that find no row.
var ErrNotFound = errors.New("not found")

// Column reads a result of one column — the ids a query selected or an
// UPDATE … RETURNING id claimed, the keys of a join — and closes rows.
func Column[T any](rows *sql.Rows) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Exclusive runs fn while no other process holds the lock of that name:
// on PostgreSQL a session advisory lock held on a connection of its own,
// so that instances starting together migrate the schema and rebuild the
// index one after the other, not side by side. On SQLite, one file and one
// desk, fn simply runs.
func (db *DB) Exclusive(ctx context.Context, name string, fn func() error) error {
	if db.d != Postgres {
		return fn()
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext($1))`, name); err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, name); err != nil {
			// A session that could not unlock must not go back to the
			// pool still holding the lock: a bad connection is closed,
			// and a closed session drops its advisory locks.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return fn()
}
