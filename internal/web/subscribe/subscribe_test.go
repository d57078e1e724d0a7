package subscribe_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	webpkg "github.com/pressreview/pressreview/internal/web"
	"github.com/pressreview/pressreview/internal/web/subscribe"
)

// clock is the handlers' clock; tests move it forward past the form's
// minimum fill time or a link's expiry.
type clock struct {
	mu sync.Mutex
	d  time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.d)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.d += d
	c.mu.Unlock()
}

type site struct {
	t     testing.TB
	db    *store.DB
	svc   *newsletter.Service
	sink  *mailtest.Server
	srv   *httptest.Server
	clock *clock
	// web is the site server the pages are mounted on, and their layout.
	web  *webpkg.Server
	logs *logBuffer
}

func newSite(t testing.TB, db *store.DB, tweak func(*subscribe.Deps)) *site {
	t.Helper()
	return newSiteWith(t, db, nil, tweak)
}

// logBuffer collects the log lines of the site and the pages.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newSiteWith is newSite with the newsletter's configuration changed by
// config before use.
func newSiteWith(t testing.TB, db *store.DB, config func(*newsletter.Config), tweak func(*subscribe.Deps)) *site {
	t.Helper()
	ctx := context.Background()
	sink, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	// The pages are served as in production: mounted on the site's own
	// server, inside its layout and behind its middleware (CSP and all).
	var root http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { root.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	web, err := webpkg.New(db, webpkg.Options{SiteName: "pressreview", SiteURL: srv.URL, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	web.Handle("/newsletter/", mux)
	root = web.Handler()
	cfg := newsletter.Config{
		SiteURL:    srv.URL,
		SigningKey: []byte("0123456789abcdef0123456789abcdef-web"),
		From:       "Iran Media Review <review@pressreview.test>",
		SMTP:       newsletter.SMTP{Host: sink.Host, Port: sink.Port, TLS: "none", Timeout: 5 * time.Second},
		WebhookKey: []byte("hook"),
		Batch:      5,
	}
	if config != nil {
		config(&cfg)
	}
	svc, err := newsletter.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	svc.AddWorkers(workers)
	client, err := jobs.New(db, jobs.Config{Workers: workers, Queues: svc.Queues()})
	if err != nil {
		t.Fatal(err)
	}
	svc.Attach(client)
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Stop(c)
	})
	for _, l := range []newsletter.List{
		{Key: "analysis", Name: "Analysis", Description: "New analyses as they are published.", Public: true},
		{Key: "imr", Name: "Iran Media Review", Public: true},
		{Key: "staff", Name: "Staff notes"},
	} {
		if err := newsletter.SaveList(ctx, db, &l); err != nil {
			t.Fatal(err)
		}
	}
	clk := &clock{}
	d := subscribe.Deps{Service: svc, Layout: web, PrivacyURL: "/privacy", Now: clk.now, Logger: logger}
	if tweak != nil {
		tweak(&d)
	}
	subscribe.Register(mux, d)
	return &site{t: t, db: db, svc: svc, sink: sink, srv: srv, clock: clk, web: web, logs: logs}
}

// client never follows redirects: the tests check there are none.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (s *site) get(u string) (*http.Response, string) {
	s.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = s.srv.URL + u
	}
	resp, err := client.Get(u)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (s *site) post(u string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = s.srv.URL + u
	}
	resp, err := client.PostForm(u, form)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var formTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)

// fillForm loads the form, waits like a person would, and returns the
// fields to post.
func (s *site) fillForm(email, name string, lists ...string) url.Values {
	s.t.Helper()
	_, body := s.get(newsletter.PathSubscribe)
	m := formTokenRE.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no form token in the form:\n%s", body)
	}
	s.clock.advance(5 * time.Second)
	return url.Values{"email": {email}, "name": {name}, "list": lists, "website": {""}, "ft": {htmlUnescape(m[1])}}
}

func htmlUnescape(s string) string { return strings.ReplaceAll(s, "&#43;", "+") }

// waitMail waits for the n-th message to rcpt and returns its text part.
func (s *site) waitMail(rcpt string, n int) (mailtest.Message, string) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if ms := s.sink.To(rcpt); len(ms) >= n {
			text, _, err := ms[n-1].Parts()
			if err != nil {
				s.t.Fatal(err)
			}
			return ms[n-1], text
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no message %d to %s", n, rcpt)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func linkIn(t testing.TB, text, path string) string {
	t.Helper()
	m := regexp.MustCompile(`https?://\S+` + regexp.QuoteMeta(path) + `\?t=\S+`).FindString(text)
	if m == "" {
		t.Fatalf("no %s link in:\n%s", path, text)
	}
	return m
}

func status(t testing.TB, db *store.DB, email string) newsletter.SubscriberStatus {
	t.Helper()
	s, err := newsletter.SubscriberByEmail(context.Background(), db, email)
	if err != nil {
		t.Fatal(err)
	}
	return s.Status
}

func count(t testing.TB, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSubscribeConfirmSettingsUnsubscribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, nil)
		resp, form := s.get(newsletter.PathSubscribe)
		if resp.StatusCode != 200 {
			t.Fatalf("form: %d", resp.StatusCode)
		}
		for _, want := range []string{`<html lang="en" dir="ltr">`, `<label for="email">Email <span aria-hidden="true">*</span></label>`, `name="website"`,
			`href="/privacy"`, "By subscribing you agree to our", `value="analysis"`, `value="imr"`} {
			if !strings.Contains(form, want) {
				t.Errorf("form lacks %s", want)
			}
		}
		if strings.Contains(form, "checked") || strings.Contains(form, "Staff notes") {
			t.Error("the form pre-ticks a list or shows a private one")
		}

		resp, body := s.post(newsletter.PathSubscribe, s.fillForm("Reader@Example.org", "Sara", "imr"))
		if resp.StatusCode != 200 || !strings.Contains(body, "check your inbox") {
			t.Fatalf("subscribe: %d\n%s", resp.StatusCode, body)
		}
		if st := status(t, db, "reader@example.org"); st != newsletter.Pending {
			t.Fatalf("after the form the subscriber is %s", st)
		}
		_, text := s.waitMail("reader@example.org", 1)
		confirm := linkIn(t, text, newsletter.PathConfirm)

		// A link scanner fetching the link confirms nothing.
		resp, body = s.get(confirm)
		if resp.StatusCode != 200 || !strings.Contains(body, `<button type="submit">Confirm my subscription</button>`) {
			t.Fatalf("confirm page: %d\n%s", resp.StatusCode, body)
		}
		if st := status(t, db, "reader@example.org"); st != newsletter.Pending {
			t.Fatalf("a GET confirmed the subscription (%s)", st)
		}
		tok, _ := url.ParseQuery(strings.SplitN(confirm, "?", 2)[1])
		resp, body = s.post(newsletter.PathConfirm, url.Values{"t": tok["t"]})
		if resp.StatusCode != 200 || !strings.Contains(body, "confirmed") {
			t.Fatalf("confirm: %d\n%s", resp.StatusCode, body)
		}
		if st := status(t, db, "reader@example.org"); st != newsletter.Active {
			t.Fatalf("after confirming the subscriber is %s", st)
		}
		// Confirming twice sends no second welcome.
		s.post(newsletter.PathConfirm, url.Values{"t": tok["t"]})
		welcome, text := s.waitMail("reader@example.org", 2)
		if welcome.Header.Get("Subject") != "Your subscription is confirmed" {
			t.Fatalf("second mail: %q", welcome.Header.Get("Subject"))
		}
		settings := linkIn(t, text, newsletter.PathSettings)

		resp, body = s.get(settings)
		if resp.StatusCode != 200 || !strings.Contains(body, "reader@example.org") {
			t.Fatalf("settings: %d\n%s", resp.StatusCode, body)
		}
		stok, _ := url.ParseQuery(strings.SplitN(settings, "?", 2)[1])
		resp, body = s.post(newsletter.PathSettings, url.Values{"t": stok["t"], "action": {"save"}, "name": {"Sara K."}, "list": {"analysis"}})
		if resp.StatusCode != 200 || !strings.Contains(body, "saved") {
			t.Fatalf("save settings: %d\n%s", resp.StatusCode, body)
		}
		resp, body = s.get(newsletter.PathSettings + "/data?t=" + url.QueryEscape(stok["t"][0]))
		var x newsletter.DataExport
		if err := json.Unmarshal([]byte(body), &x); err != nil || resp.StatusCode != 200 {
			t.Fatalf("data: %d %v\n%s", resp.StatusCode, err, body)
		}
		if x.Subscriber.Name != "Sara K." || len(x.Lists) != 2 || len(x.Consent) < 4 {
			t.Fatalf("data export: %+v", x)
		}
		kinds := []string{}
		for _, e := range x.Consent {
			kinds = append(kinds, string(e.Kind))
		}
		if got := strings.Join(kinds, ","); got != "subscribe,confirm,name,lists" {
			t.Errorf("ledger kinds %s", got)
		}
		if e := x.Consent[0]; e.IP != "127.0.0.1" || e.UserAgent == "" || !strings.Contains(e.Wording, "Privacy Policy") || e.PolicyVersion == "" {
			t.Errorf("subscribe entry lacks its context: %+v", e)
		}

		// A campaign to "analysis" reaches her; its one-click POST works.
		c, err := s.svc.CreateCampaign(context.Background(), newsletter.NewCampaign{List: "analysis", Subject: "Analysis", HTML: "<p>Hi</p>", Text: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Start(context.Background(), c.ID); err != nil {
			t.Fatal(err)
		}
		m, _ := s.waitMail("reader@example.org", 3)
		unsub := strings.Trim(strings.Split(m.Header.Get("List-Unsubscribe"), ",")[0], "<> ")
		resp, _ = s.get(unsub)
		if resp.StatusCode != 200 || status(t, db, "reader@example.org") != newsletter.Active {
			t.Fatalf("GET of the unsubscribe link: %d, or it unsubscribed", resp.StatusCode)
		}
		req, _ := http.NewRequest("POST", unsub, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err = client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Location") != "" || len(resp.Cookies()) != 0 {
			t.Fatalf("one-click POST: %d, Location %q, %d cookies", resp.StatusCode, resp.Header.Get("Location"), len(resp.Cookies()))
		}
		if st := status(t, db, "reader@example.org"); st != newsletter.Unsubscribed {
			t.Fatalf("after one-click the subscriber is %s", st)
		}
	})
}

func TestBotsAndFloodsStoreNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, func(d *subscribe.Deps) { d.PerIP = 2 })
		honeypot := s.fillForm("bot1@example.org", "", "imr")
		honeypot.Set("website", "http://spam.example")
		tooFast := s.fillForm("bot2@example.org", "", "imr")
		forged := s.fillForm("bot3@example.org", "", "imr")
		forged.Set("ft", forged.Get("ft")+"x")
		noToken := s.fillForm("bot4@example.org", "", "imr")
		noToken.Del("ft")
		// Filled in a second: a token issued just now.
		tooFast.Set("ft", s.freshToken())
		for name, f := range map[string]url.Values{"honeypot": honeypot, "too fast": tooFast, "forged token": forged} {
			resp, body := s.post(newsletter.PathSubscribe, f)
			if resp.StatusCode != 200 || !strings.Contains(body, "check your inbox") {
				t.Errorf("%s: %d, not the normal answer", name, resp.StatusCode)
			}
		}
		// Without a token the post is taken for the site-wide box, whose
		// cached pages carry none: the full form comes back, prefilled.
		resp, body := s.post(newsletter.PathSubscribe, noToken)
		if resp.StatusCode != 200 || !strings.Contains(body, `value="bot4@example.org"`) || !strings.Contains(body, `name="ft"`) {
			t.Errorf("no token: %d, want the prefilled form", resp.StatusCode)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 0 {
			t.Fatalf("bots stored %d subscribers", n)
		}
		// The same address twice within the per-address limit is one subscriber.
		s.post(newsletter.PathSubscribe, s.fillForm("twice@example.org", "", "imr"))
		s.post(newsletter.PathSubscribe, s.fillForm("twice@example.org", "", "imr", "analysis"))
		// The per-IP limit (2) is now reached: a fourth request stores nothing.
		s.post(newsletter.PathSubscribe, s.fillForm("flood@example.org", "", "imr"))
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 1 {
			t.Fatalf("%d subscribers, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM consent_events WHERE kind = 'subscribe'`); n != 2 {
			t.Fatalf("%d subscribe entries, want 2", n)
		}
		s.waitMail("twice@example.org", 2)
		time.Sleep(300 * time.Millisecond)
		if s.sink.Count() != 2 {
			t.Fatalf("sink has %d messages, want the 2 confirmations", s.sink.Count())
		}
	})
}

func TestFormErrorsAreShown(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	for name, f := range map[string]url.Values{
		"malformed": s.fillForm("not an address", "", "imr"),
		"no list":   s.fillForm("a@example.org", ""),
		"private":   s.fillForm("a@example.org", "", "staff"),
	} {
		resp, body := s.post(newsletter.PathSubscribe, f)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: %d\n%s", name, resp.StatusCode, body)
		}
	}
}

func TestTamperedAndExpiredLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, nil)
		s.post(newsletter.PathSubscribe, s.fillForm("reader@example.org", "", "imr"))
		_, text := s.waitMail("reader@example.org", 1)
		confirm := linkIn(t, text, newsletter.PathConfirm)
		u, _ := url.Parse(confirm)
		tok := u.Query().Get("t")
		uid := strings.SplitN(tok, ".", 2)[0]
		other := strings.Replace(tok, uid, strings.Repeat("0", len(uid)), 1)
		for name, p := range map[string]string{
			"changed subject": newsletter.PathConfirm + "?t=" + url.QueryEscape(other),
			"cut short":       newsletter.PathConfirm + "?t=" + url.QueryEscape(tok[:len(tok)-3]),
			"other purpose":   newsletter.PathSettings + "?t=" + url.QueryEscape(tok),
			"none":            newsletter.PathUnsubscribe,
		} {
			if resp, _ := s.get(p); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", name, resp.StatusCode)
			}
		}
		if resp, _ := s.post(newsletter.PathConfirm, url.Values{"t": {other}}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("tampered POST: %d", resp.StatusCode)
		}
		s.clock.advance(73 * time.Hour)
		if resp, body := s.post(newsletter.PathConfirm, url.Values{"t": {tok}}); resp.StatusCode != http.StatusGone {
			t.Errorf("expired: %d\n%s", resp.StatusCode, body)
		}
		if st := status(t, db, "reader@example.org"); st != newsletter.Pending {
			t.Errorf("a bad link changed the subscriber to %s", st)
		}
	})
}

func TestEraseLeavesOnlyASuppression(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db, nil)
		if _, err := s.svc.Import(ctx, "imr", []newsletter.ImportRow{{Email: "gone@example.org"}}, newsletter.Consent{Form: "import:test"}); err != nil {
			t.Fatal(err)
		}
		sub, _ := newsletter.SubscriberByEmail(ctx, db, "gone@example.org")
		tok := s.svc.Signer().Sign(newsletter.PurposeSettings, newsletter.Token{Subject: sub.UID, Issued: time.Now(), Expires: time.Now().Add(time.Hour)})
		if resp, _ := s.post(newsletter.PathSettings, url.Values{"t": {tok}, "action": {"erase"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("erase without the confirmation box: %d", resp.StatusCode)
		}
		resp, body := s.post(newsletter.PathSettings, url.Values{"t": {tok}, "action": {"erase"}, "confirm": {"yes"}})
		if resp.StatusCode != 200 || !strings.Contains(body, "erased") {
			t.Fatalf("erase: %d\n%s", resp.StatusCode, body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 0 {
			t.Fatal("the subscriber row survived erasure")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM consent_events WHERE ip <> '' OR user_agent <> ''`); n != 0 {
			t.Fatal("the ledger still says where the erased subscriber came from")
		}
		res, err := s.svc.Import(ctx, "imr", []newsletter.ImportRow{{Email: "Gone@Example.org"}}, newsletter.Consent{Form: "import:again"})
		if err != nil || res.Suppressed != 1 || res.Added != 0 {
			t.Fatalf("re-import of an erased address: %+v, %v", res, err)
		}
		if resp, _ := s.get(newsletter.PathSettings + "?t=" + url.QueryEscape(tok)); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("settings after erasure: %d", resp.StatusCode)
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM consent_events`); err == nil {
			t.Fatal("the consent ledger allowed a DELETE")
		}
		if _, err := db.ExecContext(ctx, `UPDATE consent_events SET kind = 'confirm'`); err == nil {
			t.Fatal("the consent ledger allowed an UPDATE")
		}
	})
}

func TestBounceWebhook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db, nil)
		if _, err := s.svc.Import(ctx, "imr", []newsletter.ImportRow{{Email: "a@example.org"}, {Email: "b@example.org"}}, newsletter.Consent{Form: "import:test"}); err != nil {
			t.Fatal(err)
		}
		c, _ := s.svc.CreateCampaign(ctx, newsletter.NewCampaign{List: "imr", Subject: "S", HTML: "<p>x</p>", Text: "x"})
		if n, err := s.svc.Start(ctx, c.ID); err != nil || n != 2 {
			t.Fatalf("Start = %d, %v", n, err)
		}
		m, _ := s.waitMail("a@example.org", 1)
		s.waitMail("b@example.org", 1)
		body := `{"events":[{"id":"e1","type":"bounce","bounce_type":"hard","email":"a@example.org","message_id":"` + m.MessageID() + `","detail":"550 5.1.1 gone"},
			{"id":"e2","type":"complaint","email":"b@example.org"}]}`
		post := func(sig string) int {
			req, _ := http.NewRequest("POST", s.srv.URL+newsletter.PathWebhook, strings.NewReader(body))
			req.Header.Set(newsletter.WebhookSignatureHeader, sig)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if code := post("t=1,v1=00"); code != http.StatusUnauthorized {
			t.Fatalf("unsigned webhook: %d", code)
		}
		old := newsletter.SignWebhook([]byte("hook"), []byte(body), time.Now().Add(-time.Hour))
		if code := post(old); code != http.StatusUnauthorized {
			t.Fatalf("replayed webhook: %d", code)
		}
		// Wait until the campaign finished, so the delivery rows are sent.
		for p, _ := newsletter.CampaignProgress(ctx, db, c.ID); p.Campaign.Status != newsletter.Finished; p, _ = newsletter.CampaignProgress(ctx, db, c.ID) {
			time.Sleep(20 * time.Millisecond)
		}
		sig := newsletter.SignWebhook([]byte("hook"), []byte(body), time.Now())
		if code := post(sig); code != 200 {
			t.Fatalf("signed webhook: %d", code)
		}
		post(sig) // the same events again are ignored
		if n := count(t, db, `SELECT COUNT(*) FROM bounces`); n != 2 {
			t.Fatalf("%d bounces, want 2", n)
		}
		if st := status(t, db, "a@example.org"); st != newsletter.Blocked {
			t.Errorf("hard bounce left a@ %s", st)
		}
		if st := status(t, db, "b@example.org"); st != newsletter.Blocked {
			t.Errorf("complaint left b@ %s", st)
		}
		p, _ := newsletter.CampaignProgress(ctx, db, c.ID)
		if p.Bounced != 1 || p.Sent != 1 {
			t.Errorf("ledger after the webhook: %s", p)
		}
	})
}
