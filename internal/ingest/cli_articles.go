package ingest

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
)

func (c *cli) fetch(args []string) error {
	fs := c.flags("fetch", "--once [--feed ID]...")
	once := fs.Bool("once", false, "check every feed now, fetch the new articles, and exit")
	var feedIDs []int64
	fs.Func("feed", "only this feed (repeatable)", func(v string) error {
		ids, err := parseIDs([]string{v})
		feedIDs = append(feedIDs, ids...)
		return err
	})
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*once {
		return fmt.Errorf("%w: fetch runs with --once; `pressreview serve` polls continuously", ErrUsage)
	}
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

func (c *cli) articlesAdd(args []string) error {
	fs := c.flags("articles add", "[--outlet KEY] URL")
	outlet := fs.String("outlet", "", "the outlet's key (default: the outlet whose homepage or feeds are on the URL's host)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: articles add needs one URL", ErrUsage)
	}
	a, created, err := c.svc.AddURL(c.ctx, *outlet, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("articles add %s: %w", fs.Arg(0), err)
	}
	c.printAdded(a, created)
	return nil
}

func (c *cli) articlesPaste(args []string) error {
	fs := c.flags("articles paste", "--outlet KEY --date YYYY-MM-DD --source SOURCE [flags] < FILE")
	var p Paste
	var date string
	fs.StringVar(&p.OutletKey, "outlet", "", "the outlet's key (required)")
	fs.StringVar(&date, "date", "", "publication date, YYYY-MM-DD or RFC 3339 (required)")
	fs.StringVar(&p.Source, "source", "", `where the text comes from, e.g. "print edition, p. 2" (required)`)
	fs.StringVar(&p.Title, "title", "", "title (default: the HTML title or the first line)")
	fs.StringVar(&p.URL, "url", "", "link to the original, if any")
	fs.StringVar(&p.Lang, "lang", "", "language (default: detected)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if p.OutletKey == "" || date == "" || p.Source == "" {
		return fmt.Errorf("%w: articles paste needs --outlet, --date and --source", ErrUsage)
	}
	var err error
	if p.Date, err = parseDate(date); err != nil {
		return err
	}
	if p.Body, err = io.ReadAll(io.LimitReader(c.stdin, c.svc.cfg.fetchConfig().MaxBodyBytes+1)); err != nil {
		return fmt.Errorf("articles paste: read standard input: %w", err)
	}
	a, created, err := c.svc.AddPasted(c.ctx, p)
	if err != nil {
		return err
	}
	c.printAdded(a, created)
	return nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: --date %q: want YYYY-MM-DD or RFC 3339", ErrUsage, s)
}

func (c *cli) printAdded(a Article, created bool) {
	verb := "stored"
	if !created {
		verb = "already stored"
	}
	fmt.Fprintf(c.stdout, "article %d %s: %s [%s, %s]\n", a.ID, verb, a.Title, a.OutletKey, orDash(a.Lang))
	if a.StoryID != a.ID {
		fmt.Fprintf(c.stdout, "  a reprint of article %d (same story)\n", a.StoryID)
	}
}

func (c *cli) articlesShow(args []string) error {
	fs := c.flags("articles show", "ID")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: articles show needs one article id", ErrUsage)
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not an article id", ErrUsage, fs.Arg(0))
	}
	a, err := ArticleByID(c.ctx, c.db, id)
	if err != nil {
		return err
	}
	w := c.stdout
	fmt.Fprintf(w, "%s\n%s · %s · %s · %s\n", a.Title, a.OutletKey, orDash(a.Byline), orDash(a.Lang), when(a.Published))
	fmt.Fprintf(w, "url: %s\nsource: %s %s\n", orDash(a.CanonicalURL), a.Source, a.SourceDetail)
	if a.CaptureID != nil {
		fmt.Fprintf(w, "archived: /archive/%d\n", *a.CaptureID)
	}
	story, err := Story(c.ctx, c.db, a.ID)
	if err != nil {
		return err
	}
	if len(story) > 1 {
		fmt.Fprintf(w, "story (%d articles):\n", len(story))
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
