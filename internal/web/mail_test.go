package web_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
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

func (m *fakeMailer) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sent)
}

// TestRegistrationSendsConfirmation: the mail holds the event's own time,
// place, calendar file and a confirmation link, and nothing the registrant
// typed; the seat is held only once the link is opened.
func TestRegistrationSendsConfirmation(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{Mailer: m, MinFillTime: -1})
		path := "/events/the-week-in-the-iranian-press"
		page := requestSeat(t, ts, path, " Shirin Reader ", "shirin@reader.example")
		mustContain(t, page, "Please check your inbox")
		if m.count() != 1 {
			t.Fatalf("%d mails sent, want 1", m.count())
		}
		got := m.sent[0]
		if got.to != "shirin@reader.example" || got.subject != "Confirm your registration: The Week in the Iranian Press" {
			t.Errorf("to %q, subject %q", got.to, got.subject)
		}
		// The time is the event's own (New York, daylight time), with the
		// place and the calendar file; the name typed is not echoed.
		for _, part := range []string{got.text, got.html} {
			mustContain(t, part, "The Week in the Iranian Press.", "Thursday, July 10, 2025, 10:00 AM – 11:30 AM EDT",
				"1050 Connecticut Ave. NW, Washington, DC",
				"https://desk.example/events/the-week-in-the-iranian-press/event.ics",
				"https://desk.example/events/the-week-in-the-iranian-press/confirm?t=")
			if strings.Contains(part, "Shirin") {
				t.Errorf("the mail echoes the name typed into the form:\n%s", part)
			}
		}
		_, event := get(t, ts, path)
		mustContain(t, event, "2 seats left.")
		mustContain(t, confirmSeat(t, ts, m, 0), "You are registered for The Week in the Iranian Press.")
		_, event = get(t, ts, path)
		mustContain(t, event, "1 seats left.")

		// Registering again sends nothing: the form must not become a way
		// to flood someone's inbox.
		mustContain(t, requestSeat(t, ts, path, "Shirin Reader", "shirin@reader.example"), "Please check your inbox")
		if m.count() != 1 {
			t.Errorf("a repeated registration sent mail (%d in all)", m.count())
		}

		// A mail server that fails holds nothing, and says so.
		m.err = errors.New("smtp: connection refused")
		mustContain(t, requestSeat(t, ts, path, "Other Reader", "other@reader.example"),
			"We could not send the confirmation email")
		m.err = nil
		requestSeat(t, ts, path, "Other Reader", "other@reader.example")
		mustContain(t, confirmSeat(t, ts, m, 1), "You are registered")
		mustContain(t, requestSeat(t, ts, path, "Third Reader", "third@reader.example"), "This event is full")
	})
}
