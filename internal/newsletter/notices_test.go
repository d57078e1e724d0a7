package newsletter_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/valid"
)

var noticeID = regexp.MustCompile(`^<notice\.[0-9a-f]{32}@pressreview\.test>$`)

func TestNotifySendsOnceThroughTheRelay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		svc, _ := newService(t, db, testConfig(sink), true)
		const (
			subject = "Your seat at “Iran and the region”, March 7"
			text    = "Dear Ana,\n\nYour registration is confirmed.\n"
			html    = "<p>Dear Ana,</p><p>Your registration is confirmed.</p>"
		)
		// The same request twice (a retried form post) and again once the
		// first was sent: one message.
		for range 2 {
			if err := svc.Notify(ctx, "Ana@Example.org", subject, text, html); err != nil {
				t.Fatal(err)
			}
		}
		if !sink.Wait(1, 20*time.Second) {
			t.Fatal("the notice never arrived")
		}
		if err := svc.Notify(ctx, "ana@example.org", subject, text, html); err != nil {
			t.Fatal(err)
		}
		// A different notice (plain text only) is a second message.
		if err := svc.Notify(ctx, "ana@example.org", "Saved search: Kayhan, week 10", "3 new articles.\n", ""); err != nil {
			t.Fatal(err)
		}
		if !sink.Wait(2, 20*time.Second) {
			t.Fatal("the second notice never arrived")
		}
		time.Sleep(700 * time.Millisecond) // a duplicate would be out by now
		ms := sink.To("ana@example.org")
		if len(ms) != 2 {
			t.Fatalf("ana got %d messages, want 2", len(ms))
		}
		first, digest := ms[0], ms[1]
		if first.Header.Get("Subject") == digest.Header.Get("Subject") {
			first, digest = ms[1], ms[0]
		}
		for _, m := range ms {
			for _, h := range []string{"List-Unsubscribe", "List-Unsubscribe-Post", "List-Id", "Precedence"} {
				if v := m.Header.Get(h); v != "" {
					t.Errorf("a transactional notice has %s: %s", h, v)
				}
			}
			if id := m.MessageID(); !noticeID.MatchString(id) {
				t.Errorf("Message-ID %q, want notice.<hash>@pressreview.test", id)
			}
		}
		if first.MessageID() == digest.MessageID() {
			t.Error("two different notices share a Message-ID")
		}
		txt, htm, err := first.Parts()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(txt, "registration is confirmed") || !strings.Contains(htm, "<p>Your registration is confirmed.</p>") {
			t.Errorf("parts:\n%s\n%s", txt, htm)
		}
		if ct := digest.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(string(digest.Data), "3 new articles.") {
			t.Errorf("the plain-text notice: Content-Type %q\n%s", ct, digest.Data)
		}
	})
}

// A relay that answers 4xx gets the notice again later; one that answers
// 5xx is not asked again.
func TestNotifyRetriesTemporaryFailures(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	sink := startSink(t)
	svc, _ := newService(t, db, testConfig(sink), true)
	var tries, refused atomic.Int32
	sink.OnRcpt(func(rcpt string) error {
		switch rcpt {
		case "busy@example.org":
			if tries.Add(1) == 1 {
				return mailtest.Reply(451, "try again later")
			}
		case "gone@example.org":
			refused.Add(1)
			return mailtest.Reply(550, "no such user")
		}
		return nil
	})
	for _, to := range []string{"gone@example.org", "busy@example.org"} {
		if err := svc.Notify(ctx, to, "Your registration", "Confirmed.\n", ""); err != nil {
			t.Fatal(err)
		}
	}
	if !sink.Wait(1, 30*time.Second) {
		t.Fatalf("the notice never got through the 451 (%d tries)", tries.Load())
	}
	time.Sleep(2 * time.Second) // River's first retry comes after about a second
	if n := len(sink.To("busy@example.org")); n != 1 || tries.Load() != 2 {
		t.Errorf("busy@: %d messages after %d tries; want 1 after 2", n, tries.Load())
	}
	if n := refused.Load(); n != 1 {
		t.Errorf("a 550 was retried: %d tries", n)
	}
}

func TestNotifyRefusesBadInput(t *testing.T) {
	db := storetest.SQLite(t)
	sink := startSink(t)
	svc, _ := newService(t, db, testConfig(sink), false)
	for _, c := range []struct{ to, subject, text, field string }{
		{"Ana <ana@example.org>", "Hi", "Hello", "to"},
		{"ana@localhost", "Hi", "Hello", "to"},
		{"", "Hi", "Hello", "to"},
		{"ana@example.org", " ", "Hello", "subject"},
		{"ana@example.org", "Hi\r\nBcc: all@example.org", "Hello", "subject"},
		{"ana@example.org", "Hi", "", "text"},
	} {
		err := svc.Notify(context.Background(), c.to, c.subject, c.text, "<p>Hello</p>")
		var ve *valid.Error
		if !errors.As(err, &ve) || ve.Path != c.field {
			t.Errorf("Notify(%q, %q, %q): %v; want an error about %s", c.to, c.subject, c.text, err, c.field)
		}
	}
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM river_job`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d jobs queued (%v); want none", n, err)
	}
}
