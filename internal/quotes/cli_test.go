package quotes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
)

// run executes `quotes ARGS…` as the program does, with stdin.
func run(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	root := &cobra.Command{Use: "pressreview"}
	root.AddCommand(Commands()...)
	root.SetIn(strings.NewReader(stdin))
	var out, errb bytes.Buffer
	err := cli.Execute(context.Background(), root, append([]string{"quotes"}, args...), &out, &errb, nil)
	return out.String(), errb.String(), err
}

func TestCLIJSON(t *testing.T) {
	input := "\n" + `به گزارش ایرنا، حسین امیرعبداللهیان، وزیر امور خارجه، گفت: «ایران آماده گفت‌وگو است.»` + "\n\n   \n" +
		`وی افزود: ما از میز مذاکره خارج نشده‌ایم.` + "\n"
	out, _, err := run(t, input, "find", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", out)
	}
	var c map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &c); err != nil {
		t.Fatal(err)
	}
	// Blank lines do not count: the second candidate is in paragraph 2.
	if c["paragraph"] != 2.0 || c["kind"] != "direct" || c["speaker_resolved"] != "حسین امیرعبداللهیان" || c["role"] != nil {
		t.Errorf("candidate = %v", c)
	}
	sp := c["speaker"].(map[string]any)
	if sp["start"] != 0.0 || sp["end"] != 2.0 || sp["text"] != "وی" {
		t.Errorf("speaker = %v", sp)
	}
	for _, key := range []string{"start", "end", "text", "cue", "confidence"} {
		if _, ok := c[key]; !ok {
			t.Errorf("no %q in %s", key, lines[1])
		}
	}
}

func TestCLIListingAndFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(path, []byte(`"We are ready to talk," the minister said.`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "", "find", path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "We are ready to talk") || !strings.Contains(out, "1 candidate") {
		t.Errorf("listing:\n%s", out)
	}
	out, _, err = run(t, "", "find", "--lang", "en")
	if err != nil || !strings.Contains(out, "0 candidates") {
		t.Errorf("empty input: %q %v", out, err)
	}
}

func TestCLIErrors(t *testing.T) {
	_, _, err := run(t, "ok\nstill ok\n\xff\xfe broken\n", "find")
	if err == nil || !strings.Contains(err.Error(), "line 3") || cli.ExitCode(err) != 1 {
		t.Errorf("invalid UTF-8: %v (exit %d)", err, cli.ExitCode(err))
	}
	_, _, err = run(t, "", "find", "--lang", "de")
	if !errors.Is(err, cli.ErrUsage) {
		t.Errorf("--lang de: %v", err)
	}
	_, _, err = run(t, "", "find", "a", "b")
	if !errors.Is(err, cli.ErrUsage) {
		t.Errorf("two files: %v", err)
	}
	_, _, err = run(t, "", "find", filepath.Join(t.TempDir(), "missing.txt"))
	if err == nil || cli.ExitCode(err) != 1 {
		t.Errorf("missing file: %v", err)
	}
}
