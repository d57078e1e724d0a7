package ingest

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"github.com/jackc/pgx/v5"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// BenchmarkIngestOverhead measures, in one process and on the same pages,
// the required floor — fetch, WARC and extraction with no store, as
// BenchmarkIngestStages runs it — and the whole pipeline on SQLite and,
// with PRESSREVIEW_TEST_POSTGRES, on PostgreSQL, interleaved for
// INGEST_BENCH_ROUNDS rounds (default 3; every other round in reverse
// order) so that the machine's drift touches all alike. It reports the
// median ratio of the pipeline's pages per second to the floor's — with
// six rounds or more, its 95% interval (medianInterval), since single
// rounds on a shared VM move by more than the pipeline's whole cost above
// the floor — and the CPU time per page by stage, from CPU
// profiles of every run, and how each run used the cores (usage: the
// share busy, this process's and the database server's, and the time the
// Go scheduler had nothing to run — where the pipeline waits rather than
// works, which the throughput ratio pays and the CPU ratio does not).
// INGEST_BENCH_TIMELINE=1 also prints each pipeline run's use every
// 100 ms and how full the fetch workers were (timeline).
// INGEST_BENCH_ARCHIVE=N gives each pipeline run's database N older,
// unrelated articles first (fillArchive):
//
//	PRESSREVIEW_TEST_POSTGRES=postgres://… go test -run '^$' -bench IngestOverhead -benchtime 1x -timeout 60m ./internal/ingest/
func BenchmarkIngestOverhead(b *testing.B) {
	n := benchN()
	rounds := 3
	if v, err := strconv.Atoi(os.Getenv("INGEST_BENCH_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	bp := loadBenchPages(b)
	stores := []store.Dialect{store.SQLite}
	if os.Getenv(storetest.EnvPostgres) != "" {
		stores = append(stores, store.Postgres)
	}
	rates := map[string][]float64{}
	ratios := map[string][]float64{}
	stages := map[string]map[string]time.Duration{} // run → stage → CPU
	server := map[string]time.Duration{}            // run → database server CPU
	use := map[string]*usage{}                      // run → cores' use, all rounds
	for r := range rounds {
		began := time.Now().UTC()
		// Odd rounds run the stores first, in reverse order, and the floor
		// last: whatever a run leaves behind (the database server's
		// checkpoints and writes, a larger heap) falls in turn on each.
		storesFirst := r%2 == 1
		order := slices.Clone(stores)
		if storesFirst {
			slices.Reverse(order)
		}
		storeUse := map[store.Dialect]usage{}
		runStores := func() {
			for _, d := range order {
				var u usage
				rate, prof := profiled(b, fmt.Sprintf("%s-%d", d, r+1), func() float64 {
					u = pipelineRun(b, d, bp, n)
					server[string(d)] += u.server
					return u.rate()
				})
				use[string(d)] = use[string(d)].add(u)
				rates[string(d)] = append(rates[string(d)], rate)
				addStages(b, stages, string(d), prof)
				storeUse[d] = u
			}
		}
		if storesFirst {
			runStores()
		}
		var floor usage
		floorRate, floorProf := profiled(b, fmt.Sprintf("floor-%d", r+1), func() float64 {
			floor = floorRun(b, bp, n)
			return floor.rate()
		})
		use["floor"] = use["floor"].add(floor)
		rates["floor"] = append(rates["floor"], floorRate)
		addStages(b, stages, "floor", floorProf)
		if !storesFirst {
			runStores()
		}
		line := fmt.Sprintf("round %d (%s–%s UTC): floor %.0f pages/s (%s)", r+1, began.Format(time.TimeOnly), time.Now().UTC().Format(time.TimeOnly), floorRate, floor)
		for _, d := range stores {
			rate := storeUse[d].rate()
			ratios[string(d)] = append(ratios[string(d)], rate/floorRate)
			line += fmt.Sprintf(", %s %.0f pages/s (%.1f%%; %s)", d, rate, 100*rate/floorRate, storeUse[d])
		}
		if storesFirst {
			line += " (stores first)"
		}
		// Printed, not logged: the testing package keeps only the first
		// ten lines of a benchmark's log.
		fmt.Printf("%s; load average %s\n", line, loadavg())
	}
	fmt.Printf("medians of %d rounds: floor %.0f pages/s\n", rounds, median(rates["floor"]))
	for _, d := range stores {
		m := median(ratios[string(d)])
		fmt.Printf("  %s: %.0f pages/s, %.1f%% of the floor (rounds: %s)\n", d, median(rates[string(d)]), 100*m, percents(ratios[string(d)]))
		if lo, hi, ok := medianInterval(ratios[string(d)]); ok {
			fmt.Printf("  %s: 95%% interval of the median ratio %.1f%%–%.1f%%\n", d, 100*lo, 100*hi)
		}
		b.ReportMetric(100*m, "%-of-floor-"+string(d))
	}
	runs := []string{"floor"}
	for _, d := range stores {
		runs = append(runs, string(d))
	}
	for _, run := range runs {
		fmt.Printf("  %s, all rounds: %s\n", run, use[run])
		b.ReportMetric(100*use[run].busy(), "%-cpu-utilization-"+run)
	}
	var t strings.Builder
	fmt.Fprintf(&t, "CPU ms per page by stage, all %d rounds:\n| stage |", rounds)
	for _, run := range runs {
		fmt.Fprintf(&t, " %s |", run)
	}
	t.WriteString("\n")
	pages := float64(n * rounds)
	for _, st := range stageNames {
		fmt.Fprintf(&t, "| %s |", st)
		for _, run := range runs {
			fmt.Fprintf(&t, " %.2f |", float64(stages[run][st].Microseconds())/1000/pages)
		}
		t.WriteString("\n")
	}
	t.WriteString("| total, this process |")
	for _, run := range runs {
		var sum time.Duration
		for _, c := range stages[run] {
			sum += c
		}
		fmt.Fprintf(&t, " %.2f |", float64(sum.Microseconds())/1000/pages)
	}
	t.WriteString("\n| database server processes |")
	for _, run := range runs {
		if run == string(store.Postgres) {
			fmt.Fprintf(&t, " %.2f |", float64(server[run].Microseconds())/1000/pages)
		} else {
			t.WriteString(" — |")
		}
	}
	t.WriteString("\n")
	fmt.Print(t.String())
}

// floorRun fetches, archives and extracts pages 0..n-1 from a loopback
// server with the pipeline's configuration and no store, and returns the
// cores' use.
func floorRun(b *testing.B, bp *benchPages, n int) usage {
	p := newPress(b)
	p.Config.Handler = http.HandlerFunc(bp.serve)
	cfg := benchConfig(b)
	svc, err := New(storetest.SQLite(b), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	quiesce(b)
	u := startUsage(n)
	runPages(n, cfg.Concurrency, func() func(int) {
		return func(i int) {
			resp, err := svc.fetcher.Fetch(context.Background(), fetchRequest(bp.url(p.URL, i)))
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := svc.archiveResponse(resp); err != nil {
				b.Error(err)
			}
			if _, err := svc.extract.Extract(resp.Text, resp.URL); err != nil {
				b.Error(err)
			}
		}
	})
	return u.stop()
}

// pipelineRun ingests pages 0..n-1 through `fetch --once` into a new
// database of dialect d — 100-item feeds, every page fetched, archived,
// extracted, deduplicated, stored and indexed — and returns the cores'
// use, on PostgreSQL with the CPU time its server processes spent on the
// run (serverCPU).
func pipelineRun(b *testing.B, d store.Dialect, bp *benchPages, n int) usage {
	ctx := context.Background()
	db := storetest.SQLite(b)
	if d == store.Postgres {
		db = storetest.Postgres(b)
	}
	// Closed when the run ends, not with the benchmark: the runs'
	// connections, four each, reached PostgreSQL's max_connections (100)
	// at the 25th round, and storetest skips a benchmark whose database
	// it cannot open.
	defer db.Close()
	migrateQueue(b, db)
	p := benchPress(b, bp, n)
	o := outlets.Outlet{Key: "bench", Name: "Bench", Kind: outlets.Website}
	if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
		b.Fatal(err)
	}
	fillArchive(b, db, o.ID)
	for f := range (n + benchPerFeed - 1) / benchPerFeed {
		fd := outlets.Feed{OutletID: o.ID, URL: fmt.Sprintf("%s/b/%d/rss.xml", p.URL, f)}
		if err := outlets.SaveFeed(ctx, db, &fd); err != nil {
			b.Fatal(err)
		}
	}
	svc, err := New(db, benchConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	before := serverCPU(b, db)
	quiesce(b)
	stopTimeline := timeline(db, d, svc)
	u := startUsage(n)
	prog, err := svc.RunOnce(ctx, nil, nil)
	u = u.stop()
	stopTimeline()
	if err != nil {
		b.Fatal(err)
	}
	if prog.Stored != n {
		b.Fatalf("stored %d of %d pages: %s", prog.Stored, n, prog)
	}
	var server time.Duration
	for pid, cpu := range serverCPU(b, db) {
		server += cpu - before[pid]
	}
	u.server = server
	return u
}

// quiesce has the PostgreSQL server, when one is configured, write a
// checkpoint before a timed run, so that no run pays for the writes of
// those before it. Each pipeline run creates a database of its own, some
// thousand files, and leaves the server's buffers dirty; the server's
// next timed checkpoint syncs every file written since the last (one
// took 170 s for 10,354 files and 2,176 buffers) and falls on whichever
// run is timed then, and the kernel writes back what the checkpoint has
// not. A checkpoint here also restarts checkpoint_timeout's clock, so
// none begins inside a run of a few seconds. What a run writes is still
// paid in it, through the WAL at each commit; only the writing of its
// dirty buffers to their files is left to the checkpoint after it. With
// it, both stores' medians came out 3–4 points higher in sixteen rounds
// each, taken in turns: at the edge of what such runs can show
// (docs/benchmarks.md, round 13).
func quiesce(b *testing.B) {
	dsn := os.Getenv(storetest.EnvPostgres)
	if dsn == "" {
		return
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatalf("checkpoint before a timed run: %v", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CHECKPOINT"); err != nil {
		b.Fatalf("checkpoint before a timed run (the role needs pg_checkpoint): %v", err)
	}
}

// usage is how a run used the cores: its wall-clock time, the CPU time of
// this process and of the database's server processes, and the time the
// Go scheduler had no goroutine to run on a P (runtime/metrics'
// /cpu/classes/idle, GOMAXPROCS times the wall-clock time less the time
// spent running Go code: time the pipeline waited — for the database,
// the network, a lock, a timer — rather than worked).
type usage struct {
	pages                   int
	wall, cpu, server, idle time.Duration
	procs                   int
	start                   time.Time
	cpu0, idle0             time.Duration
}

func startUsage(pages int) usage {
	return usage{pages: pages, procs: runtime.GOMAXPROCS(0), start: time.Now(), cpu0: cpuTime(), idle0: goIdle()}
}

func (u usage) stop() usage {
	u.wall, u.cpu, u.idle = time.Since(u.start), cpuTime()-u.cpu0, goIdle()-u.idle0
	return u
}

// add sums the runs of several rounds.
func (u *usage) add(v usage) *usage {
	if u == nil {
		return &v
	}
	u.pages += v.pages
	u.wall += v.wall
	u.cpu += v.cpu
	u.server += v.server
	u.idle += v.idle
	return u
}

func (u usage) rate() float64 { return float64(u.pages) / u.wall.Seconds() }

// busy is the share of the machine's cores the run used: this process and
// the database's server together, over the wall-clock time.
func (u usage) busy() float64 {
	return (u.cpu + u.server).Seconds() / u.wall.Seconds() / float64(runtime.NumCPU())
}

func (u usage) String() string {
	return fmt.Sprintf("cores busy %.0f%% (process %.0f%%, database server %.0f%%), Go scheduler idle %.0f%%",
		100*u.busy(), 100*u.cpu.Seconds()/u.wall.Seconds()/float64(runtime.NumCPU()),
		100*u.server.Seconds()/u.wall.Seconds()/float64(runtime.NumCPU()),
		100*u.idle.Seconds()/u.wall.Seconds()/float64(u.procs))
}

// goIdle is the Go runtime's estimate of the time its Ps had nothing to
// run, so far.
func goIdle() time.Duration {
	s := []metrics.Sample{{Name: "/cpu/classes/idle:cpu-seconds"}}
	metrics.Read(s)
	return time.Duration(s[0].Value.Float64() * float64(time.Second))
}

// timeline, with INGEST_BENCH_TIMELINE set, prints every 100 ms of a
// pipeline run the cores' share used by this process and by the
// database's server processes, the Go scheduler's idle share, and the
// entries stored so far; and at the end how soon the first page was
// fetched, how long after the last one the run ended, and how many of the
// fetch workers' slots were busy in between, sampled every 2 ms. The
// floor keeps all its workers busy from start to end, so a pipeline
// whose slots stand empty leaves the cores idle: waiting for the queue
// at the start or the end, or for the store (a batch whose pages are all
// fetched waits for its groups to be stored). It returns the function
// that stops it.
func timeline(db *store.DB, d store.Dialect, svc *Service) func() {
	if os.Getenv("INGEST_BENCH_TIMELINE") == "" {
		return func() {}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	slotsDone := make(chan struct{})
	go func() {
		defer close(slotsDone)
		start := time.Now()
		var first, last time.Duration
		var samples, busy, full int
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				el := time.Since(start)
				fmt.Printf("slots %s: run %v, first fetch at %v, last at %v; between them %d samples, slots busy %.1f of %d on average, all busy in %.0f%%\n",
					d, el.Round(time.Millisecond), first.Round(time.Millisecond), last.Round(time.Millisecond), samples,
					float64(busy)/float64(max(samples, 1)), cap(svc.fetchSlots), 100*float64(full)/float64(max(samples, 1)))
				return
			case <-tick.C:
			}
			n := len(svc.fetchSlots)
			if n > 0 {
				if first == 0 {
					first = time.Since(start)
				}
				last = time.Since(start)
			}
			if first > 0 {
				samples++
				busy += n
				if n == cap(svc.fetchSlots) {
					full++
				}
			}
		}
	}()
	go func() {
		defer close(done)
		start := time.Now()
		// Not serverCPU, which ends the benchmark on an error: only the
		// benchmark's goroutine may.
		procs := func() map[int]time.Duration { m, _ := backendCPU(db); return m }
		last, lastCPU, lastServer, lastIdle := start, cpuTime(), procs(), goIdle()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			now, cpu, server, idle := time.Now(), cpuTime(), procs(), goIdle()
			var srv time.Duration
			for pid, c := range server {
				srv += c - lastServer[pid]
			}
			var stored int
			_ = db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM feed_entries WHERE state = 'done'`).Scan(&stored)
			el := now.Sub(last).Seconds()
			cores, ps := float64(runtime.NumCPU()), float64(runtime.GOMAXPROCS(0))
			fmt.Printf("timeline %s %6.2fs process %3.0f%% server %3.0f%% Go idle %3.0f%% stored %d\n", d, now.Sub(start).Seconds(),
				100*(cpu-lastCPU).Seconds()/el/cores, 100*srv.Seconds()/el/cores, 100*(idle-lastIdle).Seconds()/el/ps, stored)
			last, lastCPU, lastServer, lastIdle = now, cpu, server, idle
		}
	}()
	return func() { close(stop); <-done; <-slotsDone }
}

// fillArchive gives the database of a pipeline run INGEST_BENCH_ARCHIVE
// (default none) older articles, as a desk's archive has: one line of
// text each and a random simhash, so that they are unrelated to the run's
// pages, yet looked at by the near-duplicate lookup, whose cost grows with
// them. PostgreSQL then gathers the table's statistics, as its autovacuum
// does after so many inserts; SQLite gathers none unless asked.
func fillArchive(b *testing.B, db *store.DB, outletID int64) {
	n, _ := strconv.Atoi(os.Getenv("INGEST_BENCH_ARCHIVE"))
	if n <= 0 {
		return
	}
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(n), 16))
	published := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const perStatement = 200
	for start := 0; start < n; start += perStatement {
		var q strings.Builder
		q.WriteString(`INSERT INTO articles (outlet_id, url, canonical_url, title, text, source, content_hash,
			published_at, simhash, sh_band0, sh_band1, sh_band2, sh_band3) VALUES `)
		var args []any
		for i := start; i < min(n, start+perStatement); i++ {
			if i > start {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, 'import', ?, ?, ?, ?, ?, ?, ?)")
			h := rng.Uint64()
			u := fmt.Sprintf("https://archive.example/%d", i)
			args = append(args, outletID, u, u, "Archived", fmt.Sprintf("Archived article %d.", i),
				fmt.Sprintf("%064x", i), published.Add(time.Duration(i)*time.Minute), int64(h))
			for _, v := range bands(h) {
				args = append(args, v)
			}
		}
		if _, err := db.ExecContext(ctx, q.String(), args...); err != nil {
			b.Fatal(err)
		}
	}
	if db.Dialect() == store.Postgres {
		if _, err := db.ExecContext(ctx, `ANALYZE articles`); err != nil {
			b.Fatal(err)
		}
	}
}

// serverCPU is the CPU time so far of each PostgreSQL backend connected to
// db's database, by process id, read from /proc: the server runs on the
// same machine in these benchmarks, and its share of the two cores is the
// pipeline's as much as the process's own. Nil on SQLite, or when the
// server's processes cannot be read (then the table shows 0).
func serverCPU(b *testing.B, db *store.DB) map[int]time.Duration {
	m, err := backendCPU(db)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// backendCPU is serverCPU's reading, with its error.
func backendCPU(db *store.DB) (map[int]time.Duration, error) {
	if db.Dialect() != store.Postgres {
		return nil, nil
	}
	rows, err := db.QueryContext(context.Background(), `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return nil, err
	}
	pids, err := store.Column[int](rows)
	if err != nil {
		return nil, err
	}
	out := map[int]time.Duration{}
	for _, pid := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields 14 and 15 (utime, stime, in clock ticks of 1/100 s on
		// Linux) follow the command name, which is in parentheses.
		f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = time.Duration(utime+stime) * 10 * time.Millisecond
	}
	return out, nil
}

// profiled runs fn under the CPU profiler and returns its result and the
// profile, which it also writes to INGEST_BENCH_PROFILES/name.pprof when
// that directory is set, for `go tool pprof`.
func profiled(b *testing.B, name string, fn func() float64) (float64, *profile.Profile) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		b.Fatalf("CPU profile (is -cpuprofile set? it cannot be combined): %v", err)
	}
	v := fn()
	pprof.StopCPUProfile()
	if dir := os.Getenv("INGEST_BENCH_PROFILES"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pprof"), buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	prof, err := profile.Parse(&buf)
	if err != nil {
		b.Fatal(err)
	}
	return v, prof
}

// stageNames are the stages of the per-stage table, in pipeline order.
var stageNames = []string{"fetch", "loopback server", "WARC", "extraction", "normalization", "dedup", "quote finder", "store", "index", "queue", "GC (background)", "other"}

// stageRules attribute a profile sample to a stage: the first rule, in
// this order, that matches any function on the sample's stack wins. The
// order settles the nesting — an index write runs SQL, so "index" comes
// before "store"; language detection runs inside extraction and uses
// internal/text, so "extraction" comes before "normalization". A batch
// stores its pages in its River job's goroutine, so the pipeline's own
// code is matched before River ("queue" is the queue's own work: polling,
// fetching and completing jobs), and the SQL drivers, which River uses
// too, after it. The quote finder (internal/quotes, its SQL included) is
// a stage of its own.
var stageRules = []struct {
	stage string
	match []string
}{
	{"loopback server", []string{"ingest.(*benchPages)", "ingest.benchPress"}},
	{"extraction", []string{"internal/extract.", "go-readability"}},
	{"WARC", []string{"internal/archive.", "gowarc", "ingest.(*Service).archive"}},
	{"index", []string{"internal/search."}},
	{"dedup", []string{"ingest.findStory", "ingest.findShortStory", "ingest.shortKeys", "ingest.fingerprint", "ingest.contentHash", "ingest.lockStories", "ingest.lockGroupStories", "ingest.assignStory", "ingest.existingArticle",
		"ingest.nearDuplicates", "ingest.pickStory", "ingest.(*groupCopies)"}},
	{"quote finder", []string{"internal/quotes"}},
	{"normalization", []string{"internal/text."}},
	{"fetch", []string{"internal/fetch."}},
	{"store", []string{"internal/ingest.", "internal/store.", "internal/outlets."}},
	{"queue", []string{"riverqueue", "internal/jobs."}},
	{"store", []string{"database/sql", "modernc.org/sqlite", "jackc/pgx"}},
	{"loopback server", []string{"net/http.(*conn)", "net/http.(*response)", "net/http.(*chunkWriter)"}},
	{"fetch", []string{"net/http.", "net."}},
	{"GC (background)", []string{"runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge"}},
}

// addStages adds a profile's CPU time by stage to stages[run].
func addStages(b *testing.B, stages map[string]map[string]time.Duration, run string, prof *profile.Profile) {
	cpu := slices.IndexFunc(prof.SampleType, func(st *profile.ValueType) bool { return st.Type == "cpu" })
	if cpu < 0 {
		b.Fatal("CPU profile without cpu samples")
	}
	if stages[run] == nil {
		stages[run] = map[string]time.Duration{}
	}
	for _, s := range prof.Sample {
		stages[run][stageOf(s)] += time.Duration(s.Value[cpu])
	}
}

func stageOf(s *profile.Sample) string {
	for _, rule := range stageRules {
		for _, loc := range s.Location {
			for _, line := range loc.Line {
				if line.Function == nil {
					continue
				}
				for _, m := range rule.match {
					if strings.Contains(line.Function.Name, m) {
						return rule.stage
					}
				}
			}
		}
	}
	return "other"
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// medianInterval is a distribution-free 95% confidence interval for the
// median of the distribution xs were drawn from: the k-th smallest and
// k-th largest of them, for the largest k whose tails hold at most 2.5%
// each of the binomial distribution B(n, 1/2). The rounds' ratios are not
// normal (a round disturbed by other work is far out), so no mean and
// standard deviation. ok is false below six values, where no such
// interval reaches 95%.
func medianInterval(xs []float64) (lo, hi float64, ok bool) {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	// tail is P(X < k) for X ~ B(n, 1/2), summed as k grows.
	k, tail, c := 0, 0.0, 1.0 // c = C(n, k)
	for {
		next := tail + c/math.Pow(2, float64(n))
		if next > 0.025 {
			break
		}
		tail = next
		c = c * float64(n-k) / float64(k+1)
		k++
	}
	if k == 0 {
		return 0, 0, false
	}
	return s[k-1], s[n-k], true
}

func percents(xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprintf("%.1f%%", 100*x))
	}
	return strings.Join(s, " ")
}

func TestMedianInterval(t *testing.T) {
	var xs []float64
	for i := 15; i >= 1; i-- {
		xs = append(xs, float64(i))
	}
	// B(15, 1/2): P(X ≤ 3) = 576/32768 ≈ 1.8%, P(X ≤ 4) ≈ 5.9%.
	if lo, hi, ok := medianInterval(xs); !ok || lo != 4 || hi != 12 {
		t.Errorf("15 values: %v–%v (%v), want 4–12", lo, hi, ok)
	}
	// Six values: the extremes cover the median with 1 − 2/64 ≈ 96.9%.
	if lo, hi, ok := medianInterval(xs[:6]); !ok || lo != 10 || hi != 15 {
		t.Errorf("6 values: %v–%v (%v), want 10–15", lo, hi, ok)
	}
	if _, _, ok := medianInterval(xs[:5]); ok {
		t.Error("5 values: an interval, want none (the extremes cover 93.8%)")
	}
}
