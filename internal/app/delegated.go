package app

import (
	"context"
	"flag"

	"github.com/pressreview/pressreview/internal/search"
)

// Commands whose flags and subcommands belong to a domain package.
func init() {
	commands["search"] = &command{
		summary: "Search the archive (Persian, Arabic and English); see docs/search.md for the query language.\n" +
			"Flags: -json -sort relevance|newest -limit N -cursor C -facets -coverage day|week -by orientation|outlet|lang -svg -terms",
		usage:       "[search flags] QUERY",
		flags:       []string{"database", "log-level"},
		passthrough: true,
		run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
			db, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			return search.RunCLI(ctx, db, fs.Args(), e.stdout)
		},
	}
}
