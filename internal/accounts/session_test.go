package accounts_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestSessionStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := accounts.NewSessionStore(db)
		if err := s.CommitCtx(ctx, "live", []byte("one"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitCtx(ctx, "live", []byte("two"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitCtx(ctx, "expired", []byte("old"), time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if b, ok, err := s.FindCtx(ctx, "live"); err != nil || !ok || string(b) != "two" {
			t.Errorf("Find(live) = %q, %v, %v; want the second commit", b, ok, err)
		}
		if _, ok, err := s.FindCtx(ctx, "expired"); err != nil || ok {
			t.Errorf("Find(expired) = %v, %v; want not found", ok, err)
		}
		if err := accounts.New(db, accounts.Config{}).Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 1 {
			t.Errorf("after cleanup: %d sessions (err %v), want 1", n, err)
		}
		if err := s.DeleteCtx(ctx, "live"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCtx(ctx, "never there"); err != nil {
			t.Errorf("Delete of a missing session: %v", err)
		}
		if _, ok, _ := s.FindCtx(ctx, "live"); ok {
			t.Error("session found after Delete")
		}
	})
}

// TestSessionAcrossInstances signs in on one instance and uses the cookie
// on another that shares only the database, as behind a load balancer.
func TestSessionAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addUser(t, db, "ana@example.org", accounts.Editor)
		_, one := instance(t, db, accounts.Config{})
		_, two := instance(t, db, accounts.Config{})
		c := browser(t)

		resp := login(t, c, one.URL, "ana@example.org", goodPassword)
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("login: %s", resp.Status)
		}
		var cookie *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "pressreview_session" {
				cookie = ck
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/" {
			t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, not Secure on http", cookie)
		}
		var stored int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE token = ?`, cookie.Value).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("the raw cookie token is a key in the sessions table (%d, %v); want only its hash stored", stored, err)
		}

		// Signing in again, as after a planted cookie, issues a new token
		// and the old one stops working.
		again := login(t, c, one.URL, "ana@example.org", goodPassword)
		if len(again.Cookies()) != 1 || again.Cookies()[0].Value == cookie.Value {
			t.Fatalf("second sign-in cookies = %+v; want a new token", again.Cookies())
		}
		stale := browser(t)
		stale.Jar.SetCookies(mustURL(t, one.URL), []*http.Cookie{cookie})
		if code, _, _ := get(t, stale, one.URL+"/analyst/"); code != http.StatusSeeOther {
			t.Errorf("the token from before the second sign-in: %d, want a redirect", code)
		}

		if code, body, _ := get(t, c, two.URL+"/editor/"); code != http.StatusOK || body != "editor Staff ana@example.org" {
			t.Fatalf("instance two, editor page: %d %q", code, body)
		}
		// A role change made anywhere applies on the next request.
		if err := accounts.SetRole(ctx, db, "ana@example.org", accounts.Analyst); err != nil {
			t.Fatal(err)
		}
		if code, _, _ := get(t, c, two.URL+"/editor/"); code != http.StatusForbidden {
			t.Errorf("after demotion, editor page: %d, want 403", code)
		}
		// A new password ends existing sessions everywhere.
		if err := accounts.SetPassword(ctx, db, "ana@example.org", goodPassword+" renewed"); err != nil {
			t.Fatal(err)
		}
		if code, _, _ := get(t, c, one.URL+"/analyst/"); code != http.StatusSeeOther {
			t.Errorf("after a password change: %d, want a redirect to sign in", code)
		}

		// Signing out on one instance ends the session on the other.
		login(t, c, one.URL, "ana@example.org", goodPassword+" renewed")
		if code, _, _ := get(t, c, two.URL+"/analyst/"); code != http.StatusOK {
			t.Fatalf("after signing in again: %d", code)
		}
		old := c.Jar.Cookies(mustURL(t, one.URL))
		resp, err := c.Post(two.URL+"/logout", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		replay := browser(t)
		replay.Jar.SetCookies(mustURL(t, one.URL), old)
		if code, _, _ := get(t, replay, one.URL+"/analyst/"); code != http.StatusSeeOther {
			t.Errorf("the cookie from before sign-out still works: %d", code)
		}
	})
}

func TestSecureCookie(t *testing.T) {
	db := storetest.SQLite(t)
	addUser(t, db, "ana@example.org", accounts.Analyst)
	_, ts := instance(t, db, accounts.Config{SiteURL: "https://desk.example.org"})
	resp := login(t, browser(t), ts.URL, "ana@example.org", goodPassword)
	cks := resp.Cookies()
	if len(cks) != 1 || cks[0].Name != "__Host-pressreview_session" || !cks[0].Secure || !cks[0].HttpOnly {
		t.Fatalf("cookies on an https site = %+v, want one Secure __Host- cookie", cks)
	}
}
