package app

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
)

// runAll runs `pressreview ARGS` and returns both outputs.
func runAll(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = Run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// TestEveryCommandHasHelp walks the whole command tree: every command and
// subcommand answers --help with its usage and exit status 0, and a group
// run with an unknown subcommand or flag is a usage error (status 2)
// that says what was wrong. `outlets --help` exited 2, `users --help` was
// an unknown command and `search --help` exit 1 under the old parser.
func TestEveryCommandHasHelp(t *testing.T) {
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk((&env{}).rootCommand(), nil)
	if len(paths) < 50 {
		t.Fatalf("only %d commands found", len(paths))
	}
	for _, path := range paths {
		name := strings.Join(append([]string{"pressreview"}, path...), " ")
		for _, help := range []string{"--help", "-h"} {
			out, errOut, err := runAll(append(append([]string{}, path...), help)...)
			if err != nil || cli.ExitCode(err) != 0 {
				t.Errorf("%s %s: %v\n%s", name, help, err, errOut)
				continue
			}
			if !strings.Contains(out, "Usage:") || !strings.Contains(out, name) {
				t.Errorf("%s %s prints no usage:\n%s", name, help, out)
			}
		}
		if _, _, err := runAll(append(append([]string{}, path...), "--no-such-flag")...); cli.ExitCode(err) != 2 ||
			!strings.Contains(err.Error(), "unknown flag: --no-such-flag") || !strings.Contains(err.Error(), "--help") {
			t.Errorf("%s --no-such-flag: %v (status %d), want a usage error", name, err, cli.ExitCode(err))
		}
	}
	for _, args := range [][]string{{"frobnicate"}, {"feeds", "frobnicate"}, {"users", "remove"}, {"campaigns"}, {}} {
		_, _, err := runAll(args...)
		if cli.ExitCode(err) != 2 {
			t.Errorf("pressreview %s: %v (status %d), want 2", strings.Join(args, " "), err, cli.ExitCode(err))
		}
	}
	if _, _, err := runAll("feeds", "frobnicate"); err == nil ||
		!strings.Contains(err.Error(), `unknown command "frobnicate" for "pressreview feeds"`) {
		t.Errorf("unknown subcommand: %v", err)
	}
	if _, _, err := runAll("render"); cli.ExitCode(err) != 2 || !strings.Contains(err.Error(), "accepts 1 arg(s), received 0") {
		t.Errorf("render without a slug: %v", err)
	}
	// A failure, not a usage error: status 1.
	if _, _, err := runAll("render", "--database", "sqlite:"+filepath.Join(t.TempDir(), "pr.db"), "no-such"); cli.ExitCode(err) != 1 {
		t.Errorf("render of a missing edition: %v (status %d), want 1", err, cli.ExitCode(err))
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{"bash": "bash completion", "zsh": "#compdef pressreview", "fish": "complete -c pressreview"} {
		out, _, err := runAll("completion", shell)
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("completion %s: %v\n%.200s", shell, err, out)
		}
	}
	// The shell asks the program itself for the words that fit.
	out, _, err := runAll("__complete", "feeds", "")
	if err != nil || !strings.Contains(out, "import-opml") {
		t.Errorf("completing `feeds `: %v\n%s", err, out)
	}
	out, _, err = runAll("__complete", "users", "add", "--role", "")
	if err != nil || !strings.Contains(out, "editor") {
		t.Errorf("completing --role: %v\n%s", err, out)
	}
}

// TestCampaignsListNeedsNoKey: the read-only newsletter commands run
// without the signing key; the ones that sign links still demand it.
func TestCampaignsListNeedsNoKey(t *testing.T) {
	t.Setenv("PRESSREVIEW_NEWSLETTER_KEY", "")
	db := "sqlite:" + filepath.Join(t.TempDir(), "pr.db")
	if _, errOut, err := runAll("campaigns", "list", "--database", db); err != nil {
		t.Errorf("campaigns list without a key: %v\n%s", err, errOut)
	}
	if _, _, err := runAll("campaigns", "status", "1", "--database", db); err == nil || strings.Contains(err.Error(), "PRESSREVIEW_NEWSLETTER_KEY") {
		t.Errorf("campaigns status of a missing campaign: %v, want not found (no key needed)", err)
	}
	if _, _, err := runAll("subscribers", "export", "nobody@example.org", "--database", db); err == nil || strings.Contains(err.Error(), "PRESSREVIEW_NEWSLETTER_KEY") {
		t.Errorf("subscribers export: %v, want not found (no key needed)", err)
	}
	if _, _, err := runAll("campaigns", "preview", "1", "--database", db); err == nil || !strings.Contains(err.Error(), "PRESSREVIEW_NEWSLETTER_KEY") {
		t.Errorf("campaigns preview without a key: %v", err)
	}
}

// TestDemoLogsQuietly runs the demo at the default log level: the job
// queue's INFO lines (~200 a session) stay out of the terminal, and come
// back with --log-level debug.
func TestDemoLogsQuietly(t *testing.T) {
	riverLine := regexp.MustCompile(`msg="(River client|producer: |jobexecutor|leadership\.|maintenance\.)`)
	for _, level := range []string{"", "debug"} {
		args := []string{"demo", "--addr", "127.0.0.1:0", "--dir", t.TempDir()}
		if level != "" {
			args = append(args, "--log-level", level)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var out, errOut syncBuffer
		done := make(chan error, 1)
		go func() { done <- Run(ctx, args, &out, &errOut) }()
		for !strings.Contains(out.String(), "the seed edition: ") {
			select {
			case err := <-done:
				cancel()
				t.Fatalf("demo stopped early: %v\n%s", err, errOut.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		// A newcomer browsing the demo: two pages.
		site := regexp.MustCompile(`running: (http://\S+)/`).FindStringSubmatch(out.String())
		if site == nil {
			t.Fatalf("no site URL in\n%s", out.String())
		}
		for _, p := range []string{"/", "/events"} {
			resp, err := http.Get(site[1] + p)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("demo: %v", err)
		}
		logs := errOut.String()
		switch {
		case level == "" && riverLine.MatchString(logs):
			t.Errorf("the job queue logs at the default level:\n%s", logs)
		case level == "" && strings.Contains(logs, `msg=http`):
			t.Errorf("every request is logged at the default level:\n%s", logs)
		case level == "debug" && !strings.Contains(logs, `msg="River client started"`):
			t.Errorf("--log-level debug hides the job queue:\n%s", logs)
		case level == "debug" && !strings.Contains(logs, `msg=http`):
			t.Errorf("--log-level debug hides the requests:\n%s", logs)
		}
		if level == "" && strings.Count(logs, "\n") > 5 {
			t.Errorf("%d log lines from a short demo at the default level:\n%s", strings.Count(logs, "\n"), logs)
		}
	}
}

// TestSettingsFlagWins: a setting's flag wins over its variable, a group's
// settings are taken before or after the subcommand, and every bad setting
// is reported at once.
func TestSettingsFlagWins(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "pr.db")
	t.Setenv("PRESSREVIEW_DATABASE", "mysql://nowhere")
	for _, args := range [][]string{
		{"migrate", "--database", db},
		{"feeds", "--database", db, "list"},
		{"feeds", "list", "--database=" + db},
	} {
		if _, errOut, err := runAll(args...); err != nil {
			t.Errorf("%v: %v\n%s", args, err, errOut)
		}
	}
	t.Setenv("PRESSREVIEW_LOG_LEVEL", "loud")
	_, _, err := runAll("migrate")
	if err == nil || !strings.Contains(err.Error(), "PRESSREVIEW_DATABASE") || !strings.Contains(err.Error(), "PRESSREVIEW_LOG_LEVEL") ||
		cli.ExitCode(err) != 1 {
		t.Errorf("two bad settings: %v", err)
	}
}

// TestFetchOnceQuietQueue: at the default log level `fetch --once` prints
// its progress, not the job queue's start and stop reports, as the README
// says of River ("speaks from warn up unless debug").
func TestFetchOnceQuietQueue(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "pr.db")
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), []string{"fetch", "--once", "--database", db, "--data-dir", t.TempDir()}, &out, &errOut); err != nil {
		t.Fatalf("fetch --once: %v\n%s", err, errOut.String())
	}
	if strings.Contains(errOut.String(), "River") {
		t.Errorf("fetch --once logged the job queue's reports at info:\n%s", errOut.String())
	}
}

// TestExportToFile: `export -o FILE` says what it wrote, and the file is
// readable by others like any file the user writes (os.CreateTemp, used to
// write it whole, makes 0600).
func TestExportToFile(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "pr.db")
	if _, err := run(t, "import", "--database", db, seedFile(t)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "all.json")
	out, err := run(t, "export", "--all", "-o", path, "--database", db)
	if err != nil {
		t.Fatal(err)
	}
	if want := "exported 1 edition to " + path + "\n"; out != want {
		t.Errorf("export printed %q, want %q", out, want)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("the export's mode is %v, want -rw-r--r--", st.Mode().Perm())
	}
}
