package newsletter_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestCLI(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	sink := startSink(t)
	svc, _ := newService(t, db, testConfig(sink), false)
	seedList(t, svc, "imr", 0)
	csvPath := filepath.Join(t.TempDir(), "readers.csv")
	if err := os.WriteFile(csvPath, []byte("email,name\na@example.org,Ana\nnot-an-address\nb@example.org,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		var out strings.Builder
		if err := newsletter.RunCLI(ctx, svc, args, &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return out.String()
	}
	if out := run("subscribers", "import", "imr", csvPath); !strings.Contains(out, "2 added") || !strings.Contains(out, "row 2") {
		t.Errorf("import: %s", out)
	}
	htmlPath, textPath := filepath.Join(t.TempDir(), "body.html"), filepath.Join(t.TempDir(), "body.txt")
	for path, body := range map[string]string{htmlPath: "<p>Dear {{.Name}}</p>", textPath: "Dear {{.Name}}"} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out := run("campaigns", "create", "imr", "Written directly", htmlPath, textPath); !strings.Contains(out, "drafted: Written directly") {
		t.Errorf("create: %s", out)
	}
	c := newCampaign(t, svc, "imr")
	id := strings.TrimSpace(strings.Fields(run("campaigns", "list"))[0])
	if out := run("campaigns", "preview", id, "--text"); !strings.Contains(out, "Dear Jane Reader") || !strings.Contains(out, "Unsubscribe: ") {
		t.Errorf("preview: %s", out)
	}
	run("campaigns", "test", id, "editor@example.org")
	if m := sink.To("editor@example.org"); len(m) != 1 || !strings.HasPrefix(m[0].Header.Get("Subject"), "[Test]") {
		t.Fatalf("test send: %d messages", len(m))
	}
	out := run("campaigns", "send", id, "--work")
	if !strings.Contains(out, "2 deliveries queued") || !strings.Contains(out, "finished — 2 recipients: 2 sent") {
		t.Errorf("send: %s", out)
	}
	if out := run("campaigns", "status", id); !strings.Contains(out, "2 sent, 0 sending, 0 queued") {
		t.Errorf("status: %s", out)
	}
	if out := run("subscribers", "export", "a@example.org"); !strings.Contains(out, `"name": "Ana"`) || !strings.Contains(out, c.Subject) {
		t.Errorf("export: %s", out)
	}
	run("subscribers", "unsubscribe", "b@example.org")
	if sub, err := newsletter.SubscriberByEmail(ctx, svc.DB(), "b@example.org"); err != nil || sub.Status != newsletter.Unsubscribed {
		t.Errorf("unsubscribe: %+v, %v", sub, err)
	}
	run("subscribers", "erase", "a@example.org")
	var out2 strings.Builder
	if err := newsletter.RunCLI(ctx, svc, []string{"campaigns", "status", "x"}, &out2); err == nil || !strings.Contains(err.Error(), `"x" is not a number`) {
		t.Errorf("bad ID: %v", err)
	}
	if err := newsletter.RunCLI(ctx, svc, []string{"campaigns", "fly"}, &out2); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", err)
	}
}
