package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

var (
	registerTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)
	confirmTokenRE  = regexp.MustCompile(`name="t" value="([^"]+)"`)
	confirmLinkRE   = regexp.MustCompile(`https://desk\.example(/events/[^/]+/confirm\?t=\S+)`)
)

// postForm posts form to path as a client at the address in xff (through
// a trusted proxy; "" for none) and returns the page.
func postForm(t *testing.T, ts *httptest.Server, path, xff string, form url.Values) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := http.DefaultClient.Do(req)
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

// registrationForm loads the registration form as the client at xff and
// returns its fields, filled in.
func registrationForm(t *testing.T, ts *httptest.Server, path, xff, name, email string) url.Values {
	t.Helper()
	resp, body := get(t, ts, path+"/register", "X-Forwarded-For", xff)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the form with its token is served with Cache-Control %q", cc)
	}
	m := registerTokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form token on the registration page:\n%s", body)
	}
	return url.Values{"name": {name}, "email": {email}, "website": {""}, "ft": {m[1]}}
}

// requestSeat fills in and posts the registration form as a reader would;
// when the page offers no form (the event is full), it returns that page.
func requestSeat(t *testing.T, ts *httptest.Server, path, name, email string) string {
	t.Helper()
	if _, page := get(t, ts, path+"/register"); !strings.Contains(page, `name="ft"`) {
		return page
	}
	return postForm(t, ts, path+"/register", "", registrationForm(t, ts, path, "", name, email))
}

// confirmSeat opens the link of the i-th mail and presses the button.
func confirmSeat(t *testing.T, ts *httptest.Server, m *fakeMailer, i int) string {
	t.Helper()
	m.mu.Lock()
	text := m.sent[i].text
	m.mu.Unlock()
	link := confirmLinkRE.FindStringSubmatch(text)
	if link == nil {
		t.Fatalf("no confirmation link in:\n%s", text)
	}
	_, page := get(t, ts, link[1])
	tok := confirmTokenRE.FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("no confirm button on the link's page:\n%s", page)
	}
	path, _, _ := strings.Cut(link[1], "?")
	return postForm(t, ts, path, "", url.Values{"t": {tok[1]}})
}

func registrations(t *testing.T, db *store.DB) (all, confirmed int) {
	t.Helper()
	err := db.QueryRowContext(context.Background(), `SELECT COUNT(*), COUNT(confirmed_at) FROM event_registrations`).Scan(&all, &confirmed)
	if err != nil {
		t.Fatal(err)
	}
	return all, confirmed
}

// ticking is a clock that moves 5 s each time it is read, so that a form
// is always older than the minimum fill time (3 s) when it is posted.
type ticking struct {
	mu sync.Mutex
	t  time.Time
}

func (c *ticking) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(5 * time.Second)
	return c.t
}

// TestRegistrationTraps: registrations had no rate limit, bot trap or
// confirmation; 30 posts in 0.2 s sent 30 mails. Bots and floods now get
// the answer a reader gets, and nothing is stored or sent.
func TestRegistrationTraps(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		proxies, err := forms.ParseProxies("127.0.0.0/8, ::1")
		if err != nil {
			t.Fatal(err)
		}
		clk := &ticking{t: testNow}
		ts := newTestServer(t, db, web.Options{Mailer: m, TrustedProxies: proxies, Now: clk.now})
		path := "/events/the-week-in-the-iranian-press"
		const reader = "198.51.100.1"

		honeypot := registrationForm(t, ts, path, reader, "Bot", "bot@x.example")
		honeypot.Set("website", "http://spam.example")
		stolen := registrationForm(t, ts, path, reader, "Bot", "bot2@x.example")
		noToken := url.Values{"name": {"Bot"}, "email": {"bot3@x.example"}, "website": {""}, "ft": {"x.y.z"}}
		for name, c := range map[string]struct {
			xff  string
			form url.Values
		}{"honeypot": {reader, honeypot}, "token of another address": {"203.0.113.5", stolen}, "forged token": {reader, noToken}} {
			if page := postForm(t, ts, path+"/register", c.xff, c.form); !strings.Contains(page, "Please check your inbox") {
				t.Errorf("%s: not the answer a reader gets", name)
			}
		}
		if all, _ := registrations(t, db); all != 0 || m.count() != 0 {
			t.Fatalf("bots stored %d registrations and sent %d mails", all, m.count())
		}

		// One token, posted 30 times at once: one registration, one mail.
		form := registrationForm(t, ts, path, reader, "Reader", "reader@x.example")
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f := url.Values{}
				for k, v := range form {
					f[k] = v
				}
				f.Set("email", "victim"+string(rune('a'+i))+"@x.example")
				postForm(t, ts, path+"/register", reader, f)
			}()
		}
		wg.Wait()
		if all, _ := registrations(t, db); all != 1 || m.count() != 1 {
			t.Fatalf("one token made %d registrations and sent %d mails", all, m.count())
		}

		// Fresh forms, one address: its rate limit (10 an hour) stops it.
		for i := range 30 {
			postForm(t, ts, path+"/register", "192.0.2.9", registrationForm(t, ts, path, "192.0.2.9", "Reader", "flood"+string(rune('a'+i))+"@x.example"))
		}
		if m.count() > 1+10 {
			t.Errorf("30 registrations from one address sent %d mails, want at most 10", m.count()-1)
		}
		// Another reader behind the same proxy has a bucket of their own.
		before := m.count()
		postForm(t, ts, path+"/register", "192.0.2.10", registrationForm(t, ts, path, "192.0.2.10", "Other", "other@x.example"))
		if m.count() != before+1 {
			t.Error("a second reader behind the proxy shared the first one's limit")
		}
		// Unconfirmed, none of them holds a seat.
		if _, page := get(t, ts, path); !strings.Contains(page, "2 seats left.") {
			t.Error("unconfirmed registrations took seats")
		}
	})
}

// TestRegistrationTooFast: with a clock that stands still, the form is
// posted the instant it was served: no person fills it that fast.
func TestRegistrationTooFast(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{Mailer: m})
		requestSeat(t, ts, "/events/the-week-in-the-iranian-press", "Reader", "reader@x.example")
		if all, _ := registrations(t, db); all != 0 || m.count() != 0 {
			t.Errorf("an instant post stored %d registrations and sent %d mails", all, m.count())
		}
	})
}

// TestRegistrationInputIsChecked: a 50,000-character name was stored.
func TestRegistrationInputIsChecked(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{Mailer: m, MinFillTime: -1})
		path := "/events/the-week-in-the-iranian-press"
		for _, c := range []struct{ name, email, problem string }{
			{strings.Repeat("n", 50_000), "a@x.example", "The form could not be read"},
			{strings.Repeat("n", 101), "a@x.example", "Name is 101 characters long; at most 100 are allowed."},
			{"Win a prize\r\nhttp://spam.example", "a@x.example", "Name must be one line"},
			{"Reader", strings.Repeat("a", 300) + "@x.example", "an email address has at most 254"},
			{"Reader", "Friend <a@x.example>", "is not an email address"},
		} {
			page := requestSeat(t, ts, path, c.name, c.email)
			mustContain(t, page, c.problem, `name="ft"`)
		}
		if all, _ := registrations(t, db); all != 0 || m.count() != 0 {
			t.Errorf("bad input stored %d registrations and sent %d mails", all, m.count())
		}
	})
}

// TestRegistrationLinks: opening the link does not confirm (mail scanners
// open links); the button does, once; an altered link does nothing.
func TestRegistrationLinks(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{Mailer: m, MinFillTime: -1})
		path := "/events/the-week-in-the-iranian-press"
		requestSeat(t, ts, path, "Reader", "reader@x.example")
		link := confirmLinkRE.FindStringSubmatch(m.sent[0].text)[1]
		get(t, ts, link)
		if _, confirmed := registrations(t, db); confirmed != 0 {
			t.Fatal("opening the link confirmed the registration")
		}
		mustContain(t, postForm(t, ts, path+"/confirm", "", url.Values{"t": {link[strings.Index(link, "t=")+2:] + "x"}}), "This link is not valid")
		mustContain(t, confirmSeat(t, ts, m, 0), "You are registered")
		mustContain(t, confirmSeat(t, ts, m, 0), "already confirmed")
		if _, confirmed := registrations(t, db); confirmed != 1 {
			t.Errorf("%d confirmed registrations, want 1", confirmed)
		}
	})
}

// TestRegistrationMailPunctuation: "What Next?." — a title that ends in
// punctuation gets no period after it.
func TestRegistrationMailPunctuation(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		start := testNow.Add(72 * time.Hour)
		pub := testNow.Add(-time.Hour)
		e := posts.Event{Slug: "what-next", Title: "What Next?", StartsAt: start, EndsAt: start.Add(time.Hour),
			TimeZone: "UTC", Place: "Hall", Status: "published", PublishAt: &pub}
		if err := posts.SaveEvent(context.Background(), db, &e); err != nil {
			t.Fatal(err)
		}
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{Mailer: m, MinFillTime: -1})
		requestSeat(t, ts, "/events/what-next", "Reader", "reader@x.example")
		if m.count() != 1 {
			t.Fatalf("%d mails", m.count())
		}
		for _, part := range []string{m.sent[0].text, m.sent[0].html} {
			mustContain(t, part, "What Next?")
			if strings.Contains(part, "What Next?.") {
				t.Errorf("the mail says \"What Next?.\":\n%s", part)
			}
		}
		mustContain(t, confirmSeat(t, ts, m, 0), "You are registered for What Next? We look forward")
	})
}
