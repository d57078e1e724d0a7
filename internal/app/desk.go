package app

import (
	"maps"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// desk holds the services whose work runs on the shared job queue: the
// monitoring intake, the newsletter and the saved topics' alerts.
type desk struct {
	monitorCfg ingest.Config
	monitor    *ingest.Service
	letters    *newsletter.Service
	queue      *jobs.Client
}

// ingestConfig reads the intake's settings; --data-dir wins over the
// environment like every other flag.
func (e *env) ingestConfig() (ingest.Config, error) {
	cfg, err := ingest.ConfigFromEnv(os.LookupEnv)
	cfg.DataDir = e.cfg.DataDir
	cfg.Fetch.Allow = e.cfg.FetchAllowed
	if e.tuneIngest != nil {
		e.tuneIngest(&cfg)
	}
	return cfg, err
}

// openDesk builds both services and one job queue client that runs the
// workers of both; the caller starts the queue when it should work.
func (e *env) openDesk(db *store.DB, nl newsletter.Config) (*desk, error) {
	icfg, err := e.ingestConfig()
	if err != nil {
		return nil, err
	}
	monitor, err := ingest.New(db, icfg)
	if err != nil {
		return nil, err
	}
	monitor.SetLogger(e.log)
	letters, err := newsletter.New(db, nl)
	if err != nil {
		monitor.Close()
		return nil, err
	}
	workers := river.NewWorkers()
	monitor.Register(workers)
	letters.AddWorkers(workers)
	// Saved topics are checked every minute: a check only reads articles
	// indexed since the last one. Digests go out through the newsletter's
	// relay.
	topicQueues, topicJob := search.TopicJobs(workers, db, letters, time.Minute)
	queues := maps.Clone(monitor.Queues())
	maps.Copy(queues, letters.Queues())
	maps.Copy(queues, topicQueues)
	queue, err := jobs.New(db, jobs.Config{
		Workers:              workers,
		Queues:               queues,
		PeriodicJobs:         append(monitor.PeriodicJobs(), topicJob),
		Logger:               e.queueLog(),
		RescueStuckJobsAfter: newsletter.RescueStuckJobsAfter,
	})
	if err != nil {
		monitor.Close()
		return nil, err
	}
	letters.Attach(queue)
	return &desk{monitorCfg: icfg, monitor: monitor, letters: letters, queue: queue}, nil
}

func (d *desk) Close() error { return d.monitor.Close() }
