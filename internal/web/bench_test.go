package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
)

// BenchmarkServe loads the home and article pages over loopback with many
// concurrent keep-alive clients, from pressreview's server (page cache,
// content-version check per request) and, for comparison, the same bytes
// from http.FileServer. It reports requests/s and p99 latency; the figures
// in docs/benchmarks.md come from
//
//	go test -run '^$' -bench Serve -benchtime 20000x ./internal/web/
func BenchmarkServe(b *testing.B) {
	db := storetest.SQLite(b)
	loadSite(b, db)
	srv, err := web.New(db, web.Options{SiteURL: "https://desk.example", Logger: discard(),
		Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	site := httptest.NewServer(srv.Handler())
	defer site.Close()
	dir := b.TempDir()
	pages := map[string]string{"home": "/", "article": seedPath}
	for name, path := range pages {
		resp, err := http.Get(site.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := os.WriteFile(filepath.Join(dir, name+".html"), body, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	static := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer static.Close()
	for _, name := range []string{"home", "article"} {
		b.Run("site-"+name, func(b *testing.B) { load(b, site.URL+pages[name]) })
		b.Run("static-"+name, func(b *testing.B) { load(b, static.URL+"/"+name+".html") })
	}
}

// load requests url b.N times from 64 goroutines.
func load(b *testing.B, url string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128, DisableCompression: true}}
	var (
		mu  sync.Mutex
		all []time.Duration
	)
	b.SetParallelism(32)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t0 := time.Now()
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		all = append(all, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(all) == 0 {
		return
	}
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
}
