package newsletter_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/valid"
)

// Addresses are checked against RFC 5321's lengths and kept in one
// canonical form: the domain in ASCII (punycode), lower-cased.
func TestAddressLimitsAndCanonicalForm(t *testing.T) {
	for in, want := range map[string]string{
		"Leser@Bücher.Example":             "leser@xn--bcher-kva.example",
		"leser@xn--bcher-kva.example":      "leser@xn--bcher-kva.example",
		"LESER@XN--BCHER-KVA.EXAMPLE":      "leser@xn--bcher-kva.example",
		strings.Repeat("a", 64) + "@e.org": strings.Repeat("a", 64) + "@e.org",
	} {
		if got, err := newsletter.NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	long := strings.Repeat("a", 2000) + "@example.org"
	for in, want := range map[string]string{
		long:                               "2012 characters is too long; an address has at most 254",
		strings.Repeat("a", 65) + "@e.org": "the part before @ has 65 characters; at most 64",
		"a@" + strings.Repeat("b", 64) + ".example":         "is not a valid domain name",
		"a@" + strings.Repeat("abcdefghi.", 25) + "example": "too long",
		"a@exa_mple.org":                      "is not a valid domain name",
		"a@example.org\r\nBcc: x@example.org": "line breaks",
	} {
		got, err := newsletter.NormalizeEmail(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NormalizeEmail(%.40q…) = %q, %v; want an error saying %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"Sara\r\nBcc: x@example.org": "line breaks",
		"Sara\x00":                   "control characters",
		strings.Repeat("ß", 201):     "201 characters; at most 200",
	} {
		if _, err := newsletter.CheckName(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckName(%.20q…) = %v; want an error saying %q", in, err, want)
		}
	}
	if got, err := newsletter.CheckName("  سارا  "); err != nil || got != "سارا" {
		t.Errorf("CheckName of a Persian name = %q, %v", got, err)
	}
}

// Subscribe refuses what the relay would refuse later, naming the field:
// a 2,002-character address and a name with a line break used to be
// accepted and their confirmation job cancelled.
func TestSubscribeRefusesLongAddressesAndMultilineNames(t *testing.T) {
	db := storetest.SQLite(t)
	sink := startSink(t)
	svc, _ := newService(t, db, testConfig(sink), false)
	seedList(t, svc, "imr", 0)
	ctx := context.Background()
	for field, r := range map[string]newsletter.SubscribeRequest{
		"email": {Email: strings.Repeat("x", 1990) + "@example.org", Lists: []string{"imr"}},
		"name":  {Email: "sara@example.org", Name: "Sara\r\nBcc: all@example.org", Lists: []string{"imr"}},
	} {
		_, err := svc.Subscribe(ctx, r)
		var ve *valid.Error
		if !errors.As(err, &ve) || ve.Path != field {
			t.Errorf("%s: %v, want a validation error on %s", field, err, field)
		}
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM subscribers`); n != 0 {
		t.Errorf("%d subscribers stored", n)
	}
}

// Erasure holds whatever spelling the address comes back in: erased as
// bücher.example, re-imported as xn--bcher-kva.example (and the other way
// round), it stays out — also for an erasure recorded before addresses
// were canonical, whose suppression hashed the Unicode spelling.
func TestErasureHoldsAcrossDomainSpellings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		svc, _ := newService(t, db, testConfig(sink), false)
		seedList(t, svc, "imr", 0)
		for _, pair := range [][2]string{
			{"leser@bücher.example", "leser@xn--bcher-kva.example"},
			{"reader@xn--caf-dma.example", "Reader@Café.example"},
		} {
			res, err := svc.Import(ctx, "imr", []newsletter.ImportRow{{Email: pair[0]}}, newsletter.Consent{Form: "import:test"})
			if err != nil || res.Added != 1 {
				t.Fatalf("import %s: %+v %v", pair[0], res, err)
			}
			if err := svc.Erase(ctx, subscriberUID(t, db, pair[0]), newsletter.Consent{Form: "test"}); err != nil {
				t.Fatal(err)
			}
			res, err = svc.Import(ctx, "imr", []newsletter.ImportRow{{Email: pair[1]}}, newsletter.Consent{Form: "import:again"})
			if err != nil || res.Suppressed != 1 || res.Added != 0 {
				t.Errorf("erased %s, re-imported %s: %+v %v", pair[0], pair[1], res, err)
			}
		}

		// An erasure from before: its hash is of the Unicode spelling.
		if _, err := db.ExecContext(ctx, `INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, 'erased', CURRENT_TIMESTAMP)`,
			legacyHash("old@münchen.example")); err != nil {
			t.Fatal(err)
		}
		res, err := svc.Import(ctx, "imr", []newsletter.ImportRow{{Email: "old@xn--mnchen-3ya.example"}}, newsletter.Consent{Form: "import:again"})
		if err != nil || res.Suppressed != 1 {
			t.Errorf("an erasure recorded under the Unicode spelling let the punycode one in: %+v %v", res, err)
		}
	})
}

// Subscribers stored before addresses were canonical get their canonical
// form with the migrations; when both spellings were stored, they become
// one subscriber holding both's lists.
func TestCanonicalizeAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		svc, _ := newService(t, db, testConfig(sink), false)
		seedList(t, svc, "imr", 0)
		if err := newsletter.SaveList(ctx, db, &newsletter.List{Key: "analysis", Name: "Analysis", Public: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Import(ctx, "imr", []newsletter.ImportRow{{Email: "twice@xn--bcher-kva.example"}}, newsletter.Consent{Form: "import:test"}); err != nil {
			t.Fatal(err)
		}
		// Rows as an older release wrote them.
		for _, e := range []string{"once@bücher.example", "twice@bücher.example"} {
			if _, err := db.ExecContext(ctx, `INSERT INTO subscribers (uid, email, name, status, created_at, updated_at) VALUES (?, ?, '', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, "legacy-"+e[:4], e); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id, status, updated_at)
				SELECT s.id, l.id, 'confirmed', CURRENT_TIMESTAMP FROM subscribers s, newsletter_lists l WHERE s.email = ? AND l.key = 'analysis'`, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := newsletter.CanonicalizeAddresses(ctx, db); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM subscribers WHERE email LIKE '%ü%'`); n != 0 {
			t.Errorf("%d addresses keep the Unicode spelling", n)
		}
		for email, lists := range map[string]int{"once@xn--bcher-kva.example": 1, "twice@xn--bcher-kva.example": 2} {
			sub, err := newsletter.SubscriberByEmail(ctx, db, email)
			if err != nil {
				t.Fatalf("%s: %v", email, err)
			}
			if ms, _ := newsletter.Memberships(ctx, db, sub.ID); len(ms) != lists {
				t.Errorf("%s has %d lists, want %d", email, len(ms), lists)
			}
		}
	})
}

// legacyHash is how releases before the canonical form keyed a
// suppression: SHA-256 of the address as typed, lower-cased.
func legacyHash(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:])
}

func countRows(t testing.TB, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
