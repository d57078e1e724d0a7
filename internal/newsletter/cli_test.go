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
	id := strings.Fields(strings.SplitN(run("campaigns", "list"), "\n", 2)[1])[0] // under the header
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

// TestCampaignsListReads: `campaigns list` says so when there is nothing
// and prints a table with a header otherwise; a campaign for a list that
// does not exist names the lists there are; the help speaks of template
// fields, not of Go types.
func TestCampaignsListReads(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	svc, _ := newService(t, db, testConfig(startSink(t)), false)
	seedList(t, svc, "imr", 0)
	run := func(args ...string) (string, error) {
		var out strings.Builder
		err := newsletter.RunCLI(ctx, svc, args, &out)
		return out.String(), err
	}
	if out, err := run("campaigns", "list"); err != nil || !strings.Contains(out, "no campaigns yet") {
		t.Errorf("an empty list: %v %q", err, out)
	}
	newCampaign(t, svc, "imr")
	out, err := run("campaigns", "list")
	if lines := strings.Split(out, "\n"); err != nil || len(lines) < 2 || strings.Join(strings.Fields(lines[0]), " ") != "ID STATUS LIST SUBJECT" ||
		strings.Contains(out, "\t") {
		t.Errorf("campaigns list: %v\n%s", err, out)
	}
	if _, err := run("campaigns", "from-edition", "iran-review", "some-edition"); err == nil ||
		!strings.Contains(err.Error(), `no newsletter list "iran-review"`) || !strings.Contains(err.Error(), "imr") {
		t.Errorf("an unknown list: %v", err)
	}
	if out, _ := run("campaigns", "create", "--help"); strings.Contains(out, "RecipientData") || !strings.Contains(out, "{{.Name}}") {
		t.Errorf("create --help:\n%s", out)
	}
}
