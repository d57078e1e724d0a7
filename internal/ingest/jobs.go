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

// Entries are fetched in batches of up to batchSize, each group of pages
// ready together stored in one transaction. An entry handed to a job is
// leased for entryLease: the scheduler hands it out again only if the job
// has neither stored it nor recorded a failure by then (its process died).
const (
	batchSize  = 64
	entryLease = 15 * time.Minute
)

// articleBatches splits entry ids into batch jobs, in their order.
func articleBatches(ids []int64, run string) []river.InsertManyParams {
	var out []river.InsertManyParams
	for len(ids) > 0 {
		n := min(batchSize, len(ids))
		out = append(out, river.InsertManyParams{Args: ArticleArgs{EntryIDs: ids[:n:n], Run: run}})
		ids = ids[n:]
	}
	return out
}

// dueTurns lists pending entries in the order they are to be fetched:
// round-robin over their hosts (every host's first entry, then every
// host's second, …), each host's oldest first, at most perHost of a host
// and limit in all. cond narrows the rows of feed_entries e, joined to
// feeds f, with condArgs. Consecutive entries are then on different hosts
// as long as several hosts have work, so the fetch workers of a batch
// do not wait for one host's turn after another.
func dueTurns(ctx context.Context, q store.Querier, cond string, condArgs []any, perHost, limit int) ([]entryTurn, error) {
	args := append(append([]any{}, condArgs...), perHost, limit)
	rows, err := q.QueryContext(ctx, `SELECT id, host FROM (
			SELECT e.id, e.host, e.next_attempt_at,
				ROW_NUMBER() OVER (PARTITION BY e.host ORDER BY e.next_attempt_at, e.id) AS turn
			FROM feed_entries e JOIN feeds f ON f.id = e.feed_id
			WHERE e.state = 'pending'`+cond+`) due
		WHERE turn <= ? ORDER BY turn, next_attempt_at, id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("pending feed entries: %w", err)
	}
	defer rows.Close()
	var out []entryTurn
	for rows.Next() {
		var t entryTurn
		if err := rows.Scan(&t.id, &t.host); err != nil {
			return nil, fmt.Errorf("pending feed entries: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending feed entries: %w", err)
	}
	return out, nil
}

type entryTurn struct {
	id   int64
	host string
}

// perHostLease bounds the entries of one host at work (leased) at once:
// what the host can serve, one request per host delay, until the
// scheduler's next run, and one more so that its next page is at hand
// when its turn comes. A batch then never holds more of one host than it
// can fetch before the next run, and the host's other entries wait in the
// table, not in a job that would hold the queue's workers. Without a host
// delay the run's own bound is the only one.
func (s *Service) perHostLease() int {
	if s.cfg.HostDelay <= 0 {
		return schedulerBatch
	}
	period := time.Duration(float64(s.cfg.PollEvery) / s.cfg.TimeScale) // wall-clock time
	return int((period+s.cfg.HostDelay-1)/s.cfg.HostDelay) + 1
}

// leaseDue leases the entries due at now — pending, past their back-off,
// not at work — of the feeds chosen by sel (a " WHERE f.id IN …" clause
// from feedSelection; all feeds when empty), at most perHostLease per
// host counting those already at work, and returns them as batch jobs in
// round-robin order over their hosts. held reports that due entries were
// left for a later call: their host's limit, or the batch's, was reached.
func (s *Service) leaseDue(ctx context.Context, now time.Time, sel string, selArgs []any, run string) (_ []river.InsertManyParams, held bool, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT host, COUNT(*) FROM feed_entries
		WHERE state = 'pending' AND leased_until > ? GROUP BY host`, now)
	if err != nil {
		return nil, false, fmt.Errorf("feed entries at work: %w", err)
	}
	atWork := map[string]int{}
	for rows.Next() {
		var h string
		var n int
		if err := rows.Scan(&h, &n); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("feed entries at work: %w", err)
		}
		atWork[h] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("feed entries at work: %w", err)
	}
	perHost := s.perHostLease()
	cond := ` AND e.next_attempt_at <= ? AND (e.leased_until IS NULL OR e.leased_until <= ?)` +
		strings.Replace(sel, "WHERE", "AND", 1)
	due, err := dueTurns(ctx, s.db, cond, append([]any{now, now}, selArgs...), perHost, schedulerBatch)
	if err != nil {
		return nil, false, err
	}
	held = len(due) == schedulerBatch
	var pick []int64
	for _, t := range due {
		if atWork[t.host] < perHost {
			atWork[t.host]++
			pick = append(pick, t.id)
		} else {
			held = true
		}
	}
	leased, err := leaseEntries(ctx, s.db, pick, now, now.Add(s.wall(entryLease)), false)
	if err != nil {
		return nil, false, err
	}
	return articleBatches(leased, run), held, nil
}

// leaseEntries marks pending entries as handed to a job until until and
// returns those it leased, in the order given: unless takeOver, not one
// another job holds (leased past now), done or given up since it was read.
// takeOver is for `fetch --once`, which takes over what a killed run held.
func leaseEntries(ctx context.Context, q store.Querier, ids []int64, now, until time.Time, takeOver bool) ([]int64, error) {
	got := make(map[int64]bool, len(ids))
	for rest := ids; len(rest) > 0; {
		n := min(500, len(rest))
		args := []any{until}
		free := ` AND (leased_until IS NULL OR leased_until <= ?)`
		if takeOver {
			free = ""
		} else {
			args = append(args, now)
		}
		for _, id := range rest[:n] {
			args = append(args, id)
		}
		rows, err := q.QueryContext(ctx, `UPDATE feed_entries SET leased_until = ?
			WHERE state = 'pending'`+free+` AND id IN (?`+strings.Repeat(", ?", n-1)+`) RETURNING id`, args...)
		if err != nil {
			return nil, fmt.Errorf("lease %d feed entries: %w", n, err)
		}
		leased, err := store.Column[int64](rows)
		if err != nil {
			return nil, fmt.Errorf("lease %d feed entries: %w", n, err)
		}
		for _, id := range leased {
			got[id] = true
		}
		rest = rest[n:]
	}
	out := make([]int64, 0, len(got))
	for _, id := range ids {
		if got[id] {
			out = append(out, id)
		}
	}
	return out, nil
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

// ScheduleArgs looks for due feeds, due entries (new, or to retry) and
// quoted articles to re-fetch, and queues them.
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
	s     *Service
	ended func(workEnd)
}

func (w *pollWorker) Work(ctx context.Context, job *river.Job[PollArgs]) (err error) {
	if w.ended != nil {
		defer func() { w.ended(workEnd{job.ID, job.Kind, err}) }()
	}
	if !job.Args.Due.IsZero() {
		w.s.notePollLag(w.s.now().Sub(job.Args.Due))
	}
	// The check's new entries wait in the table, due at once: the
	// scheduler (or `fetch --once`) hands them out spread over hosts.
	_, err = w.s.PollFeed(ctx, job.Args.FeedID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the feed was removed
	}
	return err
}

type articleWorker struct {
	river.WorkerDefaults[ArticleArgs]
	s     *Service
	ended func(workEnd)
}

func (w *articleWorker) Work(ctx context.Context, job *river.Job[ArticleArgs]) (err error) {
	if w.ended != nil {
		defer func() { w.ended(workEnd{job.ID, job.Kind, err}) }()
	}
	return w.s.FetchEntries(ctx, job.Args.EntryIDs)
}

// workEnd is a feed check or an article batch whose Work returned in this
// process, as its worker tells `fetch --once` (RunOnce): at once, where
// River's event for the job follows its completer's next write, up to
// 250 ms later.
type workEnd struct {
	id   int64
	kind string
	err  error
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
func (s *Service) Register(w *river.Workers) { s.register(w, nil) }

// register adds the service's workers to w; ended, when set, hears of
// every feed check and article batch whose Work returned.
func (s *Service) register(w *river.Workers, ended func(workEnd)) {
	river.AddWorker(w, &pollWorker{s: s, ended: ended})
	river.AddWorker(w, &articleWorker{s: s, ended: ended})
	river.AddWorker(w, &refetchWorker{s: s})
	river.AddWorker(w, &scheduleWorker{s: s})
}

// Queues is the queue configuration the workers need. Feed checks run
// Config.PollConcurrency at a time: they mostly wait, and a feed that
// hangs until the timeout must not hold up the others. Three article
// batches run at a time and share the service's Config.Concurrency fetch
// workers, so the workers stay busy while a batch stores its last pages
// and the queue hands out the next one; a page whose host's turn has not
// come holds no worker (fetchInTurn), and a batch holds few pages of one
// host (perHostLease).
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

// schedulerBatch bounds what one scheduler run queues of each kind; the
// next run, a PollEvery later, takes the rest.
const schedulerBatch = 5000

// feedLease is how long a queued feed is out of the scheduler's sight:
// its check moves next_check_at on when it ends, and if the process dies
// first the feed is due again after the lease. Without it every run
// would offer the job queue again each feed still waiting in it.
const feedLease = 15 * time.Minute

// enqueueDue queues checks of due feeds, fetches of due entries (new or
// to retry) and re-fetches of due quoted articles.
func (s *Service) enqueueDue(ctx context.Context, client *river.Client[*sql.Tx]) error {
	now := s.now()
	params, err := s.dueFeeds(ctx, now)
	if err != nil {
		return err
	}
	batches, _, err := s.leaseDue(ctx, now, "", nil, "")
	if err != nil {
		return err
	}
	params = append(params, batches...)
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
