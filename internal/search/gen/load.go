package gen

import (
	"context"
	"fmt"
	"strings"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// loadBatch rows go in one multi-row INSERT, and loadTx rows in one
// transaction: bulk loading is what the benchmark needs to be quick.
const (
	loadBatch = 50
	loadTx    = 2000
)

// Load saves the generator's outlets and articles from..to-1 into db (not
// indexed: the benchmark measures indexing separately). It returns the
// outlet IDs in Outlets order.
func Load(ctx context.Context, db *store.DB, g *Generator, from, to int) ([]int64, error) {
	ids := make([]int64, len(g.outlets))
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for i := range g.outlets {
			o := g.outlets[i]
			if err := outlets.SaveOutlet(ctx, tx, &o); err != nil {
				return err
			}
			ids[i] = o.ID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for start := from; start < to; start += loadTx {
		end := min(start+loadTx, to)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for b := start; b < end; b += loadBatch {
				if err := insertBatch(ctx, tx, g, ids, b, min(b+loadBatch, end)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load articles %d-%d: %w", start, end, err)
		}
	}
	return ids, nil
}

func insertBatch(ctx context.Context, tx *store.Tx, g *Generator, outletIDs []int64, from, to int) error {
	var rows []string
	var args []any
	for i := from; i < to; i++ {
		a := g.Article(i)
		rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, 'import')")
		args = append(args, outletIDs[a.Outlet], a.URL, a.URL, a.Title, a.Text, a.Lang, a.Published)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO articles (outlet_id, url, canonical_url, title, text, lang, published_at, source)
		VALUES `+strings.Join(rows, ", "), args...)
	return err
}
