package extract

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/pressreview/pressreview/internal/fetch"
	"golang.org/x/net/html"
)

// benchPages loads the 22 Mozilla readability test pages, decoded to UTF-8
// once, outside the timed loop.
func benchPages(b *testing.B) (pages [][]byte, total int64) {
	files, _ := filepath.Glob(filepath.Join(extractionDir(b), "readability", "*", "source.html"))
	if len(files) == 0 {
		b.Skip("no readability test pages")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		page := fetch.DecodeText(raw, "text/html").Text
		pages = append(pages, page)
		total += int64(len(page))
	}
	return pages, total
}

const benchURL = "http://fakehost/test/page.html"

// BenchmarkExtract measures Extract over all test pages per iteration;
// MB/s is HTML input throughput. It is the baseline the ingest pipeline
// is held to (≥ 80% of the library alone, BenchmarkReadability).
func BenchmarkExtract(b *testing.B) {
	pages, total := benchPages(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if _, err := Extract(p, benchURL); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReadability is go-readability alone on the same pages, then
// rendering text and HTML as Extract does. "core" parses with
// golang.org/x/net/html and calls ParseAndMutate, as Extract does;
// "FromReader" is the library's convenience entry point, which also runs
// a charset detector over every page (Extract skips it: fetch has decoded
// the page already).
func BenchmarkReadability(b *testing.B) {
	pages, total := benchPages(b)
	u, _ := url.Parse(benchURL)
	render := func(b *testing.B, a readability.Article) {
		var text, cleaned strings.Builder
		if err := a.RenderText(&text); err != nil {
			b.Fatal(err)
		}
		if err := a.RenderHTML(&cleaned); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("core", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		parser := readability.NewParser()
		for b.Loop() {
			for _, p := range pages {
				doc, err := html.Parse(bytes.NewReader(p))
				if err != nil {
					b.Fatal(err)
				}
				a, err := parser.ParseAndMutate(doc, u)
				if err != nil {
					b.Fatal(err)
				}
				render(b, a)
			}
		}
	})
	b.Run("FromReader", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range pages {
				a, err := readability.FromReader(bytes.NewReader(p), u)
				if err != nil {
					b.Fatal(err)
				}
				render(b, a)
			}
		}
	})
}
