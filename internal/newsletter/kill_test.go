package newsletter_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// The helper sender runs in a child process (this test binary re-executed)
// so that the test can SIGKILL it: no deferred cleanup, no flushed state.
const (
	envHelperDSN  = "NEWSLETTER_HELPER_DSN"
	envHelperSMTP = "NEWSLETTER_HELPER_SMTP_PORT"
)

// TestHelperSender is not a test: it is the sending process of
// TestSIGKILLNeverSkipsAndRepeatsOnlyInFlight. It prints its worker id and
// sends until it is killed.
func TestHelperSender(t *testing.T) {
	dsn := os.Getenv(envHelperDSN)
	if dsn == "" {
		t.Skip("runs only as the child of the SIGKILL test")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(os.Getenv(envHelperSMTP))
	cfg := testConfig(&mailtest.Server{Host: "127.0.0.1", Port: port})
	// A lease must outlast the longest SMTP transaction, or a live but
	// slow sender's message in DATA is taken over and sent twice (under
	// -race on two busy cores a transaction can take over a second). Five
	// seconds keeps the kills' take-overs quick.
	cfg.Lease = 5 * time.Second
	cfg.Rate = 150
	// Large batches: what a kill can repeat must not grow with them.
	cfg.Batch = 20
	svc, _ := newService(t, db, cfg, true)
	if err := svc.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("worker %s\n", svc.WorkerID())
	select {}
}

type child struct {
	cmd    *exec.Cmd
	worker string
	stderr *strings.Builder
}

func startChild(t *testing.T, dsn string, port int) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSender$", "-test.v")
	cmd.Env = append(os.Environ(), envHelperDSN+"="+dsn, envHelperSMTP+"="+strconv.Itoa(port))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: &strings.Builder{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if w, ok := strings.CutPrefix(sc.Text(), "worker "); ok {
			c.worker = w
			break
		}
	}
	if c.worker == "" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("helper sender did not start: %s", c.stderr)
	}
	go func() { _, _ = bufio.NewReader(out).WriteTo(discard{}) }()
	return c
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func (c *child) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_ = c.cmd.Wait()
}

// TestSIGKILLNeverSkipsAndRepeatsOnlyInFlight sends one campaign from two
// processes at once, SIGKILLs one of them at random moments and starts a
// new one each time, pauses and resumes the campaign once, and then checks
// the package's guarantee: every subscriber got the campaign, repeats are
// no more than the rows that were in flight (sending) in the killed
// processes at their deaths — at most one per SMTP connection — and every
// repeat has its first copy's Message-ID.
func TestSIGKILLNeverSkipsAndRepeatsOnlyInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	t.Run("sqlite", func(t *testing.T) {
		killTest(t, "sqlite:"+filepath.Join(t.TempDir(), "kill.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		killTest(t, storetest.NewPostgresURL(t))
	})
}

func killTest(t *testing.T, dsn string) {
	const subscribers = 1000
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sink := startSink(t)
	// The parent only inserts jobs; the children send.
	svc, _ := newService(t, db, testConfig(sink), false)
	seedList(t, svc, "imr", subscribers)
	c := newCampaign(t, svc, "imr")

	children := []*child{startChild(t, dsn, sink.Port), startChild(t, dsn, sink.Port)}
	var mu sync.Mutex
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, ch := range children {
			ch.kill()
		}
	}()
	if _, err := svc.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	inFlight, kills := 0, 0
	for round := 0; round < 8; round++ {
		time.Sleep(time.Duration(50+rand.IntN(400)) * time.Millisecond)
		if round == 4 {
			if err := svc.Pause(ctx, c.ID); err == nil {
				time.Sleep(200 * time.Millisecond)
				if err := svc.Continue(ctx, c.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		i := rand.IntN(len(children))
		victim := children[i]
		victim.kill()
		kills++
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'sending' AND claimed_by = ?`, c.ID, victim.worker).Scan(&n); err != nil {
			t.Fatal(err)
		}
		inFlight += n
		t.Logf("kill %d: worker %s had %d in flight; sink has %d", kills, victim.worker, n, sink.Count())
		mu.Lock()
		children[i] = startChild(t, dsn, sink.Port)
		mu.Unlock()
	}
	p := waitDone(t, db, c.ID, 2*time.Minute)
	if p.Sent != subscribers {
		t.Fatalf("ledger: %s", p)
	}
	repeats := 0
	byRcpt := map[string][]mailtest.Message{}
	for _, m := range sink.Messages() {
		byRcpt[m.To[0]] = append(byRcpt[m.To[0]], m)
	}
	for i := range subscribers {
		addr := fmt.Sprintf("r%d@example.org", i)
		ms := byRcpt[addr]
		if len(ms) == 0 {
			t.Errorf("%s was skipped", addr)
			continue
		}
		repeats += len(ms) - 1
		for _, m := range ms[1:] {
			if m.MessageID() != ms[0].MessageID() {
				t.Errorf("%s: a repeat has Message-ID %s, the first %s", addr, m.MessageID(), ms[0].MessageID())
			}
		}
	}
	t.Logf("%d kills, %d rows in flight at the kills, %d repeats, %d messages", kills, inFlight, repeats, sink.Count())
	if repeats > inFlight {
		t.Errorf("%d repeats, but only %d messages were in flight at the kills", repeats, inFlight)
	}
	// The package's bound: a kill repeats at most the messages in the
	// middle of DATA, one per SMTP connection, however many rows the
	// sender had claimed. (Counting the victim's rows in sending at each
	// kill can overstate it: rows a dead sender left in sending stay so
	// while the next sender holds them, before it sends them again.)
	if bound := kills * testConfig(sink).Concurrency; repeats > bound {
		t.Errorf("%d repeats after %d kills of senders with %d connections each: more than one per connection", repeats, kills, testConfig(sink).Concurrency)
	}
	if kills < 8 {
		t.Errorf("only %d kills", kills)
	}
}
