package ingest

import (
	"context"

	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
)

// findQuotes runs the quote finder on a's text, once. keys runs it in the
// fetch workers, so that the transaction storing the article does not; a
// re-fetch keys the new text without it (dedupKeys) and finds the
// quotations only when the text changed, which most re-fetches show it
// has not.
func (a *Article) findQuotes() {
	if !a.quotesFound {
		a.quotes = candidates.Find(a.Text, a.Lang)
		a.quotesFound = true
	}
}

// saveQuotes stores the quotations found in a's text as the candidates of
// article id, which has none stored: new in this transaction, or edited
// (recordEdit deleted those of its previous text). In a group (g not nil)
// they are written with the group's at its end (groupWrites.flushWith), an
// article saved twice in the group as it was saved last. A finder failure
// does not stop the article: it is logged and recorded with the scan, and
// the article has no candidates.
func (s *Service) saveQuotes(ctx context.Context, tx *store.Tx, id int64, a *Article, g *groupWrites) error {
	a.findQuotes()
	if a.quotes.Err != nil {
		s.log.Warn("quote finder failed; article stored without quote candidates", "article", id, "url", a.URL, "err", a.quotes.Err)
	}
	if g != nil {
		g.addScan(candidates.Scanned{ArticleID: id, ContentHash: a.ContentHash, Found: a.quotes})
		return nil
	}
	return candidates.SaveNew(ctx, tx, id, a.ContentHash, a.quotes, s.now())
}
