package accounts_test

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/accounts"
)

func TestPasswordHashing(t *testing.T) {
	const pw = "correct horse battery"
	h1, err := accounts.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := accounts.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$") || h1 == h2 || strings.Contains(h1, pw) {
		t.Fatalf("hashes %q and %q: want salted argon2id PHC strings", h1, h2)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{pw, true}, {"correct horse batterY", false}, {"", false}, {strings.Repeat("x", 5000), false}} {
		if ok, err := accounts.VerifyPassword(h1, tc.pw); err != nil || ok != tc.want {
			t.Errorf("VerifyPassword(%.20q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if _, err := accounts.VerifyPassword("$2a$10$bcrypt-looking", pw); err == nil {
		t.Error("VerifyPassword accepted a hash in another format")
	}
}

func TestPasswordPolicy(t *testing.T) {
	for _, tc := range []struct{ pw, err string }{
		{"short", "needs at least 12"},
		{"elevenchars", "needs at least 12"},
		{"دوازده‌حرفی", "needs at least 12"}, // counted in characters, not bytes
		{strings.Repeat("a", 1025), "longer than 1024 bytes"},
		{"twelve chars", ""},
		{"رمز عبور طولانی", ""},
	} {
		_, err := accounts.HashPassword(tc.pw)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("HashPassword(%.20q) error = %v, want %q", tc.pw, err, tc.err)
		}
	}
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		have, need accounts.Role
		want       bool
	}{
		{accounts.Analyst, accounts.Analyst, true},
		{accounts.Analyst, accounts.Editor, false},
		{accounts.Editor, accounts.Analyst, true},
		{accounts.Editor, accounts.Admin, false},
		{accounts.Admin, accounts.Editor, true},
		{"", accounts.Analyst, false},
		{"root", accounts.Analyst, false},
		{accounts.Admin, "root", false},
	} {
		if got := tc.have.Allows(tc.need); got != tc.want {
			t.Errorf("%q.Allows(%q) = %v, want %v", tc.have, tc.need, got, tc.want)
		}
	}
	if _, err := accounts.ParseRole("Editor"); err == nil || !strings.Contains(err.Error(), "want analyst, editor or admin") {
		t.Errorf("ParseRole(Editor) error = %v", err)
	}
}

func TestLocalPath(t *testing.T) {
	const fallback = "/studio/"
	for next, want := range map[string]string{
		"/studio/editions?x=1#top":      "/studio/editions?x=1#top",
		"/analysis/iran-media-review-1": "/analysis/iran-media-review-1",
		"":                              fallback,
		"studio":                        fallback,
		"https://evil.example/":         fallback,
		"//evil.example/":               fallback,
		"///evil.example/":              fallback,
		`/\evil.example`:                fallback,
		`\\evil.example`:                fallback,
		"/\t/evil.example":              fallback,
		"/\n/evil.example":              fallback,
		" /studio/":                     fallback,
		"javascript:alert(1)":           fallback,
		"http:/evil.example":            fallback,
		"/%2F%2Fevil.example":           "/%2F%2Fevil.example", // a path: browsers do not decode it into a host
	} {
		if got := accounts.LocalPath(next, fallback); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", next, got, want)
		}
	}
}
