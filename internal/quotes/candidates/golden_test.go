package candidates

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// TestGoldenFind guards what Find stores, the finder's spans placed in an
// article's text, against changes made for speed, as quotes.TestGolden
// guards the finder's own output: it runs Find on the texts at hand (the
// corpora of ../shared when present, else only the tests' own) in each
// language and with detection, and compares a hash of each output with
// testdata/golden.tsv. The paragraphs are joined by blank lines, white
// space and half-spaces, so that the offsets are tried across what
// quotes.Paragraphs drops. The snapshot holds hashes only: no text of the
// corpora is copied into the project.
//
//	go test ./internal/quotes/candidates -run TestGoldenFind -golden.update
var goldenUpdate = flag.Bool("golden.update", false, "rewrite testdata/golden.tsv from the current Find")

const goldenPath = "testdata/golden.tsv"

// goldenShared is ../shared/testdata (see ../shared/testdata/README.md).
var goldenShared, _ = sharedtest.Path("testdata")

func TestGoldenFind(t *testing.T) {
	want := map[string]string{}
	if data, err := os.ReadFile(goldenPath); err == nil {
		for l := range strings.Lines(string(data)) {
			if f := strings.Split(strings.TrimSuffix(l, "\n"), "\t"); len(f) == 4 && !strings.HasPrefix(l, "#") {
				want[f[0]+"\t"+f[1]] = f[2] + "\t" + f[3]
			}
		}
	} else if !*goldenUpdate {
		t.Fatal(err)
	}
	got := map[string]string{}
	compared := 0
	for _, in := range goldenTexts(t) {
		for _, lang := range []string{"fa", "ar", "en", ""} {
			k := in.key + "\t" + cmp.Or(lang, "detect")
			var b []byte
			f := Find(in.text, lang)
			for _, c := range f.Candidates {
				j, err := json.Marshal(c)
				if err != nil {
					t.Fatal(err)
				}
				b = append(append(b, j...), '\n')
			}
			if f.Err != nil {
				b = append(b, "error: "+f.Err.Error()+"\n"...)
			}
			sum := sha256.Sum256(b)
			got[k] = fmt.Sprintf("%d\t%s", len(f.Candidates), hex.EncodeToString(sum[:8]))
			if w, ok := want[k]; ok {
				compared++
				if got[k] != w {
					t.Errorf("%s: candidates and hash %s, snapshot %s", strings.Replace(k, "\t", " lang=", 1), got[k], w)
				}
			}
		}
	}
	if *goldenUpdate {
		for k, v := range want {
			if _, ok := got[k]; !ok {
				got[k] = v // a corpus absent here keeps its entries
			}
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range got {
				if !yield(k) {
					return
				}
			}
		})
		var b strings.Builder
		b.WriteString("# Snapshot of Find's output for TestGoldenFind (golden_test.go): key, language,\n")
		b.WriteString("# number of candidates, first 8 bytes of the SHA-256 of their JSON lines.\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "%s\t%s\n", k, got[k])
		}
		if err := os.WriteFile(goldenPath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d outputs to %s", len(keys), goldenPath)
		return
	}
	if compared == 0 {
		t.Fatalf("no output compared with %s", goldenPath)
	}
	t.Logf("%d outputs compared with %s", compared, goldenPath)
}

type goldenText struct{ key, text string }

// goldenTexts are TestFindPlacesQuotes's article and, when ../shared is
// present, the Targoman articles, the PolNeAR texts, the CNN Arabic page
// and the readability pages' gold texts.
func goldenTexts(t *testing.T) []goldenText {
	t.Helper()
	out := []goldenText{{"tests/zarif", "گفت‌وگوی تلفنی 🇮🇷\n\n  محمدجواد ظریف، وزیر امور خارجه، روز دوشنبه در نشست خبری گفت: «ایران به مذاکره پایبند است.»\n\n" +
		"وی افزود: ما زیر بار فشار نمی‌رویم و این موضع روشن است."}}
	if _, err := os.Stat(goldenShared); err != nil {
		t.Logf("%s is absent: only the tests' text is compared", goldenShared)
		return out
	}
	arts, err := sharedtest.LoadTargoman()
	if err != nil {
		t.Fatal(err)
	}
	// Separators between paragraphs, in turn: what Paragraphs skips.
	seps := []string{"\n", "\n\n", " \n\t\n  ", "\n\u200c\n", "\r\n"}
	for _, a := range arts {
		var b strings.Builder
		b.WriteString(a.Title)
		b.WriteString(seps[0])
		b.WriteString(a.Subtitle)
		for i, c := range a.Content {
			b.WriteString(seps[(i+1)%len(seps)])
			b.WriteString(c.Text)
		}
		out = append(out, goldenText{"targoman/" + a.Rel, b.String()})
	}
	files, _ := filepath.Glob(filepath.Join(goldenShared, "quotes/polnear-dev-sample/text/*.txt"))
	slices.Sort(files)
	files = append(files, filepath.Join(goldenShared, "extraction/arabic-news/cnn-arabic-syria-clashes/expected.txt"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(goldenShared, p)
		out = append(out, goldenText{rel, string(data)})
	}
	tag := regexp.MustCompile(`<[^>]*>`)
	pages, _ := filepath.Glob(filepath.Join(goldenShared, "extraction/readability/*/expected.html"))
	slices.Sort(pages)
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(goldenShared, p)
		out = append(out, goldenText{rel, html.UnescapeString(tag.ReplaceAllString(string(data), "\n"))})
	}
	return out
}
