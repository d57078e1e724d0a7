// Package forms protects the public forms (newsletter subscription, event
// registration) and sign-in from abuse, with state kept in the database so
// that the protection holds across instances:
//
//   - Guard.Allow is a rate limiter: hits per subject (an address, an
//     email) in a fixed window, counted by one atomic upsert.
//   - Guard.Issue and Guard.Consume are form tokens: signed when the form
//     is served (nothing is written for a page view), bound to the client
//     address, too fresh to be a person's or too old refused, and used once
//     (the nonce is stored when the form is posted).
//   - Guard.SignLink and Guard.VerifyLink are signed links for mail.
//   - Proxies and Client find the client's address behind trusted reverse
//     proxies.
package forms

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// sweepEvery is how often, at most, a process deletes expired counters and
// used tokens; they are harmless until then, only dead weight.
const sweepEvery = time.Minute

// Guard holds the database and the signing key.
type Guard struct {
	db  *store.DB
	key []byte

	mu    sync.Mutex
	swept time.Time
}

// New returns a Guard on db. key signs form tokens and links; every
// instance must share it (the newsletter signing key serves). A nil key is
// replaced by a random one, for a single process such as a test server:
// its tokens then work on that process only.
func New(db *store.DB, key []byte) *Guard {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	// A key of its own, so that no token of this package can pass for one
	// signed with the same secret elsewhere (newsletter links).
	m := hmac.New(sha256.New, key)
	m.Write([]byte("pressreview/forms"))
	return &Guard{db: db, key: m.Sum(nil)}
}

// sweep deletes expired rows, at most once per sweepEvery per process.
func (g *Guard) sweep(ctx context.Context, now time.Time) error {
	g.mu.Lock()
	due := now.Sub(g.swept) >= sweepEvery
	if due {
		g.swept = now
	}
	g.mu.Unlock()
	if !due {
		return nil
	}
	if _, err := g.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE resets_at <= ?`, now.UTC()); err != nil {
		return err
	}
	_, err := g.db.ExecContext(ctx, `DELETE FROM form_tokens_used WHERE expires_at <= ?`, now.UTC())
	return err
}
