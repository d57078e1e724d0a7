package clips

import (
	"context"
	"errors"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestClipOnReplacedText refuses a clip whose article was edited between
// reading its text and saving the clip: the anchor would address a text
// the edit's re-check never saw the clip on.
func TestClipOnReplacedText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, q := range []string{
			`INSERT INTO outlets (key, name, kind) VALUES ('kayhan', 'Kayhan', 'newspaper')`,
			`INSERT INTO articles (outlet_id, text, content_hash) SELECT id, 'متن نخست', 'h1' FROM outlets`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		src, err := loadSource(ctx, db, 1)
		if err != nil {
			t.Fatal(err)
		}
		lock := func() error { return db.InTx(ctx, func(tx *store.Tx) error { return lockUnchanged(ctx, tx, src) }) }
		if err := lock(); err != nil {
			t.Fatalf("unchanged article: %v", err)
		}
		if _, err := db.ExecContext(ctx, `UPDATE articles SET text = 'متن دوم', content_hash = 'h2'`); err != nil {
			t.Fatal(err)
		}
		var e *Error
		if err := lock(); !errors.As(err, &e) || e.Code != Conflict || e.Field != "article" {
			t.Errorf("edited article: %v, want a conflict on article", err)
		}
	})
}
