package newsletter

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
)

// The newsletter's job queues. Senders have their own queue, so that its
// MaxWorkers bounds the SMTP connections (and the rows in flight) of one
// process exactly; confirmation mail, notices and scheduled starts use the
// other.
const (
	Queue     = "newsletter"
	SendQueue = "newsletter_send"
)

// RescueStuckJobsAfter is the value for jobs.Config.RescueStuckJobsAfter in
// a process that runs the newsletter's workers. The delivery ledger needs
// no rescue (leases hand a dead sender's rows on), but confirmation mails
// and notices live in their jobs: after a SIGKILL they wait this long
// instead of River's default (an hour past the job timeout). The five
// minutes past jobs.JobTimeout let a timed-out job record what it sent
// before anyone may run it again.
const RescueStuckJobsAfter = jobs.JobTimeout + 5*time.Minute

// Service is the newsletter: its store, settings, signer and job queue.
//
// Wiring, in order:
//
//	svc, err := newsletter.New(db, cfg)
//	workers := river.NewWorkers()
//	svc.AddWorkers(workers)
//	client, err := jobs.New(db, jobs.Config{Workers: workers, Queues: svc.Queues(),
//		RescueStuckJobsAfter: newsletter.RescueStuckJobsAfter})
//	svc.Attach(client)
//	client.Start(ctx); svc.Resume(ctx) // re-wakes campaigns a crash left sending
type Service struct {
	db     *store.DB
	cfg    Config
	signer *Signer
	links  *Links
	jobs   *jobs.Client
	mailer *mailer
	limit  *limiter
	// worker names this process in claimed_by, so that a lapsed claim can
	// be told from a live one in the ledger.
	worker string
}

// New checks cfg and returns the service.
func New(db *store.DB, cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg.withDefaults()
	s := &Service{db: db, cfg: c, signer: NewSigner(c.SigningKey), worker: newUID()[:12]}
	s.links = &Links{site: strings.TrimRight(c.SiteURL, "/"), signer: s.signer, cfg: &s.cfg}
	m, err := newMailer(&s.cfg)
	if err != nil {
		return nil, err
	}
	s.mailer = m
	s.limit = newLimiter(c.Rate)
	return s, nil
}

// AddWorkers registers the newsletter's job workers.
func (s *Service) AddWorkers(w *river.Workers) {
	river.AddWorker(w, &sendWorker{s: s})
	river.AddWorker(w, &startWorker{s: s})
	river.AddWorker(w, &mailWorker{s: s})
	river.AddWorker(w, &noticeWorker{s: s})
}

// Queues is the queue configuration the workers need: one sender per SMTP
// connection, and two workers for confirmation mail, notices and scheduled
// starts.
func (s *Service) Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{
		SendQueue: {MaxWorkers: s.cfg.Concurrency},
		Queue:     {MaxWorkers: 2},
	}
}

// Attach gives the service the job queue client it enqueues work on.
func (s *Service) Attach(c *jobs.Client) { s.jobs = c }

// Signer returns the link signer (the web handlers verify tokens with it).
func (s *Service) Signer() *Signer { return s.signer }

// Links returns the per-recipient link builder.
func (s *Service) Links() *Links { return s.links }

// Config returns the effective configuration, defaults applied.
func (s *Service) Config() Config { return s.cfg }

// DB returns the store.
func (s *Service) DB() *store.DB { return s.db }

func (s *Service) queue() (*jobs.Client, error) {
	if s.jobs == nil {
		return nil, errors.New("newsletter: no job queue attached (call Attach)")
	}
	return s.jobs, nil
}

func notFound(what string, key any, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %v: %w", what, key, store.ErrNotFound)
	}
	return fmt.Errorf("%s %v: %w", what, key, err)
}

// WorkerID names this process in the ledger's claimed_by column.
func (s *Service) WorkerID() string { return s.worker }
