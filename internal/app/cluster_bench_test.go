package app

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// BenchmarkInstances measures ingest pages/s and campaign messages/s with
// one, two and three `serve` processes on one PostgreSQL database, and
// the database round trips they cost per page and per message. The
// instances reach PostgreSQL through a relay that counts round trips: a
// simple Query or a Sync of the extended protocol each wait for the
// server once. Run it with -benchtime=1x; sizes come from
// PRESSREVIEW_BENCH_PAGES (2,000) and PRESSREVIEW_BENCH_MESSAGES (10,000).
func BenchmarkInstances(b *testing.B) {
	pages, messages := envInt("PRESSREVIEW_BENCH_PAGES", 2000), envInt("PRESSREVIEW_BENCH_MESSAGES", 10000)
	const feeds = 20
	bin := buildBinary(b)
	for _, n := range []int{1, 2, 3} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			for range b.N {
				benchInstances(b, bin, n, feeds, pages/feeds, messages)
			}
		})
	}
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}

func benchInstances(b *testing.B, bin string, n, feeds, perFeed, messages int) {
	ctx := context.Background()
	dsn := storetest.NewPostgresURL(b)
	if _, err := run(b, "import", "--database", dsn, seedFile(b)); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	relay := startPGRelay(b, dsn)
	press := startClusterPress(b, feeds, perFeed)
	sink := startCountingSink(b)
	seedSubscribers(b, db, messages)
	token, _, err := accounts.CreateToken(ctx, db, "bench", accounts.Admin)
	if err != nil {
		b.Fatal(err)
	}
	insts := make([]*instance, n)
	for i := range insts {
		insts[i] = newInstance(b, bin, i, relay.dsn, "", sink)
		// Unthrottled: the point is the cost of sharing.
		insts[i].env = append(insts[i].env, "PRESSREVIEW_NEWSLETTER_RATE=0", "PRESSREVIEW_FETCH_HOST_DELAY=0s")
		insts[i].start(b)
	}
	defer func() {
		for _, in := range insts {
			in.kill()
		}
	}()
	for _, in := range insts {
		in.waitReady(b)
	}
	// What the instances cost the database while idle, to tell apart.
	idle0, t0 := relay.trips.Load(), time.Now()
	time.Sleep(5 * time.Second)
	idleRate := float64(relay.trips.Load()-idle0) / time.Since(t0).Seconds()

	articles := feeds * perFeed
	trips0, start := relay.trips.Load(), time.Now()
	wire := outlets.Outlet{Key: "wire", Name: "The Wire", Kind: outlets.Newspaper}
	if err := outlets.SaveOutlet(ctx, db, &wire); err != nil {
		b.Fatal(err)
	}
	for f := range feeds {
		fd := outlets.Feed{OutletID: wire.ID, URL: fmt.Sprintf("%s/f/%d/rss.xml", press.URL, f)}
		if err := outlets.SaveFeed(ctx, db, &fd); err != nil {
			b.Fatal(err)
		}
	}
	waitFor(b, 10*time.Minute, "every article", func() bool {
		return count(b, db, `SELECT COUNT(*) FROM articles`) >= int64(articles)
	})
	ingest := time.Since(start)
	ingestTrips := relay.trips.Load() - trips0

	trips0, start = relay.trips.Load(), time.Now()
	insts[0].api(b, "POST", "/api/campaigns", token, map[string]string{"list": "cluster", "subject": "Bench",
		"html": "<p>Bench.</p>", "text": "Bench.\n"}, nil)
	var id int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(id) FROM campaigns`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	insts[0].api(b, "POST", fmt.Sprintf("/api/campaigns/%d/send", id), token, nil, nil)
	waitFor(b, 10*time.Minute, "every message", func() bool {
		return count(b, db, `SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state IN ('queued', 'sending')`, id) == 0
	})
	send := time.Since(start)
	sendTrips := relay.trips.Load() - trips0
	if got := sink.total(); got != messages {
		b.Errorf("the sink got %d messages, want %d", got, messages)
	}
	if hits := press.pageHits.Load(); hits != int64(articles) {
		b.Errorf("%d page fetches for %d articles", hits, articles)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	b.ReportMetric(float64(articles)/ingest.Seconds(), "pages/s")
	b.ReportMetric(float64(messages)/send.Seconds(), "msgs/s")
	b.ReportMetric(float64(ingestTrips)/float64(articles), "trips/page")
	b.ReportMetric(float64(sendTrips)/float64(messages), "trips/msg")
	b.Logf("%d instances: %d pages in %v (%.0f/s), %.1f round trips a page; %d messages in %v (%.0f/s), %.1f round trips a message; idle %.0f round trips/s; loadavg %s",
		n, articles, ingest.Round(time.Millisecond), float64(articles)/ingest.Seconds(), float64(ingestTrips)/float64(articles),
		messages, send.Round(time.Millisecond), float64(messages)/send.Seconds(), float64(sendTrips)/float64(messages), idleRate, load)
}

// pgRelay forwards PostgreSQL connections and counts the client's round
// trips: simple Query ('Q') and Sync ('S') messages.
type pgRelay struct {
	dsn   string
	trips atomic.Int64
}

func startPGRelay(tb testing.TB, dsn string) *pgRelay {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	target := u.Host
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	u.Host = ln.Addr().String()
	q := u.Query()
	q.Set("sslmode", "disable")
	u.RawQuery = q.Encode()
	r := &pgRelay{dsn: u.String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.pipe(c, target)
		}
	}()
	return r
}

func (r *pgRelay) pipe(client net.Conn, target string) {
	defer client.Close()
	server, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer server.Close()
	go func() {
		_, _ = io.Copy(client, server)
		client.Close()
	}()
	in := bufio.NewReader(client)
	var hdr [5]byte
	// The startup message has no type byte.
	if _, err := io.ReadFull(in, hdr[:4]); err != nil {
		return
	}
	n := binary.BigEndian.Uint32(hdr[:4])
	if _, err := server.Write(hdr[:4]); err != nil {
		return
	}
	if _, err := io.CopyN(server, in, int64(n)-4); err != nil {
		return
	}
	for {
		if _, err := io.ReadFull(in, hdr[:]); err != nil {
			return
		}
		if hdr[0] == 'Q' || hdr[0] == 'S' {
			r.trips.Add(1)
		}
		if _, err := server.Write(hdr[:]); err != nil {
			return
		}
		if _, err := io.CopyN(server, in, int64(binary.BigEndian.Uint32(hdr[1:]))-4); err != nil {
			return
		}
	}
}
