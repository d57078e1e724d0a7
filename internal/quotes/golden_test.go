package quotes

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// The golden test guards the finder's output against changes made for
// speed, which must not move a single candidate. It runs Find on every
// text at hand — the package's own test paragraphs, the benchmark
// articles and, when ../shared is present, the Targoman Persian corpus,
// PolNeAR, the CNN Arabic page and the readability pages — in each
// language and with detection, and compares a hash of each output with
// testdata/golden/find.tsv. The snapshot holds hashes only: no text of
// the corpora is copied into the project.
//
// A change of the rules changes outputs on purpose; then rewrite the
// snapshot and read the diff of the evaluation (TestEvaluate) instead:
//
//	go test ./internal/quotes -run TestGolden -golden.update
//
// To see what moved, dump the outputs before and after and diff them:
//
//	go test ./internal/quotes -run TestGolden -golden.dump /tmp/before
var (
	goldenUpdate = flag.Bool("golden.update", false, "rewrite testdata/golden/find.tsv from the current finder")
	goldenDump   = flag.String("golden.dump", "", "write every output of the golden test to this directory, one JSON file each")
)

const goldenPath = "testdata/golden/find.tsv"

// goldenShared is ../shared/testdata (see ../shared/testdata/README.md).
var goldenShared, _ = sharedtest.Path("testdata")

// goldenInput is one text the golden test reads; key names it in the
// snapshot (a file of the corpora, or a hash of a test's paragraphs).
type goldenInput struct {
	key   string
	paras []string
}

func TestGolden(t *testing.T) {
	want, err := readGolden()
	if err != nil && !(*goldenUpdate && os.IsNotExist(err)) {
		t.Fatal(err)
	}
	inputs := goldenInputs(t)
	got := map[string]string{}
	var keys []string
	for _, in := range inputs {
		for _, lang := range []string{"fa", "ar", "en", ""} {
			if lang != "fa" && in.key == "bench/huge" {
				continue // 1 MB: once is enough
			}
			k := in.key + "\t" + langKey(lang)
			out := goldenOutput(in.paras, lang)
			sum := sha256.Sum256(out)
			got[k] = fmt.Sprintf("%d\t%s", strings.Count(string(out), "\n"), hex.EncodeToString(sum[:8]))
			keys = append(keys, k)
			if *goldenDump != "" {
				name := strings.NewReplacer("/", "_", "\t", ".").Replace(k) + ".jsonl"
				if err := os.WriteFile(filepath.Join(*goldenDump, name), out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if *goldenUpdate {
		writeGolden(t, keys, got, want)
		return
	}
	compared, fresh := 0, 0
	for _, k := range keys {
		w, ok := want[k]
		if !ok {
			fresh++ // a test added since the snapshot
			continue
		}
		compared++
		if got[k] != w {
			t.Errorf("%s: candidates and hash %s, snapshot %s", strings.Replace(k, "\t", " lang=", 1), got[k], w)
		}
	}
	t.Logf("%d outputs compared with %s; %d inputs not in it", compared, goldenPath, fresh)
	if t.Failed() {
		t.Log("a change for speed must not move a candidate; after a change of the rules, rewrite the snapshot: go test ./internal/quotes -run TestGolden -golden.update")
	}
}

// TestFindRunes holds the lengths FindRunes counts, which ingest places
// the candidates by, to utf8.RuneCountInString on the golden inputs, and
// its candidates to Find's.
func TestFindRunes(t *testing.T) {
	for _, in := range goldenInputs(t) {
		want, werr := Find(in.paras, "")
		runes := make([]int, len(in.paras))
		got, err := FindRunes(in.paras, "", runes)
		if (err != nil) != (werr != nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: FindRunes differs from Find", in.key)
		}
		if err != nil {
			continue
		}
		for i, p := range in.paras {
			if n := utf8.RuneCountInString(p); runes[i] != n {
				t.Fatalf("%s: paragraph %d has %d code points, FindRunes counted %d", in.key, i+1, n, runes[i])
			}
		}
	}
	if _, err := FindRunes([]string{"a", "b"}, "en", make([]int, 1)); err == nil {
		t.Error("FindRunes with room for fewer lengths than paragraphs: no error")
	}
}

func langKey(lang string) string {
	if lang == "" {
		return "detect"
	}
	return lang
}

// goldenOutput is every candidate of Find, with its rule, one JSON line
// each; an error is a line of its own.
func goldenOutput(paras []string, lang string) []byte {
	cs, err := Find(paras, lang)
	if err != nil {
		return []byte("error: " + err.Error() + "\n")
	}
	var b []byte
	for _, c := range cs {
		j, err := json.Marshal(c)
		if err != nil {
			panic(err) // a Candidate always marshals
		}
		b = append(b, j...)
		b = append(b, '\t')
		b = append(b, c.Rule...)
		b = append(b, '\n')
	}
	return b
}

func readGolden() (map[string]string, error) {
	f, err := os.Open(goldenPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%s:%d: want key, lang, count, hash", goldenPath, n)
		}
		out[f[0]+"\t"+f[1]] = f[2] + "\t" + f[3]
	}
	return out, sc.Err()
}

// writeGolden rewrites the snapshot with the outputs of this run, keeping
// the entries of inputs absent here (the corpora when ../shared is not).
func writeGolden(t *testing.T, keys []string, got, old map[string]string) {
	for k, v := range old {
		if _, ok := got[k]; !ok && !strings.HasPrefix(k, "tests/") {
			got[k] = v
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var b strings.Builder
	b.WriteString("# Snapshot of the finder's output for TestGolden (golden_test.go): key, language,\n")
	b.WriteString("# number of candidates, first 8 bytes of the SHA-256 of their JSON lines.\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s\t%s\n", k, got[k])
	}
	if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goldenPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d outputs to %s", len(keys), goldenPath)
}

// goldenInputs are the texts at hand: always the tests' paragraphs and
// the benchmark articles, the corpora of ../shared when present.
func goldenInputs(t *testing.T) []goldenInput {
	t.Helper()
	ins := []goldenInput{
		{"bench/fa", benchArticle()},
		{"bench/en", benchEnglish()},
		{"bench/huge", []string{hugeParagraph(), "وی افزود: پایان."}},
	}
	ins = append(ins, testParagraphs(t)...)
	if _, err := os.Stat(goldenShared); err != nil {
		t.Logf("%s is absent: only the tests' paragraphs are compared", goldenShared)
		return ins
	}
	for _, read := range []func(testing.TB) []goldenInput{targomanInputs, polnearInputs, arabicInputs, readabilityInputs} {
		ins = append(ins, read(t)...)
	}
	return ins
}

// testParagraphs are the paragraph lists written in the package's tests:
// every []string literal of string constants. They are keyed by a hash of
// their text, so that moving a test does not change its key.
func testParagraphs(t *testing.T) []goldenInput {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenInput
	seen := map[string]bool{}
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if name == "golden_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if at, ok := lit.Type.(*ast.ArrayType); !ok || at.Len != nil || fmt.Sprint(at.Elt) != "string" {
				return true
			}
			var paras []string
			for _, e := range lit.Elts {
				b, ok := e.(*ast.BasicLit)
				if !ok || b.Kind != gotoken.STRING {
					return true
				}
				s, err := strconv.Unquote(b.Value)
				if err != nil {
					t.Fatalf("%s: %v", fset.Position(b.Pos()), err)
				}
				paras = append(paras, s)
			}
			sum := sha256.Sum256([]byte(strings.Join(paras, "\n")))
			key := "tests/" + hex.EncodeToString(sum[:8])
			if len(paras) > 0 && !seen[key] {
				seen[key] = true
				out = append(out, goldenInput{key, paras})
			}
			return false
		})
	}
	return out
}

func targomanInputs(t testing.TB) []goldenInput {
	arts, err := sharedtest.LoadTargoman()
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenInput
	for _, a := range arts {
		// The whole article, headings and all: more shapes than the
		// evaluation's body text.
		paras := append(Paragraphs(a.Title), Paragraphs(a.Subtitle)...)
		for _, c := range a.Content {
			paras = append(paras, Paragraphs(c.Text)...)
		}
		out = append(out, goldenInput{"targoman/" + a.Rel, paras})
	}
	return out
}

func polnearInputs(t testing.TB) []goldenInput {
	paths, _ := filepath.Glob(filepath.Join(goldenShared, "quotes/polnear-dev-sample/text/*.txt"))
	slices.Sort(paths)
	var out []goldenInput
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, goldenInput{"polnear/" + filepath.Base(p), Paragraphs(string(data))})
	}
	return out
}

func arabicInputs(t testing.TB) []goldenInput {
	data, err := os.ReadFile(filepath.Join(goldenShared, "extraction/arabic-news/cnn-arabic-syria-clashes/expected.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return []goldenInput{{"cnn-arabic", Paragraphs(string(data))}}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// readabilityInputs are the gold texts of the readability pages (English,
// other European languages, Chinese), tags made line breaks.
func readabilityInputs(t testing.TB) []goldenInput {
	paths, _ := filepath.Glob(filepath.Join(goldenShared, "extraction/readability/*/expected.html"))
	slices.Sort(paths)
	var out []goldenInput
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := html.UnescapeString(tagRE.ReplaceAllString(string(data), "\n"))
		out = append(out, goldenInput{"readability/" + filepath.Base(filepath.Dir(p)), Paragraphs(text)})
	}
	return out
}

// TestValidUTF8 holds validUTF8 and tokenizeValid to utf8.ValidString, on
// the edges of the encoding and on random bytes.
func TestValidUTF8(t *testing.T) {
	cases := []string{"", "a", "گفت", "«وی»", "\xc2", "\xc2\x80", "\xc1\xbf", "\xd8", "\xd8a", "گ\xd8", "\xe2\x80\x8c",
		"\xed\xa0\x80", "\xef\xbf\xbd", "\xf0\x9f\x91\x87", "\xf4\x90\x80\x80", "\xff", "سلام\x80", "a\xd8\xb3\xd8"}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{'a', ' ', 0x80, 0xbf, 0xc2, 0xd8, 0xdb, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xff}
	for range 20000 {
		b := make([]byte, rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b), "گ"+string(b))
	}
	var buf strings.Builder
	for _, s := range cases {
		want := utf8.ValidString(s)
		if got := validUTF8(s); got != want {
			t.Fatalf("validUTF8(%q) = %v, want %v", s, got, want)
		}
		// Find checks its paragraphs as it tokenizes them.
		for _, p := range []string{s, "گفت " + s + " گفت", "said" + s} {
			if _, _, got := tokenizeValid(p, &buf, nil); got != utf8.ValidString(p) {
				t.Fatalf("tokenizeValid(%q) says valid %v", p, got)
			}
		}
	}
}

// TestWordTable holds wordTable to a map: the same answer for every word
// put (through the table's growth), and none for words never put, among
// them words of the same length and ends.
func TestWordTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var tab wordTable[int]
	want := map[string]int{}
	word := func() string {
		b := make([]byte, 1+rng.IntN(20))
		for i := range b {
			b[i] = "abاب\xd9\x8a"[rng.IntN(7)]
		}
		return string(b)
	}
	for i := range 3000 {
		w := word()
		*tab.put(w) += i
		want[w] += i
	}
	for w, v := range want {
		if got := tab.get(w); got != v {
			t.Fatalf("get(%q) = %d, want %d", w, got, v)
		}
	}
	for range 3000 {
		if w := word(); tab.get(w) != want[w] {
			t.Fatalf("get(%q) = %d, want %d", w, tab.get(w), want[w])
		}
	}
	n := 0
	tab.each(func(w string, v *int) {
		n++
		if want[w] != *v {
			t.Fatalf("each: %q = %d, want %d", w, *v, want[w])
		}
	})
	if n != len(want) {
		t.Fatalf("each gave %d words, want %d", n, len(want))
	}
	if tab.get("") != 0 {
		t.Fatal(`get("") found a value`)
	}
}

// TestListBits holds lexicon.index to every list of the lexicon: a list
// without its own bit in token.cls would lack every word of a paragraph.
func TestListBits(t *testing.T) {
	lxs, err := lexicons()
	if err != nil {
		t.Fatal(err)
	}
	for lang, lx := range lxs {
		v := reflect.ValueOf(lx).Elem()
		seen := map[uint32]string{}
		for i := range v.NumField() {
			f := v.Field(i) // unexported: read through its pointer
			if f.Type() != reflect.TypeFor[phrases]() || f.IsNil() {
				continue
			}
			ps := (*phraseList)(f.UnsafePointer())
			name := v.Type().Field(i).Name
			if ps.bit == 0 || ps.bit&(ps.bit-1) != 0 || ps.bit >= clsKnown {
				t.Errorf("%s %s: bit %#x, want one bit below clsKnown", lang, name, ps.bit)
			}
			if other, dup := seen[ps.bit]; dup {
				t.Errorf("%s %s: bit %#x already %s's", lang, name, ps.bit, other)
			}
			seen[ps.bit] = name
		}
	}
}

// TestClassOf holds classOf to startsOf: the same classes for every word
// of every lexicon, for the words of the tests' paragraphs, and for words
// that differ from a lexicon's in one byte or in length (the loads of
// shortKeyOf overlap).
func TestClassOf(t *testing.T) {
	lxs, err := lexicons()
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, in := range testParagraphs(t) {
		var b strings.Builder
		for _, p := range in.paras {
			for _, tk := range tokenize(p, &b, nil) {
				words = append(words, tk.norm)
			}
		}
	}
	for _, lx := range lxs {
		lx.starts.each(func(w string, _ *uint32) {
			words = append(words, w, w+w[:1], w[1:], w[:len(w)-1], strings.Repeat(w, 2))
			for i := range len(w) {
				b := []byte(w)
				b[i] ^= 1
				words = append(words, string(b))
			}
		})
	}
	hits := 0
	for lang, lx := range lxs {
		for _, w := range words {
			got, want := lx.classOf(w), lx.startsOf(w)
			if got != want {
				t.Fatalf("%s: classOf(%q) = %#x, startsOf %#x", lang, w, got, want)
			}
			if got != 0 {
				hits++
			}
		}
	}
	if hits == 0 {
		t.Fatal("no word in any lexicon")
	}
}
