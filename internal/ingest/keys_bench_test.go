package ingest

import (
	"testing"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/text"
)

// BenchmarkArticleKeys is the work a fetch worker does on a page after
// extraction (Article.keys): its dedup keys, search index terms and
// quotations, on the pages of BenchmarkIngestOverhead as extraction hands
// them over (language detection's matching form included). Sub-benchmarks
// time the parts: dedupKeys, the index terms (text.TermsOf) and the quote
// finder. The stem cache and the finder's tables are filled before timing,
// as they are a few pages into a run.
//
//	go test -run '^$' -bench ArticleKeys -benchmem ./internal/ingest/
func BenchmarkArticleKeys(b *testing.B) {
	svc, err := New(nil, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	bp := loadBenchPages(b)
	var arts []*Article
	for i := range bp.sources {
		page := bp.appendPage(nil, i)
		f := &fetched{resp: &fetch.Response{URL: bp.url("https://bench.example", i)}}
		f.art, err = svc.extract.Extract(fetch.DecodeText(page, "text/html").Text, f.resp.URL)
		if err != nil {
			b.Fatal(err)
		}
		arts = append(arts, articleFrom(f, 1, "feed"))
	}
	fresh := func(a *Article) *Article {
		c := *a
		return &c
	}
	for _, a := range arts {
		fresh(a).keys()
	}
	perPage := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(arts)), "ns/page")
	}
	b.Run("keys", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range arts {
				fresh(a).keys()
			}
		}
		perPage(b)
	})
	b.Run("dedupKeys", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range arts {
				fresh(a).dedupKeys()
			}
		}
		perPage(b)
	})
	b.Run("terms", func(b *testing.B) {
		var toks [][]string
		for _, a := range arts {
			toks = append(toks, text.Tokens(a.Text))
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range toks {
				text.TermsOf(t)
			}
		}
		perPage(b)
	})
	b.Run("quotes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range arts {
				candidates.Find(a.Text, a.Lang)
			}
		}
		perPage(b)
	})
}
