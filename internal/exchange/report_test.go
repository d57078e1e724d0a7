package exchange_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func importString(t *testing.T, db *store.DB, name, src string) *exchange.Report {
	t.Helper()
	b, err := exchange.Decode(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := exchange.Import(context.Background(), db, name, b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// edition is a one-entry edition naming kayhan, with the expert as speaker
// when speaker is set.
func edition(slug, status string, speaker bool) string {
	who := ""
	if speaker {
		who = `"speaker": "expert", `
	}
	at := ""
	if status != "draft" {
		at = `"publish_at": "2025-03-14T14:00:00Z", `
	}
	return `{"slug": "` + slug + `", "series": "iran-media-review", "date": "2025-03-14", "title": "T ` + slug + `", "status": "` + status + `", ` + at + `
		"entries": [{"date": "2025-03-10", "outlet": "kayhan", ` + who + `"verb": "said", "items": [{"parts": [{"kind": "text", "text": "N."}]}]}]}`
}

// TestImportReportsChanges covers issue 11 item 19: an import that changes
// a stored outlet or person says so, and names every other edition whose
// text changes with it; re-importing the same file reports nothing. Since
// pressreview/2 an entry keeps its own labels and lead-in, so only entries
// stored before the model (lead_in_template, here "second") still read
// the roster; published ones are frozen at import.
func TestImportReportsChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if r := importString(t, db, "in.json", good); len(r.Changes) != 0 {
			t.Errorf("a first import reported changes:\n%s", r)
		}
		importString(t, db, "more.json", `{"format": "pressreview/1", "editions": [`+
			edition("second", "draft", false)+`, `+edition("third", "published", true)+`]}`)
		if _, err := db.ExecContext(context.Background(), `UPDATE entries SET lead_in_template = TRUE, lead_in = ''
			WHERE edition_id = (SELECT id FROM editions WHERE slug = 'second')`); err != nil {
			t.Fatal(err)
		}
		if r := importString(t, db, "in.json", good); len(r.Changes) != 0 {
			t.Errorf("re-importing the same file reported changes:\n%s", r)
		}

		later := strings.NewReplacer(
			`"orientation": "hard-line"`, `"orientation": "ultra-conservative"`,
			`"role": "an international affairs expert"`, `"role": "a political scientist"`,
			`"name": "Ali Alfoneh"`, `"name": "Ali Alfoneh", "bio": "Writes."`,
			`"slug": "test-edition"`, `"slug": "later"`,
		).Replace(good)
		r := importString(t, db, "later.json", later)
		want := `outlet kayhan: orientation "hard-line" → "ultra-conservative"; this changes the text of 1 draft edition: second
person expert: role "an international affairs expert" → "a political scientist"; no other edition's text changes
author ali-alfoneh: bio "" → "Writes."; no other edition's text changes
`
		if got := r.String(); got != want {
			t.Errorf("report:\n%s\nwant:\n%s", got, want)
		}
		page, err := reviews.LoadPage(context.Background(), db, "second")
		if err != nil {
			t.Fatal(err)
		}
		if got := page.LeadIn(page.Edition.Entries[0]); got != "Ultra-conservative Kayhan said:" {
			t.Errorf("lead-in after the import = %q", got)
		}
		page, err = reviews.LoadWorkingPage(context.Background(), db, "third")
		if err != nil {
			t.Fatal(err)
		}
		if got := page.LeadIn(page.Edition.Entries[0]); got != "An Expert, an international affairs expert, said in the hard-line newspaper Kayhan:" {
			t.Errorf("the stored lead-in of a pressreview/2 entry followed the roster: %q", got)
		}

		// A bundle that replaces a stored edition reports it.
		changed := strings.Replace(later, `"title": "A Test"`, `"title": "A Better Test"`, 1)
		r = importString(t, db, "later.json", changed)
		want = `edition later (published): title "A Test" → "A Better Test"; its text changes` + "\n"
		if got := r.String(); got != want {
			t.Errorf("report:\n%s\nwant:\n%s", got, want)
		}
	})
}

// TestImportTxDryRun checks that the report comes before the commit, so a
// caller that rolls back has a dry run that writes nothing.
func TestImportTxDryRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importString(t, db, "in.json", good)
		b, err := exchange.Decode("later.json", []byte(strings.Replace(good, `"hard-line"`, `"reformist"`, 1)))
		if err != nil {
			t.Fatal(err)
		}
		var r *exchange.Report
		rollback := context.Canceled
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if r, err = exchange.ImportTx(ctx, tx, "later.json", b); err != nil {
				return err
			}
			return rollback
		})
		if err != rollback {
			t.Fatal(err)
		}
		want := `outlet kayhan: orientation "hard-line" → "reformist"; no other edition's text changes` + "\n" +
			`edition test-edition (published): its text changes` + "\n"
		if got := r.String(); got != want {
			t.Errorf("report:\n%s\nwant:\n%s", got, want)
		}
		page, err := reviews.LoadPage(ctx, db, "test-edition")
		if err != nil {
			t.Fatal(err)
		}
		if got := page.LeadIn(page.Edition.Entries[0]); got != "Hard-line Kayhan said:" {
			t.Errorf("after a rolled-back import the lead-in is %q", got)
		}
	})
}
