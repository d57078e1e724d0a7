package newsletter_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
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
		signed := map[string]bool{}
		for _, k := range vs[0].HeaderKeys {
			signed[strings.ToLower(k)] = true
		}
		want := []string{"from", "to", "subject", "date", "message-id", "mime-version", "content-type"}
		if i == 0 { // the campaign: the list headers too (RFC 6376 section 5.4.1, RFC 8058)
			want = append(want, "list-id", "list-unsubscribe", "list-unsubscribe-post", "precedence")
		}
		for _, h := range want {
			if !signed[h] {
				t.Errorf("message %d: %s is not signed (h=%s)", i, h, strings.Join(vs[0].HeaderKeys, ":"))
			}
		}
		dkimpyVerifies(t, m.Data, pub)
	}
}

// dkimpyVerifies checks a signature with a second, independent verifier:
// dkimpy's dkimverify (Debian's python3-dkim), given the test key through
// its dnsfunc hook. Skipped when it is not installed, except under CI.
func dkimpyVerifies(t *testing.T, msg, pub []byte) {
	t.Helper()
	// Debian's python3-dkim is in the system Python, which a python3
	// earlier on PATH (pyenv, a venv) may not see.
	var python string
	err := errors.New("no python3 with the dkim module")
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import dkim").Run() == nil {
			python, err = p, nil
			break
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set, so dkimpy must verify the signature: python3 with the dkim module: %v", err)
		}
		t.Logf("dkimpy not installed (apt install python3-dkim); the second verifier is skipped")
		return
	}
	const script = `
import sys, dkim
record = ("v=DKIM1; k=rsa; p=" + sys.argv[1]).encode()
ok = dkim.verify(sys.stdin.buffer.read(), dnsfunc=lambda name, timeout=5: record)
print("pass" if ok else "fail")
sys.exit(0 if ok else 1)
`
	cmd := exec.Command(python, "-c", script, base64.StdEncoding.EncodeToString(pub))
	cmd.Stdin = bytes.NewReader(msg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("dkimpy: the signature does not verify: %v\n%s\n%s", err, out, msg)
	}
}
