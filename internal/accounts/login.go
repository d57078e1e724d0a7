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

// Lockout policy. The lockFailures-th wrong password in a row locks the
// address for lockBase, and each further one for twice as long as the
// last, up to lockMax. A failure older than failureWindow no
// longer counts. The cap bounds how long a guesser can shut a colleague
// out; the doubling makes guessing hopeless long before that matters.
const (
	lockFailures  = 5
	lockBase      = 30 * time.Second
	lockMax       = 15 * time.Minute
	failureWindow = 24 * time.Hour
)

// ErrInvalidLogin is the one answer to a wrong address, a wrong password
// and a disabled account alike, so that sign-in does not reveal which
// addresses have accounts.
var ErrInvalidLogin = errors.New("the email address or password is not correct")

// LockedError says that an address has failed too often to try again yet.
// Unknown addresses are locked just like known ones.
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

// Login checks an address and password. It returns ErrInvalidLogin for any
// mismatch and *LockedError while the address is locked out. Whether the
// account exists or not, it does the same work: one argon2id verification.
func (a *Auth) Login(ctx context.Context, email, password string) (User, error) {
	email = NormalizeEmail(email)
	if len(email) > 254 {
		// No account can have it; do not store it as a lockout key.
		_, _ = VerifyPassword(dummyHash(), password)
		return User{}, ErrInvalidLogin
	}
	now := a.now().UTC()
	if err := a.checkLock(ctx, email, now); err != nil {
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
		if ferr := a.recordFailure(ctx, email, now); ferr != nil {
			return User{}, ferr
		}
		return User{}, ErrInvalidLogin
	}
	if _, err := a.db.ExecContext(ctx, `DELETE FROM login_failures WHERE email = ?`, email); err != nil {
		return User{}, fmt.Errorf("clear sign-in failures of %s: %w", email, err)
	}
	if _, err := a.db.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, now, u.ID); err != nil {
		return User{}, fmt.Errorf("record sign-in of %s: %w", email, err)
	}
	u.LastLoginAt = &now
	return u, nil
}

func (a *Auth) checkLock(ctx context.Context, email string, now time.Time) error {
	var until sql.NullTime
	err := a.db.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE email = ?`, email).Scan(&until)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sign-in lockout of %s: %w", email, err)
	}
	if until.Valid && until.Time.After(now) {
		return &LockedError{RetryAfter: until.Time.Sub(now)}
	}
	return nil
}

// recordFailure counts a failure atomically — concurrent guesses each
// count — and locks the address from the lockFailures-th on.
func (a *Auth) recordFailure(ctx context.Context, email string, now time.Time) error {
	return a.db.InTx(ctx, func(tx *store.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `
			INSERT INTO login_failures (email, failures, last_failed_at) VALUES (?, 1, ?)
			ON CONFLICT (email) DO UPDATE SET
				failures = CASE WHEN login_failures.last_failed_at < ? THEN 1 ELSE login_failures.failures + 1 END,
				last_failed_at = excluded.last_failed_at
			RETURNING failures`, email, now, now.Add(-failureWindow)).Scan(&n)
		if err != nil {
			return fmt.Errorf("count sign-in failure of %s: %w", email, err)
		}
		if n < lockFailures {
			return nil
		}
		until := now.Add(lockFor(n))
		if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET locked_until = ? WHERE email = ?`, until, email); err != nil {
			return fmt.Errorf("lock sign-in of %s: %w", email, err)
		}
		a.log.WarnContext(ctx, "sign-in locked", "email", email, "failures", n, "until", until)
		return nil
	})
}

// lockFor is how long the nth consecutive failure locks an address.
func lockFor(n int) time.Duration {
	d := lockBase
	for i := lockFailures; i < n && d < lockMax; i++ {
		d *= 2
	}
	return min(d, lockMax)
}
