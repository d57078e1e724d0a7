package accounts_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addUser(t, db, "Ana@Example.org", accounts.Editor)
		_, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: " ana@EXAMPLE.org ", Name: "Other", Role: accounts.Analyst, Password: goodPassword})
		if !errors.Is(err, accounts.ErrEmailTaken) {
			t.Fatalf("second account for the same address in another case: err = %v, want ErrEmailTaken", err)
		}
		for _, nu := range []accounts.NewUser{
			{Email: "not-an-address", Name: "X", Role: accounts.Analyst, Password: goodPassword},
			{Email: "x@example.org", Name: " ", Role: accounts.Analyst, Password: goodPassword},
			{Email: "x@example.org", Name: "X", Role: "owner", Password: goodPassword},
			{Email: "x@example.org", Name: "X", Role: accounts.Analyst, Password: "too short"},
		} {
			if _, err := accounts.CreateUser(ctx, db, nu); err == nil {
				t.Errorf("CreateUser(%+v) succeeded", nu)
			}
		}
		u, err := accounts.UserByEmail(ctx, db, "ANA@example.org")
		if err != nil || u.Email != "ana@example.org" || u.Role != accounts.Editor || u.Disabled {
			t.Fatalf("UserByEmail = %+v, %v", u, err)
		}
		if err := accounts.SetRole(ctx, db, "ana@example.org", accounts.Admin); err != nil {
			t.Fatal(err)
		}
		if err := accounts.SetRole(ctx, db, "nobody@example.org", accounts.Admin); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetRole of a missing account: err = %v, want ErrNotFound", err)
		}
		list, err := accounts.ListUsers(ctx, db)
		if err != nil || len(list) != 1 || list[0].Role != accounts.Admin {
			t.Fatalf("ListUsers = %+v, %v", list, err)
		}
	})
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		a := accounts.New(db, accounts.Config{Now: clk.Now})
		addUser(t, db, "ana@example.org", accounts.Analyst)

		u, err := a.Login(ctx, " Ana@Example.ORG", goodPassword)
		if err != nil || u.Email != "ana@example.org" || u.LastLoginAt == nil || !u.LastLoginAt.Equal(clk.Now()) {
			t.Fatalf("Login = %+v, %v", u, err)
		}
		// A wrong password, an unknown address and a disabled account get
		// the same answer.
		if _, err := a.Login(ctx, "ana@example.org", goodPassword+"!"); err != accounts.ErrInvalidLogin {
			t.Errorf("wrong password: err = %v", err)
		}
		if _, err := a.Login(ctx, "nobody@example.org", goodPassword); err != accounts.ErrInvalidLogin {
			t.Errorf("unknown address: err = %v", err)
		}
		if err := accounts.SetDisabled(ctx, db, "ana@example.org", true); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(ctx, "ana@example.org", goodPassword); err != accounts.ErrInvalidLogin {
			t.Errorf("disabled account: err = %v", err)
		}
		if err := accounts.SetDisabled(ctx, db, "ana@example.org", false); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(ctx, "ana@example.org", goodPassword); err != nil {
			t.Errorf("re-enabled account: err = %v", err)
		}
	})
}

func TestLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		a := accounts.New(db, accounts.Config{Now: clk.Now})
		addUser(t, db, "ana@example.org", accounts.Analyst)

		locked := func(email, password string) time.Duration {
			t.Helper()
			_, err := a.Login(ctx, email, password)
			var le *accounts.LockedError
			if !errors.As(err, &le) {
				t.Fatalf("Login(%s) err = %v, want LockedError", email, err)
			}
			return le.RetryAfter
		}
		for _, email := range []string{"ana@example.org", "nobody@example.org"} {
			for i := 1; i <= 5; i++ {
				if _, err := a.Login(ctx, email, "wrong password "+email); err != accounts.ErrInvalidLogin {
					t.Fatalf("%s failure %d: err = %v", email, i, err)
				}
			}
			// Locked, right password or not, and known address or not.
			if d := locked(email, goodPassword); d != 30*time.Second {
				t.Errorf("%s: locked for %v, want 30s", email, d)
			}
		}
		// Another address is not affected.
		addUser(t, db, "bo@example.org", accounts.Analyst)
		if _, err := a.Login(ctx, "bo@example.org", goodPassword); err != nil {
			t.Fatalf("other address: %v", err)
		}
		// Each further failure doubles the wait.
		clk.Advance(31 * time.Second)
		if _, err := a.Login(ctx, "ana@example.org", "still wrong"); err != accounts.ErrInvalidLogin {
			t.Fatalf("after the lock: err = %v", err)
		}
		if d := locked("ana@example.org", goodPassword); d != time.Minute {
			t.Errorf("sixth failure locks for %v, want 1m", d)
		}
		// Once the lock is over the right password works and clears the count.
		clk.Advance(time.Minute + time.Second)
		if _, err := a.Login(ctx, "ana@example.org", goodPassword); err != nil {
			t.Fatalf("after waiting: %v", err)
		}
		for i := 1; i <= 4; i++ {
			if _, err := a.Login(ctx, "ana@example.org", "wrong again"); err != accounts.ErrInvalidLogin {
				t.Fatalf("failure %d after a success: err = %v (the count was not cleared)", i, err)
			}
		}
		// Failures older than a day no longer count, and cleanup drops them.
		clk.Advance(25 * time.Hour)
		if _, err := a.Login(ctx, "ana@example.org", "wrong once more"); err != accounts.ErrInvalidLogin {
			t.Fatalf("a day later: err = %v", err)
		}
		if _, err := a.Login(ctx, "ana@example.org", goodPassword); err != nil {
			t.Fatalf("a day later, right password: %v", err)
		}
		if err := a.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sign_in_failures`).Scan(&n); err != nil || n != 0 {
			t.Errorf("after cleanup %d failure rows remain (err %v), want 0", n, err)
		}
	})
}

// TestParallelGuesses is the red-team finding: 30 simultaneous guesses at
// one account, the right password among them, all reached the password
// check because each read the lock before any counted its failure. Now no
// more than the allowance (5) may be checked, however they interleave.
func TestParallelGuesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		a := accounts.New(db, accounts.Config{Now: clk.Now})
		addUser(t, db, "ana@example.org", accounts.Analyst)
		// The red team's attack: 30 guesses at once, the right one among
		// the last. The wrong ones are fired together (which of them the
		// scheduler runs first is its choice; a right guess among the
		// first five would be a fair sign-in and reset the count), then
		// the right one finds the account locked.
		checked, locked := guess(t, 29, func(i int) error {
			_, err := a.LoginFrom(ctx, "ana@example.org", "wrong guess "+string(rune('a'+i)), "198.51.100.7")
			return err
		})
		if checked > 5 || locked < 24 {
			t.Errorf("29 parallel guesses at one account: %d reached the password check, %d were locked out; want at most 5 and at least 24", checked, locked)
		}
		var le *accounts.LockedError
		if _, err := a.LoginFrom(ctx, "ana@example.org", goodPassword, "198.51.100.7"); !errors.As(err, &le) {
			t.Errorf("the right password after the flood: %v, want the lockout", err)
		}

		// Thirty accounts, once each, from one address: the address is
		// locked after its allowance (20), whichever accounts it tried.
		checked, locked = guess(t, 30, func(i int) error {
			_, err := a.LoginFrom(ctx, "user"+string(rune('a'+i))+"@example.org", "a wrong password", "203.0.113.9")
			return err
		})
		if checked > 20 || locked < 10 {
			t.Errorf("30 accounts from one address: %d reached the password check, %d were locked out; want at most 20 and at least 10", checked, locked)
		}
		// Another address is not affected.
		if _, err := a.LoginFrom(ctx, "bo@example.org", "a wrong password", "192.0.2.1"); err != accounts.ErrInvalidLogin {
			t.Errorf("another address: %v", err)
		}
	})
}

// guess runs n sign-in attempts at once and counts those that reached the
// password check (success or ErrInvalidLogin) and those locked out.
func guess(t *testing.T, n int, try func(i int) error) (checked, locked int) {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		start = make(chan struct{})
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := try(i)
			var le *accounts.LockedError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil, errors.Is(err, accounts.ErrInvalidLogin):
				checked++
			case errors.As(err, &le):
				locked++
			default:
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return checked, locked
}
