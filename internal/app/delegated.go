package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// Commands whose flags and subcommands belong to a domain package.
func init() {
	for name, summary := range ingest.Commands {
		commands[name] = &command{
			summary:     summary,
			usage:       "SUBCOMMAND [flags] [args]",
			flags:       []string{"database", "data-dir", "log-level"},
			passthrough: true,
			run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
				cfg, err := e.ingestConfig()
				if err != nil {
					return err
				}
				return e.withStore(ctx, func(db *store.DB) error {
					err := ingest.RunCLI(ctx, db, cfg, append([]string{name}, fs.Args()...), e.stdout, e.stderr)
					return asUsage(err, ingest.ErrUsage)
				})
			},
		}
	}
	for _, name := range []string{"users", "tokens"} {
		commands[name] = &command{
			summary: "Manage staff " + name + " (pressreview " + name + " help for the subcommands).\n" +
				"Passwords are read from PRESSREVIEW_NEW_PASSWORD or the first line of standard input.",
			usage:       "SUBCOMMAND [args]",
			flags:       []string{"database", "log-level"},
			passthrough: true,
			run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
				return e.withStore(ctx, func(db *store.DB) error {
					err := accounts.RunCLI(ctx, db, append([]string{name}, fs.Args()...), os.Stdin, e.stdout)
					return asUsage(err, accounts.ErrUsage)
				})
			},
		}
	}
	for _, name := range []string{"campaigns", "subscribers"} {
		commands[name] = &command{
			summary:     "Manage newsletter " + name + " (pressreview " + name + " help for the subcommands).",
			usage:       "SUBCOMMAND [args]",
			flags:       []string{"database", "site-url", "log-level"},
			passthrough: true,
			run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
				return runNewsletterCLI(ctx, e, append([]string{name}, fs.Args()...))
			},
		}
	}
	commands["topics"] = &command{
		summary:     "Saved topics and their alerts (pressreview topics help for the subcommands).",
		usage:       "SUBCOMMAND [args]",
		flags:       []string{"database", "log-level"},
		passthrough: true,
		run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
			return e.withStore(ctx, func(db *store.DB) error { return search.RunTopicsCLI(ctx, db, fs.Args(), e.stdout) })
		},
	}
	commands["search"] = &command{
		summary: "Search the archive (Persian, Arabic and English); see docs/search.md for the query language.\n" +
			"Flags: -json -sort relevance|newest -limit N -cursor C -facets -coverage day|week -by orientation|outlet|lang -svg -terms",
		usage:       "[search flags] QUERY",
		flags:       []string{"database", "log-level"},
		passthrough: true,
		run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
			return e.withStore(ctx, func(db *store.DB) error { return search.RunCLI(ctx, db, fs.Args(), e.stdout) })
		},
	}
}

// runNewsletterCLI gives the newsletter's commands a service whose job
// queue can enqueue; `campaigns send -work` runs senders in this process.
func runNewsletterCLI(ctx context.Context, e *env, args []string) error {
	if len(args) < 2 || args[1] == "help" || args[1] == "-h" || args[1] == "--help" {
		fmt.Fprintln(e.stdout, newsletter.CLIUsage)
		return nil
	}
	nl, err := e.cfg.Newsletter(hostOf(e.cfg.SiteURL))
	if err != nil {
		return err
	}
	return e.withStore(ctx, func(db *store.DB) error {
		d, err := e.openDesk(db, nl)
		if err != nil {
			return err
		}
		defer d.Close()
		return newsletter.RunCLI(ctx, d.letters, args, e.stdout)
	})
}

// withStore runs fn with the configured database, opened and migrated.
func (e *env) withStore(ctx context.Context, fn func(*store.DB) error) error {
	db, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// asUsage marks a domain package's command-line mistake as ErrUsage, so
// main exits 2 for it.
func asUsage(err, pkgUsage error) error {
	if errors.Is(err, pkgUsage) {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	return err
}
