package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Lockout policy. The lockFailures-th attempt in a row that is not a
// success locks the account for lockBase, and each further one for twice
// as long as the last, up to lockMax; one source address gets
// addressFailures attempts at any accounts before it is locked alike. An
// attempt older than failureWindow no longer counts. The cap bounds how
// long a guesser can shut a colleague out; the doubling makes guessing
// hopeless long before that matters. The address allowance is larger
// because colleagues may share one office address.
const (
	lockFailures    = 5
	addressFailures = 20
	lockBase        = 30 * time.Second
	lockMax         = 15 * time.Minute
	failureWindow   = 24 * time.Hour
)

// ErrInvalidLogin is the one answer to a wrong address, a wrong password
// and a disabled account alike, so that sign-in does not reveal which
// addresses have accounts.
var ErrInvalidLogin = errors.New("the email address or password is not correct")

// LockedError says that an account, or the network address signing in,
// has failed too often to try again yet. Unknown accounts are locked just
// like known ones.
type LockedError struct{ RetryAfter time.Duration }

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed sign-ins for this address; try again in %s", roundUp(e.RetryAfter))
}

func roundUp(d time.Duration) string {
	if d <= time.Minute {
		return fmt.Sprintf("%d seconds", int(math.Ceil(d.Seconds())))
	}
	return fmt.Sprintf("%d minutes", int(math.Ceil(d.Minutes())))
}

// Login checks an address and password, counting the attempt against the
// account only; LogIn also counts it against the client's network
// address. See LoginFrom.
func (a *Auth) Login(ctx context.Context, email, password string) (User, error) {
	return a.LoginFrom(ctx, email, password, "")
}

// LoginFrom checks an address and password tried from the network address
// from ("" when there is none, as on the command line). It returns
// ErrInvalidLogin for any mismatch and *LockedError while the account or
// from is locked out. Whether the account exists or not, it does the same
// work: one argon2id verification.
//
// The attempt is counted in the database before the password is checked,
// in one transaction that also reads the lock, so parallel guesses — on
// one instance or many — each take their own place in the count, and no
// more than lockFailures of them ever reach the password check. A success
// then takes its attempt back.
func (a *Auth) LoginFrom(ctx context.Context, email, password, from string) (User, error) {
	email = NormalizeEmail(email)
	if len(email) > 254 {
		// No account can have it; do not store it as a lockout key.
		_, _ = VerifyPassword(dummyHash(), password)
		return User{}, ErrInvalidLogin
	}
	now := a.now().UTC()
	subjects := []throttle{{"account:" + email, lockFailures}}
	if from != "" {
		// The address first: a locked address does not count against
		// the account it tried.
		subjects = []throttle{{"address:" + from, addressFailures}, subjects[0]}
	}
	if err := a.countAttempt(ctx, subjects, now); err != nil {
		return User{}, err
	}
	u, err := UserByEmail(ctx, a.db, email)
	hash := u.passwordHash
	switch {
	case errors.Is(err, store.ErrNotFound):
		hash = dummyHash()
	case err != nil:
		return User{}, err
	}
	ok, verr := VerifyPassword(hash, password)
	if err == nil && verr != nil {
		return User{}, fmt.Errorf("user %s: %w", email, verr)
	}
	if err != nil || !ok || u.Disabled {
		return User{}, ErrInvalidLogin
	}
	err = a.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE subject = ?`, subjects[len(subjects)-1].subject); err != nil {
			return err
		}
		if from != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE sign_in_failures SET failures = failures - 1
				WHERE subject = ? AND failures > 0`, subjects[0].subject); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, now, u.ID)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("record sign-in of %s: %w", email, err)
	}
	u.LastLoginAt = &now
	return u, nil
}

// throttle is one subject whose attempts are counted, and how many it may
// make before it is locked.
type throttle struct {
	subject string
	allowed int
}

// countAttempt refuses the attempt with *LockedError while any subject is
// locked, and otherwise counts it against each, locking those that reach
// their allowance. The upsert that reads a subject's row also locks it
// (PostgreSQL) or the whole database (SQLite, whose transactions take the
// write lock at BEGIN) until the transaction ends, so attempts queue here.
func (a *Auth) countAttempt(ctx context.Context, subjects []throttle, now time.Time) error {
	return a.db.InTx(ctx, func(tx *store.Tx) error {
		for _, s := range subjects {
			var (
				n     int
				last  time.Time
				until sql.NullTime
			)
			err := tx.QueryRowContext(ctx, `
				INSERT INTO sign_in_failures (subject, failures, last_failed_at) VALUES (?, 0, ?)
				ON CONFLICT (subject) DO UPDATE SET failures = sign_in_failures.failures
				RETURNING failures, last_failed_at, locked_until`, s.subject, now).Scan(&n, &last, &until)
			if err != nil {
				return fmt.Errorf("sign-in lockout of %s: %w", s.subject, err)
			}
			if until.Valid && until.Time.After(now) {
				// Refused attempts are not counted (the transaction
				// rolls back): the lock is long enough already.
				return &LockedError{RetryAfter: until.Time.Sub(now)}
			}
			if last.Before(now.Add(-failureWindow)) {
				n = 0
			}
			n++
			var lock any
			if n >= s.allowed {
				lock = now.Add(lockFor(n, s.allowed))
				a.log.WarnContext(ctx, "sign-in locked", "subject", s.subject, "attempts", n, "until", lock)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE sign_in_failures SET failures = ?, last_failed_at = ?, locked_until = ?
				WHERE subject = ?`, n, now, lock, s.subject); err != nil {
				return fmt.Errorf("count sign-in attempt of %s: %w", s.subject, err)
			}
		}
		return nil
	})
}

// lockFor is how long the nth consecutive attempt locks a subject that is
// allowed this many.
func lockFor(n, allowed int) time.Duration {
	d := lockBase
	for i := allowed; i < n && d < lockMax; i++ {
		d *= 2
	}
	return min(d, lockMax)
}
