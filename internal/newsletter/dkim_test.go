package newsletter_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestDKIMSignatureVerifies signs with go-mail's DKIM signer and verifies
// with an independent implementation (go-msgauth), one-click headers
// included as RFC 8058 asks.
func TestDKIMSignatureVerifies(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.SQLite(t)
	sink := startSink(t)
	cfg := testConfig(sink)
	cfg.DKIM.Domain, cfg.DKIM.Selector = "pressreview.test", "mail"
	cfg.DKIM.Key = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	svc, _ := newService(t, db, cfg, true)
	seedList(t, svc, "imr", 1)
	c := newCampaign(t, svc, "imr")
	if _, err := svc.Start(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	waitDone(t, db, c.ID, 30*time.Second)
	m := sink.Messages()[0]
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(m.Data), &dkim.VerifyOptions{
		LookupTXT: func(domain string) ([]string, error) {
			if domain != "mail._domainkey.pressreview.test" {
				t.Errorf("looked up %s", domain)
			}
			return []string{"v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)}, nil
		},
	})
	if err != nil || len(vs) != 1 {
		t.Fatalf("verify: %v, %d signatures", err, len(vs))
	}
	if vs[0].Err != nil {
		t.Fatalf("signature does not verify: %v\n%s", vs[0].Err, m.Data)
	}
	signed := strings.ToLower(strings.Join(vs[0].HeaderKeys, ":"))
	for _, h := range []string{"from", "list-unsubscribe", "list-unsubscribe-post", "message-id"} {
		if !strings.Contains(signed, h) {
			t.Errorf("%s is not signed (h=%s)", h, signed)
		}
	}
}
