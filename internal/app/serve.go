package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/config"
	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/ops"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
	"github.com/pressreview/pressreview/internal/web/studio"
	"github.com/pressreview/pressreview/internal/web/subscribe"
)

func (e *env) serveCommand() *cobra.Command {
	return e.settings(&cobra.Command{
		Use:   "serve",
		Short: "Run the web site, the studio and the background jobs (migrates the database first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			nl, err := e.cfg.Newsletter(hostOf(e.cfg.SiteURL))
			if err != nil {
				return err
			}
			db, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			return serve(ctx, e, db, nl, os.Getenv, nil)
		},
	}, "database", "addr", "site-url", "data-dir", "blobs", "instance-url", "fetch-allow", "trusted-proxies")
}

func (e *env) demoCommand() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a working demo desk: the seed edition, analyses, events and a loopback press whose feeds the intake polls",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), e, dir)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "directory for the demo desk, reused as it was left when it holds one (default: a new temporary directory)")
	return e.settings(cmd, "addr")
}

const demoAdmin = "admin@demo.pressreview.invalid"

func runDemo(ctx context.Context, e *env, dir string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "pressreview-demo-")
		if err != nil {
			return err
		}
		dir = tmp
	}
	// A desk left in dir by an earlier demo is kept and reused (the
	// newcomer's subscriptions, articles and edits stay).
	path := filepath.Join(dir, "demo.db")
	e.cfg.Database = "sqlite:" + path
	e.cfg.DataDir = filepath.Join(dir, "data")
	db, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	reused, err := demo.Prepare(ctx, db, time.Now())
	if err != nil {
		return err
	}
	press, err := demo.StartPress(ctx, db)
	if err != nil {
		return err
	}
	defer press.Close()
	e.tuneIngest = demo.TuneIngest
	// The demo's terminal is where the newcomer reads the mailbox: a line
	// per page they open would bury it (--log-level debug shows them).
	e.quietRequests = true
	nl, err := demoMail(ctx, e)
	if err != nil {
		return err
	}
	// The demo's own admin, with a password made for this run.
	pw := make([]byte, 12)
	rand.Read(pw)
	admin := map[string]string{"PRESSREVIEW_ADMIN_EMAIL": demoAdmin, "PRESSREVIEW_ADMIN_PASSWORD": hex.EncodeToString(pw)}
	if reused {
		fmt.Fprintf(e.stdout, "Reusing the demo desk in %s\n", dir)
	} else {
		fmt.Fprintf(e.stdout, "demo desk in %s\n", dir)
	}
	return serve(ctx, e, db, nl, func(k string) string { return admin[k] }, func(url string) {
		fmt.Fprintf(e.stdout, "pressreview demo is running: %s/\nthe seed edition: %s/analysis/%s\n", url, url, demo.SeedSlug)
		fmt.Fprintf(e.stdout, "the studio: %s/studio/ (sign in as %s with password %s)\n", url, demoAdmin, admin["PRESSREVIEW_ADMIN_PASSWORD"])
		demo.Guide(e.stdout, url, press, path, e.cfg.DataDir)
		fmt.Fprintln(e.stdout, "press Ctrl-C to stop")
	})
}

// serve runs the HTTP server and the job queue until ctx ends, then shuts
// both down gracefully. ready, when set, is called with the site URL once
// the listener is open.
func serve(ctx context.Context, e *env, db *store.DB, nl newsletter.Config, getenv func(string) string, ready func(url string)) error {
	instance := jobs.NewInstanceID()
	d, err := e.openDesk(db, nl, instance)
	if err != nil {
		return err
	}
	defer d.Close()
	letters, queue := d.letters, d.queue
	// One guard for every public form, keyed like the newsletter's links
	// so that every instance accepts the tokens of every other.
	guard := forms.New(db, nl.SigningKey)
	webLog := e.log
	if e.quietRequests {
		webLog = e.queueLog()
	}
	// The metrics registry exists only when something scrapes it.
	metricsAddr := os.Getenv("PRESSREVIEW_METRICS_ADDR")
	var metrics *ops.Metrics
	var observe func(string, string, int, time.Duration)
	if metricsAddr != "" {
		metrics = ops.NewMetrics(db, ops.BlobCollector(d.blobs.Stats))
		observe = metrics.ObserveRequest
	}
	// Background work (the content listener, the jobs UI) stops when serve
	// returns; the job queue gets its own context below.
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	opts := web.Options{SiteName: "pressreview", SiteURL: e.cfg.SiteURL, Logger: webLog, Mailer: letters,
		Forms: guard, TrustedProxies: e.cfg.Proxies, ObserveRequest: observe}
	if db.Dialect() == store.Postgres {
		// Notifications carry every publish to every instance at once;
		// reading site_version is only the fallback for a lost one.
		opts.ContentCheckEvery = 5 * time.Second
	}
	site, err := web.New(db, opts)
	if err != nil {
		return err
	}
	go ops.ListenContent(bg, db, e.log, site.ContentChanged)
	if err := accounts.BootstrapAdmin(ctx, db, getenv); err != nil {
		return err
	}
	auth := accounts.New(db, accounts.Config{SiteURL: e.cfg.SiteURL, Logger: e.log, Forbidden: studio.Forbidden(site)})
	studio.Register(site, db, auth)
	// River's own UI on the shared queue, for admins: it can cancel and
	// retry any job.
	jobsUI, err := ops.JobsUI(bg, queue, studioJobsPath, e.queueLog())
	if err != nil {
		return fmt.Errorf("jobs UI: %w", err)
	}
	site.Handle(studioJobsPath+"/", auth.RequireRole(accounts.Admin)(jobsUI))
	studio.RegisterIntake(site, db, auth, d.monitor)
	staffOnly := auth.RequireRole(accounts.Analyst)
	pages := http.NewServeMux()
	subscribe.Register(pages, subscribe.Deps{Service: letters, Layout: site, PrivacyURL: "/privacy", Forms: guard})
	site.Handle("/newsletter/", pages)
	site.Handle("/api/", staffOnly(search.Handler(db)))
	monitoring := staffOnly(ingest.Handler(db, d.monitorCfg))
	site.Handle("/api/feeds", monitoring)
	site.Handle("/api/articles/", monitoring)
	site.Handle("POST /api/articles", staffOnly(ingest.IntakeHandler(d.monitor)))
	site.Handle("/archive/", monitoring)
	clipper := clips.New(db, d.monitorCfg.Archive())
	clipsAPI := staffOnly(clips.Handler(clipper, e.cfg.SiteURL))
	studio.RegisterWork(site, db, auth, studio.Work{Clips: clipper, Letters: letters})
	for _, p := range clips.Patterns {
		site.Handle(p, clipsAPI)
	}
	editions := staffOnly(editorial.APIHandler(db, site.ServePreview))
	site.Handle("/api/editions", editions)
	site.Handle("/api/editions/", editions)
	// Sending a campaign publishes: editors and admins only.
	campaigns := auth.RequireRole(accounts.Editor)(newsletter.APIHandler(letters))
	site.Handle("/api/campaigns", campaigns)
	site.Handle("/api/campaigns/", campaigns)

	// The probes sit in front of the site's middleware: a load balancer
	// asking every few seconds would fill the request log.
	root := http.NewServeMux()
	root.Handle("GET /healthz", ops.Healthz())
	root.Handle("GET /readyz", ops.Readyz(5*time.Second, ops.DatabaseCheck(db), ops.MigrationsCheck(db),
		ops.Check{Name: "blob store", Run: d.blobs.Ready}))
	// The other instances read this one's WARC files not yet uploaded
	// here (PRESSREVIEW_INSTANCE_URL); each request carries a signature
	// only the instances can make (blobs.Options.PeerKey).
	root.Handle(blobs.SpoolPath, d.blobs.Handler())
	root.Handle("/", site.Handler())

	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr / PRESSREVIEW_ADDR: %w", err)
	}
	url := siteURL(e.cfg, ln.Addr())
	srv := &http.Server{
		Handler:           root,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	var metricsSrv *http.Server
	if metrics != nil {
		mln, err := net.Listen("tcp", metricsAddr)
		if err != nil {
			srv.Close()
			return fmt.Errorf("PRESSREVIEW_METRICS_ADDR: %w", err)
		}
		metricsSrv = &http.Server{Handler: metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- metricsSrv.Serve(mln) }()
		e.log.Info("serving metrics", "addr", mln.Addr().String())
	}
	// Jobs run under a context of their own, not ctx: SIGTERM must let
	// the running ones finish (Stop below), not cancel them at once.
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	// Known alive before any job of this instance runs: the leader
	// retries the running jobs of instances that stop beating.
	if err := jobs.Beat(ctx, db, instance); err != nil {
		srv.Close()
		return err
	}
	go jobs.RunBeats(jobCtx, db, instance, e.log)
	if err := queue.Start(jobCtx); err != nil {
		srv.Close()
		return fmt.Errorf("job queue: %w", err)
	}
	// Campaigns that were sending when the last process stopped go on.
	if err := letters.Resume(ctx); err != nil {
		e.log.Error("resume campaigns", "err", err)
	}
	e.log.Info("serving", "url", url, "database", db.Dialect())
	if index, buffers, err := search.Buffers(ctx, db); err != nil {
		e.log.Error("search index size", "err", err)
	} else if index > buffers {
		e.log.Warn("the search index is larger than PostgreSQL's shared_buffers: searches of common words read their rows through the operating system's cache, more slowly; give shared_buffers about a quarter of the server's memory (README, \"Running several instances\")",
			"index_mb", index>>20, "shared_buffers_mb", buffers>>20)
	}
	if ready != nil {
		ready(url)
	}
	select {
	case err := <-errc:
		// A listener failed: the jobs under way still get to finish.
		return errors.Join(err, shutdown(e.log, srv, metricsSrv, queue))
	case <-ctx.Done():
	}
	return shutdown(e.log, srv, metricsSrv, queue)
}

// studioJobsPath is where River's UI is mounted.
const studioJobsPath = "/studio/jobs"

// shutdownGrace is how long in-flight requests and jobs get to finish
// after SIGTERM; orchestrators wait 30 s before SIGKILL by default.
const shutdownGrace = 25 * time.Second

// shutdown stops accepting connections and fetching jobs, waits for the
// requests and jobs under way to end, then cancels the jobs still running
// after the grace period: they fail with the cancellation and River
// retries them on whichever instance fetches them next (the work is
// idempotent). The caller then closes the desk, which hands the current
// WARC file to the blob store.
func shutdown(log *slog.Logger, srv, metricsSrv *http.Server, queue *jobs.Client) error {
	log.Info("shutting down: finishing requests and jobs under way", "grace", shutdownGrace)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	httpDone := make(chan error, 1)
	go func() { httpDone <- srv.Shutdown(ctx) }()
	err := queue.Stop(ctx)
	if err != nil {
		log.Warn("jobs still running after the grace period are cancelled", "err", err)
		hard, cancelHard := context.WithTimeout(context.Background(), 5*time.Second)
		err = queue.StopAndCancel(hard)
		cancelHard()
	}
	if herr := <-httpDone; herr != nil && err == nil {
		err = herr
	}
	if metricsSrv != nil {
		metricsSrv.Close()
	}
	return err
}

// demoMail gives the demo a fresh signing key and a mailbox of its own: an
// SMTP server on loopback whose messages are printed, so a newcomer can
// follow the confirmation link of a subscription without a mail setup.
func demoMail(ctx context.Context, e *env) (newsletter.Config, error) {
	box, err := mailtest.Start()
	if err != nil {
		return newsletter.Config{}, err
	}
	key := make([]byte, 32)
	rand.Read(key)
	nl, _ := e.cfg.Newsletter(hostOf(e.cfg.SiteURL))
	nl.SigningKey = key
	nl.SMTP = newsletter.SMTP{Host: box.Host, Port: box.Port, TLS: "none"}
	go func() {
		defer box.Close()
		printed := 0
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			msgs := box.Messages()
			for _, m := range msgs[printed:] {
				text, _, _ := m.Parts()
				fmt.Fprintf(e.stdout, "\n--- demo mailbox: mail to %s: %s\n%s\n---\n", strings.Join(m.To, ", "), m.Header.Get("Subject"), text)
			}
			printed = len(msgs)
		}
	}()
	return nl, nl.Validate()
}

func hostOf(siteURL string) string {
	u, err := neturl.Parse(siteURL)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return u.Hostname()
}

// siteURL is the configured public URL, except when the port was chosen by
// the system (":0"), where only the listener knows the real one.
func siteURL(cfg config.Config, addr net.Addr) string {
	if _, port, _ := net.SplitHostPort(cfg.Addr); port == "0" {
		return "http://" + addr.String()
	}
	return cfg.SiteURL
}
