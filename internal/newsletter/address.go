package newsletter

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/pressreview/pressreview/internal/store"
)

// Limits of an address (RFC 5321 section 4.5.3.1): a reverse or forward
// path holds at most 256 octets with its angle brackets, so the address
// itself at most 254; a local part 64; a domain 255.
const (
	maxAddress   = 254
	maxLocalPart = 64
	maxDomain    = 255
	// MaxNameLength bounds a subscriber's name, in characters.
	MaxNameLength = 200
)

// domainProfile converts a domain to the ASCII form DNS and SMTP use
// (IDNA 2008 with UTS #46 mapping, as browsers do): "Bücher.Example"
// becomes "xn--bcher-kva.example". Labels are checked for DNS lengths and
// letters, digits and hyphens only.
var domainProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.ValidateLabels(true),
	idna.StrictDomainName(true), idna.VerifyDNSLength(true), idna.Transitional(false))

// AddressError says what is wrong with an address.
type AddressError struct {
	Address string // as given; empty when it is too long to repeat
	Problem string // "the domain needs a dot, as in example.org"
}

func (e *AddressError) Error() string {
	if e.Address == "" {
		return "email: " + e.Problem
	}
	return fmt.Sprintf("email %q: %s", e.Address, e.Problem)
}

// NormalizeEmail checks an address and returns its canonical form, the one
// form the store keeps and compares everywhere — subscribe, import,
// erasure, suppression, bounces: lower-cased, no display name, and the
// domain in ASCII (punycode), so that "a@bücher.example" and
// "a@xn--bcher-kva.example" are one address. It refuses display names,
// control characters, domains without a dot and addresses beyond RFC
// 5321's lengths with an *AddressError that says which.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := func(format string, args ...any) (string, error) {
		return "", &AddressError{Address: s, Problem: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return "", &AddressError{Problem: "is required"}
	}
	if n := utf8.RuneCountInString(s); n > maxAddress {
		return "", &AddressError{Problem: fmt.Sprintf("%d characters is too long; an address has at most %d", n, maxAddress)}
	}
	if hasControl(s) {
		return bad("must not contain line breaks or other control characters")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return bad("not a plain address like name@example.org")
	}
	at := strings.LastIndexByte(a.Address, '@')
	local, domain := a.Address[:at], a.Address[at+1:]
	if at <= 0 || !strings.Contains(domain, ".") || strings.ContainsAny(a.Address, " \t") {
		return bad("the domain needs a dot, as in example.org")
	}
	if len(local) > maxLocalPart {
		return bad("the part before @ has %d characters; at most %d are allowed", len(local), maxLocalPart)
	}
	ascii, err := domainProfile.ToASCII(domain)
	if err != nil || strings.HasSuffix(ascii, ".") {
		return bad("%q is not a valid domain name", domain)
	}
	if len(ascii) > maxDomain {
		return bad("the domain is too long")
	}
	out := strings.ToLower(local) + "@" + ascii
	if len(out) > maxAddress {
		return bad("%d characters is too long; an address has at most %d", len(out), maxAddress)
	}
	return out, nil
}

// CheckName checks a subscriber's name and returns it trimmed: one line
// of printable text, at most MaxNameLength characters. A name ends up in
// the To header and the greeting of every mail.
func CheckName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if hasControl(name) {
		return "", errors.New("must not contain line breaks or other control characters")
	}
	if !utf8.ValidString(name) {
		return "", errors.New("is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return "", fmt.Errorf("has %d characters; at most %d are allowed", n, MaxNameLength)
	}
	return name, nil
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) >= 0
}

// EmailHash is the suppression key of an address: hex SHA-256 of its
// canonical form (NormalizeEmail). It is deliberately unkeyed so that it
// survives a change of signing key.
func EmailHash(email string) string {
	if e, err := NormalizeEmail(email); err == nil {
		email = e
	}
	return hashAddress(strings.ToLower(strings.TrimSpace(email)))
}

func hashAddress(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// suppressionHashes are the hashes under which an erased address may be
// stored: its canonical form, and — for an international domain — the
// Unicode spelling that releases before the canonical form hashed.
func suppressionHashes(email string) []any {
	hashes := []any{EmailHash(email)}
	e, err := NormalizeEmail(email)
	if err != nil {
		return hashes
	}
	at := strings.LastIndexByte(e, '@')
	if u, err := idna.ToUnicode(e[at+1:]); err == nil && u != e[at+1:] {
		hashes = append(hashes, hashAddress(e[:at+1]+strings.ToLower(u)))
	}
	return hashes
}

// CanonicalizeAddresses rewrites stored addresses into their canonical
// form. Releases before it kept international domains as typed
// ("a@bücher.example"), so that the punycode spelling of an erased
// address got past its suppression. It runs with the migrations, and only
// touches addresses with non-ASCII characters. When both spellings are
// stored, the canonical subscriber keeps the other's lists and the other
// is removed.
func CanonicalizeAddresses(ctx context.Context, db *store.DB) error {
	nonASCII := `email GLOB '*[^ -~]*'`
	if db.Dialect() == store.Postgres {
		nonASCII = `email ~ '[^ -~]'`
	}
	type row struct {
		id    int64
		email string
	}
	var rows []row
	rs, err := db.QueryContext(ctx, `SELECT id, email FROM subscribers WHERE `+nonASCII+` ORDER BY id`)
	if err != nil {
		return fmt.Errorf("canonical addresses: %w", err)
	}
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.id, &r.email); err != nil {
			rs.Close()
			return fmt.Errorf("canonical addresses: %w", err)
		}
		rows = append(rows, r)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return fmt.Errorf("canonical addresses: %w", err)
	}
	for _, r := range rows {
		canon, err := NormalizeEmail(r.email)
		if err != nil || canon == r.email {
			continue // kept as it is: nothing sends to what does not parse
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var other int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM subscribers WHERE email = ?`, canon).Scan(&other)
			if errors.Is(err, sql.ErrNoRows) {
				_, err = tx.ExecContext(ctx, `UPDATE subscribers SET email = ? WHERE id = ?`, canon, r.id)
				return err
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO subscriptions (subscriber_id, list_id, status, updated_at)
				SELECT ?, list_id, status, updated_at FROM subscriptions WHERE subscriber_id = ?
				ON CONFLICT (subscriber_id, list_id) DO NOTHING`, other, r.id); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM subscribers WHERE id = ?`, r.id)
			return err
		})
		if err != nil {
			return fmt.Errorf("canonical address of subscriber %d: %w", r.id, err)
		}
	}
	return nil
}
