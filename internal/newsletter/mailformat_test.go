package newsletter_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"mime"
	"net/mail"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestLongHeadersFoldAndVerify sends a campaign whose subject, list name
// and reader's name are long and not ASCII (Persian, an emoji), and a
// confirmation mail to that reader. Every header line must be at most
// 998 octets (RFC 5322 §2.1.1) and should be at most 78, the encoded
// words must decode back to the text, and dkimpy must verify the
// signature over the folded headers. List-Id went out as one line of 275
// octets, its encoded words held "," and ":", and a long ASCII run of the
// name went out unencoded with a space too many.
func TestLongHeadersFoldAndVerify(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.SQLite(t)
	ctx := context.Background()
	sink := startSink(t)
	cfg := testConfig(sink)
	cfg.DKIM.Domain, cfg.DKIM.Selector = "pressreview.test", "mail"
	cfg.DKIM.Key = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	svc, _ := newService(t, db, cfg, true)
	// Persian, then a run of ASCII with a comma longer than one encoded
	// word holds, then an emoji.
	listName := "بررسی رسانه‌های ایران: Iran Media Review, the weekly edition for readers of the Persian, Arabic and English press 📰"
	if err := newsletter.SaveList(ctx, db, &newsletter.List{Key: "imr", Name: listName, Public: true}); err != nil {
		t.Fatal(err)
	}
	name := "خواننده‌ی بسیار گرامی با نامی بلند " + strings.Repeat("و نام خانوادگی ", 4) + "🎉"
	sub, err := svc.Subscribe(ctx, newsletter.SubscribeRequest{Email: "reader@example.org", Name: name, Lists: []string{"imr"}})
	if err != nil {
		t.Fatal(err)
	}
	if !sink.Wait(1, 20*time.Second) {
		t.Fatal("no confirmation mail")
	}
	if _, err := svc.Confirm(ctx, sub.UID, newsletter.Consent{Form: "test"}); err != nil {
		t.Fatal(err)
	}
	subject := "واکنش مطبوعات تهران به پیشنهاد میانجی‌گری روسیه در گفت‌وگوهای هسته‌ای: کیهان، اعتماد و ایرنا 🕊️ — and the English press"
	c, err := svc.CreateCampaign(ctx, newsletter.NewCampaign{List: "imr", Subject: subject,
		HTML: "<p>Dear {{.Name}},</p>", Text: "Dear {{.Name}},\n"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	waitDone(t, db, c.ID, 30*time.Second)
	if !sink.Wait(3, 20*time.Second) { // confirmation, welcome, campaign
		t.Fatalf("%d messages, want 3", sink.Count())
	}
	dec := new(mime.WordDecoder)
	listIDs := 0
	for _, m := range sink.Messages() {
		head, _, _ := bytes.Cut(m.Data, []byte("\r\n\r\n"))
		for _, l := range strings.Split(string(head), "\r\n") {
			// A longer line is allowed only where it has no space to fold
			// at (a URI, a DKIM tag), and never past 998 octets.
			value := l
			if name, v, ok := strings.Cut(l, ":"); ok && !strings.ContainsAny(name, " \t") {
				value = v
			}
			if len(l) > 998 || (len(l) > 78 && strings.ContainsAny(strings.TrimLeft(value, " \t"), " \t")) {
				t.Errorf("a header line of %d octets: %q", len(l), l)
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Errorf("Subject %q: %v", msg.Header.Get("Subject"), err)
		}
		to, err := mail.ParseAddress(msg.Header.Get("To"))
		if err != nil || to.Name != name || to.Address != "reader@example.org" {
			t.Errorf("To %q reads %+v, %v; want %q <reader@example.org>", msg.Header.Get("To"), to, err, name)
		}
		if got == subject {
			lid, err := dec.DecodeHeader(msg.Header.Get("List-Id"))
			if want := listName + " <imr.pressreview.test>"; err != nil || lid != want {
				t.Errorf("List-Id %q reads %q, %v; want %q", msg.Header.Get("List-Id"), lid, err, want)
			}
			lines := rawHeader(m, "List-Id")
			for _, l := range lines {
				if len(l) > 76 { // RFC 2047 §2: a line with encoded words
					t.Errorf("a List-Id line of %d octets: %q", len(l), l)
				}
				// RFC 2047 §5 (3): what an encoded word in a phrase may hold.
				for _, w := range strings.Fields(strings.TrimPrefix(l, "List-Id:")) {
					if strings.HasPrefix(w, "=?") && !phraseWord.MatchString(w) {
						t.Errorf("List-Id: %q is not an encoded word a phrase may hold", w)
					}
				}
			}
			listIDs++
		}
		dkimpyVerifies(t, m.Data, pub)
		if d := pythonEmailDefects(t, m.Data); d != "" {
			t.Errorf("%q: Python's email parser reports:\n%s", got, d)
		}
	}
	if listIDs != 1 {
		t.Errorf("%d campaign messages read, want 1", listIDs)
	}
}

var phraseWord = regexp.MustCompile(`^=\?utf-8\?q\?[A-Za-z0-9!*+\-/=_]*\?=$`)

// pythonEmailDefects parses msg with Python's email package (the
// standard library's RFC 5322 and MIME parser, policy "default") and
// returns the defects it registers on the message, its parts and its
// headers, one a line. Skipped when there is no python3.
func pythonEmailDefects(t *testing.T, msg []byte) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set, so python3 must parse the mail")
		}
		t.Skip("no python3")
	}
	const script = `
import sys, email, email.policy
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.strict)
out = []
for part in m.walk():
    out += ["%s: %r" % (part.get_content_type(), d) for d in part.defects]
    for k, v in part.items():
        out += ["%s: %r" % (k, d) for d in getattr(v, "defects", ())]
    if not part.is_multipart():
        part.get_content()
print("\n".join(out))
`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = bytes.NewReader(msg)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Sprintf("%v: %s", err, out)
	}
	return strings.TrimSpace(string(out))
}
