package exchange_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// A small valid bundle; the tests below break it in one place each.
const good = `{
  "format": "pressreview/1",
  "outlets": [
    {"key": "kayhan", "name": "Kayhan", "native_name": "کیهان", "kind": "newspaper", "language": "fa", "orientation": "hard-line"}
  ],
  "people": [
    {"key": "expert", "name": "An Expert", "role": "an international affairs expert"}
  ],
  "authors": [
    {"key": "ali-alfoneh", "name": "Ali Alfoneh", "title": "Senior Fellow", "organisation": "AGSI"}
  ],
  "series": [
    {"key": "iran-media-review", "name": "Iran Media Review"}
  ],
  "editions": [
    {
      "slug": "test-edition", "series": "iran-media-review", "date": "2025-03-07",
      "title": "A Test", "status": "published", "publish_at": "2025-03-07T14:00:00Z",
      "authors": ["ali-alfoneh"],
      "entries": [
        {"date": "2025-03-04", "outlet": "kayhan", "verb": "said",
         "items": [{"parts": [{"kind": "quote", "text": "Words.", "original": "کلمات.", "original_lang": "fa"}]}]}
      ]
    }
  ]
}
`

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		want           []string // substrings of the error
	}{
		{"syntax", `"title": "A Test",`, `"title": "A Test"`, []string{"in.json:", "malformed JSON"}},
		{"type", `"date": "2025-03-07",`, `"date": 20250307,`, []string{"$.editions.date", "want string", "in.json:17:"}},
		{"unknown field", `"dek_typo": 1,`, ``, nil}, // placeholder, replaced below
		{"missing title", `"title": "A Test", `, ``, []string{"$.editions[0].title: is required"}},
		{"bad kind", `"kind": "newspaper"`, `"kind": "paper"`, []string{`$.outlets[0].kind: "paper" is not one of`}},
		{"bad date", `"date": "2025-03-04"`, `"date": "4 March"`, []string{`$.editions[0].entries[0].date: "4 March" is not a date`}},
		{"bad part", `"kind": "quote"`, `"kind": "quip"`, []string{`$.editions[0].entries[0].items[0].parts[0].kind: "quip" is not quote or text`}},
		{"bad placeholder", `"verb": "said",`, `"verb": "said", "lead_in": "{outlett} said:",`, []string{"$.editions[0].entries[0].lead_in", "unknown placeholder {outlett}"}},
		{"duplicate", `"series": [`, `"series": [{"key": "iran-media-review", "name": "Again"},`, []string{`$.series[1].key: "iran-media-review" appears twice`}},
		{"format", `"pressreview/1"`, `"pressreview/9"`, []string{"$.format"}},
		{"trailing", "}\n", "}\n{}", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(good, tc.old, tc.new, 1)
			switch tc.name {
			case "unknown field":
				src = strings.Replace(good, `"title": "A Test",`, `"title": "A Test", "dek_typo": "x",`, 1)
				tc.want = []string{`unknown field "dek_typo"`, "in.json:18:26:"}
			case "trailing":
				src = good + "{}"
				tc.want = []string{"unexpected data after the bundle"}
			}
			if src == good {
				t.Fatal("test case did not change the bundle")
			}
			_, err := exchange.Decode("in.json", []byte(src))
			if err == nil {
				t.Fatal("Decode accepted a broken bundle")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportUnknownReference checks that an edition naming an outlet that is
// neither in the file nor in the store fails with the field's path, and that
// nothing of the file — not even its valid outlets — is written.
func TestImportUnknownReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		src := strings.Replace(good, `"outlet": "kayhan"`, `"outlet": "kayhn"`, 1)
		b, err := exchange.Decode("in.json", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = exchange.Import(ctx, db, "in.json", b)
		// The import's wording, which the studio's forms replace with their own.
		want := `in.json: $.editions[0].entries[0].outlet: unknown outlet "kayhn" (add it first or include it in the file)`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("Import error = %v, want %q", err, want)
		}
		for _, table := range []string{"outlets", "people", "authors", "series", "editions", "entries"} {
			if n := count(t, db, table); n != 0 {
				t.Errorf("after a failed import, %s has %d rows", table, n)
			}
		}

		// A bundle may name records that are already in the store.
		if b, err = exchange.Decode("in.json", []byte(good)); err != nil {
			t.Fatal(err)
		}
		if _, err := exchange.Import(ctx, db, "in.json", b); err != nil {
			t.Fatal(err)
		}
		refOnly := `{"format": "pressreview/1", "editions": [{"slug": "second", "series": "iran-media-review",
			"date": "2025-03-14", "title": "Second", "status": "draft",
			"entries": [{"date": "2025-03-10", "outlet": "kayhan", "speaker": "expert", "intermediary": "interviewed by", "verb": "said",
			"items": [{"parts": [{"kind": "text", "text": "Narration."}]}]}]}]}`
		b2, err := exchange.Decode("second.json", []byte(refOnly))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exchange.Import(ctx, db, "second.json", b2); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "editions"); n != 2 {
			t.Errorf("editions = %d, want 2", n)
		}
		// Importing the same file again updates in place.
		if _, err := exchange.Import(ctx, db, "second.json", b2); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "entries"); n != 2 {
			t.Errorf("entries after re-import = %d, want 2", n)
		}
	})
}

// TestImportEventRegistrationClosed: a bundle closes an event's
// registration with "registration_closed": true; an event without the
// key keeps it open, as bundles written before the switch expect.
func TestImportEventRegistrationClosed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const events = `"events": [
    {"slug": "open-briefing", "title": "Open briefing", "starts_at": "2099-04-01T15:00:00Z",
     "ends_at": "2099-04-01T16:00:00Z", "time_zone": "Asia/Tehran", "status": "draft"},
    {"slug": "closed-briefing", "title": "Closed briefing", "starts_at": "2099-04-01T15:00:00Z",
     "ends_at": "2099-04-01T16:00:00Z", "time_zone": "Asia/Tehran", "status": "draft", "registration_closed": true}],
  "editions": [`
		b, err := exchange.Decode("in.json", []byte(strings.Replace(good, `"editions": [`, events, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exchange.Import(ctx, db, "in.json", b); err != nil {
			t.Fatal(err)
		}
		for slug, closed := range map[string]bool{"open-briefing": false, "closed-briefing": true} {
			if e, err := posts.EventBySlug(ctx, db, slug); err != nil || e.RegistrationClosed != closed {
				t.Errorf("%s: registration closed %v, want %v (%v)", slug, e != nil && e.RegistrationClosed, closed, err)
			}
		}
	})
}
