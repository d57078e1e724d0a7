package ops

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/store"
)

// Metrics is one instance's Prometheus registry.
//
// Two kinds of series live in it. Request latency is this instance's own.
// The desk's figures (articles ingested, failing feeds, job queue depth,
// campaign messages sent) are read from the shared database when scraped,
// so they are the same on every instance and right whichever instance did
// the work or was killed doing it: aggregate them with max, not sum.
type Metrics struct {
	reg     *prometheus.Registry
	latency *prometheus.HistogramVec
}

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 5 * time.Second

// NewMetrics builds the registry with the Go runtime's and the process's
// own collectors beside pressreview's.
func NewMetrics(db *store.DB, extra ...prometheus.Collector) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pressreview_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern (not raw path: one series per route), method and status code.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method", "code"}),
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.latency, &deskCollector{db: db})
	m.reg.MustRegister(extra...)
	return m
}

// ObserveRequest records one answered request. route is the pattern the
// server's mux matched ("GET /analysis/{slug}"); "" (no route matched)
// is recorded as "unmatched".
func (m *Metrics) ObserveRequest(route, method string, code int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.latency.WithLabelValues(route, method, strconv.Itoa(code)).Observe(d.Seconds())
}

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

var (
	// A gauge, not a counter: deleting an article lowers it, and rate() of
	// a counter that goes down reads as a reset.
	articlesDesc = prometheus.NewDesc("pressreview_articles",
		"Articles the desk holds (every instance reports the desk-wide count, read from the database).", nil, nil)
	feedFailuresDesc = prometheus.NewDesc("pressreview_feeds_failing",
		"Feeds whose last check failed, by kind of failure (desk-wide).", []string{"kind"}, nil)
	queueDesc = prometheus.NewDesc("pressreview_job_queue_depth",
		"Jobs waiting or running in the job queue (River's job table), by queue and state (desk-wide).", []string{"queue", "state"}, nil)
	sentDesc = prometheus.NewDesc("pressreview_campaign_messages_sent_total",
		"Campaign messages handed to the mail relay (desk-wide); rate() of it is the send rate.", nil, nil)
	scrapeErrDesc = prometheus.NewDesc("pressreview_metrics_database_errors",
		"1 when a desk-wide figure could not be read from the database during this scrape.", []string{"figure"}, nil)
)

// deskCollector reads the desk-wide figures at scrape time.
type deskCollector struct{ db *store.DB }

func (c *deskCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{articlesDesc, feedFailuresDesc, queueDesc, sentDesc, scrapeErrDesc} {
		ch <- d
	}
}

func (c *deskCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	failed := func(figure string, err error) {
		v := 0.0
		if err != nil {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, v, figure)
	}
	var n float64
	err := c.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n)
	if err == nil {
		ch <- prometheus.MustNewConstMetric(articlesDesc, prometheus.GaugeValue, n)
	}
	failed("articles", err)

	err = c.grouped(ctx, `SELECT last_error_kind, COUNT(*) FROM feeds WHERE consecutive_failures > 0 GROUP BY last_error_kind`,
		func(labels []string, v float64) {
			ch <- prometheus.MustNewConstMetric(feedFailuresDesc, prometheus.GaugeValue, v, labels...)
		})
	failed("feeds", err)

	err = c.grouped(ctx, `SELECT queue, state, COUNT(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running', 'pending') GROUP BY queue, state`,
		func(labels []string, v float64) {
			ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, v, labels...)
		})
	failed("job_queue", err)

	// A bounced message was sent first: the state only moves forward.
	err = c.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE state IN ('sent', 'bounced')`).Scan(&n)
	if err == nil {
		ch <- prometheus.MustNewConstMetric(sentDesc, prometheus.CounterValue, n)
	}
	failed("campaign_messages", err)
}

// grouped runs a query whose last column is a count and the others labels.
func (c *deskCollector) grouped(ctx context.Context, q string, emit func([]string, float64)) error {
	rows, err := c.db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		labels := make([]sql.NullString, len(cols)-1)
		dest := make([]any, len(cols))
		for i := range labels {
			dest[i] = &labels[i]
		}
		var v float64
		dest[len(cols)-1] = &v
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		vals := make([]string, len(labels))
		for i, l := range labels {
			vals[i] = l.String
		}
		emit(vals, v)
	}
	return rows.Err()
}

// BlobCollector reports this instance's WARC spool from stats (the blob
// store's Stats): how long the oldest file closed and not yet uploaded
// has waited — the upload lag — and how many wait.
func BlobCollector(stats func() blobs.Stats) prometheus.Collector {
	return &blobCollector{stats: stats}
}

var (
	uploadLagDesc = prometheus.NewDesc("pressreview_blob_upload_lag_seconds",
		"How long the oldest WARC file closed on this instance has waited for its upload to the blob store (0: none waits).", nil, nil)
	waitingDesc = prometheus.NewDesc("pressreview_blob_spool_waiting_files",
		"WARC files closed on this instance and not yet uploaded.", nil, nil)
	uploadFailDesc = prometheus.NewDesc("pressreview_blob_upload_failures_total",
		"Failed uploads to the blob store since this instance started.", nil, nil)
)

type blobCollector struct{ stats func() blobs.Stats }

func (c *blobCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- uploadLagDesc
	ch <- waitingDesc
	ch <- uploadFailDesc
}

func (c *blobCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.stats()
	ch <- prometheus.MustNewConstMetric(uploadLagDesc, prometheus.GaugeValue, st.UploadLag.Seconds())
	ch <- prometheus.MustNewConstMetric(waitingDesc, prometheus.GaugeValue, float64(st.Waiting))
	ch <- prometheus.MustNewConstMetric(uploadFailDesc, prometheus.CounterValue, float64(st.UploadFailures))
}
