package ingest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/netip"
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
	n := benchN()
	b.Run("sqlite", func(b *testing.B) { benchIngest(b, storetest.SQLite(b), n) })
	b.Run("postgres", func(b *testing.B) { benchIngest(b, storetest.Postgres(b), n) })
}

// BenchmarkIngestStages runs the same pages from the same loopback server
// through the pipeline's stages without the store — extraction alone, the
// fetch alone, fetch and extraction, fetch, WARC and extraction — to show
// what each stage costs and so how close to extraction alone an
// end-to-end run can come on this machine:
//
//	go test -run '^$' -bench IngestStages -benchtime 1x ./internal/ingest/
func BenchmarkIngestStages(b *testing.B) {
	n := benchN()
	bp := loadBenchPages(b)
	p := newPress(b)
	p.Config.Handler = http.HandlerFunc(bp.serve)
	cfg := benchConfig(b)
	svc, err := New(storetest.SQLite(b), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	fetchPage := func(i int) *fetch.Response {
		resp, err := svc.fetcher.Fetch(context.Background(), fetchRequest(bp.url(p.URL, i)))
		if err != nil {
			b.Error(err)
		}
		return resp
	}
	extract := func(resp *fetch.Response) {
		if resp == nil {
			return // the fetch failed, and said so
		}
		if _, err := svc.extract.Extract(resp.Text, resp.URL); err != nil {
			b.Error(err)
		}
	}
	stages := []struct {
		name string
		page func(i int)
	}{
		{"fetch", func(i int) { fetchPage(i) }},
		{"fetch+extract", func(i int) { extract(fetchPage(i)) }},
		{"fetch+archive+extract", func(i int) {
			resp := fetchPage(i)
			if resp == nil {
				return // the fetch failed, and said so
			}
			if _, err := svc.archiveResponse(resp); err != nil {
				b.Error(err)
			}
			extract(resp)
		}},
	}
	b.ResetTimer()
	aloneWall, aloneCPU := runPages(n, cfg.Concurrency, extractAlone(b, svc, bp, p.URL))
	alone := float64(n) / aloneWall.Seconds()
	b.ReportMetric(alone, "extract-pages/s")
	b.Logf("%-22s %4.0f pages/s, CPU %.1fs", "extract alone", alone, aloneCPU.Seconds())
	for _, st := range stages {
		wall, cpu := runPages(n, cfg.Concurrency, func() func(int) { return st.page })
		rate := float64(n) / wall.Seconds()
		b.ReportMetric(rate, st.name+"-pages/s")
		b.Logf("%-22s %4.0f pages/s (%.0f%% of extraction alone), CPU %.1fs", st.name, rate, 100*rate/alone, cpu.Seconds())
	}
}

// benchN is the number of pages a benchmark ingests: INGEST_BENCH_PAGES,
// else 10,000.
func benchN() int {
	if v, err := strconv.Atoi(os.Getenv("INGEST_BENCH_PAGES")); err == nil && v > 0 {
		return v
	}
	return 10000
}

// benchConfig is the service configuration both benchmarks run with.
func benchConfig(b *testing.B) Config {
	return Config{DataDir: b.TempDir(), UserAgent: "pressreview-bench/1.0", Concurrency: 8,
		Fetch: fetch.Config{HostConcurrency: 8, Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}}
}

// runPages calls a page function for each of pages 0..n-1 from conc
// goroutines, each with a function of its own from worker (so that it
// may keep a buffer), and returns the wall and CPU time taken.
func runPages(n, conc int, worker func() func(i int)) (wall, cpu time.Duration) {
	cpu0 := cpuTime()
	start := time.Now()
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range conc {
		page := worker()
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				page(int(i))
			}
		})
	}
	wg.Wait()
	return time.Since(start), cpuTime() - cpu0
}

// extractAlone is the baseline: each page built in a reused buffer (the
// server sends it from its parts), decoded to UTF-8 as the pipeline does,
// and extracted.
func extractAlone(b *testing.B, svc *Service, bp *benchPages, base string) func() func(int) {
	return func() func(int) {
		var buf []byte
		return func(i int) {
			buf = bp.appendPage(buf[:0], i)
			page := fetch.DecodeText(buf, "text/html").Text
			if _, err := svc.extract.Extract(page, bp.url(base, i)); err != nil {
				b.Error(err)
			}
		}
	}
}

// benchPages serves real news pages (the Mozilla readability cases and
// the Arabic pages in testdata/extraction, 56–450 KB each), each copy
// made distinct by a paragraph of its own after the page's first.
type benchPages struct {
	sources [][]byte
	cuts    []int // where each source's first paragraph ends
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
			cut := bytes.Index(data, []byte("</p>"))
			if cut < 0 {
				b.Fatalf("%s: no paragraph", f)
			}
			bp.sources = append(bp.sources, data)
			bp.cuts = append(bp.cuts, cut)
		}
	}
	if len(bp.sources) == 0 {
		b.Fatal("no pages in testdata/extraction")
	}
	return bp
}

// parts returns page i as three slices — the source up to its first
// paragraph's end, the page's own paragraph, the rest — so that the
// server can send it without building it.
func (bp *benchPages) parts(i int) [3][]byte {
	k := i % len(bp.sources)
	src, cut := bp.sources[k], bp.cuts[k]
	own := []byte(fmt.Sprintf("</p><p>Report %d of the desk's monitoring benchmark, filed under code %x.", i, i*2654435761))
	return [3][]byte{src[:cut], own, src[cut:]}
}

// url is page i's address on the server at base.
func (bp *benchPages) url(base string, i int) string { return base + "/b/a/" + strconv.Itoa(i) }

// serve sends the page /b/a/{i} names.
func (bp *benchPages) serve(w http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/b/a/"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	parts := bp.parts(i)
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(parts[0])+len(parts[1])+len(parts[2])))
	for _, part := range parts {
		_, _ = w.Write(part)
	}
}

// appendPage appends page i to buf.
func (bp *benchPages) appendPage(buf []byte, i int) []byte {
	for _, part := range bp.parts(i) {
		buf = append(buf, part...)
	}
	return buf
}

// benchPerFeed is the number of items in each benchmark feed.
const benchPerFeed = 100

// benchPress serves pages 0..n-1 and the feeds /b/{f}/rss.xml that list
// them, benchPerFeed to a feed.
func benchPress(b *testing.B, bp *benchPages, n int) *press {
	p := newPress(b)
	p.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case strings.HasSuffix(r.URL.Path, "/rss.xml"):
			f, _ := strconv.Atoi(strings.Split(r.URL.Path, "/")[2])
			var items []feedItem
			for i := f * benchPerFeed; i < min(n, (f+1)*benchPerFeed); i++ {
				items = append(items, feedItem{"item", bp.url(p.URL, i), time.Date(2024, 3, 7, 8, 0, 0, 0, time.UTC)})
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rssFeed("bench", p.URL, items))
		default:
			bp.serve(w, r)
		}
	})
	return p
}

// fetchRequest asks for an article page as the pipeline does.
func fetchRequest(url string) fetch.Request { return fetch.Request{URL: url, Accept: pageAccept} }

func benchIngest(b *testing.B, db *store.DB, n int) {
	ctx := context.Background()
	migrateQueue(b, db)
	bp := loadBenchPages(b)
	feedsN := (n + benchPerFeed - 1) / benchPerFeed
	p := benchPress(b, bp, n)
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
	cfg := benchConfig(b)
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

	// The same pages through the extractor alone, as many at once.
	aloneElapsed, aloneCPU := runPages(n, cfg.Concurrency, extractAlone(b, svc, bp, p.URL))
	alone := float64(n) / aloneElapsed.Seconds()
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

// loadavg is the system's load average over 1, 5 and 15 minutes, to
// record beside a figure measured on a shared machine.
func loadavg() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
