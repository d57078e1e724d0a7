package text

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedPath returns the path of rel inside the shared test data (text
// written by others, read at run time and never copied into the project)
// and whether it exists. The shared folder is $PRESSREVIEW_SHARED, else
// ../../../shared relative to this package, the layout of a work tree and
// of CI.
func sharedPath(rel string) (string, bool) {
	base := os.Getenv("PRESSREVIEW_SHARED")
	if base == "" {
		base = filepath.Join("..", "..", "..", "shared")
	}
	p := filepath.Join(base, "testdata", rel)
	_, err := os.Stat(p)
	return p, err == nil
}

// sharedTestdata is sharedPath for tests that need the data: it skips the
// test when the data is absent.
func sharedTestdata(t testing.TB, rel string) string {
	t.Helper()
	p, ok := sharedPath(rel)
	if !ok {
		t.Skipf("shared test data %s is not available", p)
	}
	return p
}

// newsArticle is the part of a Targoman corpus file the tests use.
type newsArticle struct {
	Path     string
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	Content  []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"content"`
}

// body returns the article's paragraphs joined by blank lines.
func (a newsArticle) body() string {
	var paras []string
	for _, c := range a.Content {
		if c.Type == "p" && strings.TrimSpace(c.Text) != "" {
			paras = append(paras, c.Text)
		}
	}
	return strings.Join(paras, "\n\n")
}

// loadPersianCorpus loads the real Persian news articles of the shared
// test data (LGPL corpus, text © the outlets), sorted by path; it returns
// none and no error when the corpus is not there.
func loadPersianCorpus() ([]newsArticle, error) {
	root, ok := sharedPath("corpora/targoman-persian-news")
	if !ok {
		return nil, nil
	}
	var arts []newsArticle
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		a := newsArticle{Path: path}
		if err := json.Unmarshal(data, &a); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		arts = append(arts, a)
		return nil
	})
	return arts, err
}

// persianCorpus is loadPersianCorpus for tests that need the corpus: it
// skips the test when the corpus is absent.
func persianCorpus(t testing.TB) []newsArticle {
	t.Helper()
	arts, err := loadPersianCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) == 0 {
		t.Skip("the Persian news corpus of the shared test data is not available")
	}
	return arts
}

// arabicParagraphs returns the paragraphs of the real CNN Arabic article
// of the shared test data.
func arabicParagraphs(t testing.TB) []string {
	t.Helper()
	p := sharedTestdata(t, "extraction/arabic-news/cnn-arabic-syria-clashes/expected.txt")
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
	dir := sharedTestdata(t, "quotes/polnear-dev-sample/text")
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
