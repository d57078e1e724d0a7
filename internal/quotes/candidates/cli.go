package candidates

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// Commands returns `people`: show who said what. with runs a command's
// work on the configured store once the flags are parsed.
func Commands(with func(ctx context.Context, fn func(*store.DB) error) error) []*cobra.Command {
	var asJSON bool
	show := &cobra.Command{
		Use:   "show KEY [--json]",
		Short: "Who said what: a person's quotes by month and camp, then the quotes, newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return with(cmd.Context(), func(db *store.DB) error {
				return show(cmd.Context(), db, cmd.OutOrStdout(), args[0], asJSON)
			})
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print the person and their quotes as one JSON object")
	var limit int
	backfill := &cobra.Command{
		Use:   "backfill [--limit N]",
		Short: "Find the quotes of articles stored before the quote finder ran at ingest, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return with(cmd.Context(), func(db *store.DB) error {
				n, err := Backfill(cmd.Context(), db, limit)
				fmt.Fprintf(cmd.OutOrStdout(), "%s scanned for quotes\n", cli.Count(n, "article", "articles"))
				return err
			})
		},
	}
	backfill.Flags().IntVar(&limit, "limit", 0, "scan at most N articles (0: all that need it)")
	return []*cobra.Command{
		cli.Group(&cobra.Command{Use: "people", Short: "The people the desk quotes: who said what"}, show, backfill),
	}
}

func show(ctx context.Context, db *store.DB, w io.Writer, key string, asJSON bool) error {
	p, err := outlets.PersonByKey(ctx, db, strings.ToLower(strings.TrimSpace(key)))
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no person has the key %q (the studio lists them at /studio/people)", key)
	}
	if err != nil {
		return err
	}
	qs, err := ForPerson(ctx, db, p)
	if err != nil {
		return err
	}
	if asJSON {
		if qs == nil {
			qs = []Quote{}
		}
		return json.NewEncoder(w).Encode(map[string]any{"person": p, "quotes": qs})
	}
	return WriteText(w, p, qs)
}

// WriteText prints p's quotes for a terminal: a table of quotes by month
// and camp with a bar of the month's total, then the quotes, newest first.
func WriteText(w io.Writer, p outlets.Person, qs []Quote) error {
	fmt.Fprintf(w, "%s", p.Name)
	if p.NativeName != "" {
		fmt.Fprintf(w, " (%s)", p.NativeName)
	}
	if p.Role != "" {
		fmt.Fprintf(w, ", %s", p.Role)
	}
	fmt.Fprintf(w, "\n%s\n", cli.Count(len(qs), "quote", "quotes"))
	if len(qs) == 0 {
		fmt.Fprintln(w, "No quotes found or clipped yet.")
		return nil
	}
	c := ChartOf(qs)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "month\t")
	for _, camp := range c.Camps {
		fmt.Fprintf(tw, "%s\t", camp)
	}
	fmt.Fprint(tw, "total\t\n")
	const width = 30
	for i, month := range c.Months {
		fmt.Fprintf(tw, "%s\t", month)
		sum := 0
		for _, n := range c.Counts[i] {
			fmt.Fprintf(tw, "%d\t", n)
			sum += n
		}
		// The bar is left-aligned after the table's last column.
		fmt.Fprintf(tw, "%d\t %s\n", sum, strings.Repeat("█", (sum*width+c.Max-1)/c.Max))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, q := range qs {
		how := "found, " + q.Kind
		switch {
		case q.Candidate.ID == 0:
			how = fmt.Sprintf("clip %d", q.Clip)
		case q.Clip != 0:
			how += fmt.Sprintf(", clip %d", q.Clip)
		}
		fmt.Fprintf(w, "%s  %s (%s)  article %d  [%s]\n    %s\n", q.Date.Format("2006-01-02"), q.Outlet.Name,
			q.Camp(), q.Article, how, shorten(q.Quote, 200))
	}
	return nil
}

// shorten cuts s to n code points, with an ellipsis when it was longer.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
