package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/pressreview/pressreview/internal/config"
	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

func init() {
	commands["serve"] = &command{
		summary: "Run the web site, the studio and the background jobs (migrates the database first).",
		flags:   []string{"database", "addr", "site-url", "data-dir", "log-level"},
		run: func(ctx context.Context, e *env, _ *flag.FlagSet) error {
			db, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			return serve(ctx, e, db, nil)
		},
	}
	var dir string
	commands["demo"] = &command{
		summary: "Create a fresh embedded desk holding the seed edition and a roster of Iranian outlets, and serve it.",
		flags:   []string{"addr", "log-level"},
		setup: func(fs *flag.FlagSet) {
			fs.StringVar(&dir, "dir", "", "directory for the demo database and archives (default: a new temporary directory)")
		},
		run: func(ctx context.Context, e *env, _ *flag.FlagSet) error {
			return runDemo(ctx, e, dir)
		},
	}
}

func runDemo(ctx context.Context, e *env, dir string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "pressreview-demo-")
		if err != nil {
			return err
		}
		dir = tmp
	}
	path := filepath.Join(dir, "demo.db")
	// A demo always starts fresh: an old demo database would hide what the
	// seed looks like now.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	e.cfg.Database = "sqlite:" + path
	e.cfg.DataDir = filepath.Join(dir, "data")
	db, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Load(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo desk in %s\n", dir)
	return serve(ctx, e, db, func(url string) {
		fmt.Fprintf(e.stdout, "pressreview demo is running: %s/\nthe seed edition: %s/analysis/%s\npress Ctrl-C to stop\n", url, url, demo.SeedSlug)
	})
}

// serve runs the HTTP server and the job queue until ctx ends, then shuts
// both down gracefully. ready, when set, is called with the site URL once
// the listener is open.
func serve(ctx context.Context, e *env, db *store.DB, ready func(url string)) error {
	site, err := web.New(db, web.Options{SiteName: "pressreview", SiteURL: e.cfg.SiteURL, Logger: e.log})
	if err != nil {
		return err
	}
	queueCfg := jobs.Config{Logger: e.log}
	queue, err := jobs.New(db, queueCfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr / PRESSREVIEW_ADDR: %w", err)
	}
	url := siteURL(e.cfg, ln.Addr())
	srv := &http.Server{
		Handler:           site.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// A client without workers only enqueues; River refuses to start one.
	working := queueCfg.Workers != nil
	if working {
		if err := queue.Start(ctx); err != nil {
			srv.Close()
			return fmt.Errorf("job queue: %w", err)
		}
	}
	e.log.Info("serving", "url", url, "database", db.Dialect())
	if ready != nil {
		ready(url)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if working {
		if qerr := queue.Stop(shutdown); qerr != nil && err == nil {
			err = qerr
		}
	}
	return err
}

// siteURL is the configured public URL, except when the port was chosen by
// the system (":0"), where only the listener knows the real one.
func siteURL(cfg config.Config, addr net.Addr) string {
	if _, port, _ := net.SplitHostPort(cfg.Addr); port == "0" {
		return "http://" + addr.String()
	}
	return cfg.SiteURL
}
