package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// The schema lives in versioned SQL files, one directory per dialect, so
// each engine gets its own types (identity columns, timestamptz) while the
// tables, names and constraints stay the same. Packages that add tables add
// a numbered file to both directories.
//
//go:embed migrations
var migrations embed.FS

// Migrate brings the schema to the newest version. It is safe to run on
// every start: applied versions are recorded and skipped.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	p, err := db.migrator()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	var applied []string
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}
	if err != nil {
		return applied, fmt.Errorf("migrate %s: %w", db.d, err)
	}
	return applied, nil
}

// MigrationStatus reports the schema version and whether migrations are pending.
func (db *DB) MigrationStatus(ctx context.Context) (current int64, pending bool, err error) {
	p, err := db.migrator()
	if err != nil {
		return 0, false, err
	}
	if current, err = p.GetDBVersion(ctx); err != nil {
		return 0, false, err
	}
	pending, err = p.HasPending(ctx)
	return current, pending, err
}

func (db *DB) migrator() (*goose.Provider, error) {
	dir, gd := "migrations/sqlite", goose.DialectSQLite3
	if db.d == Postgres {
		dir, gd = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	// Out-of-order application lets a migration numbered below one that is
	// already applied (work from parallel branches) still run, once.
	return goose.NewProvider(gd, db.SQL, sub, goose.WithAllowOutofOrder(true))
}
