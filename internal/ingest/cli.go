package ingest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// ErrUsage marks a command-line mistake (unknown subcommand, missing or
// malformed argument); the caller should exit with status 2 for it.
var ErrUsage = errors.New("usage")

// Commands are the top-level commands RunCLI serves, with their one-line
// summaries for the program's help.
var Commands = map[string]string{
	"outlets":  "List and add the outlets the desk watches.",
	"feeds":    "Add, list, check, import and export outlets' feeds (OPML).",
	"fetch":    "Check every feed now and fetch the new articles (--once).",
	"articles": "Add an article by URL or as pasted text, or show one.",
}

type cli struct {
	ctx            context.Context
	db             *store.DB
	cfg            Config
	stdin          io.Reader
	stdout, stderr io.Writer
	svc            *Service
}

// RunCLI runs one of Commands: args[0] is the command name ("outlets",
// "feeds", "fetch" or "articles"), the rest its subcommand and flags. db
// must be migrated, job queue tables included (jobs.Migrate). Pasted text
// is read from os.Stdin.
func RunCLI(ctx context.Context, db *store.DB, cfg Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: want one of outlets, feeds, fetch, articles", ErrUsage)
	}
	svc, err := New(db, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	c := &cli{ctx: ctx, db: db, cfg: cfg, stdin: os.Stdin, stdout: stdout, stderr: stderr, svc: svc}
	return c.run(args)
}

func (c *cli) run(args []string) error {
	type sub = map[string]func([]string) error
	table := map[string]sub{
		"outlets":  {"add": c.outletsAdd, "list": c.outletsList},
		"feeds":    {"add": c.feedsAdd, "list": c.feedsList, "check": c.feedsCheck, "import-opml": c.importOPML, "export-opml": c.exportOPML},
		"articles": {"add": c.articlesAdd, "paste": c.articlesPaste, "show": c.articlesShow},
	}
	if args[0] == "fetch" {
		return c.fetch(args[1:])
	}
	subs, ok := table[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown command %q", ErrUsage, args[0])
	}
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(args) < 2 {
		return fmt.Errorf("%w: pressreview %s needs a subcommand: %s", ErrUsage, args[0], strings.Join(names, ", "))
	}
	fn, ok := subs[args[1]]
	if !ok {
		return fmt.Errorf("%w: pressreview %s has no subcommand %q (want %s)", ErrUsage, args[0], args[1], strings.Join(names, ", "))
	}
	return fn(args[2:])
}

// flags returns a flag set that reports mistakes as ErrUsage.
func (c *cli) flags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("pressreview "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: pressreview %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	// Flags may follow the positional arguments ("feeds add URL --outlet k").
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("%w: %v", ErrUsage, err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// when formats a time for the health columns: "-" for never.
func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func parseIDs(args []string) ([]int64, error) {
	var out []int64
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%w: %q is not a feed id", ErrUsage, a)
		}
		out = append(out, id)
	}
	return out, nil
}

// isTerminal reports whether w is a terminal, where a progress line can
// be redrawn in place. golang.org/x/term is not a dependency of the module;
// a character device is what it would check for on Unix.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
