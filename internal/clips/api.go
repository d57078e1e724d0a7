package clips

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/outlets"
)

// Handler serves the clips API:
//
//	POST /api/clips                 clip a passage → 201 with the clip and its anchor
//	GET  /api/clips?speaker=&outlet=&camp=&edition=&status=&after=&before=&article=&limit=&offset=
//	GET  /api/clips/{id}            a clip with all its anchors and re-checks
//	GET  /api/clips.csv, .json      every clip the same filters choose, for export
//	GET  /api/speakers?q=           people by key, name or alias in either script
//
// Errors are {"error", "field"} (package httpjson): 400 for a body that is not the JSON
// asked for, 404 for an unknown article or clip, 409 for a new speaker
// already on the roster, 422 for a value that cannot be used. It does no
// authentication: mount it behind the studio's (analyst role). siteURL
// makes the exports' archive links absolute.
func Handler(s *Service, siteURL string) http.Handler {
	h := &api{s: s, siteURL: strings.TrimSuffix(siteURL, "/")}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/clips", h.create)
	mux.HandleFunc("GET /api/clips", h.list)
	mux.HandleFunc("GET /api/clips/{id}", h.get)
	mux.HandleFunc("GET /api/clips.csv", h.exportCSV)
	mux.HandleFunc("GET /api/clips.json", h.exportJSON)
	mux.HandleFunc("GET /api/speakers", h.speakers)
	return mux
}

// Patterns are the paths Handler serves, for mounting it.
var Patterns = []string{"/api/clips", "/api/clips/", "/api/clips.csv", "/api/clips.json", "/api/speakers"}

type api struct {
	s       *Service
	siteURL string
}

// maxBody bounds a request body: a clip is a passage and a translation.
const maxBody = 1 << 20

func (h *api) create(w http.ResponseWriter, r *http.Request) {
	var in NewClip
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeError(w, r, badBody(err))
		return
	}
	in.CreatedBy = actorName(r)
	c, err := h.s.Save(r.Context(), in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/clips/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, c)
}

// badBody turns a decoding error into a 400 that names the field.
func badBody(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		// Cut off at the cap, the body would read as broken JSON.
		return httpjson.Errorf(http.StatusRequestEntityTooLarge, "", fmt.Sprintf("the body is too large: a clip takes at most %d KB", maxBody>>10))
	case errors.As(err, &te):
		return &badRequest{field: te.Field, msg: fmt.Sprintf("want %s, not a JSON %s", te.Type, te.Value)}
	case errors.As(err, &se):
		return &badRequest{msg: fmt.Sprintf("the body is not JSON (offset %d): %v", se.Offset, err)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return &badRequest{field: f, msg: "is not a field of a clip"}
	case errors.Is(err, io.EOF):
		return &badRequest{msg: `the body is empty; send {"article", "start", "end", "speaker", "translation"}`}
	case errors.Is(err, errSpeaker):
		return &badRequest{field: "speaker", msg: err.Error()}
	}
	return &badRequest{msg: "the body is not a clip: " + err.Error()}
}

type badRequest struct{ field, msg string }

func (e *badRequest) Error() string { return e.msg }

// actorName is who made the request, as clips record it.
func actorName(r *http.Request) string {
	ac, ok := accounts.ActorFrom(r.Context())
	switch {
	case !ok:
		return ""
	case ac.Email != "":
		return ac.Email
	}
	return "token " + ac.Name
}

func filterOf(q url.Values) (Filter, error) {
	f := Filter{Speaker: q.Get("speaker"), Outlet: q.Get("outlet"), Camp: q.Get("camp"),
		Edition: q.Get("edition"), Status: q.Get("status"), After: q.Get("after"), Before: q.Get("before")}
	if v := q.Get("article"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, invalid("article", "%q is not an article id", v)
		}
		f.Article = n
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return f, invalid(p.name, "%q is not a count", v)
			}
			*p.dst = n
		}
	}
	return f, nil
}

// The clipboard's page size: default and most.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

func (h *api) list(w http.ResponseWriter, r *http.Request) {
	f, err := filterOf(r.URL.Query())
	if err != nil {
		writeError(w, r, err)
		return
	}
	if f.Limit == 0 {
		f.Limit = defaultLimit
	}
	f.Limit = min(f.Limit, maxLimit)
	cs, err := h.s.List(r.Context(), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"clips": cs, "limit": f.Limit, "offset": f.Offset})
}

func (h *api) get(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, r, &Error{Code: NotFound, Field: "id", Message: fmt.Sprintf("%q is not a clip id", r.PathValue("id"))})
		return
	}
	c, err := h.s.Get(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (h *api) export(w http.ResponseWriter, r *http.Request) ([]Row, bool) {
	f, err := filterOf(r.URL.Query())
	if err == nil {
		var cs []Clip
		if cs, err = h.s.List(r.Context(), f); err == nil {
			return Rows(cs, h.siteURL), true
		}
	}
	writeError(w, r, err)
	return nil, false
}

func (h *api) exportCSV(w http.ResponseWriter, r *http.Request) {
	rows, ok := h.export(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="clips-`+time.Now().UTC().Format(time.DateOnly)+`.csv"`)
	_ = WriteCSV(w, rows)
}

func (h *api) exportJSON(w http.ResponseWriter, r *http.Request) {
	rows, ok := h.export(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="clips-`+time.Now().UTC().Format(time.DateOnly)+`.json"`)
	writeJSON(w, http.StatusOK, map[string]any{"clips": rows})
}

func (h *api) speakers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		writeError(w, r, invalid("q", "is required: a key, name or alias"))
		return
	}
	people, err := outlets.FindPeople(r.Context(), h.s.db, q, 20)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if people == nil {
		people = []outlets.Person{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"people": people})
}

func writeJSON(w http.ResponseWriter, status int, v any) { httpjson.Write(w, status, v) }

// writeError gives the package's errors their status and field, and
// leaves the rest to httpjson, where the API's errors are answered alike.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	var br *badRequest
	switch {
	case errors.As(err, &e):
		status := map[ErrorCode]int{Invalid: http.StatusUnprocessableEntity, NotFound: http.StatusNotFound,
			Conflict: http.StatusConflict}[e.Code]
		err = httpjson.Errorf(status, e.Field, e.Message)
	case errors.As(err, &br):
		err = httpjson.Errorf(http.StatusBadRequest, br.field, br.msg)
	}
	httpjson.Error(w, r, err)
}
