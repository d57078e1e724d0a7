package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/demo"
)

// TestImportReportsAndDryRun covers issue 11 item 19 on the command line:
// an import that relabels a stored outlet reports it, and --dry-run says so
// without writing. Since issue 12 (items 5 and 6) an entry keeps its own
// labels and lead-in and an imported published edition is frozen, so the
// relabelling changes no edition's text.
func TestImportReportsAndDryRun(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "pr.db")
	if _, err := run(t, "import", "--database", db, seedFile(t)); err != nil {
		t.Fatal(err)
	}
	later := filepath.Join(t.TempDir(), "later.json")
	err := os.WriteFile(later, []byte(`{"format": "pressreview/1", "outlets": [{"key": "kayhan", "name": "Kayhan",
		"native_name": "کیهان", "kind": "newspaper", "language": "fa", "country": "IR",
		"orientation": "ultra-conservative", "homepage": "https://kayhan.ir"}]}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	change := `changes outlet kayhan: orientation "hard-line" → "ultra-conservative"; no other edition's text changes`
	render := func() string {
		out, err := run(t, "render", "--database", db, demo.SeedSlug)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	out, err := run(t, "import", "--dry-run", "--database", db, later)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "would import (dry run, nothing written) "+later) || !strings.Contains(out, change) {
		t.Errorf("dry-run output:\n%s\nwant the change:\n%s", out, change)
	}
	if !strings.Contains(render(), "Hard-line Kayhan") {
		t.Error("the dry run wrote the new label")
	}

	if out, err = run(t, "import", "--database", db, later); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "imported "+later) || !strings.Contains(out, change) {
		t.Errorf("import output:\n%s\nwant the change:\n%s", out, change)
	}
	if out, err := run(t, "outlets", "list", "--database", db); err != nil || !strings.Contains(out, "ultra-conservative") {
		t.Errorf("the import did not write the new label: %v\n%s", err, out)
	}
	if !strings.Contains(render(), "Hard-line Kayhan") {
		t.Error("the new label rewrote the published edition")
	}
}
