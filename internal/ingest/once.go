package ingest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pressreview/pressreview/internal/jobs"
)

// Progress counts what a `fetch --once` run has done so far.
type Progress struct {
	Feeds, FeedsChecked, FeedsFailed int
	// Entries are the feed items to fetch in this run; Stored and Failed
	// those attempted so far.
	Entries, Stored, Failed int
}

// Done reports whether every feed was checked and every item attempted.
func (p Progress) Done() bool {
	return p.FeedsChecked == p.Feeds && p.Stored+p.Failed >= p.Entries
}

func (p Progress) String() string {
	return fmt.Sprintf("feeds %d/%d checked (%d failing), articles %d/%d (%d stored, %d failed)",
		p.FeedsChecked, p.Feeds, p.FeedsFailed, p.Stored+p.Failed, p.Entries, p.Stored, p.Failed)
}

// jobFailureLimit is how many times a job may fail with a local error
// (database, disk) before `fetch --once` gives up and reports it.
const jobFailureLimit = 3

// RunOnce checks the given feeds (all when feedIDs is empty) now and
// fetches every item they announce that is not stored yet, including
// items a previous, interrupted run recorded but did not fetch. The work
// runs as jobs on the queue in this process; progress, when set, is
// called about once a second and when the run's jobs have ended. Failures
// of the outlets are recorded on feeds and entries, not returned.
func (s *Service) RunOnce(ctx context.Context, feedIDs []int64, progress func(Progress)) (Progress, error) {
	start := s.now().Truncate(time.Millisecond)
	sel, args := feedSelection(feedIDs)
	feedList, err := ids(ctx, s.db, `SELECT f.id FROM feeds f`+sel+` ORDER BY f.id`, args...)
	if err != nil {
		return Progress{}, fmt.Errorf("fetch: list feeds: %w", err)
	}
	workers := river.NewWorkers()
	// The workers tell the loop below of each job they end at once; River's
	// events follow its completer's writes, up to 250 ms later, and the
	// first lease after the feed checks and the end of the run waited for
	// them (0.15 s and up to 0.55 s in BenchmarkIngestOverhead's runs, of
	// which a quiet machine's take 7–10 s), with the cores idle. A report
	// that finds the channel full is left to River's event.
	ends := make(chan workEnd, 64)
	s.register(workers, func(e workEnd) {
		select {
		case ends <- e:
		default:
		}
	})
	qlog := s.queueLog
	if qlog == nil {
		qlog = s.log
	}
	client, err := jobs.New(s.db, jobs.Config{Workers: workers, Queues: s.Queues(), Logger: qlog})
	if err != nil {
		return Progress{}, err
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	defer cancel()

	run := runToken()
	// Every pending item of the feeds, whatever its back-off, and those a
	// killed run held: this run takes them over.
	pending, err := dueTurns(ctx, s.db, strings.Replace(sel, "WHERE", "AND", 1), args, math.MaxInt32, math.MaxInt32)
	if err != nil {
		return Progress{}, fmt.Errorf("fetch: %w", err)
	}
	pendingIDs := make([]int64, len(pending))
	for i, e := range pending {
		pendingIDs[i] = e.id
	}
	now := s.now()
	leased, err := leaseEntries(ctx, s.db, pendingIDs, now, now.Add(s.wall(entryLease)), true)
	if err != nil {
		return Progress{}, err
	}
	params := articleBatches(leased, run)
	for _, id := range feedList {
		params = append(params, river.InsertManyParams{Args: PollArgs{FeedID: id, Run: run}})
	}
	// inFlight counts the jobs this run queued that this process has not
	// seen end (by its worker's report or River's event, whichever comes
	// first). The run can only be done when none is left, so progress is
	// read then, and otherwise once a second (onceEvery) for the caller and
	// for what neither shows: another process's workers taking a job, a
	// dropped event. The scheduler's lease query likewise runs when
	// a feed check ends (it found new items), when an article job ends
	// while the last lease held items back (their host's limit, the batch
	// limit), and once a second (back-offs that ran out). Asked every
	// 100 ms to 1 s instead, the two queries cost 0.15–0.2 ms of CPU time
	// a page on SQLite, more the slower the run.
	var p Progress
	var lastProgress time.Time
	// The run's start took every pending item; what the feed checks find
	// is leased as soon as the first check ends, not onceMinWait after a
	// lease at the start that could find nothing (the first page was
	// fetched 0.1 s later for it in BenchmarkIngestOverhead, whose run
	// takes 5.5 s).
	lastLease := time.Now().Add(-onceMinWait)
	var progressCost time.Duration
	wantLease, heldBack := false, false
	inFlight := 0
	// counted holds the jobs counted out of inFlight by one of the two
	// reports, the worker's or River's, until the other one comes.
	counted := map[int64]bool{}
	jobEnded := func(id int64, kind string) {
		if counted[id] {
			delete(counted, id)
			return
		}
		counted[id] = true
		inFlight--
		if kind == (PollArgs{}).Kind() || heldBack && kind == (ArticleArgs{}).Kind() {
			wantLease = true
		}
	}
	// Queued before the client starts, so that its producers' first
	// fetch finds them: queued after, they waited for the next fetch
	// (FetchCooldown, 50 ms), with the cores idle.
	if len(params) > 0 {
		n, err := client.InsertManyFast(ctx, params)
		if err != nil {
			return Progress{}, fmt.Errorf("fetch: queue jobs: %w", err)
		}
		inFlight += n
	}
	if err := client.Start(ctx); err != nil {
		return Progress{}, fmt.Errorf("fetch: start job queue: %w", err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_ = client.Stop(stop)
	}()

	for {
		if since := time.Since(lastLease); since >= onceEvery || wantLease && since >= onceMinWait {
			// The items the checks found, as the scheduler hands them out.
			lastLease = time.Now()
			batches, held, err := s.leaseDue(ctx, s.now(), sel, args, run)
			if err != nil {
				return Progress{}, fmt.Errorf("fetch: %w", err)
			}
			wantLease, heldBack = false, held
			if len(batches) > 0 {
				n, err := client.InsertManyFast(ctx, batches)
				if err != nil {
					return Progress{}, fmt.Errorf("fetch: queue article fetches: %w", err)
				}
				inFlight += n
			}
		}
		// The progress query counts the run's entries, so it costs more the
		// larger the run (17 ms at 10,000 pages on SQLite): asked again no
		// sooner than twenty times as long as it took, it keeps to a
		// twentieth of a core should inFlight be off.
		soonest := min(max(onceMinWait, 20*progressCost), onceEvery)
		if since := time.Since(lastProgress); since >= onceEvery || inFlight <= 0 && since >= soonest {
			lastProgress = time.Now()
			var err error
			if p, err = s.progress(ctx, sel, args, start); err != nil {
				return p, err
			}
			progressCost = time.Since(lastProgress)
			if progress != nil {
				progress(p)
			}
			if p.Done() {
				return p, nil
			}
		}
		// Wake for the next periodic query, or, when a query is wanted
		// sooner, once the last of its kind is onceMinWait old.
		leaseIn, progressIn := onceEvery, onceEvery
		if wantLease {
			leaseIn = onceMinWait
		}
		if inFlight <= 0 {
			progressIn = soonest
		}
		timer := time.NewTimer(min(time.Until(lastLease.Add(leaseIn)), time.Until(lastProgress.Add(progressIn))))
		select {
		case <-ctx.Done():
			timer.Stop()
			return p, ctx.Err()
		case ev := <-events:
			timer.Stop()
			ended := ev.Kind != river.EventKindJobFailed || ev.Job.FinalizedAt != nil
			if ev.Kind == river.EventKindJobFailed {
				if ev.Job.Attempt >= jobFailureLimit {
					return p, fmt.Errorf("fetch: job %s %s failed %d times: %s", ev.Job.Kind, ev.Job.EncodedArgs,
						ev.Job.Attempt, lastError(ev.Job.Errors))
				}
				s.log.Warn("job failed, will retry", "kind", ev.Job.Kind, "args", string(ev.Job.EncodedArgs),
					"error", lastError(ev.Job.Errors))
			}
			if ended {
				jobEnded(ev.Job.ID, ev.Job.Kind)
			}
		case e := <-ends:
			timer.Stop()
			if e.err == nil {
				jobEnded(e.id, e.kind)
			}
		case <-timer.C:
		}
	}
}

// onceEvery is how often `fetch --once` reads its progress and leases due
// items at least; onceMinWait is the least time between two reads of
// either, however many jobs end meanwhile.
const (
	onceEvery   = time.Second
	onceMinWait = 100 * time.Millisecond
)

func lastError(errs []rivertype.AttemptError) string {
	if len(errs) == 0 {
		return "unknown error"
	}
	return errs[len(errs)-1].Error
}

// feedSelection is the WHERE clause choosing the feeds of a run.
func feedSelection(feedIDs []int64) (string, []any) {
	if len(feedIDs) == 0 {
		return "", nil
	}
	args := make([]any, len(feedIDs))
	for i, id := range feedIDs {
		args[i] = id
	}
	return " WHERE f.id IN (?" + strings.Repeat(", ?", len(feedIDs)-1) + ")", args
}

// progress reads the run's state from the tables, not from the queue, so
// that it also counts what a killed run left to do. An entry is the run's
// when it was attempted since start or is still waiting to be.
func (s *Service) progress(ctx context.Context, sel string, args []any, start time.Time) (Progress, error) {
	var p Progress
	qargs := append([]any{start, start}, args...)
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN f.last_checked_at >= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN f.last_checked_at >= ? AND f.consecutive_failures > 0 THEN 1 ELSE 0 END), 0)
		FROM feeds f`+sel, qargs...).Scan(&p.Feeds, &p.FeedsChecked, &p.FeedsFailed)
	if err != nil {
		return p, fmt.Errorf("fetch: progress of feeds: %w", err)
	}
	var waiting int
	qargs = append([]any{start, start, start, start}, args...)
	err = s.db.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN e.last_attempt_at >= ? AND e.state = 'done' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN e.last_attempt_at >= ? AND e.state <> 'done' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN e.state = 'pending' AND (e.last_attempt_at IS NULL OR e.last_attempt_at < ?) THEN 1 ELSE 0 END), 0)
		FROM feed_entries e JOIN feeds f ON f.id = e.feed_id
		WHERE (e.state = 'pending' OR e.last_attempt_at >= ?)`+strings.Replace(sel, "WHERE", "AND", 1),
		qargs...).Scan(&p.Stored, &p.Failed, &waiting)
	if err != nil {
		return p, fmt.Errorf("fetch: progress of articles: %w", err)
	}
	p.Entries = p.Stored + p.Failed + waiting
	return p, nil
}

func runToken() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
