package search

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestTopicsThroughAPIAndJob saves a topic through the API, lets the
// periodic job raise the alert and mail the digest, then lists and
// acknowledges the alert through the API and the CLI.
func TestTopicsThroughAPIAndJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := seedFixture(t, db)
		h := Handler(db)
		call := func(method, path, body string) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
			return rec
		}
		if rec := call("POST", "/api/topics", `{"name": "Putin", "query": "putin", "digest_email": "analyst@example.org"}`); rec.Code != 200 {
			t.Fatalf("save topic: %d %s", rec.Code, rec.Body)
		}
		if rec := call("POST", "/api/topics", `{"name": "Bad", "query": "\"unclosed"}`); rec.Code != 400 {
			t.Errorf("a malformed query saved: %d %s", rec.Code, rec.Body)
		}
		if rec := call("POST", "/api/topics", `{"nam": "typo"}`); rec.Code != 400 {
			t.Errorf("an unknown field accepted: %d", rec.Code)
		}

		var outletID int64
		if err := db.QueryRowContext(ctx, `SELECT outlet_id FROM articles WHERE id = ?`, ids["presstv-putin"]).Scan(&outletID); err != nil {
			t.Fatal(err)
		}
		id, err := insertArticle(ctx, db, outletID, "https://example.org/new", "Putin repeats his offer", "Putin said so again.", "en", mustDay(t, "2025-03-21"))
		if err != nil {
			t.Fatal(err)
		}
		if err := IndexArticle(ctx, db, id); err != nil {
			t.Fatal(err)
		}

		m := &fakeMailer{}
		workers := river.NewWorkers()
		queues, periodic := TopicJobs(workers, db, m, time.Minute)
		if periodic == nil || queues[topicsQueue].MaxWorkers != 1 {
			t.Fatalf("TopicJobs = %v, %v", queues, periodic)
		}
		w := &topicsWorker{db: db, mailer: m}
		for range 2 { // a repeated run raises nothing new and mails nothing new
			if err := w.Work(ctx, &river.Job[TopicsArgs]{}); err != nil {
				t.Fatal(err)
			}
		}
		if len(m.sent) != 1 || m.sent[0].to != "analyst@example.org" || !strings.Contains(m.sent[0].text, "repeats his offer") {
			t.Fatalf("digests sent: %+v", m.sent)
		}

		rec := call("GET", "/api/alerts?topic=Putin&unseen=1", "")
		var got struct{ Alerts []Alert }
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Alerts) != 1 || got.Alerts[0].Hit.ArticleID != id {
			t.Fatalf("alerts: %d %s", rec.Code, rec.Body)
		}
		if rec := call("POST", "/api/alerts/seen", `{"topic": "Putin", "up_to_article_id": `+jsonInt(id)+`}`); rec.Code != 200 {
			t.Fatalf("mark seen: %d %s", rec.Code, rec.Body)
		}
		var out bytes.Buffer
		if err := RunTopicsCLI(ctx, db, []string{"alerts", "--unseen"}, &out); err != nil || out.Len() != 0 {
			t.Errorf("unseen alerts after marking them seen: %q, %v", out.String(), err)
		}
		out.Reset()
		if err := RunTopicsCLI(ctx, db, []string{"list"}, &out); err != nil || !strings.Contains(out.String(), "analyst@example.org") {
			t.Errorf("topics list: %q, %v", out.String(), err)
		}
		if rec := call("DELETE", "/api/topics/Putin", ""); rec.Code != 200 {
			t.Errorf("delete: %d", rec.Code)
		}
		if rec := call("DELETE", "/api/topics/Putin", ""); rec.Code != http.StatusNotFound {
			t.Errorf("delete twice: %d", rec.Code)
		}
	})
}

func jsonInt(n int64) string { return strconv.FormatInt(n, 10) }
