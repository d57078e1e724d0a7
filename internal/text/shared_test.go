package text

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// arabicParagraphs returns the paragraphs of the real CNN Arabic article
// of the shared test data.
func arabicParagraphs(t testing.TB) []string {
	t.Helper()
	p := sharedtest.Require(t, "testdata/extraction/arabic-news/cnn-arabic-syria-clashes/expected.txt")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var paras []string
	for _, s := range strings.Split(string(data), "\n") {
		if s = strings.TrimSpace(s); s != "" {
			paras = append(paras, s)
		}
	}
	return paras
}

// englishArticles returns the real English news texts of the shared test
// data (PolNeAR sample, text © the publishers).
func englishArticles(t testing.TB) []string {
	t.Helper()
	dir := sharedtest.Require(t, "testdata/quotes/polnear-dev-sample/text")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("no English texts in %s", dir)
	}
	var texts []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	return texts
}
