package newsletter_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/newsletter/mailtest"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// rawHeader returns the lines of one header field as they went out, its
// continuation lines included.
func rawHeader(m mailtest.Message, name string) []string {
	head, _, _ := bytes.Cut(m.Data, []byte("\r\n\r\n"))
	var out []string
	in := false
	for _, l := range strings.Split(string(head), "\r\n") {
		switch {
		case strings.HasPrefix(strings.ToLower(l), strings.ToLower(name)+":"):
			in = true
		case in && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")):
		default:
			in = false
		}
		if in {
			out = append(out, l)
		}
	}
	return out
}

// Every mail's Message-ID is in the sending domain — confirmation and
// welcome mails too, which took the machine's host name ("…@vm") — and
// List-Unsubscribe is folded: one URI a line, where it went out as one
// line of 190 octets.
func TestMessageIDsAndFoldedListUnsubscribe(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	sink := startSink(t)
	cfg := testConfig(sink)
	cfg.SiteURL = "https://www.pressreview-example.org"
	svc, _ := newService(t, db, cfg, true)
	seedList(t, svc, "imr", 1)
	sub, err := svc.Subscribe(ctx, newsletter.SubscribeRequest{Email: "new@example.org", Lists: []string{"imr"}})
	if err != nil {
		t.Fatal(err)
	}
	if !sink.Wait(1, 20*time.Second) {
		t.Fatal("no confirmation mail")
	}
	if _, err := svc.Confirm(ctx, sub.UID, newsletter.Consent{Form: "test"}); err != nil {
		t.Fatal(err)
	}
	c := newCampaign(t, svc, "imr")
	if _, err := svc.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	waitDone(t, db, c.ID, 30*time.Second)
	if !sink.Wait(4, 20*time.Second) { // confirmation, welcome, two campaign copies
		t.Fatalf("%d messages, want 4", sink.Count())
	}
	seen := map[string]bool{}
	for _, m := range sink.Messages() {
		subject := m.Header.Get("Subject")
		id := m.MessageID()
		if !strings.HasSuffix(id, "@pressreview.test>") {
			t.Errorf("%q: Message-ID %s is not in the sending domain pressreview.test", subject, id)
		}
		if seen[id] {
			t.Errorf("%q: Message-ID %s used twice", subject, id)
		}
		seen[id] = true
		head, _, _ := bytes.Cut(m.Data, []byte("\r\n\r\n"))
		for _, l := range strings.Split(string(head), "\r\n") {
			if len(l) > 998 {
				t.Errorf("%q: a header line of %d octets", subject, len(l))
			}
		}
		if subject != c.Subject {
			continue
		}
		lines := rawHeader(m, "List-Unsubscribe")
		if len(lines) != 2 {
			t.Errorf("List-Unsubscribe in %d lines, want one URI a line:\n%s", len(lines), strings.Join(lines, "\n"))
		}
		for _, l := range lines {
			if strings.Count(l, "<") != 1 {
				t.Errorf("a List-Unsubscribe line holds %d URIs: %q", strings.Count(l, "<"), l)
			}
			if uri := l[strings.Index(l, "<"):]; len(l) > 78 && len(l)-len(uri) > len("List-Unsubscribe: ") {
				t.Errorf("a List-Unsubscribe line of %d octets could be folded: %q", len(l), l)
			}
		}
		if got := m.Header.Get("List-Unsubscribe"); !strings.HasPrefix(got, "<https://www.pressreview-example.org/newsletter/unsubscribe?t=") || !strings.HasSuffix(got, ">, <mailto:unsubscribe@pressreview.test?subject=unsubscribe>") {
			t.Errorf("List-Unsubscribe unfolded: %q", got)
		}
	}
}
