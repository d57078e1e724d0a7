// Package httpjson writes the staff API's JSON answers, and its errors in
// one shape — {"error": "…", "field": "…"} — with the status that the
// domain error calls for, so every API route reports problems alike.
package httpjson

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Write sends v as indented JSON with status.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// Problem is the body of every error answer. Pos, for a search query
// that does not parse, is the byte offset in the query where it fails.
type Problem struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
	Pos   *int   `json:"pos,omitempty"`
}

// StatusError is an error that carries the HTTP status it should get.
type StatusError struct {
	Status int
	Field  string
	Msg    string
	Pos    *int
}

func (e *StatusError) Error() string { return e.Msg }

// Errorf makes a StatusError.
func Errorf(status int, field, msg string) error {
	return &StatusError{Status: status, Field: field, Msg: msg}
}

// Error answers err: a StatusError with its own status, a validation error
// (valid.Error) with 422 and its field, store.ErrNotFound with 404, and
// anything else with 500 and a generic message, the cause logged.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	var se *StatusError
	var ve *valid.Error
	switch {
	case errors.As(err, &se):
		Write(w, se.Status, Problem{Error: se.Msg, Field: se.Field, Pos: se.Pos})
	case errors.As(err, &ve):
		Write(w, http.StatusUnprocessableEntity, Problem{Error: ve.Error(), Field: ve.Path})
	case errors.Is(err, store.ErrNotFound):
		Write(w, http.StatusNotFound, Problem{Error: err.Error()})
	default:
		// A request whose client went away is not a fault to log.
		if !errors.Is(err, context.Canceled) {
			slog.ErrorContext(r.Context(), "api", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		Write(w, http.StatusInternalServerError, Problem{Error: "internal error; it has been logged"})
	}
}

// maxBody caps a JSON request body: an edition of a hundred entries is far
// below it.
const maxBody = 4 << 20

// Decode reads a JSON request body into v strictly: unknown fields and
// trailing data are errors, named in the StatusError it returns.
func Decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return Errorf(http.StatusUnsupportedMediaType, "", "send the body as application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// A body cut off at the cap would read as broken JSON; say what
		// is wrong with it instead.
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return Errorf(http.StatusRequestEntityTooLarge, "", fmt.Sprintf("the body is too large: at most %d MB", maxBody>>20))
		}
		return Errorf(http.StatusBadRequest, "", "invalid JSON body: "+err.Error())
	}
	if dec.More() {
		return Errorf(http.StatusBadRequest, "", "invalid JSON body: data after the first value")
	}
	return nil
}
