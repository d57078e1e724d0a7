package ingest

import (
	lru "github.com/hashicorp/golang-lru/v2"
)

// storedTextsSize bounds the canonical URLs storedTexts keeps: some
// 1.5 MB at a hundred-byte URL and a 64-byte hash, the articles of the
// last hours of a large desk, which is when their copies come.
const storedTextsSize = 8192

// storedTexts keeps, for the canonical URLs of the articles this service
// stored last, new or edited, the content hash of the text stored under
// each. A page with one of those URLs and that text is an unchanged copy
// — the article listed again under another address: its print or mobile
// version, another section's feed — for which the store writes neither
// search index terms nor quotations (saveArticle finds the copy), so its
// fetch worker makes neither (fetchEntry). They are 0.25–0.3 ms of CPU a
// page (text.TermsOf and the quote finder) in BenchmarkIngestOverhead,
// where 1,188 of the 2,000 pages are such copies. It is a hint, not a
// cache the store relies on: when the store finds otherwise — the
// article edited by another instance since, or deleted — the storing
// transaction makes what it needs (indexTerms, findQuotes).
type storedTexts struct {
	byURL *lru.Cache[string, string]
}

func newStoredTexts() storedTexts {
	c, err := lru.New[string, string](storedTextsSize)
	if err != nil {
		panic(err) // only for a size below one
	}
	return storedTexts{byURL: c}
}

// put records that the article under canonical URL url has the text
// whose content hash is hash.
func (s storedTexts) put(url, hash string) {
	if url != "" && hash != "" {
		s.byURL.Add(url, hash)
	}
}

// unchanged reports whether a's canonical URL was last stored with a's
// text (a is keyed; put keeps no empty hash).
func (s storedTexts) unchanged(a *Article) bool {
	hash, ok := s.byURL.Get(a.CanonicalURL)
	return ok && hash == a.ContentHash
}
