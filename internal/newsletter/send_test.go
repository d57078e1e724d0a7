package newsletter_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestCampaignReachesEveryoneOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		svc, _ := newService(t, db, testConfig(sink), true)
		seedList(t, svc, "imr", 23)
		// One subscriber leaves before the campaign: they must get nothing.
		left := subscriberUID(t, db, "r22@example.org")
		if err := svc.Unsubscribe(ctx, left, newsletter.Consent{Form: "test"}); err != nil {
			t.Fatal(err)
		}
		c := newCampaign(t, svc, "imr")
		n, err := svc.Start(ctx, c.ID)
		if err != nil || n != 22 {
			t.Fatalf("Start queued %d, %v; want 22", n, err)
		}
		if _, err := svc.Start(ctx, c.ID); err == nil {
			t.Fatal("a second Start succeeded")
		}
		p := waitDone(t, db, c.ID, 30*time.Second)
		if p.Sent != 22 || p.Total != 22 {
			t.Fatalf("progress: %s", p)
		}
		if got := sink.Count(); got != 22 {
			t.Fatalf("sink got %d messages, want 22", got)
		}
		if len(sink.To("r22@example.org")) != 0 {
			t.Fatal("the unsubscribed reader got the campaign")
		}
		c, _ = newsletter.LoadCampaign(ctx, db, c.ID)
		m := sink.To("r3@example.org")
		if len(m) != 1 {
			t.Fatalf("r3 got %d messages", len(m))
		}
		uid := subscriberUID(t, db, "r3@example.org")
		h := m[0].Header
		if got, want := h.Get("Message-Id"), "<"+newsletter.MessageID(c.UID, uid, "pressreview.test")+">"; got != want {
			t.Errorf("Message-ID %q, want %q", got, want)
		}
		unsub := h.Get("List-Unsubscribe")
		if _, ok := hasAll(unsub, "<http://127.0.0.1:9"+newsletter.PathUnsubscribe+"?t=", "<mailto:unsubscribe@pressreview.test?subject=unsubscribe>"); !ok {
			t.Errorf("List-Unsubscribe %q", unsub)
		}
		if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", got)
		}
		if got := h.Get("List-Id"); got != `"Iran Media Review" <imr.pressreview.test>` {
			t.Errorf("List-Id %q", got)
		}
		if got := h.Get("Subject"); got != "The March 7 edition" {
			t.Errorf("Subject %q", got)
		}
		text, html, err := m[0].Parts()
		if err != nil {
			t.Fatal(err)
		}
		link := strings.Trim(strings.SplitN(unsub, ",", 2)[0], "<> ")
		if miss, ok := hasAll(text, "Dear Reader 3,", "Kayhan warned", "Unsubscribe: "+link, newsletter.PathSettings+"?t="); !ok {
			t.Errorf("text part lacks %q:\n%s", miss, text)
		}
		if miss, ok := hasAll(html, "<p>Dear Reader 3,</p>", `lang="en"`, "Unsubscribe</a>", newsletter.PathSettings+"?t="); !ok {
			t.Errorf("HTML part lacks %q:\n%s", miss, html)
		}
		tok := link[strings.Index(link, "?t=")+3:]
		got, err := svc.Signer().Verify(newsletter.PurposeUnsubscribe, tok, time.Now())
		if err != nil || got.Subject != uid || got.Campaign != c.ID {
			t.Errorf("unsubscribe token: %+v, %v", got, err)
		}
	})
}

func TestLedgerStatesOnlyMoveForward(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		svc, _ := newService(t, db, testConfig(sink), true)
		seedList(t, svc, "imr", 2)
		c := newCampaign(t, svc, "imr")
		if _, err := svc.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		waitDone(t, db, c.ID, 30*time.Second)
		if _, err := db.ExecContext(ctx, `UPDATE deliveries SET state = 'queued' WHERE campaign_id = ?`, c.ID); err == nil {
			t.Fatal("sent → queued was allowed")
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO deliveries (campaign_id, subscriber_id, state, queued_at)
			SELECT campaign_id, subscriber_id, 'queued', queued_at FROM deliveries WHERE campaign_id = ?`, c.ID); err == nil {
			t.Fatal("a second row for the same (campaign, subscriber) was allowed")
		}
		if _, err := db.ExecContext(ctx, `UPDATE deliveries SET state = 'bounced' WHERE campaign_id = ?`, c.ID); err != nil {
			t.Fatalf("sent → bounced refused: %v", err)
		}
	})
}

func TestTemporaryFailuresRetryAndPermanentOnesFail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		var mu sync.Mutex // a timed-out connection's session may still be running
		tries := map[string]int{}
		sink.OnRcpt(func(rcpt string) error {
			mu.Lock()
			tries[rcpt]++
			n := tries[rcpt]
			mu.Unlock()
			switch {
			case rcpt == "r1@example.org" && n < 3:
				return mailtest.Reply(451, "try again later")
			case rcpt == "r2@example.org":
				return mailtest.Reply(550, "no such user")
			case rcpt == "r3@example.org":
				return mailtest.Reply(452, "mailbox full, forever")
			}
			return nil
		})
		cfg := testConfig(sink)
		cfg.Concurrency = 1
		svc, _ := newService(t, db, cfg, true)
		seedList(t, svc, "imr", 6)
		// A malformed address that slipped in past validation (an old import).
		if _, err := db.ExecContext(ctx, `UPDATE subscribers SET email = 'broken address@@example.org' WHERE email = 'r5@example.org'`); err != nil {
			t.Fatal(err)
		}
		c := newCampaign(t, svc, "imr")
		if _, err := svc.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		p := waitDone(t, db, c.ID, 30*time.Second)
		if p.Sent != 3 || p.Failed != 3 {
			t.Fatalf("want 3 sent (r0, r1 after two 451s, r4) and 3 failed: %s", p)
		}
		if len(sink.To("r1@example.org")) != 1 {
			t.Error("r1 did not get exactly one message after retries")
		}
		states := deliveryErrors(t, db, c.ID)
		if e := states["r2@example.org"]; !strings.Contains(e, "550") {
			t.Errorf("r2 error %q, want the 550", e)
		}
		if e := states["r3@example.org"]; !strings.Contains(e, "gave up after 4 attempts") {
			t.Errorf("r3 error %q", e)
		}
		if e := states["broken address@@example.org"]; !strings.Contains(e, "recipient address") {
			t.Errorf("malformed address error %q", e)
		}
		// The 550 is a hard bounce: the default policy blocks the address.
		s, _ := newsletter.SubscriberByEmail(ctx, db, "r2@example.org")
		if s.Status != newsletter.Blocked {
			t.Errorf("r2 is %s after a 550, want blocked", s.Status)
		}
		// Retry failed: r3's mailbox has room now; r2 stays blocked.
		sink.OnRcpt(nil)
		n, err := svc.RetryFailed(ctx, c.ID)
		if err != nil || n != 2 {
			t.Fatalf("RetryFailed = %d, %v; want 2 (r3 and the malformed r5; r2 is blocked)", n, err)
		}
		p = waitDone(t, db, c.ID, 30*time.Second)
		if p.Sent != 4 || p.Failed != 2 || len(sink.To("r3@example.org")) != 1 {
			t.Fatalf("after retry: %s", p)
		}
	})
}

func deliveryErrors(t *testing.T, db *store.DB, campaign int64) map[string]string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT s.email, d.last_error FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.campaign_id = ?`, campaign)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var e, msg string
		if err := rows.Scan(&e, &msg); err != nil {
			t.Fatal(err)
		}
		out[e] = msg
	}
	return out
}

func TestRelayDownThenRetryFailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		cfg := testConfig(sink)
		cfg.SMTP.Port = closedPort(t)
		svc, queue := newService(t, db, cfg, true)
		seedList(t, svc, "imr", 4)
		c := newCampaign(t, svc, "imr")
		if _, err := svc.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		p := waitDone(t, db, c.ID, 60*time.Second)
		if p.Failed != 4 {
			t.Fatalf("with the relay refusing connections: %s", p)
		}
		// The relay is back: a service pointing at it retries the failed rows.
		if err := queue.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		svc2, _ := newService(t, db, testConfig(sink), true)
		if n, err := svc2.RetryFailed(ctx, c.ID); err != nil || n != 4 {
			t.Fatalf("RetryFailed = %d, %v", n, err)
		}
		p = waitDone(t, db, c.ID, 30*time.Second)
		if p.Sent != 4 || sink.Count() != 4 {
			t.Fatalf("after the relay came back: %s, sink %d", p, sink.Count())
		}
	})
}

func TestRelayTimeoutIsRetriedWithTheSameMessageID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		var stalls atomic.Int32
		sink.OnData(func() error {
			if stalls.Add(1) <= 2 {
				time.Sleep(600 * time.Millisecond)
				return mailtest.Reply(451, "too slow")
			}
			return nil
		})
		cfg := testConfig(sink)
		cfg.Concurrency = 1
		cfg.SMTP.Timeout = 200 * time.Millisecond
		svc, _ := newService(t, db, cfg, true)
		seedList(t, svc, "imr", 3)
		c := newCampaign(t, svc, "imr")
		if _, err := svc.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		p := waitDone(t, db, c.ID, 30*time.Second)
		if p.Sent != 3 {
			t.Fatalf("after timeouts: %s", p)
		}
		for i := range 3 {
			if got := len(sink.To(fmtAddr(i))); got != 1 {
				t.Errorf("%s got %d messages", fmtAddr(i), got)
			}
		}
	})
}

func fmtAddr(i int) string { return fmt.Sprintf("r%d@example.org", i) }

func TestPauseAndContinue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		cfg := testConfig(sink)
		cfg.Rate = 100
		svc, _ := newService(t, db, cfg, true)
		seedList(t, svc, "imr", 40)
		c := newCampaign(t, svc, "imr")
		if _, err := svc.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		sink.Wait(5, 10*time.Second)
		if err := svc.Pause(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.Pause(ctx, c.ID); err == nil {
			t.Fatal("pausing a paused campaign succeeded")
		}
		if err := svc.Continue(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		p := waitDone(t, db, c.ID, 30*time.Second)
		if p.Sent != 40 || sink.Count() != 40 {
			t.Fatalf("after pause and continue: %s, sink %d", p, sink.Count())
		}
	})
}

func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
