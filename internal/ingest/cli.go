package ingest

import (
	"context"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
)

// Commands returns the intake's commands: outlets, feeds, fetch and
// articles. with runs a command's work with the intake on the configured
// store (migrated, job queue tables included), once the flags are parsed.
func Commands(with func(ctx context.Context, fn func(*Service) error) error) []*cobra.Command {
	run := runner(func(fn func(c *console, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			return with(cmd.Context(), func(svc *Service) error {
				c := &console{ctx: cmd.Context(), db: svc.db, svc: svc, stdin: cmd.InOrStdin(), stdout: cmd.OutOrStdout()}
				return fn(c, args)
			})
		}
	})
	return []*cobra.Command{
		cli.Group(&cobra.Command{Use: "outlets", Short: "List and add the outlets the desk watches"},
			outletsAddCommand(run), outletsListCommand(run)),
		cli.Group(&cobra.Command{Use: "feeds", Short: "Add, list, check, import and export outlets' feeds (OPML)"},
			feedsAddCommand(run), feedsListCommand(run), feedsCheckCommand(run),
			importOPMLCommand(run), exportOPMLCommand(run)),
		fetchCommand(run),
		cli.Group(&cobra.Command{Use: "articles", Short: "Add an article by URL or as pasted text, show, re-fetch or delete one"},
			articlesAddCommand(run), articlesPasteCommand(run), articlesShowCommand(run), articlesDeleteCommand(run),
			articlesRefetchCommand(run)),
	}
}

// runner turns a command's work into a cobra RunE with the intake opened.
type runner func(fn func(c *console, args []string) error) func(*cobra.Command, []string) error

// console is one command's run: the intake and the terminal.
type console struct {
	ctx    context.Context
	db     *store.DB
	svc    *Service
	stdin  io.Reader
	stdout io.Writer
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// when formats a time for the health columns: "-" for never.
func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// parseIDs reads positive row ids ("feed", "article") from the arguments.
func parseIDs(what string, args []string) ([]int64, error) {
	var out []int64
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return nil, cli.Usagef("%q is not %s id", a, what)
		}
		out = append(out, id)
	}
	return out, nil
}

// clip shortens s to n characters, with an ellipsis when it was longer.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
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
