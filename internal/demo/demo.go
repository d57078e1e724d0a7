// Package demo holds the newcomer's desk: the seed edition of the Iran Media
// Review with its outlets, people and author, a roster of other real
// Iranian outlets with their orientations, analyses and events written for
// the demo with pictures drawn in Go, and a press on loopback (package
// press) whose feeds the desk's real intake polls while the demo runs.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store"
)

//go:embed data/*.json
var data embed.FS

// SeedSlug is the slug of the seed edition.
const SeedSlug = "russian-nuclear-mediation-a-nonstarter"

// Load imports every demo bundle, roster first, each in its own
// transaction, and the newsletter lists. Tests of other packages use it
// as a realistic desk; Prepare adds the demo's own analyses and events.
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
		if _, err := exchange.Import(ctx, db, name, b); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		for _, l := range lists {
			if err := newsletter.SaveList(ctx, tx, &l); err != nil {
				return fmt.Errorf("demo data: %w", err)
			}
		}
		return nil
	})
}

// lists are the newsletters a reader of the demo site can subscribe to.
var lists = []newsletter.List{
	{Key: "iran-media-review", Name: "Iran Media Review", Description: "The weekly review of the Iranian press.", Public: true},
	{Key: "analysis", Name: "Analysis", Description: "New analyses as they are published.", Public: true},
	{Key: "events", Name: "Events", Description: "Invitations to our events and their recordings.", Public: true},
}

// Bundle returns a demo bundle file's bytes, for tests.
func Bundle(name string) ([]byte, error) { return data.ReadFile("data/" + name) }
