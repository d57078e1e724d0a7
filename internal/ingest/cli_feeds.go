package ingest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/outlets"
)

func outletsAddCommand(run runner) *cobra.Command {
	var o outlets.Outlet
	var kind string
	var discover bool
	cmd := &cobra.Command{
		Use:   "add --key KEY --name NAME --kind KIND [flags]",
		Short: "Add an outlet, or change one (by its key)",
		Args:  cobra.NoArgs,
		RunE: run(func(c *console, _ []string) error {
			o.Kind = outlets.Kind(kind)
			if discover && o.Homepage == "" {
				return cli.Usagef("--discover needs --homepage")
			}
			if err := outlets.SaveOutlet(c.ctx, c.db, &o); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "outlet %s saved\n", o.Key)
			if !discover {
				return nil
			}
			added, err := c.svc.AddFeeds(c.ctx, o.Key, o.Homepage, false, true)
			for _, f := range added {
				fmt.Fprintf(c.stdout, "feed %d: %s\n", f.ID, f.URL)
			}
			return err
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Key, "key", "", "short key, lower-case letters, digits and hyphens (e.g. kayhan)")
	fs.StringVar(&o.Name, "name", "", "name as analysts write it (e.g. Kayhan)")
	fs.StringVar(&o.NativeName, "native-name", "", "name as the outlet writes it (e.g. کیهان)")
	fs.StringVar(&kind, "kind", "", "one of "+strings.Join(outlets.Kinds(), ", "))
	fs.StringVar(&o.Language, "language", "", "main language (fa, ar, en …)")
	fs.StringVar(&o.Country, "country", "", "country code (e.g. IR)")
	fs.StringVar(&o.Orientation, "orientation", "", "political camp (e.g. hard-line, reformist)")
	fs.StringVar(&o.Affiliation, "affiliation", "", `relative clause naming who it is close to ("which is close to …")`)
	fs.StringVar(&o.Homepage, "homepage", "", "homepage URL")
	fs.BoolVar(&discover, "discover", false, "also subscribe to the feeds the homepage advertises")
	for _, f := range []string{"key", "name", "kind"} {
		_ = cmd.MarkFlagRequired(f)
	}
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(outlets.Kinds(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func outletsListCommand(run runner) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the outlets with their kind, language, orientation and number of feeds",
		Args:  cobra.NoArgs,
		RunE: run(func(c *console, _ []string) error {
			all, err := outlets.ListOutlets(c.ctx, c.db)
			if err != nil {
				return err
			}
			fds, err := outlets.ListFeeds(c.ctx, c.db, "")
			if err != nil {
				return err
			}
			n := map[int64]int{}
			for _, f := range fds {
				n[f.OutletID]++
			}
			tw := table(c.stdout)
			fmt.Fprintln(tw, "KEY\tNAME\tKIND\tLANG\tORIENTATION\tFEEDS\tHOMEPAGE")
			for _, o := range all {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", o.Key, o.Name, o.Kind, orDash(o.Language), orDash(o.Orientation), n[o.ID], orDash(o.Homepage))
			}
			return tw.Flush()
		}),
	}
}

func feedsAddCommand(run runner) *cobra.Command {
	var outlet string
	var ignore, noCheck bool
	cmd := &cobra.Command{
		Use:   "add --outlet KEY URL...",
		Short: "Add feeds to an outlet (a homepage URL is searched for the feeds it advertises)",
		Args:  cobra.MinimumNArgs(1),
		RunE: run(func(c *console, urls []string) error {
			for _, u := range urls {
				added, err := c.svc.AddFeeds(c.ctx, outlet, u, ignore, !noCheck)
				if err != nil {
					return fmt.Errorf("feeds add %s: %w", u, err)
				}
				for _, f := range added {
					fmt.Fprintf(c.stdout, "feed %d: %s (%s)\n", f.ID, f.URL, orDash(f.Format))
				}
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&outlet, "outlet", "", "the outlet's key (required)")
	cmd.Flags().BoolVar(&ignore, "ignore-http-cache", false, "send no ETag/Last-Modified and disregard Cache-Control, Expires and ttl")
	cmd.Flags().BoolVar(&noCheck, "no-check", false, "save the URL as a feed without fetching it")
	_ = cmd.MarkFlagRequired("outlet")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// errorWidth is how much of a feed's last error `feeds list` shows: the
// table stays readable, and `feeds check` or `--json` give the whole text.
const errorWidth = 72

func feedsListCommand(run runner) *cobra.Command {
	var outlet string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--outlet KEY] [--json]",
		Short: "List feeds with their health: status, last success, failures, next check and last error",
		Args:  cobra.NoArgs,
		RunE: run(func(c *console, _ []string) error {
			fds, err := outlets.ListFeeds(c.ctx, c.db, outlet)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(c.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(feedsJSON(fds))
			}
			tw := table(c.stdout)
			fmt.Fprintln(tw, "ID\tOUTLET\tSTATUS\tLAST SUCCESS\tFAILURES\tNEXT CHECK\tURL")
			clipped := false
			for _, f := range fds {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", f.ID, f.OutletKey, f.Status(), when(f.LastSuccessAt),
					f.ConsecutiveFailures, when(&f.NextCheckAt), f.URL)
				if f.LastError != "" {
					// The error goes under the URL, as the line's last cell,
					// which the table does not widen a column for.
					// The URL is on the line above: the error says what went wrong.
					why := strings.TrimPrefix(strings.TrimPrefix(f.LastError, "GET "), f.URL+": ")
					msg := clip(fmt.Sprintf("last error (%s): %s", f.LastErrorKind, why), errorWidth)
					clipped = clipped || strings.HasSuffix(msg, "…")
					fmt.Fprintf(tw, "\t\t\t\t\t\t%s\n", msg)
				}
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if clipped {
				fmt.Fprintln(c.stdout, "(errors shortened: `pressreview feeds check ID` or `feeds list --json` shows them whole)")
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&outlet, "outlet", "", "only this outlet's feeds")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the health as JSON, as GET /api/feeds does")
	return cmd
}

func feedsCheckCommand(run runner) *cobra.Command {
	return &cobra.Command{
		Use:   "check [ID...]",
		Short: "Fetch feeds now (all of them when no ID is given) and say how each one fares",
		RunE: run(func(c *console, args []string) error {
			ids, err := parseIDs("a feed", args)
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				fds, err := outlets.ListFeeds(c.ctx, c.db, "")
				if err != nil {
					return err
				}
				for _, f := range fds {
					ids = append(ids, f.ID)
				}
			}
			failing := 0
			for _, id := range ids {
				r, err := c.svc.PollFeed(c.ctx, id)
				if err != nil {
					return err
				}
				switch {
				case r.Err != nil:
					failing++
					fmt.Fprintf(c.stdout, "failing  %s: %v (next check %s)\n", r.Feed.URL, r.Err, when(&r.Feed.NextCheckAt))
				case r.NotModified:
					fmt.Fprintf(c.stdout, "ok       %s: not modified (next check %s)\n", r.Feed.URL, when(&r.Feed.NextCheckAt))
				default:
					fmt.Fprintf(c.stdout, "ok       %s: %s, %d new (next check %s)\n", r.Feed.URL, cli.Count(r.Items, "item", "items"),
						len(r.NewEntries), when(&r.Feed.NextCheckAt))
				}
			}
			if failing > 0 {
				return fmt.Errorf("%d of %s failing", failing, cli.Count(len(ids), "feed", "feeds"))
			}
			return nil
		}),
	}
}

func importOPMLCommand(run runner) *cobra.Command {
	var outlet, kind string
	cmd := &cobra.Command{
		Use:               "import-opml [--outlet KEY] [--kind KIND] FILE",
		Short:             "Add the feeds of an OPML file, matching or creating their outlets",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: cli.Files,
		RunE: run(func(c *console, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("feeds import-opml: %w", err)
			}
			res, err := ImportOPML(c.ctx, c.db, data, outlet, outlets.Kind(kind))
			if err != nil {
				return fmt.Errorf("feeds import-opml %s: %w", args[0], err)
			}
			fmt.Fprintf(c.stdout, "%s imported, %s\n", cli.Count(res.Feeds, "feed", "feeds"), cli.Count(res.NewOutlets, "new outlet", "new outlets"))
			return nil
		}),
	}
	cmd.Flags().StringVar(&outlet, "outlet", "", "put every feed under this outlet instead of matching or creating outlets")
	cmd.Flags().StringVar(&kind, "kind", string(outlets.Website), "kind of the outlets created for unknown sites")
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(outlets.Kinds(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func exportOPMLCommand(run runner) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export-opml [-o FILE]",
		Short: "Write every feed as OPML, grouped by country",
		Args:  cobra.NoArgs,
		RunE: run(func(c *console, _ []string) error {
			if out == "" {
				return ExportOPML(c.ctx, c.db, c.stdout)
			}
			f, err := os.Create(out)
			if err != nil {
				return fmt.Errorf("feeds export-opml: %w", err)
			}
			if err := ExportOPML(c.ctx, c.db, f); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}),
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	return cmd
}
