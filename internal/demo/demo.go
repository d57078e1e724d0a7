// Package demo holds the newcomer's desk: the seed edition of the Iran Media
// Review with its outlets, people and author, plus a roster of other real
// Iranian outlets with their orientations.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/store"
)

//go:embed data/*.json
var data embed.FS

// SeedSlug is the slug of the seed edition.
const SeedSlug = "russian-nuclear-mediation-a-nonstarter"

// Load imports every demo bundle, roster first, each in its own transaction.
func Load(ctx context.Context, db *store.DB) error {
	names, err := fs.Glob(data, "data/*.json")
	if err != nil {
		return err
	}
	// The roster goes first: editions may name its outlets.
	sort.SliceStable(names, func(i, j int) bool {
		return names[i] == "data/outlets.json" && names[j] != names[i]
	})
	for _, name := range names {
		raw, err := data.ReadFile(name)
		if err != nil {
			return err
		}
		b, err := exchange.Decode(name, raw)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if err := exchange.Import(ctx, db, name, b); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	return nil
}

// Bundle returns a demo bundle file's bytes, for tests.
func Bundle(name string) ([]byte, error) { return data.ReadFile("data/" + name) }
