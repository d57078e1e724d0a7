package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
)

func (e *env) importCommand() *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import [--dry-run] FILE...",
		Short: "Import JSON bundles of editions with the outlets, people, authors and series they need",
		Long: "Import JSON bundles of editions with the outlets, people, authors and series they need.\n" +
			"All files are validated, then written in one transaction: a bad file writes nothing.\n" +
			"Stored outlets, people, authors, series and editions the files change are listed, with\n" +
			"the other editions whose text changes with them.",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: cli.Files,
		RunE:              func(cmd *cobra.Command, args []string) error { return runImport(cmd.Context(), e, args, dryRun) },
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "report what the import would change, and write nothing")
	return e.settings(cmd, "database")
}

// errDryRun rolls back the transaction of a dry-run import.
var errDryRun = errors.New("dry run")

func (e *env) exportCommand() *cobra.Command {
	var all bool
	var out string
	cmd := &cobra.Command{
		Use:   "export (SLUG... | --all) [-o FILE]",
		Short: "Export editions as a JSON bundle (export → import → export is byte-identical)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), e, args, all, out)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "export every edition")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return e.settings(cmd, "database")
}

func (e *env) renderCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "render SLUG",
		Short: "Print an edition from the store as plain text, Markdown or HTML",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			page, err := reviews.LoadPage(ctx, db, args[0])
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
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or html")
	return e.settings(cmd, "database")
}

func runImport(ctx context.Context, e *env, files []string, dryRun bool) error {
	// Decode and validate every file before writing anything, so a typo in
	// the last file does not leave the first ones half imported.
	bundles := make([]*exchange.Bundle, len(files))
	for i, name := range files {
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
	reports := make([]*exchange.Report, len(files))
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for i, name := range files {
			if reports[i], err = exchange.ImportTx(ctx, tx, name, bundles[i]); err != nil {
				return err
			}
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return err
	}
	verb := "imported"
	if dryRun {
		verb = "would import (dry run, nothing written)"
	}
	for i, name := range files {
		fmt.Fprintf(e.stdout, "%s %s: %s\n", verb, name, importSummary(bundles[i]))
		for _, c := range reports[i].Changes {
			fmt.Fprintf(e.stdout, "  changes %s\n", c)
		}
	}
	return nil
}

func runExport(ctx context.Context, e *env, slugs []string, all bool, out string) error {
	if all == (len(slugs) > 0) {
		return cli.Usagef("export takes edition slugs or --all")
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
	// CreateTemp makes the file 0600; a bundle is shared like any file the
	// user writes, and an existing target keeps its mode.
	mode := os.FileMode(0o644)
	if st, err := os.Stat(out); err == nil {
		mode = st.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %s to %s\n", cli.Count(len(b.Editions), "edition", "editions"), out)
	return nil
}

// importSummary counts what a bundle holds, in words.
func importSummary(b *exchange.Bundle) string {
	var parts []string
	for _, k := range []struct {
		n         int
		one, many string
	}{
		{len(b.Outlets), "outlet", "outlets"},
		{len(b.People), "person", "people"},
		{len(b.Authors), "author", "authors"},
		{len(b.Series), "series", "series"},
		{len(b.Editions), "edition", "editions"},
		{len(b.Analyses), "analysis", "analyses"},
		{len(b.Events), "event", "events"},
		{len(b.Images), "image", "images"},
		{len(b.Tags), "tag", "tags"},
	} {
		parts = append(parts, cli.Count(k.n, k.one, k.many))
	}
	return strings.Join(parts, ", ")
}
