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
// included as RFC 8058 asks, for a campaign and for a notice.
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
	// Transactional notices go through the same signer.
	if err := svc.Notify(context.Background(), "ana@example.org", "Your registration", "Confirmed.", "<p>Confirmed.</p>"); err != nil {
		t.Fatal(err)
	}
	if !sink.Wait(2, 30*time.Second) {
		t.Fatal("the notice never arrived")
	}
	for i, m := range sink.Messages() {
		vs, err := dkim.VerifyWithOptions(bytes.NewReader(m.Data), &dkim.VerifyOptions{
			LookupTXT: func(domain string) ([]string, error) {
				if domain != "mail._domainkey.pressreview.test" {
					t.Errorf("looked up %s", domain)
				}
				return []string{"v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)}, nil
			},
		})
		if err != nil || len(vs) != 1 {
			t.Fatalf("message %d: verify: %v, %d signatures", i, err, len(vs))
		}
		if vs[0].Err != nil {
			t.Fatalf("message %d: signature does not verify: %v\n%s", i, vs[0].Err, m.Data)
		}
		signed := strings.ToLower(strings.Join(vs[0].HeaderKeys, ":"))
		want := []string{"from", "message-id"}
		if i == 0 { // the campaign
			want = append(want, "list-unsubscribe", "list-unsubscribe-post")
		}
		for _, h := range want {
			if !strings.Contains(signed, h) {
				t.Errorf("message %d: %s is not signed (h=%s)", i, h, signed)
			}
		}
	}
}
