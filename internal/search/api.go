package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/store"
)

// Handler serves the search JSON API:
//
//	GET /api/search?q=…&sort=relevance|newest&limit=20&cursor=…&facets=1
//	GET /api/coverage?q=…&interval=day|week&by=orientation|outlet|lang
//	GET /api/coverage.svg?…same…&title=…&width=…&height=…
//	GET /api/terms?q=…&limit=30
//	GET /api/topics                        saved topics
//	POST /api/topics {"name", "query", "digest_email"}   create or change one
//	DELETE /api/topics/{name}
//	GET /api/alerts?topic=…&unseen=1&limit=…
//	POST /api/alerts/seen {"topic", "up_to_article_id"}
//
// A malformed query answers 400 with {"error": "...", "pos": N}.
func Handler(db *store.DB) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/search", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		res, err := Search(r.Context(), db, Request{
			Query: q.Get("q"), Sort: q.Get("sort"), Limit: intParam(q, "limit"),
			Cursor: q.Get("cursor"), Facets: q.Get("facets") == "1" || q.Get("facets") == "true",
		})
		respond(w, r, res, err)
	})
	mux.HandleFunc("GET /api/coverage", func(w http.ResponseWriter, r *http.Request) {
		c, err := CoverageOf(r.Context(), db, coverageRequest(r.URL.Query()))
		respond(w, r, c, err)
	})
	mux.HandleFunc("GET /api/coverage.svg", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		c, err := CoverageOf(r.Context(), db, coverageRequest(q))
		if err != nil {
			respond(w, r, nil, err)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_ = c.WriteSVG(w, ChartOptions{Title: q.Get("title"), Width: intParam(q, "width"), Height: intParam(q, "height")})
	})
	mux.HandleFunc("GET /api/terms", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ts, err := TopTerms(r.Context(), db, TermsRequest{Query: q.Get("q"), Limit: intParam(q, "limit")})
		respond(w, r, ts, err)
	})
	mux.HandleFunc("GET /api/topics", func(w http.ResponseWriter, r *http.Request) {
		ts, err := ListTopics(r.Context(), db)
		respond(w, r, map[string]any{"topics": ts}, err)
	})
	mux.HandleFunc("POST /api/topics", func(w http.ResponseWriter, r *http.Request) {
		var t Topic
		if err := decodeBody(r, &t); err != nil {
			respond(w, r, nil, err)
			return
		}
		err := SaveTopic(r.Context(), db, &t)
		respond(w, r, t, err)
	})
	mux.HandleFunc("DELETE /api/topics/{name}", func(w http.ResponseWriter, r *http.Request) {
		err := DeleteTopic(r.Context(), db, r.PathValue("name"))
		respond(w, r, map[string]any{"deleted": r.PathValue("name")}, err)
	})
	mux.HandleFunc("GET /api/alerts", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		as, err := ListAlerts(r.Context(), db, AlertFilter{Topic: q.Get("topic"), UnseenOnly: q.Get("unseen") == "1", Limit: intParam(q, "limit")})
		respond(w, r, map[string]any{"alerts": as}, err)
	})
	mux.HandleFunc("POST /api/alerts/seen", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Topic string `json:"topic"`
			UpTo  int64  `json:"up_to_article_id"`
		}
		if err := decodeBody(r, &req); err != nil {
			respond(w, r, nil, err)
			return
		}
		err := MarkAlertsSeen(r.Context(), db, req.Topic, req.UpTo)
		respond(w, r, map[string]any{"topic": req.Topic, "up_to_article_id": req.UpTo}, err)
	})
	return mux
}

// decodeBody reads a small JSON request body strictly; mistakes are the
// client's (400).
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: request body: %v", ErrInvalid, err)
	}
	return nil
}

func coverageRequest(q url.Values) CoverageRequest {
	return CoverageRequest{Query: q.Get("q"), Interval: q.Get("interval"), By: q.Get("by"), MaxSeries: intParam(q, "max_series")}
}

// intParam reads a number; a missing or malformed one is 0, the default.
func intParam(q url.Values, name string) int {
	n, _ := strconv.Atoi(q.Get(name))
	return min(max(n, 0), 10_000)
}

// respond writes v as JSON, or the error in the staff API's one shape
// (httpjson): 400 for a query that does not parse (with its position) or
// an invalid request, 404 for what does not exist, 500 for the rest.
func respond(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err == nil {
		httpjson.Write(w, http.StatusOK, v)
		return
	}
	var qe *Error
	switch {
	case errors.As(err, &qe):
		pos := qe.Pos
		err = &httpjson.StatusError{Status: http.StatusBadRequest, Field: "q", Msg: qe.Error(), Pos: &pos}
	case errors.Is(err, ErrInvalid):
		err = httpjson.Errorf(http.StatusBadRequest, "", err.Error())
	}
	httpjson.Error(w, r, err)
}
