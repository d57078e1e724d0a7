package search

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// fakeMailer records the messages it is asked to send, fails while fail
// is set, and calls after (if set) once a message is recorded.
type fakeMailer struct {
	sent  []fakeMail
	fail  error
	after func()
}

type fakeMail struct{ to, subject, text, html string }

func (m *fakeMailer) Notify(_ context.Context, to, subject, text, html string) error {
	if m.fail != nil {
		return m.fail
	}
	m.sent = append(m.sent, fakeMail{to, subject, text, html})
	if m.after != nil {
		m.after()
	}
	return nil
}

func TestDigests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := seedFixture(t, db)
		var outletID int64
		if err := db.QueryRowContext(ctx, `SELECT outlet_id FROM articles WHERE id = ?`, ids["presstv-putin"]).Scan(&outletID); err != nil {
			t.Fatal(err)
		}
		addArticle := func(title string) int64 {
			t.Helper()
			id, err := insertArticle(ctx, db, outletID, "https://example.org/"+strings.ReplaceAll(title, " ", "-"), title, "Putin <b>said</b> so.", "en", mustDay(t, "2025-03-20"))
			if err != nil {
				t.Fatal(err)
			}
			if err := IndexArticle(ctx, db, id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		check := func(want int) {
			t.Helper()
			if n, err := CheckTopics(ctx, db); err != nil || n != want {
				t.Fatalf("CheckTopics = %d, %v; want %d", n, err, want)
			}
		}
		send := func(m *fakeMailer, now time.Time, want int) {
			t.Helper()
			n, err := SendDigests(ctx, db, m, now)
			if n != want || (err != nil) != (m.fail != nil) {
				t.Fatalf("SendDigests = %d, %v; want %d", n, err, want)
			}
		}
		if err := SaveTopic(ctx, db, &Topic{Name: "Putin", Query: "putin", DigestEmail: "not an address"}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a bad digest address: %v", err)
		}
		if err := SaveTopic(ctx, db, &Topic{Name: "Putin", Query: "putin", DigestEmail: "Analyst <analyst@example.org>"}); err != nil {
			t.Fatal(err)
		}
		// A topic without an address gets no digest.
		if err := SaveTopic(ctx, db, &Topic{Name: "No mail", Query: "putin"}); err != nil {
			t.Fatal(err)
		}
		m := &fakeMailer{}
		t0 := time.Date(2025, 3, 20, 8, 0, 0, 0, time.UTC)
		send(m, t0, 0) // no alerts yet
		first := addArticle("Putin calls Tehran")
		addArticle("Putin calls Riyadh")
		check(4) // two articles, two topics
		// The first digest fails: the topic is released, as never sent.
		m.fail = errors.New("smtp: 451 try again")
		send(m, t0, 0)
		m.fail = nil
		// A seen alert is not mailed.
		if err := MarkAlertsSeen(ctx, db, "Putin", first); err != nil {
			t.Fatal(err)
		}
		send(m, t0, 1)
		if len(m.sent) != 1 {
			t.Fatalf("sent %d messages", len(m.sent))
		}
		got := m.sent[0]
		if got.to != "analyst@example.org" || got.subject != "1 new article for “Putin”" {
			t.Errorf("to %q subject %q", got.to, got.subject)
		}
		if !strings.Contains(got.html, `<mark>Putin</mark> calls Riyadh`) || !strings.Contains(got.html, `&lt;b&gt;said&lt;/b&gt;`) ||
			!strings.Contains(got.html, `dir="ltr"`) || strings.Contains(got.html, "Tehran") {
			t.Errorf("html:\n%s", got.html)
		}
		// Plain text shows the words as written, matches in [brackets].
		if !strings.Contains(got.text, "[Putin] calls Riyadh") || !strings.Contains(got.text, "[Putin] <b>said</b> so.") ||
			!strings.Contains(got.text, "Press TV (state-run)") {
			t.Errorf("text:\n%s", got.text)
		}

		// Running again, at once or later, repeats nothing.
		send(m, t0, 0)
		send(m, t0.Add(time.Hour), 0)

		// New alerts wait for the lease of the last digest to pass.
		addArticle("Putin visits Baku")
		check(2)
		send(m, t0.Add(time.Hour+time.Minute), 1)
		send(m, t0.Add(time.Hour+2*time.Minute), 0)
		if s := m.sent[1].subject; s != "1 new article for “Putin”" || !strings.Contains(m.sent[1].text, "Baku") || strings.Contains(m.sent[1].text, "Riyadh") {
			t.Errorf("second digest %q:\n%s", s, m.sent[1].text)
		}
		addArticle("Putin visits Doha")
		check(2)
		send(m, t0.Add(time.Hour+5*time.Minute), 0) // within the lease
		// A failed send is retried by the next run, without waiting.
		m.fail = errors.New("smtp: 451 try again")
		send(m, t0.Add(2*time.Hour), 0)
		m.fail = nil
		send(m, t0.Add(2*time.Hour+time.Minute), 1)
		if len(m.sent) != 3 || !strings.Contains(m.sent[2].text, "Doha") {
			t.Errorf("after a retry: %d messages", len(m.sent))
		}

		// A crash between sending and marking: the next run, once the lease
		// has passed, repeats that one digest, and then nothing more.
		addArticle("Putin leaves Doha")
		check(2)
		crashed, crash := context.WithCancel(ctx)
		m.after = crash
		if n, err := SendDigests(crashed, db, m, t0.Add(3*time.Hour)); n != 1 || err == nil {
			t.Fatalf("SendDigests with a crash = %d, %v; want 1 sent and an error", n, err)
		}
		m.after = nil
		send(m, t0.Add(3*time.Hour+time.Minute), 0)
		send(m, t0.Add(4*time.Hour), 1)
		send(m, t0.Add(5*time.Hour), 0)
		if len(m.sent) != 5 || m.sent[4].text != m.sent[3].text {
			t.Errorf("after a crash: %d messages, the last two differ", len(m.sent))
		}
		topics, err := ListTopics(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if tp := topics[1]; tp.Name != "Putin" || tp.DigestEmail != "analyst@example.org" || tp.LastDigestAt == nil ||
			!tp.LastDigestAt.Equal(t0.Add(4*time.Hour)) {
			t.Errorf("topic = %+v", tp)
		}
	})
}
