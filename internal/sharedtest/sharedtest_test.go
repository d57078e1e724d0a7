package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "seed"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(Env, dir)
	if p, ok := Path("seed"); !ok || p != filepath.Join(dir, "seed") {
		t.Errorf("Path(seed) = %q, %v; want %q, true", p, ok, filepath.Join(dir, "seed"))
	}
	if p, ok := Path(Targoman); ok || p != filepath.Join(dir, Targoman) {
		t.Errorf("Path(%s) = %q, %v; want %q, false", Targoman, p, ok, filepath.Join(dir, Targoman))
	}

	// Unset, it is ../shared beside the repository, found from here.
	t.Setenv(Env, "")
	root, ok := repoRoot()
	if !ok {
		t.Fatal("the repository's top directory was not found from the package's")
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "sharedtest")); err != nil {
		t.Errorf("repoRoot = %s, which does not hold this package: %v", root, err)
	}
	if p, _ := Path("seed"); p != filepath.Join(filepath.Dir(root), "shared", "seed") {
		t.Errorf("Path(seed) = %q, want it in %s", p, filepath.Join(filepath.Dir(root), "shared"))
	}
}

func TestArticles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"b/1402-07-24/x.json": `{"url": "https://b.example/x", "title": "دوم", "content": [{"type": "p", "text": "یک"}, {"type": "h2", "text": "عنوان"}, {"type": "p", "text": " "}, {"type": "p", "text": "دو"}]}`,
		"a/1402-07-24/y.json": `{"url": "https://a.example/y", "title": "اول", "subtitle": "لید"}`,
		"LICENSE.txt":         "not an article",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	arts, err := Articles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[0].Rel != filepath.FromSlash("a/1402-07-24/y.json") || arts[1].Rel != filepath.FromSlash("b/1402-07-24/x.json") {
		t.Fatalf("Articles = %+v, want y.json then x.json", arts)
	}
	if a := arts[0]; a.URL != "https://a.example/y" || a.Title != "اول" || a.Subtitle != "لید" || a.Body() != "" {
		t.Errorf("first article read as %+v (body %q)", a, a.Body())
	}
	if got, want := arts[1].Body(), "یک\n\nدو"; got != want {
		t.Errorf("Body = %q, want %q (paragraphs only, blank ones left out)", got, want)
	}

	if err := os.WriteFile(filepath.Join(dir, "a", "bad.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Articles(dir); err == nil {
		t.Error("a file that is not JSON was read without an error")
	}
}
