package newsletter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
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

// apiProgress is the answer of GET /api/campaigns/{id} and of the actions.
type apiProgress struct {
	Campaign struct {
		ID      int64  `json:"id"`
		List    string `json:"list"`
		Subject string `json:"subject"`
		Status  string `json:"status"`
		SendAt  string `json:"send_at"`
	} `json:"campaign"`
	Queued, Sending, Sent, Failed, Bounced, Total int64
	Finished                                      bool
	Rate                                          float64
	Added                                         *int64
	Error, Field                                  string
}

type apiClient struct {
	t *testing.T
	h http.Handler
}

// do sends a request to the handler and decodes the JSON answer into out.
func (c apiClient) do(method, path, body string, out any) int {
	c.t.Helper()
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	if out != nil {
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			c.t.Fatalf("%s %s: Content-Type %q: %s", method, path, ct, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, w.Body)
		}
	}
	return w.Code
}

// expect checks the status of a request and returns its decoded answer.
func (c apiClient) expect(status int, method, path, body string) apiProgress {
	c.t.Helper()
	var p apiProgress
	if got := c.do(method, path, body, &p); got != status {
		c.t.Fatalf("%s %s: %d %+v; want %d", method, path, got, p, status)
	}
	return p
}

func TestCampaignsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sink := startSink(t)
		svc, _ := newService(t, db, testConfig(sink), true)
		seedList(t, svc, "imr", 3)
		api := apiClient{t, newsletter.APIHandler(svc)}

		// Drafting: bad input names the field.
		for body, field := range map[string]string{
			`{"list": "imr", "subject": "S", "html": "<p>x</p>", "text": "x", "colour": "red"}`: "",
			`{"list": "nope", "subject": "S", "html": "<p>x</p>", "text": "x"}`:                 "list",
			`{"list": "imr", "subject": "S", "html": "{{.Nope}}", "text": "x"}`:                 "html",
			`{"list": "imr", "analysis": "a", "subject": "S"}`:                                  "",
			`{"list": "imr", "edition": "no-such-edition"}`:                                     "edition",
			``: "",
		} {
			if p := api.expect(http.StatusBadRequest, "POST", "/api/campaigns", body); p.Field != field || p.Error == "" {
				t.Errorf("POST %s: field %q error %q; want field %q", body, p.Field, p.Error, field)
			}
		}
		p := api.expect(http.StatusCreated, "POST", "/api/campaigns",
			`{"list": "imr", "subject": "The March 7 edition", "html": "<p>Dear {{.Name}}</p>", "text": "Dear {{.Name}}"}`)
		if p.Campaign.Status != "draft" || p.Campaign.List != "imr" || p.Total != 0 || p.Finished {
			t.Fatalf("created: %+v", p)
		}
		path := fmt.Sprintf("/api/campaigns/%d", p.Campaign.ID)

		// Unknown campaigns, wrong methods, actions the status refuses.
		api.expect(http.StatusNotFound, "GET", "/api/campaigns/9999", "")
		api.expect(http.StatusNotFound, "GET", "/api/campaigns/x", "")
		api.expect(http.StatusNotFound, "POST", "/api/campaigns/9999/send", "")
		if code := api.do("DELETE", path, "", nil); code != http.StatusMethodNotAllowed {
			t.Errorf("DELETE: %d", code)
		}
		if p := api.expect(http.StatusConflict, "POST", path+"/pause", ""); !strings.Contains(p.Error, "is draft") {
			t.Errorf("pause a draft: %q", p.Error)
		}

		var prev newsletter.Preview
		if code := api.do("GET", path+"/preview", "", &prev); code != http.StatusOK || !strings.Contains(prev.Text, "Dear Jane Reader") {
			t.Errorf("preview: %d %+v", code, prev)
		}

		// Test sends: one copy to the address; a bad address is refused; a
		// relay that refuses is the relay's fault (502).
		api.expect(http.StatusOK, "POST", path+"/test", `{"to": "editor@example.org"}`)
		if m := sink.To("editor@example.org"); len(m) != 1 || !strings.HasPrefix(m[0].Header.Get("Subject"), "[Test]") {
			t.Errorf("test send: %d messages", len(m))
		}
		if p := api.expect(http.StatusBadRequest, "POST", path+"/test", `{"to": "Editor <editor@example.org>"}`); p.Field != "to" {
			t.Errorf("bad address: %+v", p)
		}
		sink.OnRcpt(func(string) error { return mailtest.Reply(550, "relaying denied") })
		if p := api.expect(http.StatusBadGateway, "POST", path+"/test", `{"to": "editor@example.org"}`); !strings.Contains(p.Error, "550") {
			t.Errorf("refused test send: %+v", p)
		}
		sink.OnRcpt(nil)

		// Scheduling, then sending at once; pause and resume while the
		// relay holds the first messages.
		at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		if p := api.expect(http.StatusOK, "POST", path+"/schedule", `{"at": "`+at+`"}`); p.Campaign.Status != "scheduled" || p.Campaign.SendAt == "" {
			t.Errorf("schedule: %+v", p)
		}
		api.expect(http.StatusBadRequest, "POST", path+"/schedule", `{"at": "tomorrow"}`)
		release := make(chan struct{})
		var once sync.Once
		open := func() { once.Do(func() { close(release) }) }
		defer open()
		sink.OnData(func() error { <-release; return nil })
		p = api.expect(http.StatusOK, "POST", path+"/send", "")
		if p.Added == nil || *p.Added != 3 || p.Total != 3 || p.Campaign.Status != "sending" {
			t.Fatalf("send: %+v", p)
		}
		api.expect(http.StatusConflict, "POST", path+"/send", "")
		if p := api.expect(http.StatusOK, "POST", path+"/pause", ""); p.Campaign.Status != "paused" {
			t.Errorf("pause: %+v", p)
		}
		api.expect(http.StatusConflict, "POST", path+"/pause", "")
		if p := api.expect(http.StatusOK, "POST", path+"/resume", ""); p.Campaign.Status != "sending" {
			t.Errorf("resume: %+v", p)
		}
		open()
		deadline := time.Now().Add(30 * time.Second)
		for !p.Finished {
			if time.Now().After(deadline) {
				t.Fatalf("not finished: %+v", p)
			}
			time.Sleep(50 * time.Millisecond)
			p = api.expect(http.StatusOK, "GET", path, "")
		}
		if p.Sent != 3 || p.Total != 3 || p.Queued+p.Sending+p.Failed+p.Bounced != 0 || p.Rate <= 0 {
			t.Errorf("finished: %+v (rate %v)", p, p.Rate)
		}
		if p := api.expect(http.StatusOK, "POST", path+"/retry-failed", ""); p.Added == nil || *p.Added != 0 || !p.Finished {
			t.Errorf("retry-failed: %+v", p)
		}

		var list struct{ Campaigns []apiProgress }
		if code := api.do("GET", "/api/campaigns", "", &list); code != http.StatusOK || len(list.Campaigns) != 1 {
			t.Fatalf("list: %d %+v", code, list)
		}
		if c := list.Campaigns[0]; c.Campaign.ID != p.Campaign.ID || c.Sent != 3 || c.Total != 3 || !c.Finished {
			t.Errorf("listed: %+v", c)
		}
		if got := len(sink.To("r0@example.org")); got != 1 {
			t.Errorf("r0 got the campaign %d times", got)
		}
	})
}

// A failed delivery is sent again through retry-failed.
func TestCampaignsAPIRetryFailed(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	sink := startSink(t)
	svc, _ := newService(t, db, testConfig(sink), true)
	seedList(t, svc, "imr", 2)
	c := newCampaign(t, svc, "imr")
	// A refusal of the message, not of the recipient: a refused recipient
	// is a hard bounce, which blocks the subscriber, and retry-failed
	// rightly skips blocked subscribers.
	var refused atomic.Bool
	sink.OnData(func() error {
		if refused.CompareAndSwap(false, true) {
			return mailtest.Reply(554, "message refused")
		}
		return nil
	})
	if _, err := svc.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if p := waitDone(t, db, c.ID, 30*time.Second); p.Failed != 1 {
		t.Fatalf("progress: %s", p)
	}
	api := apiClient{t, newsletter.APIHandler(svc)}
	path := fmt.Sprintf("/api/campaigns/%d", c.ID)
	if p := api.expect(http.StatusOK, "POST", path+"/retry-failed", ""); p.Added == nil || *p.Added != 1 || p.Campaign.Status != "sending" {
		t.Fatalf("retry-failed: %+v", p)
	}
	if p := waitDone(t, db, c.ID, 30*time.Second); p.Sent != 2 || p.Failed != 0 {
		t.Errorf("after retry: %s", p)
	}
}
