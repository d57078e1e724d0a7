package forms

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TokenTTL is how long a served form may be posted: a day, for a reader
// who leaves the tab open.
const TokenTTL = 24 * time.Hour

// Why a form token or a link is refused.
var (
	ErrTokenInvalid = errors.New("the form token is missing, altered or was issued to another address")
	ErrTokenFresh   = errors.New("the form was sent faster than a person can fill it")
	ErrTokenExpired = errors.New("the form token has expired")
	ErrTokenUsed    = errors.New("the form token was already used")
	ErrLinkInvalid  = errors.New("the link is not valid (it may have been cut short or altered)")
	ErrLinkExpired  = errors.New("the link has expired")
)

// Issue returns a token for form, served now to client (an address from
// Client). Nothing is stored: the token carries a random nonce and the
// time, and its signature covers both with the form and the client.
func (g *Guard) Issue(form, client string, now time.Time) string {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	body := base64.RawURLEncoding.EncodeToString(nonce) + "." + strconv.FormatInt(now.Unix(), 36)
	return body + "." + g.mac("form", form, client, body)
}

// Consume accepts a token for form posted by client once: it must be signed
// for this form and this client, at least minAge and at most TokenTTL old,
// and not used before. Using it is recorded in the same statement that
// checks it, so of parallel posts with one token exactly one passes.
func (g *Guard) Consume(ctx context.Context, form, token, client string, now time.Time, minAge time.Duration) error {
	body, mac, ok := cutLast(token)
	if !ok || !hmac.Equal([]byte(mac), []byte(g.mac("form", form, client, body))) {
		return ErrTokenInvalid
	}
	nonce, stamp, ok := strings.Cut(body, ".")
	secs, err := strconv.ParseInt(stamp, 36, 64)
	if !ok || err != nil {
		return ErrTokenInvalid
	}
	age := now.Sub(time.Unix(secs, 0))
	switch {
	case age < minAge:
		return ErrTokenFresh
	case age > TokenTTL:
		return ErrTokenExpired
	}
	if err := g.sweep(ctx, now); err != nil {
		return fmt.Errorf("form token: %w", err)
	}
	res, err := g.db.ExecContext(ctx, `INSERT INTO form_tokens_used (nonce, expires_at) VALUES (?, ?)
		ON CONFLICT (nonce) DO NOTHING`, nonce, time.Unix(secs, 0).Add(TokenTTL).UTC())
	if err != nil {
		return fmt.Errorf("form token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("form token: %w", err)
	} else if n == 0 {
		return ErrTokenUsed
	}
	return nil
}

// SignLink returns a token for a mailed link: subject (which must not hold
// a dot) for purpose, valid until expires.
func (g *Guard) SignLink(purpose, subject string, expires time.Time) string {
	body := subject + "." + strconv.FormatInt(expires.Unix(), 36)
	return body + "." + g.mac("link", purpose, "", body)
}

// VerifyLink checks a SignLink token for purpose at now and returns its
// subject.
func (g *Guard) VerifyLink(purpose, token string, now time.Time) (string, error) {
	body, mac, ok := cutLast(token)
	if !ok || !hmac.Equal([]byte(mac), []byte(g.mac("link", purpose, "", body))) {
		return "", ErrLinkInvalid
	}
	subject, stamp, ok := strings.Cut(body, ".")
	secs, err := strconv.ParseInt(stamp, 36, 64)
	if !ok || err != nil {
		return "", ErrLinkInvalid
	}
	if !now.Before(time.Unix(secs, 0)) {
		return "", ErrLinkExpired
	}
	return subject, nil
}

func (g *Guard) mac(kind, purpose, client, body string) string {
	m := hmac.New(sha256.New, g.key)
	for _, s := range []string{kind, purpose, client, body} {
		m.Write([]byte(s))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func cutLast(token string) (body, mac string, ok bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", "", false
	}
	return token[:i], token[i+1:], true
}

// Refused reports whether err is Consume's verdict on the token (as
// opposed to a database failure).
func Refused(err error) bool {
	return errors.Is(err, ErrTokenInvalid) || errors.Is(err, ErrTokenFresh) ||
		errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrTokenUsed)
}
