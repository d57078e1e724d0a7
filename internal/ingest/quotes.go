package ingest

import (
	"context"

	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
)

// saveQuotes stores the quotations found in a's text (computed by keys)
// as the candidates of article id, replacing those of its previous text.
// A finder failure does not stop the article: it is logged and recorded
// with the scan, and the article has no candidates.
func (s *Service) saveQuotes(ctx context.Context, tx *store.Tx, id int64, a *Article) error {
	if a.quotes.Err != nil {
		s.log.Warn("quote finder failed; article stored without quote candidates", "article", id, "url", a.URL, "err", a.quotes.Err)
	}
	return candidates.Save(ctx, tx, id, a.ContentHash, a.quotes, s.now())
}
