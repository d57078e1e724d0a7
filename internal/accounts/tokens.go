package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Token is an API token for scripts and the CLI. The secret itself is
// shown once, when it is created; only its SHA-256 is stored, which is
// enough for 256 random bits (no salt or slow hash is needed against
// guessing a value nobody chose).
type Token struct {
	ID         int64
	Name       string
	Role       Role
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// tokenPrefix marks pressreview tokens so that secret scanners and people
// can recognise one pasted where it should not be.
const tokenPrefix = "prt_"

// ErrInvalidToken is returned for a token that is unknown, malformed or
// revoked.
var ErrInvalidToken = errors.New("invalid or revoked API token")

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a token with name and role and returns its secret,
// which cannot be recovered later.
func CreateToken(ctx context.Context, q store.Querier, name string, role Role) (secret string, t Token, err error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Token{}, valid.Errorf("name", "is required (say what the token is for)")
	}
	if _, err := ParseRole(string(role)); err != nil {
		return "", Token{}, valid.Errorf("role", "%v", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", Token{}, fmt.Errorf("token secret: %w", err)
	}
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t = Token{Name: name, Role: role, CreatedAt: time.Now().UTC()}
	err = q.QueryRowContext(ctx, `INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		name, role, hashToken(secret), t.CreatedAt).Scan(&t.ID)
	if err != nil {
		return "", Token{}, fmt.Errorf("create token %q: %w", name, err)
	}
	return secret, t, nil
}

const tokenColumns = `id, name, role, created_at, last_used_at, revoked_at`

func scanToken(s interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var used, revoked sql.NullTime
	if err := s.Scan(&t.ID, &t.Name, &t.Role, &t.CreatedAt, &used, &revoked); err != nil {
		return Token{}, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.RevokedAt = utcPtr(used), utcPtr(revoked)
	return t, nil
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// VerifyToken returns the live token whose secret this is.
func VerifyToken(ctx context.Context, q store.Querier, secret string) (Token, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return Token{}, ErrInvalidToken
	}
	t, err := scanToken(q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`,
		hashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, ErrInvalidToken
	}
	if err != nil {
		return Token{}, fmt.Errorf("verify token: %w", err)
	}
	// Record use at most once a minute: enough to tell an idle token from
	// a busy one without a write on every request.
	now := time.Now().UTC()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if _, err := q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, t.ID); err != nil {
			return Token{}, fmt.Errorf("record use of token %d: %w", t.ID, err)
		}
		t.LastUsedAt = &now
	}
	return t, nil
}

// ListTokens returns every token, revoked ones too, oldest first.
func ListTokens(ctx context.Context, q store.Querier) ([]Token, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken stops a token from working, on every instance at once.
// Revoking a revoked token is not an error.
func RevokeToken(ctx context.Context, q store.Querier, id int64) error {
	res, err := q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, time.Now().UTC(), id)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("revoke token %d: %w", id, store.ErrNotFound)
	}
	return nil
}
