package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

// fakeMailer records what the site asks to send. The real path, through
// SMTP, is tested in package newsletter.
type fakeMailer struct {
	mu   sync.Mutex
	sent []mail
	err  error
}

type mail struct{ to, subject, text, html string }

func (m *fakeMailer) Notify(_ context.Context, to, subject, text, html string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.sent = append(m.sent, mail{to, subject, text, html})
	return nil
}

func register(t *testing.T, ts *httptest.Server, path, name, email string) string {
	t.Helper()
	resp, err := http.PostForm(ts.URL+path+"/register", map[string][]string{"name": {name}, "email": {email}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRegistrationSendsConfirmation(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{Mailer: m})
		path := "/events/the-week-in-the-iranian-press"
		page := register(t, ts, path, " Shirin Reader ", "shirin@reader.example")
		mustContain(t, page, "We have sent a confirmation to shirin@reader.example.")
		if len(m.sent) != 1 {
			t.Fatalf("%d mails sent, want 1", len(m.sent))
		}
		got := m.sent[0]
		if got.to != "shirin@reader.example" || got.subject != "Registered: The Week in the Iranian Press" {
			t.Errorf("to %q, subject %q", got.to, got.subject)
		}
		// The time is the event's own (New York, daylight time), with the
		// place and the calendar file.
		for _, part := range []string{got.text, got.html} {
			mustContain(t, part, "Shirin Reader", "Thursday, July 10, 2025, 10:00 AM – 11:30 AM EDT",
				"1050 Connecticut Ave. NW, Washington, DC",
				"https://desk.example/events/the-week-in-the-iranian-press/event.ics")
		}
		mustContain(t, got.html, `<a href="https://desk.example/events/the-week-in-the-iranian-press">The Week in the Iranian Press</a>`)

		// Registering again keeps the seat and sends nothing: the form
		// must not become a way to flood someone's inbox.
		mustContain(t, register(t, ts, path, "Shirin Reader", "shirin@reader.example"), "You were already registered")
		if len(m.sent) != 1 {
			t.Errorf("a repeated registration sent mail (%d in all)", len(m.sent))
		}

		// A mail server that fails does not undo the seat.
		m.err = errors.New("smtp: connection refused")
		mustContain(t, register(t, ts, path, "Other Reader", "other@reader.example"),
			"You are registered, but we could not send the confirmation email.")
		mustContain(t, register(t, ts, path, "Third Reader", "third@reader.example"), "this event is full")
	})
}
