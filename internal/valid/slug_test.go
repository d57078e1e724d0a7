package valid_test

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/valid"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Iran’s Strategic Dilemma: Capitulation or Parity?": "irans-strategic-dilemma-capitulation-or-parity",
		"  The 2025 Elections  ":                            "the-2025-elections",
		"مذاکرات هسته‌ای":                                   "",
		"Kayhan on «talks»":                                 "kayhan-on-talks",
	} {
		if got := valid.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	long := valid.Slugify(strings.Repeat("word ", 40))
	if len(long) > 90 || strings.HasSuffix(long, "-") || strings.HasSuffix(long, "wor") {
		t.Errorf("long title: %q", long)
	}
}
