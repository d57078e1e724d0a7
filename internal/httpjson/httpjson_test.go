package httpjson_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

func TestErrorStatuses(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		field  string
	}{
		{httpjson.Errorf(http.StatusConflict, "state", "taken"), http.StatusConflict, "state"},
		{fmt.Errorf("save: %w", valid.Errorf("entries[2].outlet", "unknown outlet")), http.StatusUnprocessableEntity, "entries[2].outlet"},
		{fmt.Errorf("edition %q: %w", "x", store.ErrNotFound), http.StatusNotFound, ""},
		{errors.New("disk on fire"), http.StatusInternalServerError, ""},
	} {
		w := httptest.NewRecorder()
		httpjson.Error(w, httptest.NewRequest("GET", "/api/x", nil), tc.err)
		var p httpjson.Problem
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != tc.status || p.Field != tc.field || p.Error == "" {
			t.Errorf("%v: %d %s", tc.err, w.Code, w.Body)
		}
		if tc.status == http.StatusInternalServerError && strings.Contains(p.Error, "fire") {
			t.Errorf("an internal error's cause reached the client: %s", p.Error)
		}
	}
}

func TestDecodeIsStrict(t *testing.T) {
	var v struct{ A int }
	for body, want := range map[string]int{
		`{"A": 1}`:         0,
		`{"A": 1, "B": 2}`: http.StatusBadRequest,
		`{"A": 1} {}`:      http.StatusBadRequest,
		`{"A": "x"}`:       http.StatusBadRequest,
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		err := httpjson.Decode(r, &v)
		var se *httpjson.StatusError
		switch {
		case want == 0 && err != nil:
			t.Errorf("%s: %v", body, err)
		case want != 0 && (!errors.As(err, &se) || se.Status != want):
			t.Errorf("%s: %v, want status %d", body, err, want)
		}
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader(`{}`))
	r.Header.Set("Content-Type", "text/plain")
	var se *httpjson.StatusError
	if err := httpjson.Decode(r, &v); !errors.As(err, &se) || se.Status != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain body: %v", err)
	}
}
