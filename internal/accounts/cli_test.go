package accounts_test

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestCLI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		run := func(stdin string, args ...string) (string, error) {
			var out strings.Builder
			root := cli.Group(&cobra.Command{Use: "pressreview"},
				accounts.Commands(func(_ context.Context, fn func(*store.DB) error) error { return fn(db) })...)
			root.SetIn(strings.NewReader(stdin))
			err := cli.Execute(ctx, root, args, &out, io.Discard, nil)
			return out.String(), err
		}
		out, err := run(goodPassword+"\n", "users", "add", "--email", "Ana@Example.org", "--name", "Ana Rahimi", "--role", "editor")
		if err != nil || !strings.Contains(out, "added ana@example.org (Ana Rahimi) as editor") {
			t.Fatalf("users add: %q, %v", out, err)
		}
		t.Setenv(accounts.EnvNewPassword, "another long passphrase")
		if _, err := run("", "users", "add", "--email", "bo@example.org", "--name", "Bo", "--role", "analyst"); err != nil {
			t.Fatalf("users add with %s: %v", accounts.EnvNewPassword, err)
		}
		a := accounts.New(db, accounts.Config{})
		if _, err := a.Login(ctx, "bo@example.org", "another long passphrase"); err != nil {
			t.Errorf("password from the environment: %v", err)
		}
		if _, err := run("", "users", "set-role", "--email", "bo@example.org", "--role", "admin"); err != nil {
			t.Fatal(err)
		}
		if _, err := run("", "users", "disable", "--email", "ana@example.org"); err != nil {
			t.Fatal(err)
		}
		out, err = run("", "users", "list")
		if err != nil || !regexp.MustCompile(`ana@example.org\s+Ana Rahimi\s+editor\s+disabled`).MatchString(out) ||
			!regexp.MustCompile(`bo@example.org\s+Bo\s+admin\s+active`).MatchString(out) {
			t.Errorf("users list:\n%s%v", out, err)
		}

		out, err = run("", "tokens", "create", "--name", "nightly export", "--role", "analyst")
		secret := regexp.MustCompile(`prt_\S+`).FindString(out)
		if err != nil || secret == "" {
			t.Fatalf("tokens create: %q, %v", out, err)
		}
		tok, err := accounts.VerifyToken(ctx, db, secret)
		if err != nil || tok.Role != accounts.Analyst {
			t.Fatalf("the printed token: %+v, %v", tok, err)
		}
		out, err = run("", "tokens", "list")
		if err != nil || !strings.Contains(out, "nightly export") || strings.Contains(out, secret) {
			t.Errorf("tokens list (must not show the secret):\n%s%v", out, err)
		}
		if _, err := run("", "tokens", "revoke", "--id", "1"); err != nil {
			t.Fatal(err)
		}
		if _, err := accounts.VerifyToken(ctx, db, secret); err != accounts.ErrInvalidToken {
			t.Errorf("revoked token verifies: %v", err)
		}

		for _, args := range [][]string{
			{"users"},
			{"users", "remove"},
			{"users", "add", "--email", "x@example.org", "--name", "X"},
			{"users", "set-role", "--email", "bo@example.org", "--role", "root"},
			{"tokens", "revoke", "7", "--id", "1"},
		} {
			if _, err := run("", args...); !errors.Is(err, cli.ErrUsage) {
				t.Errorf("%q: err = %v, want a usage error", args, err)
			}
		}
		if _, err := run("", "users", "disable", "--email", "nobody@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("disabling a missing account: %v", err)
		}
	})
}

func TestBootstrapAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := map[string]string{}
		getenv := func(k string) string { return env[k] }
		if err := accounts.BootstrapAdmin(ctx, db, getenv); err != nil {
			t.Fatalf("nothing set: %v", err)
		}
		env[accounts.EnvAdminEmail] = "Desk@Example.org"
		if err := accounts.BootstrapAdmin(ctx, db, getenv); err == nil || !strings.Contains(err.Error(), accounts.EnvAdminPassword) {
			t.Errorf("email without password: %v", err)
		}
		env[accounts.EnvAdminPassword] = "short"
		if err := accounts.BootstrapAdmin(ctx, db, getenv); err == nil || !strings.Contains(err.Error(), "at least 12") {
			t.Errorf("short password: %v", err)
		}
		env[accounts.EnvAdminPassword] = goodPassword
		if err := accounts.BootstrapAdmin(ctx, db, getenv); err != nil {
			t.Fatal(err)
		}
		a := accounts.New(db, accounts.Config{})
		if u, err := a.Login(ctx, "desk@example.org", goodPassword); err != nil || u.Role != accounts.Admin {
			t.Fatalf("bootstrapped admin: %+v, %v", u, err)
		}

		// Demoted and disabled by mistake: the next start repairs it and
		// takes the new password.
		if err := accounts.SetRole(ctx, db, "desk@example.org", accounts.Analyst); err != nil {
			t.Fatal(err)
		}
		if err := accounts.SetDisabled(ctx, db, "desk@example.org", true); err != nil {
			t.Fatal(err)
		}
		env[accounts.EnvAdminPassword] = goodPassword + " two"
		if err := accounts.BootstrapAdmin(ctx, db, getenv); err != nil {
			t.Fatal(err)
		}
		if u, err := a.Login(ctx, "desk@example.org", goodPassword+" two"); err != nil || u.Role != accounts.Admin {
			t.Fatalf("repaired admin: %+v, %v", u, err)
		}
		if users, _ := accounts.ListUsers(ctx, db); len(users) != 1 {
			t.Errorf("%d accounts, want 1", len(users))
		}
	})
}
