package ingest

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/outlets"
)

func fetchCommand(run runner) *cobra.Command {
	var once bool
	var feedIDs []int64
	cmd := &cobra.Command{
		Use:   "fetch --once [--feed ID]...",
		Short: "Check every feed now and fetch the new articles (--once; serve polls continuously)",
		Args:  cobra.NoArgs,
		RunE: run(func(c *console, _ []string) error {
			if !once {
				return cli.Usagef("fetch runs with --once; `pressreview serve` polls continuously")
			}
			for _, id := range feedIDs {
				if id <= 0 {
					return cli.Usagef("--feed %d is not a feed id", id)
				}
			}
			return c.fetch(feedIDs)
		}),
	}
	cmd.Flags().BoolVar(&once, "once", false, "check every feed now, fetch the new articles, and exit")
	cmd.Flags().Int64SliceVar(&feedIDs, "feed", nil, "only this feed (repeatable)")
	return cmd
}

func (c *console) fetch(feedIDs []int64) error {
	tty := isTerminal(c.stdout)
	last := ""
	p, err := c.svc.RunOnce(c.ctx, feedIDs, func(p Progress) {
		if line := p.String(); tty && line != last {
			fmt.Fprintf(c.stdout, "\r\033[K%s", line)
			last = line
		}
	})
	if tty {
		fmt.Fprint(c.stdout, "\r\033[K")
	}
	fmt.Fprintln(c.stdout, p)
	if err != nil {
		return err
	}
	fds, err := outlets.ListFeeds(c.ctx, c.db, "")
	if err != nil {
		return err
	}
	for _, f := range fds {
		if f.ConsecutiveFailures > 0 && (len(feedIDs) == 0 || slices.Contains(feedIDs, f.ID)) {
			fmt.Fprintf(c.stdout, "failing feed %d %s: %s\n", f.ID, f.URL, f.LastError)
		}
	}
	return nil
}

func articlesAddCommand(run runner) *cobra.Command {
	var outlet string
	cmd := &cobra.Command{
		Use:   "add [--outlet KEY] URL",
		Short: "Fetch, archive and store one article by its URL",
		Args:  cobra.ExactArgs(1),
		RunE: run(func(c *console, args []string) error {
			a, created, err := c.svc.AddURL(c.ctx, outlet, args[0])
			if err != nil {
				return fmt.Errorf("articles add %s: %w", args[0], err)
			}
			c.printAdded(a, created)
			return nil
		}),
	}
	cmd.Flags().StringVar(&outlet, "outlet", "", "the outlet's key (default: the outlet whose homepage or feeds are on the URL's host)")
	return cmd
}

func articlesPasteCommand(run runner) *cobra.Command {
	var p Paste
	var date string
	cmd := &cobra.Command{
		Use:   "paste --outlet KEY --date YYYY-MM-DD --source SOURCE [flags] < FILE",
		Short: "Store an article from text or HTML on standard input (print editions, TV transcripts, Telegram posts)",
		Args:  cobra.NoArgs,
		RunE: run(func(c *console, _ []string) error {
			var err error
			if p.Date, err = parseDate(date); err != nil {
				return err
			}
			if p.Body, err = c.readPaste(); err != nil {
				return err
			}
			a, created, err := c.svc.AddPasted(c.ctx, p)
			if err != nil {
				return err
			}
			c.printAdded(a, created)
			return nil
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&p.OutletKey, "outlet", "", "the outlet's key (required)")
	fs.StringVar(&date, "date", "", "publication date, YYYY-MM-DD or RFC 3339 (required)")
	fs.StringVar(&p.Source, "source", "", `where the text comes from, e.g. "print edition, p. 2" (required)`)
	fs.StringVar(&p.Title, "title", "", "title (default: the HTML title or the first line)")
	fs.StringVar(&p.URL, "url", "", "link to the original, if any")
	fs.StringVar(&p.Lang, "lang", "", "language (default: detected)")
	for _, f := range []string{"outlet", "date", "source"} {
		_ = cmd.MarkFlagRequired(f)
	}
	return cmd
}

// readPaste reads the pasted text, up to the fetcher's body cap (as
// configured, else its default): a paste is held to what a fetched page
// may be, and a larger one is refused rather than cut.
func (c *console) readPaste() ([]byte, error) {
	limit := c.svc.PasteLimit()
	body, err := io.ReadAll(io.LimitReader(c.stdin, limit+1))
	if err != nil {
		return nil, fmt.Errorf("articles paste: read standard input: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("articles paste: the text is larger than %d bytes (PRESSREVIEW_FETCH_MAX_BYTES)", limit)
	}
	return body, nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cli.Usagef("--date %q: want YYYY-MM-DD or RFC 3339", s)
}

func (c *console) printAdded(a Article, created bool) {
	verb := "stored"
	if !created {
		verb = "already stored"
	}
	fmt.Fprintf(c.stdout, "article %d %s: %s [%s, %s]\n", a.ID, verb, a.Title, a.OutletKey, orDash(a.Lang))
	if a.StoryID != a.ID {
		fmt.Fprintf(c.stdout, "  a reprint of article %d (same story)\n", a.StoryID)
	}
}

func articlesShowCommand(run runner) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Print an article with its story, revisions and archived copy",
		Args:  cobra.ExactArgs(1),
		RunE: run(func(c *console, args []string) error {
			ids, err := parseIDs("an article", args)
			if err != nil {
				return err
			}
			return c.show(ids[0])
		}),
	}
}

func (c *console) show(id int64) error {
	a, err := ArticleByID(c.ctx, c.db, id)
	if err != nil {
		return err
	}
	w := c.stdout
	// The header names only what the article has: a "-" between dots
	// reads as a value.
	head := []string{a.OutletKey}
	for _, v := range []string{a.Byline, a.Lang} {
		if v != "" {
			head = append(head, v)
		}
	}
	if a.Published != nil {
		head = append(head, when(a.Published)+" UTC")
	}
	source := a.Source
	if a.SourceDetail != "" {
		source += " (" + a.SourceDetail + ")"
	}
	fmt.Fprintf(w, "%s\n%s\n", a.Title, strings.Join(head, " · "))
	fmt.Fprintf(w, "url: %s\nsource: %s\n", orDash(a.CanonicalURL), source)
	if a.CaptureID != nil {
		fmt.Fprintf(w, "archived: /archive/%d\n", *a.CaptureID)
	}
	if err := c.showFollowUp(w, a); err != nil {
		return err
	}
	story, err := Story(c.ctx, c.db, a.ID)
	if err != nil {
		return err
	}
	if len(story) > 1 {
		fmt.Fprintf(w, "story (%s):\n", cli.Count(len(story), "article", "articles"))
		for _, s := range story {
			fmt.Fprintf(w, "  %d %s %s\n", s.ID, s.OutletKey, s.Title)
		}
	}
	revs, err := Revisions(c.ctx, c.db, a.ID)
	if err != nil {
		return err
	}
	for _, r := range revs {
		fmt.Fprintf(w, "%s %s:\n%s", r.Kind, r.SeenAt.Format(time.RFC3339), indent(r.Diff))
	}
	fmt.Fprintf(w, "\n%s\n", a.Text)
	return nil
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ") + "\n"
}

func articlesDeleteCommand(run runner) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID...",
		Short: "Remove articles from the archive's index, search and coverage; their WARC evidence stays",
		Long: "Remove articles from the archive's index, search and coverage (a mistaken paste, an\n" +
			"article filed under the wrong outlet). The archived WARC records of their pages stay, as\n" +
			"does the feed's note that the item was seen, so polling does not bring them back;\n" +
			"`articles add URL` does. An article quoted in an edition or clipped is refused: remove the\n" +
			"quote or the clips first.",
		Args: cobra.MinimumNArgs(1),
		RunE: run(func(c *console, args []string) error {
			ids, err := parseIDs("an article", args)
			if err != nil {
				return err
			}
			var errs []error
			for _, id := range ids {
				a, err := ArticleByID(c.ctx, c.db, id) // its errors name the article
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if err := c.svc.DeleteArticle(c.ctx, id); err != nil {
					errs = append(errs, fmt.Errorf("article %d: %w", id, err))
					continue
				}
				if a.CaptureID != nil {
					fmt.Fprintf(c.stdout, "article %d deleted: %s (its archived copy stays, /archive/%d)\n", id, a.Title, *a.CaptureID)
				} else {
					fmt.Fprintf(c.stdout, "article %d deleted: %s\n", id, a.Title)
				}
			}
			return errors.Join(errs...)
		}),
	}
}
