package ingest

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// runCLI runs `pressreview ARGS` on svc, with stdin as standard input, and
// returns what it printed on both outputs.
func runCLI(svc *Service, stdin string, args ...string) (string, error) {
	var out strings.Builder
	root := cli.Group(&cobra.Command{Use: "pressreview"},
		Commands(func(_ context.Context, fn func(*Service) error) error { return fn(svc) })...)
	root.SetIn(strings.NewReader(stdin))
	err := cli.Execute(context.Background(), root, args, &out, &out, nil)
	return out.String(), err
}

// RunCLI runs `pressreview ARGS` with a service of its own on db, as the
// program does.
func RunCLI(ctx context.Context, db *store.DB, cfg Config, args []string, stdout, stderr io.Writer) error {
	svc, err := New(db, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	root := cli.Group(&cobra.Command{Use: "pressreview"},
		Commands(func(_ context.Context, fn func(*Service) error) error { return fn(svc) })...)
	return cli.Execute(ctx, root, args, stdout, stderr, nil)
}

func TestCLI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		migrateQueue(t, db)
		d := newDesk(t, db)
		d.press.set("/home/", page{ctype: "text/html; charset=utf-8", body: []byte(`<html><head>
			<link rel="alternate" type="application/rss+xml" title="Agency" href="/agency/rss.xml">
			</head><body>home</body></html>`)})
		run := func(stdin string, args ...string) (string, error) {
			return runCLI(d.svc, stdin, args...)
		}
		mustRun := func(stdin string, args ...string) string {
			t.Helper()
			out, err := run(stdin, args...)
			if err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
			return out
		}

		mustRun("", "outlets", "add", "--key", "tasnim", "--name", "Tasnim", "--kind", "news_agency",
			"--orientation", "IRGC-affiliated", "--country", "IR", "--homepage", d.url("/home/"), "--discover")
		if out := mustRun("", "outlets", "list"); !strings.Contains(out, "tasnim") || !strings.Contains(out, "IRGC-affiliated") {
			t.Errorf("outlets list:\n%s", out)
		}
		// An empty cell is "-", as in feeds list: a blank LANG shifts the
		// eye to the next column's value.
		for _, line := range strings.Split(mustRun("", "outlets", "list"), "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == "tasnim" && (len(f) != 7 || f[3] != "-") {
				t.Errorf("outlets list row %q: want 7 columns, LANG \"-\"", line)
			}
		}
		if out := mustRun("", "feeds", "list", "--outlet", "tasnim"); !strings.Contains(out, "/agency/rss.xml") || !strings.Contains(out, "new") {
			t.Errorf("discovered feed not listed:\n%s", out)
		}
		if out := mustRun("", "feeds", "add", d.url("/fa1256/atom.xml"), "--outlet", "tasnim"); !strings.Contains(out, "Atom") {
			t.Errorf("feeds add: %s", out)
		}

		// Both URLs were the desk's already: adding a known feed moves it
		// to the outlet named, so the desk still has 14 feeds.
		out := mustRun("", "fetch", "--once")
		if !strings.Contains(out, "feeds 14/14 checked (8 failing)") || !strings.Contains(out, "failing feed") {
			t.Errorf("fetch --once:\n%s", out)
		}
		out = mustRun("", "feeds", "list")
		if !strings.Contains(out, "failing") || !strings.Contains(out, "last error (hard)") || !strings.Contains(out, "410 Gone") {
			t.Errorf("feeds list shows no health:\n%s", out)
		}
		// The status column is as wide as its statuses, not as the errors.
		if !regexp.MustCompile(`STATUS {2,9}LAST SUCCESS`).MatchString(out) {
			t.Errorf("feeds list stretches its status column:\n%s", out)
		}
		for _, line := range strings.Split(out, "\n") {
			if i := strings.Index(line, "last error"); i >= 0 && utf8.RuneCountInString(line[i:]) > errorWidth {
				t.Errorf("feeds list prints a whole error: %s", line)
			}
		}
		if out := mustRun("", "feeds", "list", "--json"); !strings.Contains(out, `"last_error": "GET `) {
			t.Errorf("feeds list --json:\n%s", out)
		}
		out, err := run("", "feeds", "check", strconv.FormatInt(d.feeds["hamshahri"], 10), strconv.FormatInt(d.feeds["404"], 10))
		if err == nil || !strings.Contains(out, "ok ") || !strings.Contains(out, "failing") {
			t.Errorf("feeds check: %v\n%s", err, out)
		}

		opml := filepath.Join(t.TempDir(), "desk.opml")
		mustRun("", "feeds", "export-opml", "--output", opml)
		data, _ := os.ReadFile(opml)
		if !strings.Contains(string(data), `text="IR"`) || !strings.Contains(string(data), "/fa/rss.xml") {
			t.Errorf("OPML export:\n%s", data)
		}
		if out := mustRun("", "feeds", "import-opml", opml); !strings.Contains(out, "14 feeds imported, 0 new outlets") {
			t.Errorf("re-importing our own export: %s", out)
		}
		other := strings.ReplaceAll(string(data), d.press.URL, "http://elsewhere.example")
		_ = os.WriteFile(opml, []byte(other), 0o644)
		if out := mustRun("", "feeds", "import-opml", opml, "--kind", "newspaper"); !strings.Contains(out, "1 new outlet\n") {
			t.Errorf("import: %s", out)
		}

		out = mustRun("متن کامل سخنرانی در تلویزیون\nبند دوم", "articles", "paste", "--outlet", "tasnim", "--date", "2024-03-07", "--source", "IRIB 1")
		if !strings.Contains(out, "stored: متن کامل سخنرانی در تلویزیون [tasnim, fa]") {
			t.Errorf("articles paste: %s", out)
		}
		if out := mustRun("", "articles", "add", d.url("/fa/news/4")); !strings.Contains(out, "already stored") {
			t.Errorf("articles add: %s", out)
		}
		id := strings.Fields(strings.TrimPrefix(mustRun("", "articles", "add", d.url("/agency/news/1")), "article "))[0]
		if out := mustRun("", "articles", "show", id); !strings.Contains(out, "story (2 articles)") || !strings.Contains(out, "archived: /archive/") {
			t.Errorf("articles show:\n%s", out)
		}

		for _, args := range [][]string{{"feeds"}, {"feeds", "frobnicate"}, {"fetch"}, {"articles", "paste", "--outlet", "x"},
			{"feeds", "check", "abc"}, {"articles", "delete", "x"}, {"fetch", "--once", "--feed", "0"}} {
			if _, err := run("", args...); !errors.Is(err, cli.ErrUsage) {
				t.Errorf("%v: %v, want a usage error", args, err)
			}
		}
	})
}
