// Package ingest is the monitoring desk's intake: it polls outlets' feeds
// on the job queue, fetches and extracts every announced article, keeps
// each fetched page as WARC evidence, removes duplicates (same URL, same
// text) and groups reprints of one story, re-fetches quoted articles to
// record edits and deletions, and takes articles by hand (by URL, or
// pasted text from print, TV or Telegram).
//
// Nothing is lost and nothing is done twice: a feed's new items are
// recorded (feed_entries) in the same transaction as the feed's new
// validators, so a process killed after a poll still fetches them on
// restart; articles are upserted on their canonical URL and, within an
// outlet, their content hash, so a job run twice stores one article.
//
// A fetched page is stored once, in its WARC capture (with its SHA-256
// digests), which the article links to (articles.capture_id → captures);
// articles.html stays empty for it, and [Service.ArticleHTML] reads the
// page back from the capture, decoded to UTF-8 as the fetcher decoded it.
// Only pasted HTML (manual intake), which has no capture, is stored in
// articles.html. Rows written before this rule may still hold a fetched
// page there; ArticleHTML returns it as is.
//
// The store is the pipeline's cost beyond fetching, archiving and
// extracting (docs/benchmarks.md, issue 16, item 1), so a page is
// normalized once, in its fetch worker, for its dedup keys, its story
// comparison and its search terms; pages are stored in groups (up to 64 a
// transaction, waiting up to 250 ms for 16 while more are fetched); and
// story grouping compares a new article with its near duplicates' tokens
// kept in memory by content hash, reading a text back only when it is not
// kept.
//
// Wiring, in order:
//
//	svc, err := ingest.New(db, cfg)
//	workers := river.NewWorkers()
//	svc.Register(workers)
//	client, err := jobs.New(db, jobs.Config{Workers: workers, Queues: svc.Queues(), PeriodicJobs: svc.PeriodicJobs()})
//	client.Start(ctx)
//	defer svc.Close()
package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// Service is the intake: store, fetcher, archive and extractor.
type Service struct {
	db      *store.DB
	cfg     Config
	fetcher *fetch.Fetcher
	extract extract.Extractor
	log     *slog.Logger
	// queueLog takes the job queue's own reports in RunOnce (River logs
	// every start and stop at info); nil sends them to log.
	queueLog *slog.Logger
	now      func() time.Time

	// pollLag is the longest a feed check has waited past its due time
	// before it started, in nanoseconds of the service's clock.
	pollLag atomic.Int64

	// fetchSlots bounds the pages fetched and extracted at once, across
	// all batch jobs, to Config.Concurrency.
	fetchSlots chan struct{}

	archiveMu sync.Mutex
	archive   *archive.Writer

	// forms keeps the story forms of the texts stored last (storyForms).
	forms *storyForms

	// stored keeps the texts of the canonical URLs stored last
	// (storedTexts).
	stored storedTexts

	// writeMu queues this process's writing transactions on SQLite, which
	// allows one writer at a time: waiting here costs a mutex hand-off,
	// while waiting in SQLite's busy handler costs sleeps of up to 100 ms.
	writeMu sync.Mutex
}

// New returns the service. It opens no WARC file until the first fetch.
func New(db *store.DB, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	return &Service{
		db:         db,
		cfg:        cfg,
		fetchSlots: make(chan struct{}, cfg.Concurrency),
		fetcher:    fetch.New(cfg.fetchConfig()),
		extract:    extract.Extractor{DetectLanguage: detectAnalyzed},
		log:        slog.New(slog.DiscardHandler),
		now:        clock(cfg.TimeScale),
		forms:      newStoryForms(),
		stored:     newStoredTexts(),
	}, nil
}

// clock is the service's time: the wall clock, or with a scale above one
// a clock that runs that much faster from now on (Config.TimeScale).
func clock(scale float64) func() time.Time {
	if scale == 1 {
		return func() time.Time { return time.Now().UTC() }
	}
	start := time.Now()
	return func() time.Time {
		return start.Add(time.Duration(float64(time.Since(start)) * scale)).UTC()
	}
}

// wall converts a wall-clock duration to the service's clock. Leases
// stand for a job the queue may still run — it gives up on jobs after
// jobs.JobTimeout of wall-clock time — so they last that long whatever
// the clock's speed; counted on a faster clock they would expire while
// the job still waits, and the scheduler would queue the work again.
func (s *Service) wall(d time.Duration) time.Duration {
	return time.Duration(float64(d) * s.cfg.TimeScale)
}

// PollLag is the longest a feed check of this process has started after
// the feed fell due (in the service's time, see Config.TimeScale): how far
// the scheduler and the poll workers have fallen behind at worst.
func (s *Service) PollLag() time.Duration { return time.Duration(s.pollLag.Load()) }

// notePollLag records a check that started late after due.
func (s *Service) notePollLag(late time.Duration) {
	for {
		cur := s.pollLag.Load()
		if int64(late) <= cur || s.pollLag.CompareAndSwap(cur, int64(late)) {
			return
		}
	}
}

// SetLogger sends the service's log lines (job failures) to l.
func (s *Service) SetLogger(l *slog.Logger) {
	if l != nil {
		s.log = l
	}
}

// SetQueueLogger sends the reports of the job queue that RunOnce starts
// to l, so that a command can keep them below its own progress lines.
func (s *Service) SetQueueLogger(l *slog.Logger) { s.queueLog = l }

// Close closes the current WARC file.
func (s *Service) Close() error {
	s.archiveMu.Lock()
	defer s.archiveMu.Unlock()
	if s.archive == nil {
		return nil
	}
	err := s.archive.Close()
	s.archive = nil
	return err
}

// detectLanguage prefers what the text says over what the page declares:
// Iranian sites often declare "en" or nothing on Persian pages. For
// languages internal/text does not know, the declared primary subtag stays.
func detectLanguage(body, declared string) string {
	l, _ := detectAnalyzed(body, declared)
	return l
}

// detectAnalyzed is detectLanguage for the extractor's hook: it also hands
// on the text's matching form when detection computed it for the whole
// text (a *textForm, nil otherwise), which the article's dedup keys and
// index terms are made from (Article.dedupKeys).
func detectAnalyzed(body, declared string) (string, any) {
	l, normalized, tokens, ok := text.LanguageAnalyzed(body)
	var form any
	if ok {
		form = &textForm{text: body, normalized: normalized, tokens: tokens}
	}
	if l == "" {
		l, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(declared)), "-")
	}
	return l, form
}

// textForm is text.Analyze of text.
type textForm struct {
	text, normalized string
	tokens           []string
}

// writer opens the WARC writer on first use, so commands that fetch
// nothing leave no empty WARC file behind.
func (s *Service) writer() (*archive.Writer, error) {
	s.archiveMu.Lock()
	defer s.archiveMu.Unlock()
	if s.archive != nil {
		return s.archive, nil
	}
	w, err := archive.NewWriter(archive.Config{Dir: s.cfg.ArchiveDir(), Prefix: "pressreview", NoSync: s.cfg.ArchiveNoSync,
		Blobs: s.cfg.Blobs, MaxFileAge: s.cfg.ArchiveMaxAge})
	if err != nil {
		return nil, fmt.Errorf("open WARC archive in %s: %w", s.cfg.ArchiveDir(), err)
	}
	s.archive = w
	return w, nil
}

// indexArticle brings the search index up to date for one article in the
// caller's transaction.
func indexArticle(ctx context.Context, q store.Querier, id int64) error {
	return search.IndexArticle(ctx, q, id)
}

// inTx runs fn in a transaction, one at a time on SQLite (see writeMu).
func (s *Service) inTx(ctx context.Context, fn func(*store.Tx) error) error {
	if s.db.Dialect() == store.SQLite {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	return s.db.InTx(ctx, fn)
}
