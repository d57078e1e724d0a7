package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/pressreview/pressreview/internal/store"
)

// SessionStore keeps scs sessions in pressreview's own database, so that
// every instance behind a load balancer sees every session, on SQLite and
// PostgreSQL alike. Expiry is compared against the wall clock, as scs sets
// it from the wall clock.
type SessionStore struct{ db *store.DB }

var _ scs.CtxStore = (*SessionStore)(nil)

// NewSessionStore returns a store on db's sessions table.
func NewSessionStore(db *store.DB) *SessionStore { return &SessionStore{db: db} }

// FindCtx returns the data of a live session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = ? AND expiry > ?`,
		token, time.Now().UTC()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx saves a session, replacing its earlier data and expiry.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, expiry.UTC())
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// DeleteCtx removes a session; a missing one is not an error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token = ?`, token); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find, Commit and Delete complete scs.Store; scs calls the Ctx forms.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// Cleanup deletes expired sessions and sign-in failures too old to count.
// Expired sessions are already ignored; this only keeps the tables small.
// Running it on several instances at once is harmless.
func (a *Auth) Cleanup(ctx context.Context) error {
	now := time.Now().UTC()
	if _, err := a.db.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= ?`, now); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	lockNow := a.now().UTC()
	_, err := a.db.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until < ?)`,
		lockNow.Add(-failureWindow), lockNow)
	if err != nil {
		return fmt.Errorf("delete old sign-in failures: %w", err)
	}
	return nil
}
