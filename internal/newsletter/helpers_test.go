package newsletter_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/store"
)

var testKey = []byte("0123456789abcdef0123456789abcdef-test")

func testConfig(sink *mailtest.Server) newsletter.Config {
	return newsletter.Config{
		SiteURL:     "http://127.0.0.1:9",
		SigningKey:  testKey,
		From:        "Iran Media Review <review@pressreview.test>",
		SMTP:        newsletter.SMTP{Host: sink.Host, Port: sink.Port, TLS: "none", Timeout: 5 * time.Second},
		Concurrency: 2,
		Batch:       5,
		Lease:       3 * time.Second,
		RetryBase:   30 * time.Millisecond,
		RetryMax:    200 * time.Millisecond,
		MaxAttempts: 4,
		WebhookKey:  []byte("webhook-key"),
	}
}

func startSink(t testing.TB) *mailtest.Server {
	t.Helper()
	s, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newService builds a service with a running job queue; workers=false
// gives an insert-only client (the CLI's situation).
func newService(t testing.TB, db *store.DB, cfg newsletter.Config, workers bool) (*newsletter.Service, *jobs.Client) {
	t.Helper()
	ctx := context.Background()
	svc, err := newsletter.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	jc := jobs.Config{RescueStuckJobsAfter: newsletter.RescueStuckJobsAfter}
	if workers {
		jc.Workers = river.NewWorkers()
		svc.AddWorkers(jc.Workers)
		jc.Queues = svc.Queues()
	}
	client, err := jobs.New(db, jc)
	if err != nil {
		t.Fatal(err)
	}
	svc.Attach(client)
	if workers {
		if err := client.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = client.Stop(sctx)
		})
	}
	return svc, client
}

// seedList makes a list and imports n subscribers r0@example.org … into it.
func seedList(t testing.TB, svc *newsletter.Service, key string, n int) {
	t.Helper()
	ctx := context.Background()
	l := &newsletter.List{Key: key, Name: "Iran Media Review", Public: true}
	if err := newsletter.SaveList(ctx, svc.DB(), l); err != nil {
		t.Fatal(err)
	}
	rows := make([]newsletter.ImportRow, n)
	for i := range rows {
		rows[i] = newsletter.ImportRow{Email: fmt.Sprintf("r%d@example.org", i), Name: fmt.Sprintf("Reader %d", i)}
	}
	res, err := svc.Import(ctx, key, rows, newsletter.Consent{Form: "import:test"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != n {
		t.Fatalf("import added %d of %d: %+v", res.Added, n, res)
	}
}

func newCampaign(t testing.TB, svc *newsletter.Service, list string) newsletter.Campaign {
	t.Helper()
	c, err := svc.CreateCampaign(context.Background(), newsletter.NewCampaign{
		List:    list,
		Subject: "The March 7 edition",
		HTML:    `<p>Dear {{or .Name "reader"}},</p><p>Kayhan warned against Russian mediation.</p>`,
		Text:    "Dear {{or .Name \"reader\"}},\n\nKayhan warned against Russian mediation.\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitDone waits until the campaign is finished and returns its progress.
func waitDone(t testing.TB, db *store.DB, id int64, timeout time.Duration) newsletter.Progress {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		p, err := newsletter.CampaignProgress(context.Background(), db, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Campaign.Status == newsletter.Finished {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("campaign not finished after %v: %s", timeout, p)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func subscriberUID(t testing.TB, db *store.DB, email string) string {
	t.Helper()
	s, err := newsletter.SubscriberByEmail(context.Background(), db, email)
	if err != nil {
		t.Fatal(err)
	}
	return s.UID
}

func hasAll(s string, subs ...string) (string, bool) {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return x, false
		}
	}
	return "", true
}
