package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/store"
)

// TestServeOperatorsParts: the probes on the site's address, the metrics
// on their own, River's UI for admins only, and a clean exit on the
// signal's cancellation.
func TestServeOperatorsParts(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "desk.db")
	ctx0 := context.Background()
	db, err := store.Open(ctx0, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx0, db, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	admin, _, err := accounts.CreateToken(ctx0, db, "ops", accounts.Admin)
	if err != nil {
		t.Fatal(err)
	}
	analyst, _, err := accounts.CreateToken(ctx0, db, "reader", accounts.Analyst)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	t.Setenv("PRESSREVIEW_NEWSLETTER_KEY", "ops-test-signing-key-of-at-least-32-bytes")
	t.Setenv("PRESSREVIEW_METRICS_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(ctx0)
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--database", dsn, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "data")}, io.Discard, logs)
	}()
	site := waitLog(t, logs, `msg=serving url=(http://\S+)`)
	metrics := "http://" + waitLog(t, logs, `msg="serving metrics" addr=(\S+)`)

	call := func(url, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call(site+"/healthz", ""); code != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", code, body)
	}
	if code, body := call(site+"/readyz", ""); code != 200 || !strings.Contains(body, "blob store: ok") {
		t.Errorf("readyz: %d %q", code, body)
	}
	call(site+"/", "")
	// The request is counted once its answer is written, which the client
	// may see first.
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, body = call(metrics+"/metrics", ""); strings.Contains(body, `route="GET /{$}"`) {
			break
		}
	}
	for _, want := range []string{
		`pressreview_http_request_duration_seconds_count{code="200",method="GET",route="GET /{$}"} 1`,
		`pressreview_metrics_database_errors{figure="job_queue"} 0`,
		"pressreview_campaign_messages_sent_total 0",
		"pressreview_blob_upload_lag_seconds 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// The probes are not requests of the site: no latency series.
	if _, body := call(metrics+"/metrics", ""); strings.Contains(body, "healthz") {
		t.Error("the probes show in the request metrics")
	}
	if code, _ := call(site+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("metrics on the site's address: %d", code)
	}

	if code, body := call(site+"/studio/jobs/", admin); code != 200 || !strings.Contains(body, "<div id=\"root\"") {
		t.Errorf("River UI for an admin: %d %.300s", code, body)
	}
	if code, body := call(site+"/studio/jobs/api/jobs?state=available&limit=5", admin); code != 200 || !strings.Contains(body, `"data"`) {
		t.Errorf("River UI's API for an admin: %d %.300s", code, body)
	}
	if code, _ := call(site+"/studio/jobs/api/jobs?state=available&limit=5", analyst); code != http.StatusForbidden {
		t.Errorf("River UI's API for an analyst: %d", code)
	}
	if code, _ := call(site+"/studio/jobs/", ""); code != http.StatusSeeOther {
		t.Errorf("River UI for nobody: %d, want the sign-in redirect", code)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after the signal: %v\n%s", err, logs.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("serve still running a minute after the signal")
	}
}

// noRedirects shows a redirect as it is.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func waitLog(t *testing.T, logs *syncBuffer, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no %q in the log:\n%s", pattern, logs.String())
	return ""
}
