package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pressreview/pressreview/internal/store"
)

// The intake's job queues: feed checks and the scheduler on one, page
// fetches on the other, so a burst of new articles never delays checks.
const (
	QueuePoll  = "ingest_poll"
	QueueFetch = "ingest_fetch"
)

// activeStates makes a job unique only while it waits or runs: a finished
// check must not block the next one (River's default counts completed
// jobs too).
var activeStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// PollArgs checks one feed. Run, set by `fetch --once`, keeps one run's
// jobs apart from those a killed run left marked running. Due, set by the
// scheduler, is when the feed fell due, to measure how late checks start.
type PollArgs struct {
	FeedID int64     `json:"feed_id" river:"unique"`
	Run    string    `json:"run,omitempty" river:"unique"`
	Due    time.Time `json:"due,omitzero"`
}

// Kind names the job.
func (PollArgs) Kind() string { return "ingest_poll" }

// InsertOpts makes checks of one feed unique while queued.
func (PollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueuePoll, MaxAttempts: 5,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// ArticleArgs fetches the articles of a batch of feed entries.
type ArticleArgs struct {
	EntryIDs []int64 `json:"entry_ids" river:"unique"`
	Run      string  `json:"run,omitempty" river:"unique"`
}

// Kind names the job.
func (ArticleArgs) Kind() string { return "ingest_articles" }

// InsertOpts makes a batch unique while queued.
func (ArticleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueFetch, MaxAttempts: 10,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// Entries are fetched in batches of batchSize, each stored in one
// transaction. An entry handed to a job is leased for entryLease: the
// scheduler queues it again only if the job has neither stored it nor
// recorded a failure by then (its process died).
const (
	batchSize  = 64
	entryLease = 15 * time.Minute
)

// articleBatches splits entry ids into batch jobs.
func articleBatches(ids []int64, run string) []river.InsertManyParams {
	var out []river.InsertManyParams
	for len(ids) > 0 {
		n := min(batchSize, len(ids))
		out = append(out, river.InsertManyParams{Args: ArticleArgs{EntryIDs: ids[:n:n], Run: run}})
		ids = ids[n:]
	}
	return out
}

// leaseEntries marks entries as handed to a job until until.
func leaseEntries(ctx context.Context, q store.Querier, ids []int64, until time.Time) error {
	for len(ids) > 0 {
		n := min(500, len(ids))
		args := []any{until}
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		_, err := q.ExecContext(ctx, `UPDATE feed_entries SET next_attempt_at = ?
			WHERE state = 'pending' AND id IN (?`+strings.Repeat(", ?", n-1)+`)`, args...)
		if err != nil {
			return fmt.Errorf("lease %d feed entries: %w", n, err)
		}
		ids = ids[n:]
	}
	return nil
}

// RefetchArgs fetches a quoted article again to see whether it changed.
type RefetchArgs struct {
	ArticleID int64 `json:"article_id" river:"unique"`
}

// Kind names the job.
func (RefetchArgs) Kind() string { return "ingest_refetch" }

// InsertOpts makes re-fetches of one article unique while queued.
func (RefetchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueFetch, MaxAttempts: 5,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// ScheduleArgs looks for due feeds, entries to retry and quoted articles
// to re-fetch, and queues them.
type ScheduleArgs struct{}

// Kind names the job.
func (ScheduleArgs) Kind() string { return "ingest_schedule" }

// InsertOpts keeps one scheduler run queued at a time.
func (ScheduleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueuePoll, MaxAttempts: 3,
		UniqueOpts: river.UniqueOpts{ByState: activeStates}}
}

type pollWorker struct {
	river.WorkerDefaults[PollArgs]
	s *Service
}

func (w *pollWorker) Work(ctx context.Context, job *river.Job[PollArgs]) error {
	if !job.Args.Due.IsZero() {
		w.s.notePollLag(w.s.now().Sub(job.Args.Due))
	}
	_, err := w.s.poll(ctx, job.Args.FeedID, w.s.enqueueArticles(job.Args.Run))
	if errors.Is(err, store.ErrNotFound) {
		return nil // the feed was removed
	}
	return err
}

type articleWorker struct {
	river.WorkerDefaults[ArticleArgs]
	s *Service
}

func (w *articleWorker) Work(ctx context.Context, job *river.Job[ArticleArgs]) error {
	return w.s.FetchEntries(ctx, job.Args.EntryIDs)
}

type refetchWorker struct {
	river.WorkerDefaults[RefetchArgs]
	s *Service
}

func (w *refetchWorker) Work(ctx context.Context, job *river.Job[RefetchArgs]) error {
	_, err := w.s.Refetch(ctx, job.Args.ArticleID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	s *Service
}

func (w *scheduleWorker) Work(ctx context.Context, _ *river.Job[ScheduleArgs]) error {
	return w.s.enqueueDue(ctx, river.ClientFromContext[*sql.Tx](ctx))
}

// Register adds the intake's workers.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &pollWorker{s: s})
	river.AddWorker(w, &articleWorker{s: s})
	river.AddWorker(w, &refetchWorker{s: s})
	river.AddWorker(w, &scheduleWorker{s: s})
}

// Queues is the queue configuration the workers need. Feed checks run
// Config.PollConcurrency at a time: they mostly wait, and a feed that
// hangs until the timeout must not hold up the others. Three article
// batches run at a time and share the service's Config.Concurrency fetch
// workers, so the workers stay busy while a batch stores its last pages
// and the queue hands out the next one.
func (s *Service) Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{
		QueuePoll:  {MaxWorkers: s.cfg.PollConcurrency},
		QueueFetch: {MaxWorkers: 3},
	}
}

// PeriodicJobs runs the scheduler every Config.PollEvery (of the
// service's clock), and once at start so a restarted instance picks up
// what is due at once.
func (s *Service) PeriodicJobs() []*river.PeriodicJob {
	every := time.Duration(float64(s.cfg.PollEvery) / s.cfg.TimeScale)
	return []*river.PeriodicJob{river.NewPeriodicJob(
		river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return ScheduleArgs{}, nil },
		&river.PeriodicJobOpts{ID: "ingest_schedule", RunOnStart: true},
	)}
}

// enqueueArticles queues fetches for new entries in the poll's
// transaction, so entries and their jobs commit or vanish together.
func (s *Service) enqueueArticles(run string) enqueueFunc {
	return func(ctx context.Context, tx *store.Tx, ids []int64, now time.Time) error {
		client, err := river.ClientFromContextSafely[*sql.Tx](ctx)
		if err != nil {
			return fmt.Errorf("queue article fetches: %w", err)
		}
		if err := leaseEntries(ctx, tx, ids, now.Add(s.wall(entryLease))); err != nil {
			return err
		}
		if _, err := client.InsertManyFastTx(ctx, tx.SQLTx(), articleBatches(ids, run)); err != nil {
			return fmt.Errorf("queue %d article fetches: %w", len(ids), err)
		}
		return nil
	}
}

// schedulerBatch bounds what one scheduler run queues of each kind; the
// next run, a PollEvery later, takes the rest.
const schedulerBatch = 5000

// feedLease is how long a queued feed is out of the scheduler's sight:
// its check moves next_check_at on when it ends, and if the process dies
// first the feed is due again after the lease. Without it every run
// would offer the job queue again each feed still waiting in it.
const feedLease = 15 * time.Minute

// enqueueDue queues checks of due feeds, retries of due entries and
// re-fetches of due quoted articles.
func (s *Service) enqueueDue(ctx context.Context, client *river.Client[*sql.Tx]) error {
	now := s.now()
	params, err := s.dueFeeds(ctx, now)
	if err != nil {
		return err
	}
	entryIDs, err := ids(ctx, s.db, `SELECT id FROM feed_entries WHERE state = 'pending' AND next_attempt_at <= ?
		ORDER BY next_attempt_at LIMIT ?`, now, schedulerBatch)
	if err != nil {
		return fmt.Errorf("due feed entries: %w", err)
	}
	if err := leaseEntries(ctx, s.db, entryIDs, now.Add(s.wall(entryLease))); err != nil {
		return err
	}
	params = append(params, articleBatches(entryIDs, "")...)
	quoted, err := s.dueRefetches(ctx, now)
	if err != nil {
		return err
	}
	for _, id := range quoted {
		params = append(params, river.InsertManyParams{Args: RefetchArgs{ArticleID: id}})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := client.InsertManyFast(ctx, params); err != nil {
		return fmt.Errorf("queue due work: %w", err)
	}
	return nil
}

// dueFeeds leases the feeds due at now and returns their checks, ordered
// so that consecutive checks go to different hosts: the queue hands jobs
// out in order, and a run of one host's feeds would have the workers
// wait for that host's turn one after the other.
func (s *Service) dueFeeds(ctx context.Context, now time.Time) ([]river.InsertManyParams, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, url, next_check_at FROM feeds
		WHERE next_check_at <= ? ORDER BY next_check_at LIMIT ?`, now, schedulerBatch)
	if err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	defer rows.Close()
	type due struct {
		id int64
		at time.Time
	}
	byHost := map[string][]due{}
	var hosts []string // in order of their most overdue feed
	var feedIDs []int64
	for rows.Next() {
		var d due
		var u string
		if err := rows.Scan(&d.id, &u, &d.at); err != nil {
			return nil, fmt.Errorf("due feeds: %w", err)
		}
		h := feedHost(u)
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], d)
		feedIDs = append(feedIDs, d.id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	rows.Close()
	leased, err := leaseFeeds(ctx, s.db, feedIDs, now, now.Add(s.wall(feedLease)))
	if err != nil {
		return nil, err
	}
	var params []river.InsertManyParams
	for round, left := 0, true; left; round++ {
		left = false
		for _, h := range hosts {
			if fs := byHost[h]; round < len(fs) {
				left = true
				if leased[fs[round].id] {
					params = append(params, river.InsertManyParams{Args: PollArgs{FeedID: fs[round].id, Due: fs[round].at}})
				}
			}
		}
	}
	return params, nil
}

// feedHost is the host a feed URL names, for spreading checks over hosts.
func feedHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Host)
}

// leaseFeeds moves the next check of due feeds to until and returns those
// it leased: not a feed whose check finished since it was read, and which
// is therefore no longer due.
func leaseFeeds(ctx context.Context, q store.Querier, ids []int64, now, until time.Time) (map[int64]bool, error) {
	leased := make(map[int64]bool, len(ids))
	for len(ids) > 0 {
		n := min(500, len(ids))
		args := []any{until, now}
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		rows, err := q.QueryContext(ctx, `UPDATE feeds SET next_check_at = ?
			WHERE next_check_at <= ? AND id IN (?`+strings.Repeat(", ?", n-1)+`) RETURNING id`, args...)
		if err != nil {
			return nil, fmt.Errorf("lease %d feeds: %w", n, err)
		}
		got, err := store.Column[int64](rows)
		if err != nil {
			return nil, fmt.Errorf("lease %d feeds: %w", n, err)
		}
		for _, id := range got {
			leased[id] = true
		}
		ids = ids[n:]
	}
	return leased, nil
}

// ids runs a query that returns one integer column.
func ids(ctx context.Context, q store.Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return store.Column[int64](rows)
}
