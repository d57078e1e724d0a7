// Package storetest runs one test body against every store pressreview
// supports: a fresh SQLite file always, and a fresh PostgreSQL database when
// PRESSREVIEW_TEST_POSTGRES holds a server URL. With CI set, a missing or
// unreachable PostgreSQL server fails the test instead of skipping it, so a
// green CI run always means both stores were exercised.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pressreview/pressreview/internal/store"
)

// EnvPostgres names the variable that holds the PostgreSQL server URL.
const EnvPostgres = "PRESSREVIEW_TEST_POSTGRES"

// Each calls fn in a subtest named after the dialect, with a migrated, empty
// database of that dialect.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated database in a fresh file under t.TempDir.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// Postgres returns a migrated database on a throwaway PostgreSQL database
// that is dropped when the test ends.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	return open(t, NewPostgresURL(t))
}

// NewPostgresURL creates an empty database on the test server and returns
// its URL; the database is dropped when the test ends. It skips the test (or
// fails it under CI) when no server is configured or reachable.
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		unavailable(t, EnvPostgres+" is not set")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		unavailable(t, "PostgreSQL at "+EnvPostgres+" cannot be reached: "+err.Error())
	}
	defer admin.Close(ctx)
	name := "pressreview_test_" + randomHex(6)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	return u.String()
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so the PostgreSQL store tests must run: %s", why)
	}
	t.Skip(why)
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
