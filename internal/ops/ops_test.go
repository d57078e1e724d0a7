package ops_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/ops"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestReadyzSaysWhy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ok := ops.Readyz(time.Second, ops.DatabaseCheck(db), ops.MigrationsCheck(db))
		if code, body := get(t, ok, "/readyz"); code != 200 || body != "database: ok\nmigrations: ok\n" {
			t.Errorf("ready desk: %d %q", code, body)
		}
		down := ops.Readyz(time.Second, ops.DatabaseCheck(db),
			ops.Check{Name: "blob store", Run: func(context.Context) error { return errors.New("connection refused") }})
		if code, body := get(t, down, "/readyz"); code != 503 || body != "database: ok\nblob store: connection refused\n" {
			t.Errorf("blob store down: %d %q", code, body)
		}
		// A schema behind the binary: an instance of a newer release waits.
		if _, err := db.ExecContext(context.Background(), `DELETE FROM goose_db_version WHERE version_id = 21`); err != nil {
			t.Fatal(err)
		}
		code, body := get(t, ok, "/readyz")
		if code != 503 || !strings.Contains(body, "migrations: schema at version") || !strings.Contains(body, "pressreview migrate") {
			t.Errorf("pending migration: %d %q", code, body)
		}
		db.SQL.Close()
		if code, body := get(t, ok, "/readyz"); code != 503 || !strings.Contains(body, "database: unreachable") {
			t.Errorf("closed database: %d %q", code, body)
		}
		if code, body := get(t, ops.Healthz(), "/healthz"); code != 200 || body != "ok\n" {
			t.Errorf("healthz: %d %q", code, body)
		}
	})
}

func TestMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := outlets.Outlet{Key: "kayhan", Name: "Kayhan", Kind: outlets.Newspaper}
		if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO feeds (outlet_id, url, next_check_at, last_error_kind, consecutive_failures)
			SELECT id, 'https://example.org/feed', ?, 'timeout', 2 FROM outlets`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		m := ops.NewMetrics(db, ops.BlobCollector(func() blobs.Stats {
			return blobs.Stats{UploadLag: 90 * time.Second, Waiting: 2}
		}))
		m.ObserveRequest("GET /analysis/{slug}", "GET", 200, 30*time.Millisecond)
		m.ObserveRequest("", "GET", 404, time.Millisecond)
		_, body := get(t, m.Handler(), "/metrics")
		for _, want := range []string{
			`pressreview_http_request_duration_seconds_count{code="200",method="GET",route="GET /analysis/{slug}"} 1`,
			`pressreview_http_request_duration_seconds_count{code="404",method="GET",route="unmatched"} 1`,
			"pressreview_articles 0",
			`pressreview_feeds_failing{kind="timeout"} 1`,
			"pressreview_campaign_messages_sent_total 0",
			"pressreview_blob_upload_lag_seconds 90",
			"pressreview_blob_spool_waiting_files 2",
			`pressreview_metrics_database_errors{figure="job_queue"}`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		// Prometheus's own linter (what promtool check metrics runs): a
		// counter that is not a _total, a gauge named as a counter, units.
		problems, err := promlint.New(strings.NewReader(body)).Lint()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("promlint: %s: %s", p.Metric, p.Text)
		}
		// River's tables are not there in this store test: the scrape says
		// which figure failed instead of failing whole.
		if !strings.Contains(body, `pressreview_metrics_database_errors{figure="job_queue"} 1`) ||
			!strings.Contains(body, `pressreview_metrics_database_errors{figure="articles"} 0`) {
			t.Errorf("database errors not reported per figure:\n%s", body)
		}
	})
}

// TestListenContent: a write to content in another session reaches the
// listener through PostgreSQL's notification.
func TestListenContent(t *testing.T) {
	db := storetest.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ops.ListenContent(ctx, db, slog.New(slog.DiscardHandler), func() { changed <- struct{}{} })
	}()
	// The first call comes once LISTEN is in force.
	select {
	case <-changed:
	case <-time.After(30 * time.Second):
		t.Fatal("the listener never connected")
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO tags (key, name) VALUES ('sanctions', 'Sanctions')`); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(30 * time.Second):
		t.Fatal("no notification for a content write")
	}
	cancel()
	<-done
}
