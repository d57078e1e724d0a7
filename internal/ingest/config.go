package ingest

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/fetch"
)

// Config is what the monitoring desk needs from the operator. The
// environment variables that set it (see ConfigFromEnv) are:
//
//	PRESSREVIEW_DATA_DIR            WARC files go to DATA_DIR/warc
//	PRESSREVIEW_USER_AGENT          sent with every request; its first word selects our robots.txt group
//	PRESSREVIEW_FETCH_CONCURRENCY   article pages fetched at once by one process (default 4)
//	PRESSREVIEW_FETCH_HOST_DELAY    minimum time between two requests to one host (default 1s)
//	PRESSREVIEW_FETCH_TIMEOUT       one request, connect to last byte (default 30s)
//	PRESSREVIEW_FETCH_MAX_BYTES     body cap after decompression (default 10485760)
//	PRESSREVIEW_WARC_MAX_AGE        close a WARC file this long after opening it, for upload (ArchiveMaxAge)
//	PRESSREVIEW_POLL_EVERY          how often the scheduler hands out due feed checks and article fetches (default 1m)
//	PRESSREVIEW_POLL_CONCURRENCY    feed checks run at once by one process (default 16)
type Config struct {
	DataDir     string
	UserAgent   string
	Concurrency int
	HostDelay   time.Duration
	Timeout     time.Duration
	MaxBytes    int64
	PollEvery   time.Duration
	// PollConcurrency is the number of feed checks one process runs at
	// once. A check mostly waits — for the network, for its host's turn,
	// for a feed that never answers until Timeout — so it is well above
	// the number of cores.
	PollConcurrency int

	// TimeScale runs the desk's clock TimeScale times faster than the
	// wall clock: polling intervals, back-offs, leases and PollEvery are
	// counted in the faster time, while the fetcher's host delay and
	// timeout stay in real time. It exists for simulations of a day of
	// polling in minutes; zero or one is real time.
	TimeScale float64

	// MinInterval and MaxInterval bound a feed's adaptive polling
	// interval; MaxBackoff caps the delay after failures (never more:
	// a feed is never parked).
	MinInterval time.Duration
	MaxInterval time.Duration
	MaxBackoff  time.Duration

	// ArchiveNoSync skips the fsync after each WARC record. Only for
	// benchmarks and tests: without it a crash can leave a database row
	// pointing at bytes that never reached the disk.
	ArchiveNoSync bool
	// Blobs, when set, is where WARC files go (PRESSREVIEW_BLOBS); nil
	// writes them to ArchiveDir and reads them from there, as the
	// embedded desk does. ArchiveMaxAge closes a WARC file this long
	// after it was opened so that it is uploaded (0: on size only).
	Blobs         *blobs.Store
	ArchiveMaxAge time.Duration
	// Fetch holds the fetcher's other settings (redirect limit, per-host
	// concurrency, Allow: the non-public prefixes it may reach, set from
	// PRESSREVIEW_FETCH_ALLOW by the caller); the fields above override
	// its own.
	Fetch fetch.Config
}

// Defaults for the zero fields of Config.
const (
	DefaultConcurrency = 4
	DefaultPollEvery   = time.Minute
	DefaultPollWorkers = 16
	DefaultMinInterval = 10 * time.Minute
	DefaultMaxInterval = 12 * time.Hour
	DefaultMaxBackoff  = 24 * time.Hour
)

func (c Config) withDefaults() Config {
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if c.UserAgent == "" {
		c.UserAgent = "pressreview/1.0"
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.PollEvery <= 0 {
		c.PollEvery = DefaultPollEvery
	}
	if c.PollConcurrency <= 0 {
		c.PollConcurrency = DefaultPollWorkers
	}
	if c.TimeScale <= 0 {
		c.TimeScale = 1
	}
	if c.MinInterval <= 0 {
		c.MinInterval = DefaultMinInterval
	}
	if c.MaxInterval <= 0 {
		c.MaxInterval = DefaultMaxInterval
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	return c
}

// ArchiveDir is where the WARC files are without a blob store.
func (c Config) ArchiveDir() string { return filepath.Join(c.withDefaults().DataDir, "warc") }

// Archive reads the WARC files, from the blob store when there is one.
func (c Config) Archive() archive.Files {
	if c.Blobs != nil {
		return archive.Blobs(c.Blobs)
	}
	return archive.Dir(c.ArchiveDir())
}

func (c Config) fetchConfig() fetch.Config {
	fc := c.Fetch
	fc.UserAgent = c.UserAgent
	fc.HostDelay = c.HostDelay
	if c.Timeout > 0 {
		fc.Timeout = c.Timeout
	}
	if c.MaxBytes > 0 {
		fc.MaxBodyBytes = c.MaxBytes
	}
	return fc
}

// ConfigFromEnv reads the PRESSREVIEW_* variables listed on Config through
// lookup (os.LookupEnv), reporting the first malformed one by name.
func ConfigFromEnv(lookup func(string) (string, bool)) (Config, error) {
	c := Config{HostDelay: time.Second}
	c.DataDir, _ = lookup("PRESSREVIEW_DATA_DIR")
	c.UserAgent, _ = lookup("PRESSREVIEW_USER_AGENT")
	for _, d := range []struct {
		env    string
		target *time.Duration
	}{
		{"PRESSREVIEW_FETCH_HOST_DELAY", &c.HostDelay},
		{"PRESSREVIEW_FETCH_TIMEOUT", &c.Timeout},
		{"PRESSREVIEW_POLL_EVERY", &c.PollEvery},
		{"PRESSREVIEW_WARC_MAX_AGE", &c.ArchiveMaxAge},
	} {
		if v, ok := lookup(d.env); ok && v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x < 0 {
				return c, fmt.Errorf("%s: %q is not a duration such as 1s or 2m", d.env, v)
			}
			*d.target = x
		}
	}
	for _, n := range []struct {
		env    string
		target *int
	}{
		{"PRESSREVIEW_FETCH_CONCURRENCY", &c.Concurrency},
		{"PRESSREVIEW_POLL_CONCURRENCY", &c.PollConcurrency},
	} {
		if v, ok := lookup(n.env); ok && v != "" {
			x, err := strconv.Atoi(v)
			if err != nil || x < 1 {
				return c, fmt.Errorf("%s: %q is not a positive number", n.env, v)
			}
			*n.target = x
		}
	}
	if v, ok := lookup("PRESSREVIEW_FETCH_MAX_BYTES"); ok && v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return c, fmt.Errorf("PRESSREVIEW_FETCH_MAX_BYTES: %q is not a positive number of bytes", v)
		}
		c.MaxBytes = n
	}
	return c, nil
}
