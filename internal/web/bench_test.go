package web_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
)

// BenchmarkServe loads the home and article pages over loopback with many
// concurrent keep-alive clients, from pressreview's server (page cache,
// content-version check at most every 250 ms) and, for comparison, the
// same bytes from http.FileServer and, when it is installed, nginx. It
// reports requests/s and p99 latency; the figures in docs/benchmarks.md
// come from
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
	// The same server reading site_version on every request, as it did
	// before the check was limited to every 250 ms.
	each, err := web.New(db, web.Options{SiteURL: "https://desk.example", Logger: discard(),
		Now: func() time.Time { return testNow }, ContentCheckEvery: -1})
	if err != nil {
		b.Fatal(err)
	}
	siteEach := httptest.NewServer(each.Handler())
	defer siteEach.Close()
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
	nginxURL := startNginx(b, dir)
	for _, name := range []string{"home", "article"} {
		b.Run("site-"+name, func(b *testing.B) { load(b, site.URL+pages[name]) })
		b.Run("site-check-each-"+name, func(b *testing.B) { load(b, siteEach.URL+pages[name]) })
		b.Run("static-"+name, func(b *testing.B) { load(b, static.URL+"/"+name+".html") })
		if nginxURL != "" {
			b.Run("nginx-"+name, func(b *testing.B) { load(b, nginxURL+"/"+name+".html") })
		}
	}
}

// startNginx serves dir with nginx on a loopback port, two workers (one
// per core) and no access log, and returns its URL; "" when nginx is not
// installed.
func startNginx(b *testing.B, dir string) string {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		b.Log("nginx not installed; not compared")
		return ""
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	prefix := b.TempDir()
	user := ""
	if os.Geteuid() == 0 {
		// As root, nginx would run its workers as nobody, who cannot
		// read the test's private temporary directory.
		user = "user root;"
	}
	conf := fmt.Sprintf(`%[4]s
worker_processes 2;
error_log %[1]s/error.log;
pid %[1]s/nginx.pid;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
	keepalive_requests 1000000;
	server { listen %[2]s; root %[3]s; default_type text/html; }
}
`, prefix, addr, dir, user)
	if err := os.WriteFile(filepath.Join(prefix, "nginx.conf"), []byte(conf), 0o644); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", prefix, "-c", filepath.Join(prefix, "nginx.conf"), "-g", "daemon off;")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	for range 100 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.Fatal("nginx did not start")
	return ""
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
