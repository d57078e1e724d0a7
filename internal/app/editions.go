package app

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
)

func init() {
	commands["import"] = &command{
		summary: "Import JSON bundles of editions with the outlets, people, authors and series they need.\n" +
			"All files are validated, then written in one transaction: a bad file writes nothing.",
		usage: "FILE...",
		flags: []string{"database", "log-level"},
		run:   runImport,
	}
	var all bool
	var out string
	commands["export"] = &command{
		summary: "Export editions as a JSON bundle (export → import → export is byte-identical).",
		usage:   "SLUG... | --all",
		flags:   []string{"database", "log-level"},
		setup: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "export every edition")
			fs.StringVar(&out, "o", "", "write to this file instead of standard output")
		},
		run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
			return runExport(ctx, e, fs.Args(), all, out)
		},
	}
	var format string
	commands["render"] = &command{
		summary: "Print an edition from the store as plain text, Markdown or HTML.",
		usage:   "SLUG",
		flags:   []string{"database", "log-level"},
		setup: func(fs *flag.FlagSet) {
			fs.StringVar(&format, "format", "text", "output format: text, markdown or html")
		},
		run: func(ctx context.Context, e *env, fs *flag.FlagSet) error {
			if fs.NArg() != 1 {
				return fmt.Errorf("%w: render takes one edition slug", ErrUsage)
			}
			db, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			page, err := reviews.LoadPage(ctx, db, fs.Arg(0))
			if err != nil {
				return err
			}
			w := bufio.NewWriter(e.stdout)
			if err := reviews.Render(w, page, reviews.Format(format)); err != nil {
				return err
			}
			return w.Flush()
		},
	}
}

func runImport(ctx context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: import needs at least one FILE", ErrUsage)
	}
	// Decode and validate every file before writing anything, so a typo in
	// the last file does not leave the first ones half imported.
	bundles := make([]*exchange.Bundle, fs.NArg())
	for i, name := range fs.Args() {
		raw, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if bundles[i], err = exchange.Decode(name, raw); err != nil {
			return err
		}
	}
	db, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// One transaction for all files: a later file may name an earlier
	// file's outlets, and a failure anywhere writes nothing at all.
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for i, name := range fs.Args() {
			if err := exchange.ImportTx(ctx, tx, name, bundles[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, name := range fs.Args() {
		b := bundles[i]
		fmt.Fprintf(e.stdout, "imported %s: %d outlets, %d people, %d authors, %d series, %d editions\n",
			name, len(b.Outlets), len(b.People), len(b.Authors), len(b.Series), len(b.Editions))
	}
	return nil
}

func runExport(ctx context.Context, e *env, slugs []string, all bool, out string) error {
	if all == (len(slugs) > 0) {
		return fmt.Errorf("%w: export takes edition slugs or --all", ErrUsage)
	}
	db, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if all {
		list, err := reviews.ListEditions(ctx, db)
		if err != nil {
			return err
		}
		for _, s := range list {
			slugs = append(slugs, s.Slug)
		}
	}
	b, err := exchange.Export(ctx, db, slugs)
	if err != nil {
		return err
	}
	if out == "" {
		return exchange.Encode(e.stdout, b)
	}
	// Write beside the target and rename, so an interrupted export never
	// leaves a truncated file where a good one was.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".export-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := exchange.Encode(tmp, b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
