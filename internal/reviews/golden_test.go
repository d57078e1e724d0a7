package reviews_test

// The golden tests check the seed edition end to end: the bundle in
// internal/demo/data imports into both stores, and the text it renders says,
// word for word, what AGSI published.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/sharedtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the demo bundles in the canonical form exchange.Encode produces")

const (
	seedSlug   = "russian-nuclear-mediation-a-nonstarter"
	seedBundle = "../demo/data/" + seedSlug + ".json"
	// seedBundleV2 is the seed in pressreview/2, as Export writes it: the
	// v1 file upgraded, labels and lead-ins stated.
	seedBundleV2 = "testdata/" + seedSlug + ".v2.json"
	// seedBody is the body of the AGSI article, the golden reference.
	seedBody = "testdata/seed-body.txt"

	bodyStart = "Iranian analysts are reacting"
	bodyEnd   = "board of directors."
)

// seedArticle is the whole article as saved from AGSI's site. It lives
// outside the module, so the test that needs it skips when it is absent.
var seedArticle, _ = sharedtest.Path("seed/000_70a9e06e354ba25e.txt")

// The seed's header and lead-ins, as published.
var (
	seedHeader = []string{
		"Analysis",
		"Russian Nuclear Mediation a Nonstarter",
		"The March 7 edition of the Iran Media Review analyzes Iranian media responses to Russian President Vladimir Putin’s offer to mediate talks between Tehran and Washington.",
		"By Ali Alfoneh · March 7, 2025",
	}
	seedLeadIns = []string{
		"March 4: Hard-line Kayhan altogether dismissed the idea of negotiations with the United States:",
		"March 4: Qassem Moheb-Ali, an international affairs expert interviewed by Jamaran News, which is close to the household of late Grand Ayatollah Ruhollah Khomeini, warned against Russian mediation:",
		"March 5: Interviewed by the reformist newspaper Shargh Daily, Nemat-Allah Izadi, Iran’s last ambassador to the Soviet Union, said:",
		"March 5: Mohsen Askari Jahaqi, a political scientist, wrote about Russia’s offer in the technocratic newspaper Sazandegi:",
	}
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func importFile(t *testing.T, db *store.DB, path string) *exchange.Bundle {
	t.Helper()
	b, err := exchange.Decode(path, readFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Import(context.Background(), db, path, b); err != nil {
		t.Fatal(err)
	}
	return b
}

func loadSeed(t *testing.T, db *store.DB, bundle string) *reviews.Page {
	t.Helper()
	importFile(t, db, bundle)
	p, err := reviews.LoadPage(context.Background(), db, seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSeedGolden(t *testing.T) {
	for _, bundle := range []string{seedBundle, seedBundleV2} {
		t.Run(strings.TrimSuffix(bundle[strings.LastIndexByte(bundle, '.')-2:], ".json"), func(t *testing.T) {
			testSeedGolden(t, bundle)
		})
	}
}

func testSeedGolden(t *testing.T, bundle string) {
	want := words(string(readFile(t, seedBody)))
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p := loadSeed(t, db, bundle)
		var buf bytes.Buffer
		if err := reviews.RenderText(&buf, p); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		t.Run("body", func(t *testing.T) {
			start := strings.Index(text, bodyStart)
			end := strings.Index(text, bodyEnd)
			if start < 0 || end < start {
				t.Fatalf("rendered text lacks %q … %q:\n%s", bodyStart, bodyEnd, text)
			}
			if diff := wordDiff(words(text[start:end+len(bodyEnd)]), want); diff != "" {
				t.Errorf("rendered body differs from %s:\n%s", seedBody, diff)
			}
		})
		t.Run("header", func(t *testing.T) {
			got := strings.SplitN(text, "\n", len(seedHeader)+2)
			if len(got) < len(seedHeader)+2 {
				t.Fatalf("rendered text is too short:\n%s", text)
			}
			for i, w := range seedHeader {
				if got[i] != w {
					t.Errorf("header line %d = %q, want %q", i+1, got[i], w)
				}
			}
			if got[len(seedHeader)] != "" || !strings.HasPrefix(got[len(seedHeader)+1], bodyStart) {
				t.Errorf("want a blank line, then the intro, after the header; got:\n%s", text)
			}
		})
		t.Run("html", func(t *testing.T) {
			checkSeedHTML(t, p)
		})
		t.Run("markdown", func(t *testing.T) {
			checkMarkdownWords(t, p)
		})
	})
}

// checkSeedHTML checks the lead-ins and quotes of the HTML body by their
// text, as a browser would show them.
func checkSeedHTML(t *testing.T, p *reviews.Page) {
	var buf bytes.Buffer
	if err := reviews.RenderHTML(&buf, p); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var leadIns, quotes []string
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.ElementNode && n.Data == "p" && attr(n, "class") == "lead-in":
			leadIns = append(leadIns, textOf(n))
		case n.Type == html.ElementNode && n.Data == "q":
			quotes = append(quotes, textOf(n))
		}
	}
	if diff := lineDiff(leadIns, seedLeadIns); diff != "" {
		t.Errorf("HTML lead-ins:\n%s", diff)
	}
	var wantQuotes []string
	for _, en := range p.Edition.Entries {
		for _, it := range en.Items {
			for _, pt := range it.Parts {
				if pt.Kind == reviews.Quote {
					wantQuotes = append(wantQuotes, pt.Text)
				}
			}
		}
	}
	if n := strings.Count(string(readFile(t, seedBody)), "“"); len(wantQuotes) != n {
		t.Errorf("the article has %d quotes, the loaded page %d", n, len(wantQuotes))
	}
	if diff := lineDiff(quotes, wantQuotes); diff != "" {
		t.Errorf("HTML <q> quotes:\n%s", diff)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the text content of n, with block elements set apart by spaces
// so that words in adjacent paragraphs do not run together.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		switch d.Type {
		case html.TextNode:
			b.WriteString(d.Data)
		case html.ElementNode:
			switch d.Data {
			case "p", "li", "ul", "ol", "h1", "blockquote", "div":
				b.WriteByte(' ')
			}
		}
	}
	return strings.TrimSpace(b.String())
}

func lineDiff(got, want []string) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "#%d\n got: %q\nwant: %q\n", i+1, g, w)
		}
	}
	return b.String()
}

// words splits s into words for comparison: layout — white space, line
// breaks, the no-break spaces of the web page and the bullets — does not
// count.
func words(s string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")) {
		if w != "•" && w != "◦" {
			out = append(out, w)
		}
	}
	return out
}

// wordDiff describes the first difference between two word lists with a
// few words of context, or returns "" when they are equal.
func wordDiff(got, want []string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	if i == len(got) && i == len(want) {
		return ""
	}
	const around = 8
	window := func(ws []string) string {
		lo, hi := max(0, i-around), min(len(ws), i+around)
		s := strings.Join(ws[lo:i], " ") + " ⟦"
		if i < len(ws) {
			s += ws[i]
		} else {
			s += "(end)"
		}
		s += "⟧"
		if i+1 < hi {
			s += " " + strings.Join(ws[i+1:hi], " ")
		}
		return s
	}
	return fmt.Sprintf("first difference at word %d (got %d words, want %d):\n got: …%s…\nwant: …%s…",
		i+1, len(got), len(want), window(got), window(want))
}

// TestSeedBodyIsTheArticle keeps testdata/seed-body.txt honest: it must be
// the article's body exactly as saved, from the intro to the end of the
// disclaimer.
func TestSeedBodyIsTheArticle(t *testing.T) {
	article, err := os.ReadFile(seedArticle)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is not on this machine", seedArticle)
	}
	if err != nil {
		t.Fatal(err)
	}
	s := string(article)
	start := strings.Index(s, bodyStart)
	end := strings.Index(s, bodyEnd)
	if start < 0 || end < start {
		t.Fatalf("%s lacks %q … %q", seedArticle, bodyStart, bodyEnd)
	}
	end += len(bodyEnd)
	if nl := strings.IndexByte(s[end:], '\n'); nl >= 0 {
		end += nl + 1
	}
	if got := string(readFile(t, seedBody)); got != s[start:end] {
		diff := wordDiff(words(got), words(s[start:end]))
		if diff == "" {
			diff = "the words agree; the white space differs"
		}
		t.Errorf("%s is not the body of %s:\n%s", seedBody, seedArticle, diff)
	}
}

// TestSeedExportRoundTrip checks that exporting the seed, imported from
// its pressreview/1 file, writes exactly the pressreview/2 copy; that the
// copy imports to the same bundle; that export → import → export changes
// nothing, on each store; and that both files render the same page in
// every format.
func TestSeedExportRoundTrip(t *testing.T) {
	file := readFile(t, seedBundleV2)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		importFile(t, db, seedBundle)
		first := export(t, db)
		if *update && db.Dialect() == store.SQLite {
			if err := os.WriteFile(seedBundleV2, first, 0o644); err != nil {
				t.Fatal(err)
			}
			file = first
		}
		if !bytes.Equal(first, file) {
			t.Errorf("exporting %s does not reproduce %s; run go test -run TestSeedExportRoundTrip -update to rewrite it:\n%s",
				seedBundle, seedBundleV2, byteDiff(first, file))
		}
		b, err := exchange.Decode("export", first)
		if err != nil {
			t.Fatal(err)
		}
		fresh := freshDB(t, db)
		if _, err := exchange.Import(context.Background(), fresh, "export", b); err != nil {
			t.Fatal(err)
		}
		if second := export(t, fresh); !bytes.Equal(first, second) {
			t.Errorf("export → import → export changed the bundle:\n%s", byteDiff(second, first))
		}
		v2 := freshDB(t, db)
		importFile(t, v2, seedBundleV2)
		for _, f := range reviews.Formats {
			if a, b := renderSeed(t, db, f), renderSeed(t, v2, f); a != b {
				t.Errorf("%s: the pressreview/1 and pressreview/2 seeds render differently:\n%s", f, byteDiff([]byte(b), []byte(a)))
			}
		}
	})
}

func freshDB(t *testing.T, like *store.DB) *store.DB {
	if like.Dialect() == store.Postgres {
		return storetest.Postgres(t)
	}
	return storetest.SQLite(t)
}

func renderSeed(t *testing.T, db *store.DB, f reviews.Format) string {
	t.Helper()
	p, err := reviews.LoadPage(context.Background(), db, seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reviews.Render(&buf, p, f); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func export(t *testing.T, db *store.DB) []byte {
	t.Helper()
	b, err := exchange.Export(context.Background(), db, []string{seedSlug})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exchange.Encode(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// byteDiff shows the first differing line of two JSON documents.
func byteDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d\n got: %s\nwant: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// TestDemoBundles checks every bundle the demo ships: it decodes strictly,
// imports into both stores, and is already in the form Encode writes, so
// the files diff cleanly after an export.
func TestDemoBundles(t *testing.T) {
	for _, name := range []string{seedBundle, "../demo/data/outlets.json", seedBundleV2} {
		t.Run(name[strings.LastIndexByte(name, '/')+1:], func(t *testing.T) {
			data := readFile(t, name)
			b, err := exchange.Decode(name, data)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := exchange.Encode(&buf, b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), data) {
				t.Errorf("%s is not in canonical form:\n%s", name, byteDiff(buf.Bytes(), data))
			}
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				importFile(t, db, name)
			})
		})
	}
}
