package newsletter_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// BenchmarkCampaign sends one campaign to NEWSLETTER_BENCH_SUBSCRIBERS
// (default 100,000) subscribers through a loopback SMTP sink, on each
// store, and reports messages per second and the peak Go heap while
// sending. NEWSLETTER_BENCH_CONCURRENCY and NEWSLETTER_BENCH_BATCH tune
// the sender. Run it with -benchtime=1x:
//
//	go test -run '^$' -bench Campaign -benchtime=1x ./internal/newsletter/
func BenchmarkCampaign(b *testing.B) {
	n := envInt("NEWSLETTER_BENCH_SUBSCRIBERS", 100_000)
	b.Run("sqlite", func(b *testing.B) { benchCampaign(b, storetest.SQLite(b), n) })
	b.Run("postgres", func(b *testing.B) { benchCampaign(b, storetest.Postgres(b), n) })
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func benchCampaign(b *testing.B, db *store.DB, n int) {
	ctx := context.Background()
	sink, err := mailtest.Start(mailtest.Discard())
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	cfg := testConfig(sink)
	cfg.Concurrency = envInt("NEWSLETTER_BENCH_CONCURRENCY", 4)
	cfg.Batch = envInt("NEWSLETTER_BENCH_BATCH", 10)
	cfg.Lease = 2 * time.Minute
	svc, _ := newService(b, db, cfg, true)
	seedList(b, svc, "imr", 0)
	bulkSubscribers(b, db, n)
	for i := 0; i < b.N; i++ {
		c := newCampaign(b, svc, "imr")
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
				}
			}
		}()
		before := sink.Count()
		start := time.Now()
		if _, err := svc.Start(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
		p := waitDone(b, db, c.ID, time.Hour)
		elapsed := time.Since(start)
		close(stop)
		if p.Sent != int64(n) || sink.Count()-before != int64(n) {
			b.Fatalf("sent %s; sink got %d", p, sink.Count()-before)
		}
		rate := float64(n) / elapsed.Seconds()
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		b.Logf("%s: %d messages in %v = %.0f msgs/s (the ledger's own rate: %.0f); peak Go heap in use %.1f MB; process peak RSS %s",
			db.Dialect(), n, elapsed.Round(time.Millisecond), rate, p.Rate(), float64(peak.Load())/(1<<20), peakRSS())
	}
}

// bulkSubscribers adds n active, confirmed subscribers of list "imr" in
// three statements, which Import would take minutes for.
func bulkSubscribers(b *testing.B, db *store.DB, n int) {
	ctx := context.Background()
	series := `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?) SELECT i FROM seq`
	if db.Dialect() == store.Postgres {
		series = `SELECT generate_series(1, ?::int) AS i`
	}
	at := time.Now().UTC()
	for _, q := range []string{
		`INSERT INTO subscribers (uid, email, name, status, created_at, updated_at, confirmed_at)
		 SELECT 'bench' || i, 'bench' || i || '@example.org', 'Reader ' || i, 'active', ?, ?, ? FROM (` + series + `) s`,
		`INSERT INTO subscriptions (subscriber_id, list_id, status, updated_at)
		 SELECT s.id, l.id, 'confirmed', ? FROM subscribers s, newsletter_lists l WHERE l.key = 'imr'`,
	} {
		args := []any{at, at, at, n}
		if strings.HasPrefix(strings.TrimSpace(q), "INSERT INTO subscriptions") {
			args = []any{at}
		}
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("seed %d subscribers: %v", n, err)
		}
	}
}

// peakRSS is the process's high-water resident set (Linux).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
