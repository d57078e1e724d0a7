package ingest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pressreview/pressreview/internal/outlets"
)

func (c *cli) outletsAdd(args []string) error {
	fs := c.flags("outlets add", "--key KEY --name NAME --kind KIND [flags]")
	var o outlets.Outlet
	var kind string
	var discover bool
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
	if err := parse(fs, args); err != nil {
		return err
	}
	o.Kind = outlets.Kind(kind)
	if err := outlets.SaveOutlet(c.ctx, c.db, &o); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "outlet %s saved\n", o.Key)
	if !discover {
		return nil
	}
	if o.Homepage == "" {
		return fmt.Errorf("%w: --discover needs --homepage", ErrUsage)
	}
	added, err := c.svc.AddFeeds(c.ctx, o.Key, o.Homepage, false, true)
	for _, f := range added {
		fmt.Fprintf(c.stdout, "feed %d: %s\n", f.ID, f.URL)
	}
	return err
}

func (c *cli) outletsList(args []string) error {
	fs := c.flags("outlets list", "")
	if err := parse(fs, args); err != nil {
		return err
	}
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", o.Key, o.Name, o.Kind, o.Language, o.Orientation, n[o.ID], o.Homepage)
	}
	return tw.Flush()
}

func (c *cli) feedsAdd(args []string) error {
	fs := c.flags("feeds add", "--outlet KEY [--ignore-http-cache] [--no-check] URL...")
	outlet := fs.String("outlet", "", "the outlet's key (required)")
	ignore := fs.Bool("ignore-http-cache", false, "send no ETag/Last-Modified and disregard Cache-Control, Expires and ttl")
	noCheck := fs.Bool("no-check", false, "save the URL as a feed without fetching it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *outlet == "" || fs.NArg() == 0 {
		return fmt.Errorf("%w: feeds add needs --outlet KEY and at least one URL", ErrUsage)
	}
	for _, u := range fs.Args() {
		added, err := c.svc.AddFeeds(c.ctx, *outlet, u, *ignore, !*noCheck)
		if err != nil {
			return fmt.Errorf("feeds add %s: %w", u, err)
		}
		for _, f := range added {
			fmt.Fprintf(c.stdout, "feed %d: %s (%s)\n", f.ID, f.URL, orDash(f.Format))
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (c *cli) feedsList(args []string) error {
	fs := c.flags("feeds list", "[--outlet KEY] [--json]")
	outlet := fs.String("outlet", "", "only this outlet's feeds")
	asJSON := fs.Bool("json", false, "print the health as JSON, as GET /api/feeds does")
	if err := parse(fs, args); err != nil {
		return err
	}
	fds, err := outlets.ListFeeds(c.ctx, c.db, *outlet)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(feedsJSON(fds))
	}
	tw := table(c.stdout)
	fmt.Fprintln(tw, "ID\tOUTLET\tSTATUS\tLAST SUCCESS\tFAILURES\tNEXT CHECK\tURL")
	for _, f := range fds {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", f.ID, f.OutletKey, f.Status(), when(f.LastSuccessAt),
			f.ConsecutiveFailures, when(&f.NextCheckAt), f.URL)
		if f.LastError != "" {
			fmt.Fprintf(tw, "\t\tlast error (%s): %s\t\t\t\t\n", f.LastErrorKind, f.LastError)
		}
	}
	return tw.Flush()
}

func (c *cli) feedsCheck(args []string) error {
	fs := c.flags("feeds check", "[ID...]  (all feeds when none given)")
	if err := parse(fs, args); err != nil {
		return err
	}
	ids, err := parseIDs(fs.Args())
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
			fmt.Fprintf(c.stdout, "ok       %s: %d items, %d new (next check %s)\n", r.Feed.URL, r.Items,
				len(r.NewEntries), when(&r.Feed.NextCheckAt))
		}
	}
	if failing > 0 {
		return fmt.Errorf("%d of %d feeds failing", failing, len(ids))
	}
	return nil
}

func (c *cli) importOPML(args []string) error {
	fs := c.flags("feeds import-opml", "[--outlet KEY] [--kind KIND] FILE")
	outlet := fs.String("outlet", "", "put every feed under this outlet instead of matching or creating outlets")
	kind := fs.String("kind", string(outlets.Website), "kind of the outlets created for unknown sites")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: feeds import-opml needs one OPML file", ErrUsage)
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("feeds import-opml: %w", err)
	}
	res, err := ImportOPML(c.ctx, c.db, data, *outlet, outlets.Kind(*kind))
	if err != nil {
		return fmt.Errorf("feeds import-opml %s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(c.stdout, "%d feeds imported, %d new outlets\n", res.Feeds, res.NewOutlets)
	return nil
}

func (c *cli) exportOPML(args []string) error {
	fs := c.flags("feeds export-opml", "[--output FILE]")
	out := fs.String("output", "", "write to FILE instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return ExportOPML(c.ctx, c.db, c.stdout)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("feeds export-opml: %w", err)
	}
	if err := ExportOPML(c.ctx, c.db, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
