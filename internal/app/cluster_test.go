package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"net"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"golang.org/x/sync/errgroup"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/blobs/blobtest"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// The three-instance test's sizes (issue 14). PRESSREVIEW_CLUSTER_SCALE
// divides them for a quick look while working on it; the test as the
// issue states it runs with the full sizes.
const (
	clusterFeeds       = 20
	clusterPerFeed     = 100 // 2,000 articles
	clusterSubscribers = 20000
)

// TestThreeInstances runs three `pressreview serve` processes, built from
// this tree, on one PostgreSQL database (and one S3 bucket when
// PRESSREVIEW_TEST_S3 names one). While they ingest 2,000 articles from a
// loopback press and send a 20,000-recipient campaign started through
// one of them, one instance is SIGKILLed and restarted. Then every article
// was stored exactly once with its archived copy readable, while they run
// and after a graceful restart (through every instance when the WARC files
// go to the shared bucket — a file not yet uploaded is read from the
// instance holding it; through the instance that wrote it when each has
// only its own directory), every subscriber got the campaign
// exactly once except the messages in flight at the kill (one per SMTP
// connection of the killed process, repeated with the same Message-ID),
// an edition published through one instance shows on the other two
// within a second, and each instance stops cleanly on SIGTERM. It takes
// two to four minutes on two busy cores; -short skips it.
func TestThreeInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three servers")
	}
	scale := 1
	if v := os.Getenv("PRESSREVIEW_CLUSTER_SCALE"); v != "" {
		scale, _ = strconv.Atoi(v)
		scale = max(scale, 1)
	}
	feeds, perFeed, subscribers := clusterFeeds, clusterPerFeed/scale, clusterSubscribers/scale
	articles := feeds * perFeed
	dsn := storetest.NewPostgresURL(t)
	blobURL := ""
	if os.Getenv(blobtest.EnvS3) != "" || os.Getenv("CI") != "" {
		blobURL = blobtest.S3URL(t)
	}
	ctx := context.Background()

	// The seed import migrates the database and brings the outlets,
	// author and series an edition needs.
	if _, err := run(t, "import", "--database", dsn, seedFile(t)); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bin := buildBinary(t)
	press := startClusterPress(t, feeds, perFeed)
	sink := startCountingSink(t)

	seedSubscribers(t, db, subscribers)
	token, _, err := accounts.CreateToken(ctx, db, "cluster test", accounts.Admin)
	if err != nil {
		t.Fatal(err)
	}

	var insts [3]*instance
	for i := range insts {
		insts[i] = newInstance(t, bin, i, dsn, blobURL, sink)
		insts[i].start(t)
	}
	defer func() {
		for _, in := range insts {
			in.kill()
		}
	}()
	for _, in := range insts {
		in.waitReady(t)
	}

	// The campaign, created and started through the first instance.
	insts[0].api(t, "POST", "/api/campaigns", token, map[string]string{"list": "cluster",
		"subject": "The cluster edition",
		"html":    `<p>Dear {{or .Name "reader"}}, three instances send this once.</p>`,
		"text":    "Dear {{or .Name \"reader\"}}, three instances send this once.\n"}, nil)
	var campaignID int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(id) FROM campaigns`).Scan(&campaignID); err != nil {
		t.Fatal(err)
	}
	insts[0].api(t, "POST", fmt.Sprintf("/api/campaigns/%d/send", campaignID), token, nil, nil)

	stored := func() int64 { return count(t, db, `SELECT COUNT(*) FROM articles`) }
	sent := func() int64 {
		return count(t, db, `SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'sent'`, campaignID)
	}
	// The feeds come once the campaign is under way: ingest is the faster
	// of the two, and the kill must find both in the middle.
	waitFor(t, 3*time.Minute, "a tenth of the campaign", func() bool { return sent() >= int64(subscribers/10) })
	wire := outlets.Outlet{Key: "wire", Name: "The Wire", Kind: outlets.Newspaper}
	if err := outlets.SaveOutlet(ctx, db, &wire); err != nil {
		t.Fatal(err)
	}
	for f := range feeds {
		fd := outlets.Feed{OutletID: wire.ID, URL: fmt.Sprintf("%s/f/%d/rss.xml", press.URL, f)}
		if err := outlets.SaveFeed(ctx, db, &fd); err != nil {
			t.Fatal(err)
		}
	}
	// SIGKILL the second instance in the middle of both, and restart it.
	waitFor(t, 3*time.Minute, "a fifth of the articles", func() bool { return stored() >= int64(articles/5) })
	victim := insts[1]
	victim.kill()
	inFlight := count(t, db, `SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'sending'`, campaignID)
	a, s := stored(), sent()
	t.Logf("killed instance 1 with %d of %d articles stored and %d of %d messages sent (%d in flight)",
		a, articles, s, subscribers, inFlight)
	if a >= int64(articles) || s >= int64(subscribers) {
		t.Fatal("the work was done before the kill: make the run longer")
	}
	victim.start(t)
	victim.waitReady(t)

	// A killed sender's claims lapse after the newsletter's lease (two
	// minutes); a killed fetcher's batch is retried once it stops beating.
	waitFor(t, 6*time.Minute, "every article and every message", func() bool {
		return stored() >= int64(articles) &&
			count(t, db, `SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state IN ('queued', 'sending')`, campaignID) == 0
	})

	t.Run("ingested once", func(t *testing.T) {
		if n := stored(); n != int64(articles) {
			t.Errorf("%d articles stored, want %d", n, articles)
		}
		if n := count(t, db, `SELECT COUNT(DISTINCT canonical_url) FROM articles`); n != int64(articles) {
			t.Errorf("%d distinct article URLs, want %d", n, articles)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM articles WHERE capture_id IS NULL`); n != 0 {
			t.Errorf("%d articles without their archived copy", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM feed_entries WHERE state <> 'done'`); n != 0 {
			t.Errorf("%d feed entries not done", n)
		}
		// Each page is fetched once, except those of the batches the
		// killed instance was working on (fetched, not yet stored: its
		// fetch queue runs three batches of at most 64 at once).
		hits := press.pageHits.Load()
		t.Logf("the press served %d article pages for %d articles", hits, articles)
		if extra := hits - int64(articles); extra < 0 || extra > 3*64 {
			t.Errorf("%d page fetches for %d articles: work done twice beyond the killed instance's batches", hits, articles)
		}
	})

	t.Run("campaign sent once", func(t *testing.T) {
		p, err := newsletter.CampaignProgress(ctx, db, campaignID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Sent != int64(subscribers) {
			t.Errorf("ledger: %d sent of %d (%d failed)", p.Sent, subscribers, p.Failed)
		}
		got := sink.byRecipient()
		repeats := 0
		for i := range subscribers {
			ids := got[fmt.Sprintf("c%d@example.org", i)]
			if len(ids) == 0 {
				t.Errorf("c%d@example.org got nothing", i)
				continue
			}
			for _, id := range ids[1:] {
				repeats++
				if id != ids[0] {
					t.Errorf("c%d@example.org: a repeat with Message-ID %s, the first %s", i, id, ids[0])
				}
			}
		}
		// One process was killed: at most the messages in the middle of
		// DATA on its connections can have gone out twice.
		t.Logf("%d messages for %d subscribers: %d repeats, %d rows in flight at the kill", sink.total(), subscribers, repeats, inFlight)
		if bound := newsletterConcurrency; repeats > bound {
			t.Errorf("%d repeats after one kill of a sender with %d connections", repeats, bound)
		}
		if len(got) != subscribers {
			t.Errorf("mail for %d distinct recipients, want %d", len(got), subscribers)
		}
	})

	t.Run("publish shows everywhere", func(t *testing.T) {
		edition := map[string]any{
			"series": "iran-media-review", "date": time.Now().UTC().Format("2006-01-02"), "title": "Three Instances, One Desk",
			"authors": []string{"ali-alfoneh"},
			"entries": []any{map[string]any{"date": time.Now().UTC().Format("2006-01-02"),
				"outlets": []any{map[string]string{"key": "kayhan", "label": "hard-line Kayhan", "role": "source"}},
				"lead_in": "Hard-line Kayhan warned:",
				"items":   []any{map[string]any{"parts": []any{map[string]string{"kind": "quote", "text": "Talks are a trap."}}}}}},
		}
		var draft struct{ Slug string }
		insts[0].api(t, "POST", "/api/editions", token, edition, &draft)
		for _, a := range []string{"submit", "approve"} {
			insts[0].api(t, "POST", "/api/editions/"+draft.Slug+"/"+a, token, nil, nil)
		}
		// The others cache their home page before the publish.
		for _, in := range insts[1:] {
			if body, status := in.get("/", ""); status != 200 || bytes.Contains(body, []byte("Three Instances, One Desk")) {
				t.Fatalf("instance %d home page before the publish: %d", in.n, status)
			}
		}
		insts[0].api(t, "POST", "/api/editions/"+draft.Slug+"/publish", token, nil, nil)
		published := time.Now()
		for _, in := range insts[1:] {
			for {
				body, status := in.get("/", "")
				if status == 200 && bytes.Contains(body, []byte("Three Instances, One Desk")) {
					t.Logf("instance %d shows the publish after %v", in.n, time.Since(published).Round(time.Millisecond))
					break
				}
				// A bound the notification must meet, not a speed: the
				// periodic check alone would take up to five seconds.
				if time.Since(published) > time.Second {
					t.Fatalf("instance %d does not show the edition published through instance 0 a second later", in.n)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	})

	t.Run("River UI on PostgreSQL", func(t *testing.T) {
		body, status := insts[2].get("/studio/jobs/api/jobs?state=completed&limit=5", token)
		if status != 200 || !bytes.Contains(body, []byte(`"kind"`)) {
			t.Errorf("River UI's job list: %d %.300s", status, body)
		}
	})

	t.Run("archive readable while running", func(t *testing.T) { checkArchive(t, db, insts[:], press, token, blobURL) })

	t.Run("graceful stop", func(t *testing.T) {
		for _, in := range insts {
			if err := in.stop(); err != nil {
				t.Errorf("instance %d on SIGTERM: %v\n%s", in.n, err, in.log.String())
			}
		}
	})

	// Stopped, each instance handed its last WARC file to the blob store;
	// started again, every one of them must serve every capture.
	for _, in := range insts {
		in.start(t)
	}
	for _, in := range insts {
		in.waitReady(t)
	}
	t.Run("archive readable after a restart", func(t *testing.T) { checkArchive(t, db, insts[:], press, token, blobURL) })
}

// newsletterConcurrency is the SMTP connections per instance in the test.
const newsletterConcurrency = 4

func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pressreview")
	cmd := exec.Command("go", "build", "-o", bin, "../../cmd/pressreview")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// instance is one `pressreview serve` process, restartable on its port.
type instance struct {
	n    int
	bin  string
	addr string
	env  []string
	cmd  *exec.Cmd
	done chan error
	log  *syncBuffer
}

func newInstance(t testing.TB, bin string, n int, dsn, blobURL string, sink *countingSink) *instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"PRESSREVIEW_DATABASE=" + dsn,
		"PRESSREVIEW_ADDR=" + addr,
		"PRESSREVIEW_SITE_URL=http://" + addr,
		// Each its own disk, as on separate machines.
		"PRESSREVIEW_DATA_DIR=" + t.TempDir(),
		"PRESSREVIEW_FETCH_ALLOW=127.0.0.0/8",
		"PRESSREVIEW_FETCH_HOST_DELAY=5ms",
		"PRESSREVIEW_POLL_EVERY=1s",
		"PRESSREVIEW_NEWSLETTER_KEY=cluster-test-signing-key-of-32-bytes-at-least",
		"PRESSREVIEW_NEWSLETTER_FROM=Desk <desk@example.org>",
		"PRESSREVIEW_SMTP_HOST=127.0.0.1",
		"PRESSREVIEW_SMTP_PORT=" + strconv.Itoa(sink.port),
		"PRESSREVIEW_SMTP_TLS=none",
		"PRESSREVIEW_NEWSLETTER_CONCURRENCY=" + strconv.Itoa(newsletterConcurrency),
		// Slow enough that the kill finds the campaign under way.
		"PRESSREVIEW_NEWSLETTER_RATE=150",
		"PRESSREVIEW_LOG_LEVEL=warn",
	}
	if blobURL != "" {
		env = append(env, "PRESSREVIEW_BLOBS="+blobURL, "PRESSREVIEW_INSTANCE_URL=http://"+addr,
			"AWS_ACCESS_KEY_ID="+os.Getenv("AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY="+os.Getenv("AWS_SECRET_ACCESS_KEY"))
	}
	return &instance{n: n, bin: bin, addr: addr, env: env, log: &syncBuffer{}}
}

func (in *instance) start(t testing.TB) {
	t.Helper()
	in.cmd = exec.Command(in.bin, "serve")
	in.cmd.Env = in.env
	in.cmd.Stdout = in.log
	in.cmd.Stderr = in.log
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in.done = make(chan error, 1)
	go func(cmd *exec.Cmd, done chan error) { done <- cmd.Wait() }(in.cmd, in.done)
}

func (in *instance) waitReady(t testing.TB) {
	t.Helper()
	waitFor(t, time.Minute, fmt.Sprintf("instance %d ready", in.n), func() bool {
		select {
		case err := <-in.done:
			in.done <- err
			t.Fatalf("instance %d exited: %v\n%s", in.n, err, in.log.String())
		default:
		}
		_, status := in.get("/readyz", "")
		return status == http.StatusOK
	})
}

// kill sends SIGKILL and waits for the process to be gone; on a process
// that already exited it does nothing.
func (in *instance) kill() {
	if in.cmd == nil {
		return
	}
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	err := <-in.done
	in.done <- err
}

// stop sends SIGTERM and waits for a clean exit.
func (in *instance) stop() error {
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-in.done:
		in.done <- err
		return err
	case <-time.After(time.Minute):
		return fmt.Errorf("still running a minute after SIGTERM")
	}
}

func (in *instance) get(path, token string) ([]byte, int) {
	req, _ := http.NewRequest("GET", "http://"+in.addr+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return body, resp.StatusCode
}

// api sends a JSON request as the token's holder and decodes the answer
// into out (when not nil); anything but 2xx fails the test.
func (in *instance) api(t testing.TB, method, path, token string, body, out any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, "http://"+in.addr+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s on instance %d: %v", method, path, in.n, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s on instance %d: %s %s", method, path, in.n, resp.Status, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

func waitFor(t testing.TB, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func count(t testing.TB, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// seedSubscribers adds n active subscribers of list "cluster", confirmed,
// in a few statements (the import would take minutes).
func seedSubscribers(t testing.TB, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	l := &newsletter.List{Key: "cluster", Name: "Cluster readers", Public: true}
	if err := newsletter.SaveList(ctx, db, l); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC()
	if _, err := db.ExecContext(ctx, `INSERT INTO subscribers (uid, email, name, status, created_at, updated_at, confirmed_at)
		SELECT 'c' || i, 'c' || i || '@example.org', 'Reader ' || i, 'active', ?, ?, ? FROM generate_series(0, ?::int - 1) AS i`,
		at, at, at, n); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id, status, updated_at)
		SELECT s.id, ?, 'confirmed', ? FROM subscribers s WHERE s.uid LIKE 'c%'`, l.ID, at); err != nil {
		t.Fatal(err)
	}
}

// clusterPress serves feeds of distinct English articles on loopback.
type clusterPress struct {
	URL      string
	pageHits atomic.Int64
}

func startClusterPress(t testing.TB, feeds, perFeed int) *clusterPress {
	t.Helper()
	p := &clusterPress{}
	mux := http.NewServeMux()
	base := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
	mux.HandleFunc("GET /f/{f}/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		f := r.PathValue("f")
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire %s</title><link>%s</link><language>en</language>`, f, p.URL)
		for i := range perFeed {
			u := fmt.Sprintf("%s/a/%s/%d", p.URL, f, i)
			fmt.Fprintf(&b, "<item><title>Report %s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate></item>\n",
				html.EscapeString(u), u, u, base.Add(time.Duration(i)*time.Second).Format(time.RFC1123Z))
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, b.String())
	})
	mux.HandleFunc("GET /a/{f}/{i}", func(w http.ResponseWriter, r *http.Request) {
		p.pageHits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(clusterPage(r.URL.Path))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	p.URL = "http://" + ln.Addr().String()
	return p
}

// clusterPage is an article whose words are drawn from its path, so no
// two articles are near-duplicates of each other.
func clusterPage(path string) []byte {
	h := fnv.New64a()
	h.Write([]byte(path))
	seed := h.Sum64()
	words := strings.Fields("the minister said talks would continue next week while officials in the capital rejected claims that the agreement had collapsed and analysts expected further sanctions on oil exports banks shipping companies provinces parliament budget drought protests currency")
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Report %s</title></head><body><nav><a href="/">Home</a></nav><article><h1>Report %s</h1>`, path, path)
	for p := range 5 {
		var s []string
		for i := range 40 {
			seed = seed*6364136223846793005 + 1442695040888963407
			s = append(s, words[(seed>>33)%uint64(len(words))])
			if i%12 == 11 {
				s[len(s)-1] += "."
			}
		}
		fmt.Fprintf(&b, "<p>Paragraph %d of %s. %s.</p>\n", p+1, path, strings.Join(s, " "))
	}
	b.WriteString(`</article><footer><p>All rights reserved.</p></footer></body></html>`)
	return []byte(b.String())
}

// countingSink is an SMTP server that keeps, per recipient, the
// Message-IDs of the messages it accepted, and nothing else: 20,000
// messages in full would be a hundred megabytes.
type countingSink struct {
	port int
	srv  *smtp.Server
	mu   sync.Mutex
	ids  map[string][]string
	n    int
}

func startCountingSink(t testing.TB) *countingSink {
	t.Helper()
	s := &countingSink{ids: map[string][]string{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ErrorLog = discardLogger{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *countingSink) byRecipient() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]string, len(s.ids))
	for k, v := range s.ids {
		out[k] = append([]string(nil), v...)
	}
	return out
}

func (s *countingSink) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

type sinkSession struct {
	s  *countingSink
	to []string
}

func (x *sinkSession) Reset()                                    { x.to = nil }
func (x *sinkSession) Logout() error                             { return nil }
func (x *sinkSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error { x.to = append(x.to, to); return nil }

// Data counts a message only once all of it arrived: one cut off by a
// dying sender was not delivered.
func (x *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	id := m.Header.Get("Message-Id")
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	for _, to := range x.to {
		x.s.ids[strings.ToLower(to)] = append(x.s.ids[strings.ToLower(to)], id)
		x.s.n++
	}
	return nil
}

// checkArchive reads every article's archived copy through each instance:
// with a shared blob store every instance must serve every capture; with
// each instance's own directory, the one that wrote it must.
func checkArchive(t *testing.T, db *store.DB, insts []*instance, press *clusterPress, token, blobURL string) {
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT a.capture_id, a.url FROM articles a ORDER BY a.id`)
	if err != nil {
		t.Fatal(err)
	}
	type capture struct {
		id  int64
		url string
	}
	var caps []capture
	for rows.Next() {
		var c capture
		if err := rows.Scan(&c.id, &c.url); err != nil {
			t.Fatal(err)
		}
		caps = append(caps, c)
	}
	rows.Close()
	var g errgroup.Group
	g.SetLimit(8)
	var unreadable atomic.Int64
	for _, c := range caps {
		g.Go(func() error {
			readers := 0
			var failed []string
			for i, in := range insts {
				body, status := in.get(fmt.Sprintf("/archive/%d", c.id), token)
				path := strings.TrimPrefix(c.url, press.URL)
				if status == http.StatusOK && bytes.Contains(body, []byte("Report "+path+"<")) {
					readers++
					continue
				}
				failed = append(failed, fmt.Sprintf("instance %d: status %d, %.200q%s", i, status, body,
					logLines(in.log.String(), fmt.Sprintf("/archive/%d", c.id))))
			}
			if readers == len(insts) || blobURL == "" && readers > 0 {
				return nil
			}
			if unreadable.Add(1) <= 5 {
				t.Errorf("capture %d (%s) readable through %d of %d instances; %s", c.id, c.url, readers, len(insts),
					strings.Join(failed, "; "))
			}
			return nil
		})
	}
	_ = g.Wait()
	if n := unreadable.Load(); n > 0 {
		t.Errorf("%d of %d captures not readable as they should be", n, len(caps))
	}
	if blobURL == "" {
		t.Logf("%s unset: each capture checked through the instance holding it, not through every instance", blobtest.EnvS3)
	}
}

// logLines are the lines of an instance's log that mention s (what it
// logged of a failed request), each on a line of its own.
func logLines(log, s string) string {
	var out strings.Builder
	for line := range strings.Lines(log) {
		if strings.Contains(line, s) {
			out.WriteString("\n\t" + strings.TrimSpace(line))
		}
	}
	return out.String()
}
