// Package app wires pressreview together: it parses a command line (cobra;
// the domain packages define their own commands), reads the configuration,
// opens the store and runs the chosen command.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/config"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/search"
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
	// tuneIngest, when set, adjusts the intake's settings after they are
	// read (the demo points the intake at its loopback press).
	tuneIngest func(*ingest.Config)
	// quietRequests keeps the web server's per-request lines below the
	// default log level (the demo).
	quietRequests bool
}

// Run executes the command line args (without the program name). The
// error says whether it was a usage error: cli.ExitCode gives the status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr}
	return cli.Execute(ctx, e.rootCommand(), args, stdout, stderr, e.load)
}

// load reads the settings once the command's flags are parsed; flags win
// over PRESSREVIEW_* variables, and every problem is reported at once.
func (e *env) load(cmd *cobra.Command) error {
	if err := e.cfg.Load(cmd.Flags()); err != nil {
		return err
	}
	level, _ := e.cfg.Level()
	e.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	return nil
}

// queueLog is the job queue's logger. River reports every start, leader
// election and periodic job at INFO, which buried the desk's own lines
// (and the demo's mailbox) under hundreds a session: it speaks from WARN
// up unless --log-level is debug.
func (e *env) queueLog() *slog.Logger {
	level, _ := e.cfg.Level()
	if level <= slog.LevelDebug {
		return e.log
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: max(level, slog.LevelWarn)}))
}

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "pressreview",
		Short: "pressreview runs a foreign-press monitoring desk and publishes what it finds.",
		Long: "pressreview runs a foreign-press monitoring desk and publishes what it finds.\n\n" +
			"Every setting is a flag of the commands that use it and a PRESSREVIEW_* variable; a flag wins.\n" +
			"Exit status: 0 done, 1 failure, 2 usage error.\n\nEnvironment:\n" + config.EnvHelp() +
			"\nSecrets (PRESSREVIEW_NEWSLETTER_KEY, SMTP, DKIM) and the fetcher's limits come from the\n" +
			"environment only; README.md lists them all.",
	}
	e.cfg.Register(root.PersistentFlags(), "log-level")
	cli.Group(root,
		e.serveCommand(), e.demoCommand(), e.migrateCommand(), e.migrateStoreCommand(),
		e.importCommand(), e.exportCommand(), e.renderCommand(), e.versionCommand())
	e.addDomainCommands(root)
	return root
}

// settings registers the named settings as flags of cmd, persistent for
// a group so that every subcommand takes them.
func (e *env) settings(cmd *cobra.Command, names ...string) *cobra.Command {
	fs := cmd.Flags()
	if cmd.HasSubCommands() {
		fs = cmd.PersistentFlags()
	}
	e.cfg.Register(fs, names...)
	return cmd
}

// openStore opens and migrates the configured database: the domain schema
// and the job queue's tables.
func (e *env) openStore(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(ctx, e.cfg.Database)
	if err != nil {
		return nil, err
	}
	if err := db.Exclusive(ctx, "pressreview migrate", func() error { return migrate(ctx, db, e.log) }); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(ctx context.Context, db *store.DB, log *slog.Logger) error {
	applied, err := db.Migrate(ctx)
	// One line for a fresh database's dozen files (the demo starts with
	// one on every run); the files themselves at debug level.
	for _, a := range applied {
		log.Debug("migration applied", "file", a)
	}
	if len(applied) > 0 {
		log.Info("database migrated", "files", len(applied), "last", applied[len(applied)-1])
	}
	if err != nil {
		return err
	}
	// Addresses stored before they had one canonical form (issue 11, item 26).
	if err := newsletter.CanonicalizeAddresses(ctx, db); err != nil {
		return err
	}
	// An index written with older spelling rules (issue 15, item 3).
	if err := search.UpgradeIndex(ctx, db, log); err != nil {
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

func (e *env) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print pressreview's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(e.stdout, "pressreview %s\n", version())
			return nil
		},
	}
}

func (e *env) migrateCommand() *cobra.Command {
	return e.settings(&cobra.Command{
		Use:   "migrate",
		Short: "Create or update the database schema (also done by serve at start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
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
	}, "database")
}
