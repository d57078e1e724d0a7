package search

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pressreview/pressreview/internal/store"
)

// Handler serves the search JSON API:
//
//	GET /api/search?q=…&sort=relevance|newest&limit=20&cursor=…&facets=1
//	GET /api/coverage?q=…&interval=day|week&by=orientation|outlet|lang
//	GET /api/coverage.svg?…same…&title=…&width=…&height=…
//	GET /api/terms?q=…&limit=30
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
	return mux
}

func coverageRequest(q url.Values) CoverageRequest {
	return CoverageRequest{Query: q.Get("q"), Interval: q.Get("interval"), By: q.Get("by"), MaxSeries: intParam(q, "max_series")}
}

// intParam reads a number; a missing or malformed one is 0, the default.
func intParam(q url.Values, name string) int {
	n, _ := strconv.Atoi(q.Get(name))
	return min(max(n, 0), 10_000)
}

// respond writes v as JSON, or the error: 400 for what the client got
// wrong, 500 (without details) for the rest.
func respond(w http.ResponseWriter, r *http.Request, v any, err error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err == nil {
		_ = writeJSON(w, v)
		return
	}
	var qe *Error
	switch {
	case errors.As(err, &qe):
		w.WriteHeader(http.StatusBadRequest)
		_ = writeJSON(w, map[string]any{"error": qe.Error(), "pos": qe.Pos, "message": qe.Msg})
	case errors.Is(err, ErrInvalid):
		w.WriteHeader(http.StatusBadRequest)
		_ = writeJSON(w, map[string]any{"error": err.Error()})
	default:
		slog.ErrorContext(r.Context(), "search API", "path", r.URL.Path, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		_ = writeJSON(w, map[string]any{"error": "internal error"})
	}
}
