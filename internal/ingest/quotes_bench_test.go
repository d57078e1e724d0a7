package ingest

import (
	"runtime"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
)

// BenchmarkIngestQuotes measures what the quote finder adds to the
// intake, as a share of extraction's time (the target is at most 10%):
// each page is extracted, then its text given to the finder as keys()
// does, one page at a time, timing the two apart. Two sets of pages:
// "bench-pages", the real news pages of BenchmarkIngest (English, other
// Latin-script languages, Chinese, Arabic; the finder skips the languages
// it does not know, as at ingest), and "persian", the Persian corpus
// articles (../shared, or the stories written for the tests) as the
// test press serves them: small pages, where extraction is cheap and the
// finder has the most to do.
//
// Both are timed on the clock, in the process's CPU time (getrusage) and
// in the CPU time of the benchmark's own thread: on a shared machine the
// clock also counts the waits for a core, which land on either side at
// random, so the CPU ratios are the steadier ones. The process's time
// also charges the garbage collector's background work to whichever phase
// is running when it runs — mostly collecting extraction's garbage, by
// far the larger, though a cycle started during extraction often runs on
// into the finder's phase — while the thread's time leaves that work out
// of both sides and keeps each phase's own allocation and GC assists.
//
//	go test -run '^$' -bench IngestQuotes -benchtime 5x ./internal/ingest/
func BenchmarkIngestQuotes(b *testing.B) {
	svc, err := New(nil, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	bp := loadBenchPages(b)
	var benchPages, persian [][]byte
	for i := range bp.sources {
		benchPages = append(benchPages, bp.appendPage(nil, i))
	}
	for _, s := range persianStories(b) {
		persian = append(persian, []byte(articleHTML("fa", "utf-8", "", s.Title, "", time.Time{}, append([]string{s.Lead}, s.Paras...))))
	}
	// The finder's tables (lexicons, folds) are built on its first call,
	// once per process: not a cost of the first pages measured.
	for _, lang := range []string{"fa", "ar", "en"} {
		if f := candidates.Find("warm-up", lang); f.Err != nil {
			b.Fatal(f.Err)
		}
	}
	for _, set := range []struct {
		name  string
		pages [][]byte
	}{{"bench-pages", benchPages}, {"persian", persian}} {
		b.Run(set.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var extractTime, findTime, extractCPU, findCPU, extractThread, findThread time.Duration
			found := 0
			for b.Loop() {
				for i, page := range set.pages {
					start, cpu0, th0 := time.Now(), cpuTime(), threadCPU()
					art, err := svc.extract.Extract(fetch.DecodeText(page, "text/html").Text, bp.url("https://bench.example", i))
					if err != nil {
						b.Fatal(err)
					}
					mid, cpu1, th1 := time.Now(), cpuTime(), threadCPU()
					f := candidates.Find(art.Text, art.Language)
					findTime += time.Since(mid)
					findCPU += cpuTime() - cpu1
					findThread += threadCPU() - th1
					extractTime += mid.Sub(start)
					extractCPU += cpu1 - cpu0
					extractThread += th1 - th0
					if f.Err != nil {
						b.Fatal(f.Err)
					}
					found += len(f.Candidates)
				}
			}
			pages := float64(b.N * len(set.pages))
			b.ReportMetric(float64(extractTime.Microseconds())/pages, "extract-µs/page")
			b.ReportMetric(float64(findTime.Microseconds())/pages, "finder-µs/page")
			b.ReportMetric(100*findTime.Seconds()/extractTime.Seconds(), "finder-%-of-extract")
			b.ReportMetric(100*findCPU.Seconds()/extractCPU.Seconds(), "finder-cpu-%-of-extract")
			if extractThread > 0 {
				b.ReportMetric(100*findThread.Seconds()/extractThread.Seconds(), "finder-thread-cpu-%-of-extract")
			}
			b.ReportMetric(float64(found)/pages, "candidates/page")
		})
	}
}
