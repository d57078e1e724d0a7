package text

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestVariantsIndexAlike checks the spelling-variant list of testdata:
// every variant of a word has the index terms of the word, so the index
// and a query meet whichever spelling either uses. The search package
// checks the same list against both stores.
func TestVariantsIndexAlike(t *testing.T) {
	data, err := os.ReadFile("testdata/variants.txt")
	if err != nil {
		t.Fatal(err)
	}
	words, variants := 0, 0
	for line := range strings.Lines(string(data)) {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Split(strings.TrimRight(line, "\n"), "\t")
		words++
		want := IndexTerms(fields[0])
		if len(want) != 1 {
			t.Errorf("%q: index terms %q, want one", fields[0], want)
		}
		for _, f := range fields[1:] {
			kind, v, ok := strings.Cut(f, "=")
			if !ok {
				t.Fatalf("%q: variant %q is not kind=spelling", fields[0], f)
			}
			variants++
			if got := IndexTerms(v); !slices.Equal(got, want) {
				t.Errorf("%q, %s variant %q: index terms %q, want %q", fields[0], kind, v, got, want)
			}
		}
	}
	if words < 50 {
		t.Errorf("the list has %d words, want at least 50", words)
	}
	t.Logf("%d words, %d variants", words, variants)
}
