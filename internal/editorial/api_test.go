package editorial_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c client) do(method, path, ifMatch string, body any) (int, http.Header, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, out
}

func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		roster(t, db)
		auth := accounts.New(db, accounts.Config{})
		preview := func(w http.ResponseWriter, r *http.Request, p *reviews.Page) {
			_ = reviews.RenderHTML(w, p)
		}
		srv := httptest.NewServer(auth.RequireRole(accounts.Analyst)(editorial.APIHandler(db, preview)))
		defer srv.Close()
		token := func(name string, role accounts.Role) client {
			secret, _, err := accounts.CreateToken(ctx, db, name, role)
			if err != nil {
				t.Fatal(err)
			}
			return client{t: t, base: srv.URL, token: secret}
		}
		ana, ed := token("ana", accounts.Analyst), token("ed", accounts.Editor)

		status, hdr, body := ana.do("POST", "/api/editions", "", draft())
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		var created struct {
			Slug    string
			Version int
		}
		if err := json.Unmarshal(body, &created); err != nil || created.Version != 1 || hdr.Get("ETag") != `"1"` {
			t.Fatalf("create answer %s (ETag %s)", body, hdr.Get("ETag"))
		}
		path := "/api/editions/" + created.Slug

		// Errors are JSON naming the field.
		bad := draft()
		bad.Entries[0].Outlet = "kayhn"
		bad.Slug = "other"
		status, _, body = ana.do("POST", "/api/editions", "", bad)
		var problem struct{ Error, Field string }
		if err := json.Unmarshal(body, &problem); err != nil || status != http.StatusUnprocessableEntity ||
			problem.Field != "entries[0].outlet" || !strings.Contains(problem.Error, `unknown outlet "kayhn"`) {
			t.Fatalf("bad outlet: %d %s", status, body)
		}

		status, hdr, body = ana.do("GET", path, "", nil)
		var doc editorial.Doc
		if err := json.Unmarshal(body, &doc); err != nil || status != 200 || hdr.Get("ETag") != `"1"` || doc.State != editorial.Draft {
			t.Fatalf("get: %d %s", status, body)
		}

		e := doc.Edition
		e.Dek = "A new dek."
		if status, _, body = ana.do("PUT", path, "", e); status != http.StatusPreconditionRequired {
			t.Fatalf("save without If-Match: %d %s", status, body)
		}
		if status, hdr, body = ana.do("PUT", path, `"1"`, e); status != 200 || hdr.Get("ETag") != `"2"` {
			t.Fatalf("save: %d %s", status, body)
		}
		e.Dek = "A stale dek."
		status, _, body = ed.do("PUT", path, `"1"`, e)
		var conflict struct {
			Error   string
			Current editorial.Doc
		}
		if err := json.Unmarshal(body, &conflict); err != nil || status != http.StatusConflict || conflict.Current.Dek != "A new dek." {
			t.Fatalf("stale save: %d %s", status, body)
		}

		if status, _, body = ana.do("POST", path+"/submit", "", nil); status != 200 {
			t.Fatalf("submit: %d %s", status, body)
		}
		for _, a := range []string{"approve", "publish"} {
			if status, _, body = ana.do("POST", path+"/"+a, "", nil); status != http.StatusForbidden {
				t.Fatalf("analyst %s: %d %s", a, status, body)
			}
		}
		if status, _, body = ana.do("POST", path+"/schedule", "", map[string]string{"at": "2099-01-01T10:00:00Z"}); status != http.StatusForbidden {
			t.Fatalf("analyst schedule: %d %s", status, body)
		}
		for _, a := range []string{"approve", "publish"} {
			if status, _, body = ed.do("POST", path+"/"+a, "", nil); status != 200 {
				t.Fatalf("editor %s: %d %s", a, status, body)
			}
		}
		status, _, body = ana.do("GET", path+"/versions", "", nil)
		if status != 200 || !bytes.Contains(body, []byte(`"published": true`)) {
			t.Fatalf("versions: %d %s", status, body)
		}
		status, _, body = ana.do("GET", path+"/diff?from=1&to=2", "", nil)
		if status != 200 || !bytes.Contains(body, []byte(`"text": "Dek: A new dek."`)) {
			t.Fatalf("diff: %d %s", status, body)
		}
		if status, _, body = ana.do("GET", path+"/preview", "", nil); status != 200 || !bytes.Contains(body, []byte("Talks are a trap.")) {
			t.Fatalf("preview: %d %s", status, body)
		}
		if status, hdr, body = ed.do("POST", path+"/versions/1/restore", `"2"`, nil); status != 200 || hdr.Get("ETag") != `"3"` {
			t.Fatalf("restore: %d %s", status, body)
		}
		// The example of docs/api.md, a pressreview/2 entry, as written there.
		example := json.RawMessage(`{
		  "series": "iran-media-review", "date": "2026-12-04", "title": "Tehran Weighs the Talks Again",
		  "authors": ["ali-alfoneh"],
		  "entries": [{"date": "2026-12-01",
		               "outlets": [{"key": "kayhan", "label": "hard-line Kayhan", "role": "source"}],
		               "lead_in": "Hard-line Kayhan warned:",
		               "items": [{"parts": [{"kind": "quote", "text": "Talks are a trap."}]}]}]}`)
		if status, _, body = ana.do("POST", "/api/editions", "", example); status != http.StatusCreated {
			t.Fatalf("docs/api.md example: %d %s", status, body)
		}
		if status, _, _ = ana.do("GET", "/api/editions/nope", "", nil); status != http.StatusNotFound {
			t.Fatalf("unknown edition: %d", status)
		}
	})
}
