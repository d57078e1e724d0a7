package accounts_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestRequireRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "ana@example.org", accounts.Analyst)
		_, ts := instance(t, db, accounts.Config{})
		anon := browser(t)

		// A browser without a session goes to sign in, and comes back.
		code, _, resp := get(t, anon, ts.URL+"/analyst/clips?q=Kayhan")
		if loc := resp.Header.Get("Location"); code != http.StatusSeeOther || loc != "/studio/login?next="+url.QueryEscape("/analyst/clips?q=Kayhan") {
			t.Errorf("anonymous page: %d Location %q", code, loc)
		}
		// Scripts get 401 JSON: asked for JSON, or under /api/.
		for _, tc := range []struct{ path, accept string }{
			{"/analyst/feeds", "application/json"},
			{"/api/analyst/search", ""},
		} {
			code, body, resp := get(t, anon, ts.URL+tc.path, "Accept", tc.accept)
			if code != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
				!strings.Contains(body, `"error"`) || resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("anonymous %s: %d %s %q", tc.path, code, resp.Header.Get("Content-Type"), body)
			}
		}

		c := browser(t)
		login(t, c, ts.URL, "ana@example.org", goodPassword)
		if code, body, _ := get(t, c, ts.URL+"/analyst/"); code != http.StatusOK || body != "analyst Staff ana@example.org" {
			t.Errorf("analyst page as analyst: %d %q", code, body)
		}
		if code, body, _ := get(t, c, ts.URL+"/editor/"); code != http.StatusForbidden || !strings.Contains(body, "<h1>Not allowed</h1>") {
			t.Errorf("editor page as analyst: %d %q", code, body)
		}
		if code, body, _ := get(t, c, ts.URL+"/api/admin/users"); code != http.StatusForbidden || !strings.Contains(body, "needs admin") {
			t.Errorf("admin API as analyst: %d %q", code, body)
		}
		// A disabled account's session stops working at once.
		if err := accounts.SetDisabled(context.Background(), db, "ana@example.org", true); err != nil {
			t.Fatal(err)
		}
		if code, _, _ := get(t, c, ts.URL+"/analyst/"); code != http.StatusSeeOther {
			t.Errorf("disabled account's session: %d, want a redirect to sign in", code)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		secret, tok, err := accounts.CreateToken(ctx, db, "coverage export", accounts.Editor)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "prt_") || len(secret) < 40 {
			t.Fatalf("secret %q: want prt_ and 32 random bytes", secret)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE token_hash = ? OR name = ?`, secret, secret).Scan(&n); err != nil || n != 0 {
			t.Errorf("the secret is stored as is (%d rows, %v)", n, err)
		}
		got, err := accounts.VerifyToken(ctx, db, secret)
		if err != nil || got.ID != tok.ID || got.Role != accounts.Editor || got.LastUsedAt == nil {
			t.Fatalf("VerifyToken = %+v, %v", got, err)
		}
		for _, bad := range []string{"", "prt_", secret + "x", strings.TrimPrefix(secret, "prt_")} {
			if _, err := accounts.VerifyToken(ctx, db, bad); err != accounts.ErrInvalidToken {
				t.Errorf("VerifyToken(%q) err = %v, want ErrInvalidToken", bad, err)
			}
		}

		_, ts := instance(t, db, accounts.Config{})
		c := browser(t)
		if code, body, resp := get(t, c, ts.URL+"/api/editor/campaigns", "Authorization", "Bearer "+secret); code != http.StatusOK ||
			body != "editor coverage export" || resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("editor token on editor API: %d %q, cookies %q", code, body, resp.Header.Get("Set-Cookie"))
		}
		if code, _, _ := get(t, c, ts.URL+"/api/admin/users", "Authorization", "Bearer "+secret); code != http.StatusForbidden {
			t.Errorf("editor token on admin API: %d, want 403", code)
		}
		// A bad token is refused as JSON even on an HTML path: no redirect.
		for _, h := range []string{"Bearer prt_guess", "Basic YTpi", "Bearer"} {
			if code, _, _ := get(t, c, ts.URL+"/editor/", "Authorization", h); code != http.StatusUnauthorized {
				t.Errorf("Authorization %q: %d, want 401", h, code)
			}
		}

		if err := accounts.RevokeToken(ctx, db, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := accounts.RevokeToken(ctx, db, tok.ID+100); err == nil {
			t.Error("revoking a missing token succeeded")
		}
		if code, _, _ := get(t, c, ts.URL+"/api/editor/campaigns", "Authorization", "Bearer "+secret); code != http.StatusUnauthorized {
			t.Errorf("revoked token: %d, want 401", code)
		}
		list, err := accounts.ListTokens(ctx, db)
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil || list[0].Name != "coverage export" {
			t.Errorf("ListTokens = %+v, %v", list, err)
		}
	})
}
