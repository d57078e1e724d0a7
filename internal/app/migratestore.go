package app

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/migratestore"
	"github.com/pressreview/pressreview/internal/store"
)

func (e *env) migrateStoreCommand() *cobra.Command {
	var from, fromData string
	cmd := &cobra.Command{
		Use:   "migrate-store --from sqlite:PATH [--from-data-dir DIR] --database postgres://… [--blobs s3://…]",
		Short: "Move an embedded desk (SQLite and its WARC files) to PostgreSQL and a blob store, for several instances",
		Long: "Copies every table of the embedded desk — articles, captures, clips, editions and their versions,\n" +
			"analyses, events, subscribers and the consent ledger, campaigns and deliveries, staff and tokens —\n" +
			"into an empty PostgreSQL database in one transaction, after uploading its WARC files to the blob\n" +
			"store (--blobs; without it, to --data-dir), then rebuilds the search index. A target that already\n" +
			"holds a desk is refused. Stop the embedded desk first: what it writes meanwhile is not copied.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if !strings.HasPrefix(from, "sqlite:") {
				return cli.Usagef("--from: %q is not a sqlite:PATH database", from)
			}
			if d, _, err := store.ParseURL(e.cfg.Database); err != nil || d != store.Postgres {
				return cli.Usagef("--database / PRESSREVIEW_DATABASE: the target must be a postgres:// database, not %q", e.cfg.Database)
			}
			src, err := store.Open(ctx, from)
			if err != nil {
				return err
			}
			defer src.Close()
			if err := migrate(ctx, src, e.log); err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			dst, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer dst.Close()
			bucket, err := blobs.OpenBucket(e.cfg.Blobs, e.cfg.DataDir)
			if err != nil {
				return err
			}
			rep, err := migratestore.Run(ctx, migratestore.Options{From: src, To: dst, FromDataDir: fromData,
				Blobs: bucket, Progress: e.stdout})
			if err != nil {
				return err
			}
			var rows int64
			for _, n := range rep.Tables {
				rows += n
			}
			fmt.Fprintf(e.stdout, "moved %s in %s, %s (%s), search index rebuilt for %s\n",
				cli.Count(rows, "row", "rows"), cli.Count(len(rep.Tables), "table", "tables"),
				cli.Count(rep.Files, "WARC file", "WARC files"), humanBytes(rep.Bytes), cli.Count(rep.Indexed, "article", "articles"))
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the embedded desk's database, sqlite:PATH (required)")
	cmd.Flags().StringVar(&fromData, "from-data-dir", "data", "the embedded desk's data directory (its WARC files are in DIR/warc)")
	return e.settings(cmd, "database", "blobs", "data-dir")
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
