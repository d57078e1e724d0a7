// Package sharedtest finds the third-party test data of ../shared, the
// directory beside the repository, and reads its Persian news corpus.
// That data may not be copied into the project (../shared/testdata's
// README: the Targoman corpus is LGPL and its text belongs to the
// outlets), so a clone has none of it: tests that need it skip, and
// those that only gain from it go on without it.
package sharedtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Env names the shared directory (the one holding testdata/ and seed/)
// when it is not ../shared beside the repository.
const Env = "PRESSREVIEW_SHARED"

// Targoman is the Persian news corpus: 35 articles of three outlets.
const Targoman = "testdata/corpora/targoman-persian-news"

// Path returns the path of rel (such as Targoman, or "seed/…") in the
// shared directory, and whether it exists there.
func Path(rel string) (string, bool) {
	base := os.Getenv(Env)
	if base == "" {
		root, ok := repoRoot()
		if !ok {
			return filepath.Join("..", "shared", rel), false
		}
		base = filepath.Join(filepath.Dir(root), "shared")
	}
	p := filepath.Join(base, rel)
	_, err := os.Stat(p)
	return p, err == nil
}

// Require is Path for a test that needs the data: it skips the test when
// the data is absent.
func Require(t testing.TB, rel string) string {
	t.Helper()
	p, ok := Path(rel)
	if !ok {
		t.Skipf("shared test data %s is not available (../shared beside the repository, or $%s)", p, Env)
	}
	return p
}

// repoRoot is the repository's top directory, found from the working
// directory of the test (its package's directory, at any depth, and in
// the separate modules under bench/) by the go.mod of the main module.
func repoRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(mod, []byte("module github.com/pressreview/pressreview\n")) {
			return dir, true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", false
		}
		dir = up
	}
}

// Article is one article of the Targoman corpus, as its JSON holds it.
type Article struct {
	// Rel is the file's path in the corpus, such as
	// "alef/1402-08-10/….json".
	Rel      string
	URL      string `json:"url"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	Content  []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"content"`
}

// Body is the article's paragraphs (content of type "p" with text),
// joined by blank lines.
func (a Article) Body() string {
	var paras []string
	for _, c := range a.Content {
		if c.Type == "p" && strings.TrimSpace(c.Text) != "" {
			paras = append(paras, c.Text)
		}
	}
	return strings.Join(paras, "\n\n")
}

// Articles reads every article of the corpus in dir, in the order of
// their paths.
func Articles(dir string) ([]Article, error) {
	var out []Article
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var a Article
		if err := json.Unmarshal(data, &a); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		a.Rel, _ = filepath.Rel(dir, path)
		out = append(out, a)
		return nil
	})
	slices.SortFunc(out, func(a, b Article) int { return strings.Compare(a.Rel, b.Rel) })
	return out, err
}

// LoadTargoman reads the Targoman corpus: none and no error when it is
// absent, for tests that use it when it is there.
func LoadTargoman() ([]Article, error) {
	dir, ok := Path(Targoman)
	if !ok {
		return nil, nil
	}
	return Articles(dir)
}

// TargomanArticles reads the Targoman corpus for a test that needs it,
// skipping the test when it is absent.
func TargomanArticles(t testing.TB) []Article {
	t.Helper()
	arts, err := Articles(Require(t, Targoman))
	if err != nil {
		t.Fatal(err)
	}
	return arts
}
