package editorial

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
)

// Previewer renders a page exactly as the public site would serve it, so
// a preview is the site's own output, byte for byte.
type Previewer func(w http.ResponseWriter, r *http.Request, p *reviews.Page)

// APIHandler serves the editions API (docs/api.md). Mount it behind
// accounts.RequireRole(accounts.Analyst): the actions that need an editor
// check the role themselves and answer 403.
//
//	GET  /api/editions                         editions with their state
//	POST /api/editions                         create a draft → 201 {"slug", "version"}
//	GET  /api/editions/{slug}                  the working copy, ETag "version"
//	PUT  /api/editions/{slug}                  save; If-Match required; 409 when stale
//	POST /api/editions/{slug}/{action}         submit, approve, schedule {"at"}, publish, unpublish;
//	                                           If-Match, when sent, 409 unless still that version
//	GET  /api/editions/{slug}/versions         saved versions, newest first
//	GET  /api/editions/{slug}/versions/{n}     one version
//	POST /api/editions/{slug}/versions/{n}/restore  save version n again (If-Match)
//	GET  /api/editions/{slug}/diff?from=N&to=M line diff of two versions
//	GET  /api/editions/{slug}/preview          the working copy as the site page
func APIHandler(db *store.DB, preview Previewer) http.Handler {
	h := &api{db: db, preview: preview}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/editions", h.list)
	mux.HandleFunc("POST /api/editions", h.create)
	mux.HandleFunc("GET /api/editions/{slug}", h.get)
	mux.HandleFunc("PUT /api/editions/{slug}", h.save)
	mux.HandleFunc("POST /api/editions/{slug}/{action}", h.action)
	mux.HandleFunc("GET /api/editions/{slug}/versions", h.versions)
	mux.HandleFunc("GET /api/editions/{slug}/versions/{n}", h.version)
	mux.HandleFunc("POST /api/editions/{slug}/versions/{n}/restore", h.restore)
	mux.HandleFunc("GET /api/editions/{slug}/diff", h.diff)
	mux.HandleFunc("GET /api/editions/{slug}/preview", h.previewPage)
	return mux
}

type api struct {
	db      *store.DB
	preview Previewer
}

func actor(r *http.Request) accounts.Actor {
	ac, _ := accounts.ActorFrom(r.Context())
	return ac
}

// fail maps the workflow's errors to statuses, then defers to httpjson.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	var ce *ConflictError
	switch {
	case errors.As(err, &ce):
		w.Header().Set("ETag", etag(ce.Current.Version))
		httpjson.Write(w, http.StatusConflict, map[string]any{"error": err.Error(), "current": ce.Current})
	case errors.Is(err, ErrForbidden):
		httpjson.Error(w, r, httpjson.Errorf(http.StatusForbidden, "", err.Error()))
	case errors.Is(err, ErrState):
		httpjson.Error(w, r, httpjson.Errorf(http.StatusConflict, "state", err.Error()))
	default:
		httpjson.Error(w, r, err)
	}
}

func etag(v int) string { return `"` + strconv.Itoa(v) + `"` }

// ifMatch reads the version a change is based on from If-Match.
func ifMatch(r *http.Request) (int, error) {
	v := strings.TrimPrefix(strings.TrimSpace(r.Header.Get("If-Match")), "W/")
	if v == "" {
		return 0, httpjson.Errorf(http.StatusPreconditionRequired, "If-Match",
			"send If-Match with the ETag of the version this change is based on")
	}
	n, err := strconv.Atoi(strings.Trim(v, `"`))
	if err != nil || n < 1 {
		return 0, httpjson.Errorf(http.StatusBadRequest, "If-Match", "If-Match "+v+" is not a version ETag such as \"3\"")
	}
	return n, nil
}

func (h *api) list(w http.ResponseWriter, r *http.Request) {
	list, err := List(r.Context(), h.db)
	if err != nil {
		fail(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"editions": list})
}

func (h *api) create(w http.ResponseWriter, r *http.Request) {
	var e reviews.Edition
	if err := httpjson.Decode(r, &e); err != nil {
		fail(w, r, err)
		return
	}
	d, err := Create(r.Context(), h.db, actor(r), e)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(d.Version))
	w.Header().Set("Location", "/api/editions/"+d.Slug)
	httpjson.Write(w, http.StatusCreated, map[string]any{"slug": d.Slug, "version": d.Version})
}

func (h *api) get(w http.ResponseWriter, r *http.Request) {
	d, err := Get(r.Context(), h.db, r.PathValue("slug"))
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(d.Version))
	httpjson.Write(w, http.StatusOK, d)
}

func (h *api) save(w http.ResponseWriter, r *http.Request) {
	based, err := ifMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var e reviews.Edition
	if err := httpjson.Decode(r, &e); err != nil {
		fail(w, r, err)
		return
	}
	d, err := Save(r.Context(), h.db, actor(r), r.PathValue("slug"), based, e)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(d.Version))
	httpjson.Write(w, http.StatusOK, d)
}

func (h *api) action(w http.ResponseWriter, r *http.Request) {
	a := Action(r.PathValue("action"))
	if _, ok := steps[a]; !ok {
		httpjson.Error(w, r, httpjson.Errorf(http.StatusNotFound, "", "no action "+string(a)+
			" (submit, approve, schedule, publish, unpublish)"))
		return
	}
	// If-Match, when sent, binds the action to the version the caller
	// read (see Do).
	based := 0
	if r.Header.Get("If-Match") != "" {
		var err error
		if based, err = ifMatch(r); err != nil {
			fail(w, r, err)
			return
		}
	}
	var at time.Time
	if a == Schedule {
		var body struct {
			At time.Time `json:"at"`
		}
		if err := httpjson.Decode(r, &body); err != nil {
			fail(w, r, err)
			return
		}
		at = body.At
	}
	d, err := Do(r.Context(), h.db, actor(r), r.PathValue("slug"), a, at, based)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(d.Version))
	httpjson.Write(w, http.StatusOK, d)
}

func (h *api) versions(w http.ResponseWriter, r *http.Request) {
	vs, err := Versions(r.Context(), h.db, r.PathValue("slug"))
	if err != nil {
		fail(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"versions": vs})
}

func versionNumber(r *http.Request, name string) (int, error) {
	n, err := strconv.Atoi(r.PathValue(name))
	if err != nil || n < 1 {
		return 0, httpjson.Errorf(http.StatusBadRequest, name, "version must be a positive number")
	}
	return n, nil
}

func (h *api) version(w http.ResponseWriter, r *http.Request) {
	n, err := versionNumber(r, "n")
	if err != nil {
		fail(w, r, err)
		return
	}
	v, err := GetVersion(r.Context(), h.db, r.PathValue("slug"), n)
	if err != nil {
		fail(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

func (h *api) restore(w http.ResponseWriter, r *http.Request) {
	n, err := versionNumber(r, "n")
	if err != nil {
		fail(w, r, err)
		return
	}
	based, err := ifMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	d, err := Restore(r.Context(), h.db, actor(r), r.PathValue("slug"), n, based)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(d.Version))
	httpjson.Write(w, http.StatusOK, d)
}

func (h *api) diff(w http.ResponseWriter, r *http.Request) {
	ctx, slug := r.Context(), r.PathValue("slug")
	get := func(name string) (Version, error) {
		n, err := strconv.Atoi(r.URL.Query().Get(name))
		if err != nil || n < 1 {
			return Version{}, httpjson.Errorf(http.StatusBadRequest, name, name+" must be a version number")
		}
		return GetVersion(ctx, h.db, slug, n)
	}
	from, err := get("from")
	if err != nil {
		fail(w, r, err)
		return
	}
	to, err := get("to")
	if err != nil {
		fail(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"from": from.Version, "to": to.Version,
		"lines": Diff(from.Edition, to.Edition)})
}

func (h *api) previewPage(w http.ResponseWriter, r *http.Request) {
	p, err := Preview(r.Context(), h.db, r.PathValue("slug"))
	if err != nil {
		fail(w, r, err)
		return
	}
	h.preview(w, r, p)
}
