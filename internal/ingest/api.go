package ingest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// Handler serves the intake's read side for the studio:
//
//	GET /api/feeds[?outlet=KEY]  every feed with its health
//	GET /api/articles/{id}       an article, its story, revisions and archived copy
//	GET /archive/{id}            the archived response of capture id, as received
//
// It does no authentication: mount it behind the studio's.
func Handler(db *store.DB, cfg Config) http.Handler {
	h := &api{db: db, files: cfg.Archive()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/feeds", h.feeds)
	mux.HandleFunc("GET /api/articles/{id}", h.article)
	mux.HandleFunc("GET /archive/{id}", h.archived)
	return mux
}

type api struct {
	db    *store.DB
	files archive.Files
}

// feedJSON is a feed with its one-word status.
type feedJSON struct {
	outlets.Feed
	Status string `json:"status"`
}

func feedsJSON(fds []outlets.Feed) map[string]any {
	out := make([]feedJSON, len(fds))
	for i, f := range fds {
		out[i] = feedJSON{Feed: f, Status: f.Status()}
	}
	return map[string]any{"feeds": out}
}

func (h *api) feeds(w http.ResponseWriter, r *http.Request) {
	fds, err := outlets.ListFeeds(r.Context(), h.db, r.URL.Query().Get("outlet"))
	if err != nil {
		httpjson.Error(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, feedsJSON(fds))
}

// storyMember is an article of a story, as listed beside an article.
type storyMember struct {
	ID        int64     `json:"id"`
	Outlet    string    `json:"outlet"`
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	FetchedAt time.Time `json:"fetched_at"`
}

func (h *api) article(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		httpjson.Error(w, r, httpjson.Errorf(http.StatusBadRequest, "id", "article id must be a number"))
		return
	}
	ctx := r.Context()
	a, err := ArticleByID(ctx, h.db, id)
	if err != nil {
		httpjson.Error(w, r, err)
		return
	}
	story, err := Story(ctx, h.db, id)
	if err != nil {
		httpjson.Error(w, r, err)
		return
	}
	var original *storyMember
	reprints := []storyMember{}
	for _, s := range story {
		m := storyMember{ID: s.ID, Outlet: s.OutletKey, Title: s.Title, URL: s.CanonicalURL, FetchedAt: s.FetchedAt}
		if s.ID == a.StoryID {
			original = &m
		} else {
			reprints = append(reprints, m)
		}
	}
	revs, err := Revisions(ctx, h.db, id)
	if err != nil {
		httpjson.Error(w, r, err)
		return
	}
	if revs == nil {
		revs = []Revision{}
	}
	out := map[string]any{
		"article":   a,
		"story":     map[string]any{"id": a.StoryID, "original": original, "reprints": reprints},
		"revisions": revs,
	}
	if a.CaptureID != nil {
		out["archive"] = fmt.Sprintf("/archive/%d", *a.CaptureID)
	}
	httpjson.Write(w, http.StatusOK, out)
}

// archived serves a capture back as the server sent it: status, type,
// encoding and body bytes. The page is the outlet's, not ours: a sandbox
// policy keeps its scripts from running with the studio's origin.
func (h *api) archived(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		httpjson.Error(w, r, httpjson.Errorf(http.StatusBadRequest, "id", "capture id must be a number"))
		return
	}
	c, err := loadCapture(r.Context(), h.db, id)
	if err != nil {
		httpjson.Error(w, r, err)
		return
	}
	rec, err := readCapture(r.Context(), h.db, h.files, c)
	if err != nil {
		httpjson.Error(w, r, err)
		return
	}
	hd := w.Header()
	for _, k := range []string{"Content-Type", "Content-Encoding", "Content-Language", "Last-Modified", "ETag"} {
		if v := rec.Header.Get(k); v != "" {
			hd.Set(k, v)
		}
	}
	hd.Set("Content-Security-Policy", "sandbox")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Memento-Datetime", rec.Date.UTC().Format(http.TimeFormat))
	hd.Set("Link", "<"+rec.TargetURI+`>; rel="original"`)
	hd.Set("X-Archive-Record-ID", rec.RecordID)
	hd.Set("X-Archive-Payload-Digest", rec.PayloadDigest)
	hd.Set("Content-Length", strconv.Itoa(len(rec.Body)))
	status := rec.Status
	if status < 200 || status == http.StatusNotModified {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(rec.Body)
}
