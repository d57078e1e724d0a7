package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/blobs"
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
	// blobs holds the WARC files (PRESSREVIEW_BLOBS); its Ready and Stats
	// feed /readyz and the metrics, its Handler serves the spool to the
	// other instances.
	blobs   *blobs.Store
	letters *newsletter.Service
	queue   *jobs.Client
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
// instance names a serving process in the queue (jobs.Config.InstanceID);
// commands pass "".
func (e *env) openDesk(db *store.DB, nl newsletter.Config, instance string) (*desk, error) {
	icfg, err := e.ingestConfig()
	if err != nil {
		return nil, err
	}
	// The filesystem store is rooted at the data directory, so WARC files
	// stay in DATA_DIR/warc as they always were.
	bucket, err := blobs.OpenBucket(e.cfg.Blobs, e.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	bs, err := blobs.New(bucket, blobs.Options{DB: db, SpoolDir: filepath.Join(e.cfg.DataDir, "spool"),
		Address: e.cfg.InstanceURL, PeerKey: peerKey(nl.SigningKey), Log: e.log})
	if err != nil {
		return nil, err
	}
	icfg.Blobs = bs
	if bs.Spooling() && icfg.ArchiveMaxAge == 0 {
		icfg.ArchiveMaxAge = warcMaxAge
	}
	monitor, err := ingest.New(db, icfg)
	if err != nil {
		bs.Close(context.Background())
		return nil, err
	}
	monitor.SetLogger(e.log)
	letters, err := newsletter.New(db, nl)
	if err != nil {
		monitor.Close()
		bs.Close(context.Background())
		return nil, err
	}
	workers := river.NewWorkers()
	monitor.Register(workers)
	letters.AddWorkers(workers)
	// Saved topics are checked every minute: a check only reads articles
	// indexed since the last one. Digests go out through the newsletter's
	// relay.
	topicQueues, topicJob := search.TopicJobs(workers, db, letters, time.Minute)
	houseQueues, houseJobs := housekeepingJobs(workers, db)
	queues := maps.Clone(monitor.Queues())
	maps.Copy(queues, letters.Queues())
	maps.Copy(queues, topicQueues)
	maps.Copy(queues, houseQueues)
	queue, err := jobs.New(db, jobs.Config{
		Workers:              workers,
		Queues:               queues,
		PeriodicJobs:         append(append(monitor.PeriodicJobs(), topicJob), houseJobs...),
		Logger:               e.queueLog(),
		RescueStuckJobsAfter: newsletter.RescueStuckJobsAfter,
		InstanceID:           instance,
	})
	if err != nil {
		monitor.Close()
		bs.Close(context.Background())
		return nil, err
	}
	letters.Attach(queue)
	return &desk{monitorCfg: icfg, monitor: monitor, blobs: bs, letters: letters, queue: queue}, nil
}

// peerKey derives the key the instances prove themselves with to each
// other's blob spool from the signing key they all share, so that a
// token for one purpose is never valid for the other.
func peerKey(signingKey []byte) []byte {
	if len(signingKey) == 0 {
		return nil
	}
	m := hmac.New(sha256.New, signingKey)
	m.Write([]byte("pressreview blob spool peers"))
	return m.Sum(nil)
}

// warcMaxAge closes a WARC file for upload this long after it was opened,
// so a quiet desk's evidence reaches the shared store within minutes
// (PRESSREVIEW_WARC_MAX_AGE sets another age).
const warcMaxAge = 5 * time.Minute

// blobsCloseGrace bounds the last upload attempt at shutdown; what does
// not make it stays in the spool for the next start.
const blobsCloseGrace = 20 * time.Second

// Close closes the current WARC file, then hands it to the blob store
// for a last upload.
func (d *desk) Close() error {
	err := d.monitor.Close()
	ctx, cancel := context.WithTimeout(context.Background(), blobsCloseGrace)
	defer cancel()
	return errors.Join(err, d.blobs.Close(ctx))
}
