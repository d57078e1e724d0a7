package newsletter_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter"
)

func TestSignedLinks(t *testing.T) {
	s := newsletter.NewSigner(testKey)
	at := time.Now()
	tok := s.Sign(newsletter.PurposeSettings, newsletter.Token{Subject: "abc123", Campaign: 42, Issued: at, Expires: at.Add(time.Hour)})
	got, err := s.Verify(newsletter.PurposeSettings, tok, at)
	if err != nil || got.Subject != "abc123" || got.Campaign != 42 {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	bad := map[string]string{
		"altered subject":  "abd123" + tok[6:],
		"cut short":        tok[:len(tok)-1],
		"empty":            "",
		"no signature":     tok[:len(tok)-25],
		"another key":      newsletter.NewSigner([]byte("another key, just as long as the first one")).Sign(newsletter.PurposeSettings, newsletter.Token{Subject: "abc123", Issued: at}),
		"garbage in field": "abc123.zz!.1.1." + tok[len(tok)-24:],
	}
	for name, b := range bad {
		if _, err := s.Verify(newsletter.PurposeSettings, b, at); !errors.Is(err, newsletter.ErrLinkInvalid) {
			t.Errorf("%s: %v, want ErrLinkInvalid", name, err)
		}
	}
	if _, err := s.Verify(newsletter.PurposeUnsubscribe, tok, at); !errors.Is(err, newsletter.ErrLinkInvalid) {
		t.Errorf("a settings token passed as an unsubscribe token: %v", err)
	}
	if _, err := s.Verify(newsletter.PurposeSettings, tok, at.Add(time.Hour)); !errors.Is(err, newsletter.ErrLinkExpired) {
		t.Errorf("expired: %v", err)
	}
	forever := s.Sign(newsletter.PurposeUnsubscribe, newsletter.Token{Subject: "abc123", Issued: at})
	if _, err := s.Verify(newsletter.PurposeUnsubscribe, forever, at.Add(10*365*24*time.Hour)); err != nil {
		t.Errorf("an unsubscribe link expired: %v", err)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{"Reader@Example.ORG": "reader@example.org", " a.b+c@example.org ": "a.b+c@example.org"} {
		if got, err := newsletter.NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "no-at", "a@localhost", "Name <a@example.org>", "a@@example.org", "a b@example.org", "a@example.org\r\nBcc: x@example.org"} {
		if got, err := newsletter.NormalizeEmail(in); err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want an error", in, got)
		}
	}
}
