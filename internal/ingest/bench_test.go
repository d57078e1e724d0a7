package ingest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// BenchmarkIngest ingests INGEST_BENCH_PAGES (default 10,000) article
// pages from a loopback server — feeds of 100 items, pages built from
// real news pages — through the whole pipeline (poll, fetch,
// WARC with fsync, extraction, dedup, stories, search index, job queue),
// then extracts the same pages alone with the same concurrency. Run it
// once per store:
//
//	go test -run '^$' -bench Ingest -benchtime 1x ./internal/ingest/
func BenchmarkIngest(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("INGEST_BENCH_PAGES")); err == nil && v > 0 {
		n = v
	}
	b.Run("sqlite", func(b *testing.B) { benchIngest(b, storetest.SQLite(b), n) })
	b.Run("postgres", func(b *testing.B) { benchIngest(b, storetest.Postgres(b), n) })
}

// benchPages serves real news pages (the Mozilla readability cases and
// the Arabic pages in testdata/extraction, 56–450 KB each), each copy
// made distinct by a paragraph of its own after the page's first.
type benchPages struct {
	sources [][]byte
}

func loadBenchPages(b *testing.B) *benchPages {
	bp := &benchPages{}
	for _, pattern := range []string{"../../testdata/extraction/readability/*/source.html", "../../testdata/extraction/arabic-news/*/source.html"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.Contains(f, "/rtl-") {
				continue // four-kilobyte synthetic pages, not news
			}
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			bp.sources = append(bp.sources, data)
		}
	}
	if len(bp.sources) == 0 {
		b.Fatal("no pages in testdata/extraction")
	}
	return bp
}

func (bp *benchPages) page(i int) []byte {
	src := bp.sources[i%len(bp.sources)]
	own := []byte(fmt.Sprintf("</p><p>Report %d of the desk's monitoring benchmark, filed under code %x.</p>", i, i*2654435761))
	return bytes.Replace(src, []byte("</p>"), own, 1)
}

func benchIngest(b *testing.B, db *store.DB, n int) {
	ctx := context.Background()
	migrateQueue(b, db)
	bp := loadBenchPages(b)
	const perFeed = 100
	feedsN := (n + perFeed - 1) / perFeed
	p := newPress(b)
	p.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case strings.HasSuffix(r.URL.Path, "/rss.xml"):
			f, _ := strconv.Atoi(strings.Split(r.URL.Path, "/")[2])
			var items []feedItem
			for i := f * perFeed; i < min(n, (f+1)*perFeed); i++ {
				items = append(items, feedItem{"item", fmt.Sprintf("%s/b/a/%d", p.URL, i), time.Date(2024, 3, 7, 8, 0, 0, 0, time.UTC)})
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rssFeed("bench", p.URL, items))
		default:
			i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/b/a/"))
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(bp.page(i))
		}
	})
	o := outlets.Outlet{Key: "bench", Name: "Bench", Kind: outlets.Website}
	if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
		b.Fatal(err)
	}
	for f := range feedsN {
		fd := outlets.Feed{OutletID: o.ID, URL: fmt.Sprintf("%s/b/%d/rss.xml", p.URL, f)}
		if err := outlets.SaveFeed(ctx, db, &fd); err != nil {
			b.Fatal(err)
		}
	}
	cfg := Config{DataDir: b.TempDir(), UserAgent: "pressreview-bench/1.0", Concurrency: 8,
		Fetch: fetch.Config{HostConcurrency: 8}}
	svc, err := New(db, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	svc.cfg.ArchiveNoSync = os.Getenv("INGEST_BENCH_NOSYNC") != ""
	resetPeakRSS()
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	prog, err := svc.RunOnce(ctx, nil, nil)
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if prog.Stored != n {
		b.Fatalf("stored %d of %d pages: %s", prog.Stored, n, prog)
	}
	peak := peakRSS()
	pipelineCPU := cpuTime() - cpu0
	e2e := float64(n) / elapsed.Seconds()

	// The same pages through the extractor alone, as many at once; each is
	// decoded to UTF-8 first, as the pipeline does.
	cpu0 = cpuTime()
	start = time.Now()
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				page := fetch.DecodeText(bp.page(int(i)), "text/html").Text
				if _, err := svc.extract.Extract(page, p.URL+"/b/a/"+strconv.FormatInt(i, 10)); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	aloneElapsed := time.Since(start)
	alone := float64(n) / aloneElapsed.Seconds()
	aloneCPU := cpuTime() - cpu0
	// The share of the pipeline's CPU time (loopback server included) that
	// extracting the same pages takes on its own.
	share := float64(aloneCPU) / float64(pipelineCPU)
	// How busy each run kept the cores this process may use: below 100%
	// means waiting (disk, locks, the job queue) or other processes.
	busy := func(cpu, wall time.Duration) float64 {
		return 100 * cpu.Seconds() / (wall.Seconds() * float64(runtime.GOMAXPROCS(0)))
	}
	b.ReportMetric(e2e, "pages/s")
	b.ReportMetric(alone, "extract-only-pages/s")
	b.ReportMetric(100*e2e/alone, "%-of-extract-only")
	b.ReportMetric(100*share, "%-cpu-in-extract")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	b.Logf("%s: %d pages in %s, %.0f pages/s end to end; extraction alone %.0f pages/s (%.0f%%); %.0f%% of CPU time in extraction; peak RSS %d MiB; GOMAXPROCS %d; CPU %.1fs (cores %.0f%% busy) vs alone %.1fs (%.0f%% busy)",
		db.Dialect(), n, elapsed.Round(time.Millisecond), e2e, alone, 100*e2e/alone, 100*share, peak>>20, runtime.GOMAXPROCS(0),
		pipelineCPU.Seconds(), busy(pipelineCPU, elapsed), aloneCPU.Seconds(), busy(aloneCPU, aloneElapsed))
}

// resetPeakRSS starts a new peak (Linux: writing 5 to clear_refs), so
// each store's run is measured apart from the previous one.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
