// Package app wires pressreview together: it parses a command line, reads
// the configuration, opens the store and runs the chosen command.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"slices"
	"sort"
	"strings"

	"github.com/pressreview/pressreview/internal/config"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
)

// Version is set at build time with -ldflags "-X …/internal/app.Version=v1.2.3";
// otherwise the module version or VCS revision from the build info is used.
var Version = ""

// env is what every command receives.
type env struct {
	stdout, stderr io.Writer
	cfg            config.Config
	log            *slog.Logger
}

type command struct {
	summary string
	usage   string // arguments after the flags
	flags   []string
	setup   func(fs *flag.FlagSet) // command-specific flags
	run     func(ctx context.Context, e *env, fs *flag.FlagSet) error
	// passthrough commands belong to a domain package with its own flag
	// parsing: only the shared settings (flags) are taken out of the
	// arguments, and everything else reaches the package as fs.Args().
	passthrough bool
}

// commands is filled by the files that define each command.
var commands = map[string]*command{}

// ErrUsage marks a command-line mistake; main exits 2 for it.
var ErrUsage = errors.New("usage")

// Run executes the command named by args[0].
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		usage(stderr)
		return fmt.Errorf("%w: unknown command %q", ErrUsage, args[0])
	}
	e := &env{stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("pressreview "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: pressreview %s [flags] %s\n\n%s\n\nFlags:\n", args[0], cmd.usage, cmd.summary)
		fs.PrintDefaults()
	}
	e.cfg.Register(fs, cmd.flags...)
	if cmd.setup != nil {
		cmd.setup(fs)
	}
	rest := args[1:]
	if cmd.passthrough {
		var ours []string
		ours, rest = splitFlags(rest, cmd.flags)
		rest = append(append(ours, "--"), rest...)
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if err := e.cfg.Load(fs); err != nil {
		return err
	}
	level, _ := e.cfg.Level()
	e.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	return cmd.run(ctx, e, fs)
}

// splitFlags takes the named flags ("--name value" or "--name=value", one or
// two dashes) out of args, up to a "--".
func splitFlags(args, names []string) (ours, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return ours, append(rest, args[i:]...)
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !slices.Contains(names, name) {
			rest = append(rest, a)
			continue
		}
		ours = append(ours, a)
		if !hasValue && i+1 < len(args) {
			i++
			ours = append(ours, args[i])
		}
	}
	return ours, rest
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "pressreview runs a foreign-press monitoring desk and publishes what it finds.")
	fmt.Fprintln(w, "\nUsage: pressreview COMMAND [flags] [args]  (pressreview COMMAND --help for details)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, firstLine(commands[n].summary))
	}
	fmt.Fprintf(w, "\nEnvironment:\n%s", config.EnvHelp())
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// openStore opens and migrates the configured database: the domain schema
// and the job queue's tables.
func (e *env) openStore(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(ctx, e.cfg.Database)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, db, e.log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(ctx context.Context, db *store.DB, log *slog.Logger) error {
	applied, err := db.Migrate(ctx)
	for _, a := range applied {
		log.Info("migration applied", "file", a)
	}
	if err != nil {
		return err
	}
	return jobs.Migrate(ctx, db)
}

func version() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}

func init() {
	commands["version"] = &command{
		summary: "Print pressreview's version.",
		run: func(_ context.Context, e *env, _ *flag.FlagSet) error {
			fmt.Fprintf(e.stdout, "pressreview %s\n", version())
			return nil
		},
	}
	commands["migrate"] = &command{
		summary: "Create or update the database schema (also done by serve at start).",
		flags:   []string{"database", "log-level"},
		run: func(ctx context.Context, e *env, _ *flag.FlagSet) error {
			db, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			v, _, err := db.MigrationStatus(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "database is at schema version %d (%s)\n", v, db.Dialect())
			return nil
		},
	}
}
