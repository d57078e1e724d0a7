package search

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pressreview/pressreview/internal/store"
)

// TopicsArgs is the periodic job that turns newly indexed articles into
// alerts for saved topics and sends the email digests that are due.
type TopicsArgs struct{}

// Kind names the job for River.
func (TopicsArgs) Kind() string { return "search_topics" }

// InsertOpts keeps one such job at a time: overlapping runs would only
// wait on each other.
func (TopicsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: topicsQueue, UniqueOpts: river.UniqueOpts{
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled},
	}}
}

const topicsQueue = "search_topics"

// keptChanges is how much of the log of changed search attributes the
// periodic job keeps: an instance that has not searched for longer than it
// takes to index this many articles reloads its cache on its next search.
const keptChanges = 100_000

type topicsWorker struct {
	river.WorkerDefaults[TopicsArgs]
	db     *store.DB
	mailer Mailer
}

// Work checks every topic, then mails the digests. Both steps are
// idempotent, so a retried or repeated job does no harm.
func (w *topicsWorker) Work(ctx context.Context, _ *river.Job[TopicsArgs]) error {
	if _, err := CheckTopics(ctx, w.db); err != nil {
		return err
	}
	if err := PruneChanges(ctx, w.db, keptChanges); err != nil {
		return err
	}
	if w.mailer == nil {
		return nil
	}
	_, err := SendDigests(ctx, w.db, w.mailer, time.Now())
	return err
}

// TopicJobs registers the topics worker (m may be nil: alerts without
// digests) and returns its queue and the periodic job that runs it every
// interval.
func TopicJobs(workers *river.Workers, db *store.DB, m Mailer, every time.Duration) (map[string]river.QueueConfig, *river.PeriodicJob) {
	river.AddWorker(workers, &topicsWorker{db: db, mailer: m})
	job := river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return TopicsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
	return map[string]river.QueueConfig{topicsQueue: {MaxWorkers: 1}}, job
}
