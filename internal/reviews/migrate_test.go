package reviews_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestMigrateEntryModel runs migration 00016 on an edition stored in the
// pressreview/1 model: the seed is imported, the schema taken back to
// 00015 and its entries given their old lead-ins (composed, and one
// template), then migrated again. The parts survive the rebuild of
// entries, the outlet and speaker move to the new tables, the page reads
// word for word as before, it exports as the pressreview/2 seed, and the
// site_version triggers fire on the rebuilt and new tables.
func TestMigrateEntryModel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importFile(t, db, seedBundle)
		want := workingHTML(t, db)
		parts := count(t, db, `SELECT count(*) FROM entry_parts`)

		dir, dialect := "../store/migrations/sqlite", goose.DialectSQLite3
		if db.Dialect() == store.Postgres {
			dir, dialect = "../store/migrations/postgres", goose.DialectPostgres
		}
		p, err := goose.NewProvider(dialect, db.SQL, os.DirFS(dir), goose.WithAllowOutofOrder(true))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 15); err != nil {
			t.Fatal(err)
		}
		if got := count(t, db, `SELECT count(*) FROM entries WHERE outlet_id IS NOT NULL`); got != 4 {
			t.Fatalf("after the down migration %d entries have an outlet, want 4", got)
		}
		for _, q := range []string{
			`UPDATE entries SET lead_in = ''`,
			`UPDATE entries SET lead_in = 'Interviewed by {outlet}, {speaker}, said:' WHERE position = 2`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatal(err)
		}

		for q, n := range map[string]int{
			`SELECT count(*) FROM entry_parts`:                         parts,
			`SELECT count(*) FROM entry_outlets WHERE role = 'source'`: 4,
			`SELECT count(*) FROM entry_speakers`:                      3,
			`SELECT count(*) FROM entries WHERE lead_in_template`:      4,
		} {
			if got := count(t, db, q); got != n {
				t.Errorf("%s = %d, want %d", q, got, n)
			}
		}
		page, err := reviews.LoadWorkingPage(ctx, db, seedSlug)
		if err != nil {
			t.Fatal(err)
		}
		if !page.Edition.Entries[2].Legacy() || page.Edition.Entries[2].LeadIn != "Interviewed by {outlet}, {speaker}, said:" {
			t.Errorf("a migrated entry reads %+v", page.Edition.Entries[2])
		}
		page.Resolve()
		if en := page.Edition.Entries[2]; en.Legacy() || en.LeadIn != seedLeadIns[2][len("March 5: "):] {
			t.Errorf("a resolved migrated entry reads %+v", en)
		}
		if got := workingHTML(t, db); got != want {
			t.Errorf("the migrated edition reads differently:\n%s", byteDiff([]byte(got), []byte(want)))
		}
		if got := export(t, db); !bytes.Equal(got, readFile(t, seedBundleV2)) {
			t.Errorf("the migrated edition does not export as %s:\n%s", seedBundleV2, byteDiff(got, readFile(t, seedBundleV2)))
		}

		for _, table := range []string{"entries", "entry_parts", "entry_outlets", "entry_speakers"} {
			before := count(t, db, `SELECT version FROM site_version`)
			if _, err := db.ExecContext(ctx, `UPDATE `+table+` SET position = position`); err != nil {
				t.Fatal(err)
			}
			if after := count(t, db, `SELECT version FROM site_version`); after <= before {
				t.Errorf("an update of %s left site_version at %d", table, after)
			}
		}
	})
}

func workingHTML(t *testing.T, db *store.DB) string {
	t.Helper()
	p, err := reviews.LoadWorkingPage(context.Background(), db, seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reviews.RenderHTML(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func count(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
