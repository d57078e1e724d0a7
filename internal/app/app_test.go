package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/demo"
)

// run calls Run with a clean environment for the settings it reads.
func run(t testing.TB, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, &out, &errOut)
	if err != nil {
		t.Logf("pressreview %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), err
}

func seedFile(t testing.TB) string {
	t.Helper()
	raw, err := demo.Bundle(demo.SeedSlug + ".json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportExportRender(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "pr.db")
	seed := seedFile(t)
	out, err := run(t, "import", "--database", db, seed)
	if err != nil {
		t.Fatal(err)
	}
	// Counts in words, analyses, events and images included.
	if !regexp.MustCompile(`outlets, 3 people, 1 author, 1 series, 1 edition, \d+ analys[ie]s, \d+ events?, \d+ images?`).MatchString(out) {
		t.Errorf("import output = %q", out)
	}
	// Flags may follow the positional arguments.
	exported := filepath.Join(t.TempDir(), "out.json")
	if _, err := run(t, "export", demo.SeedSlug, "-o", exported, "--database", db); err != nil {
		t.Fatal(err)
	}
	// The seed file is pressreview/1; export writes its pressreview/2 form.
	want, _ := os.ReadFile("../reviews/testdata/" + demo.SeedSlug + ".v2.json")
	got, _ := os.ReadFile(exported)
	if !bytes.Equal(got, want) {
		t.Error("export of the imported seed differs from its pressreview/2 form")
	}
	for format, want := range map[string]string{
		"text":     "• March 4: Hard-line Kayhan altogether dismissed",
		"markdown": "- **March 4:** Hard-line Kayhan",
		"html":     `<time datetime="2025-03-04">March 4</time>`,
	} {
		out, err := run(t, "render", "--database", db, "--format", format, demo.SeedSlug)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, want) {
			t.Errorf("render --format %s lacks %q", format, want)
		}
	}
	if _, err := run(t, "render", "--database", db, "--format", "pdf", demo.SeedSlug); err == nil ||
		!strings.Contains(err.Error(), `unknown format "pdf"`) {
		t.Errorf("render --format pdf: err = %v", err)
	}
	if _, err := run(t, "render", "--database", db, "no-such-edition"); err == nil ||
		!strings.Contains(err.Error(), `edition "no-such-edition": not found`) {
		t.Errorf("render of a missing slug: err = %v", err)
	}
}

// TestImportBadFileWritesNothing imports a good file and a broken one in
// one command: the error names the broken file and path, and the good file
// is not written either.
func TestImportBadFileWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pr.db")
	db := "sqlite:" + path
	seed := seedFile(t)
	raw, _ := os.ReadFile(seed)
	bad := filepath.Join(t.TempDir(), "bad.json")
	broken := bytes.Replace(raw, []byte(`"outlet": "kayhan"`), []byte(`"outlet": "kayhn"`), 1)
	broken = bytes.Replace(broken, []byte(`"slug": "russian`), []byte(`"slug": "other-russian`), 1)
	if err := os.WriteFile(bad, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, "import", "--database", db, seed, bad)
	if err == nil || !strings.Contains(err.Error(), "bad.json: $.editions[0].entries[0].outlet: unknown outlet \"kayhn\"") {
		t.Fatalf("import error = %v", err)
	}
	out, err := run(t, "export", "--database", db, "--all")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "russian") {
		t.Errorf("a failed import left editions behind:\n%s", out)
	}

	notJSON := filepath.Join(t.TempDir(), "notes.json")
	os.WriteFile(notJSON, []byte("{\n  \"format\": \"pressreview/1\",\n  \"outlets\": [}\n"), 0o644)
	if _, err := run(t, "import", "--database", db, notJSON); err == nil || !strings.Contains(err.Error(), "notes.json:3:") {
		t.Errorf("malformed JSON: err = %v, want file:line", err)
	}
}

func TestServeNeedsNewsletterKey(t *testing.T) {
	t.Setenv("PRESSREVIEW_NEWSLETTER_KEY", "short")
	_, err := run(t, "serve", "--addr", "127.0.0.1:0", "--database", "sqlite:"+filepath.Join(t.TempDir(), "pr.db"))
	if err == nil || !strings.Contains(err.Error(), "PRESSREVIEW_NEWSLETTER_KEY") {
		t.Fatalf("serve with a short key: err = %v", err)
	}
}

func TestUsageAndConfigErrors(t *testing.T) {
	if _, err := run(t, "frobnicate"); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("unknown command: err = %v", err)
	}
	if _, err := run(t, "render", "--help"); err != nil {
		t.Errorf("--help: err = %v", err)
	}
	if _, err := run(t, "migrate", "--database", "mysql://x"); err == nil || !strings.Contains(err.Error(), "PRESSREVIEW_DATABASE") {
		t.Errorf("bad database: err = %v", err)
	}
	t.Setenv("PRESSREVIEW_LOG_LEVEL", "loud")
	if _, err := run(t, "version"); err == nil || !strings.Contains(err.Error(), `"loud" is not debug, info, warn or error`) {
		t.Errorf("bad log level: err = %v", err)
	}
}

func TestServeUnreachableDatabase(t *testing.T) {
	t.Setenv("PRESSREVIEW_NEWSLETTER_KEY", strings.Repeat("k", 32))
	_, err := run(t, "serve", "--addr", "127.0.0.1:0", "--database", "postgres://pressreview@127.0.0.1:1/pressreview?connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("serve with an unreachable database: err = %v", err)
	}
}

// syncBuffer lets the test read what the demo prints while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDemo runs `pressreview demo` as a newcomer would and reads the seed
// edition's page.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--dir", t.TempDir()}, &out, io.Discard)
	}()
	stopped := false
	defer func() {
		cancel()
		if stopped {
			return
		}
		if err := <-done; err != nil {
			t.Errorf("demo returned %v after Ctrl-C", err)
		}
	}()
	urlRE := regexp.MustCompile(`the seed edition: (http://\S+)`)
	var page string
	for deadline := time.Now().Add(60 * time.Second); page == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			stopped = true
			t.Fatalf("demo stopped early: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			page = m[1]
		}
	}
	if page == "" {
		t.Fatalf("demo printed no URL:\n%s", out.String())
	}
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", page, resp.Status)
	}
	html := string(body)
	for _, want := range []string{
		"Russian Nuclear Mediation a Nonstarter",
		"The March 7 edition of the Iran Media Review analyzes",
		"Ali Alfoneh",
		"Senior Fellow, AGSI",
		"min read",
		"Hard-line Kayhan altogether dismissed",
		"board of directors",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the edition page lacks %q", want)
		}
	}

	// Staff tools need a login.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]int{"/api/search?q=iran": http.StatusUnauthorized, "/studio/": http.StatusSeeOther} {
		resp, err := noRedirect.Get(strings.TrimSuffix(page, "/analysis/"+demo.SeedSlug) + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s without a login: %s, want %d", path, resp.Status, want)
		}
	}

	// The subscribe box on every page leads to the full form, prefilled,
	// with the demo's lists to choose from and none ticked.
	base := strings.TrimSuffix(page, "/analysis/"+demo.SeedSlug)
	req, _ := http.NewRequest("POST", base+"/newsletter/subscribe", strings.NewReader("email=reader%40example.org&name=A+Reader&website="))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	form := string(body)
	if resp.StatusCode != 200 || !strings.Contains(form, `value="reader@example.org"`) ||
		!strings.Contains(form, "Iran Media Review") || strings.Contains(form, "checked") {
		t.Errorf("subscribe box: %s\n%s", resp.Status, form)
	}
}
