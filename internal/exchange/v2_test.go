package exchange_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// goodV2 holds the entries of real editions that pressreview/1 could not:
// two outlets, none (a person speaks), narration only, an inline quote, a
// title before the name, "as reported by" and "on X" chains, and labels
// that differ from the roster. Its lead-ins are stored text, one left empty
// to be suggested.
const goodV2 = `{
  "format": "pressreview/2",
  "outlets": [
    {"key": "cnn", "name": "CNN", "kind": "tv", "language": "en"},
    {"key": "irna", "name": "IRNA", "kind": "news_agency", "language": "fa", "orientation": "state"},
    {"key": "kayhan", "name": "Kayhan", "native_name": "کیهان", "kind": "newspaper", "language": "fa", "orientation": "hard-line"},
    {"key": "shargh", "name": "Shargh Daily", "kind": "newspaper", "language": "fa", "orientation": "reformist"},
    {"key": "x", "name": "X", "kind": "x"}
  ],
  "people": [
    {"key": "araghchi", "name": "Abbas Araghchi", "role": "Foreign Minister"}
  ],
  "series": [
    {"key": "iran-media-review", "name": "Iran Media Review"}
  ],
  "editions": [
    {
      "slug": "real", "series": "iran-media-review", "date": "2025-06-13", "title": "Real Entries",
      "status": "published", "publish_at": "2025-06-13T14:00:00Z",
      "entries": [
        {"date": "2025-06-10",
         "outlets": [{"key": "kayhan", "label": "the daily Kayhan", "role": "source"},
                     {"key": "shargh", "label": "its reformist rival Shargh", "role": "source"}],
         "verb": "agreed",
         "lead_in": "For once, the daily Kayhan and its reformist rival Shargh agreed:",
         "items": [{"parts": [{"kind": "quote", "text": "Talks are premature."}]}]},
        {"date": "2025-06-10",
         "speakers": [{"key": "araghchi", "label": "Foreign Minister Abbas Araghchi", "title_before": true}],
         "verb": "said",
         "inline": [{"kind": "quote", "text": "We are ready.", "original": "ما آماده‌ایم.", "original_lang": "fa"}]},
        {"date": "2025-06-11",
         "outlets": [{"key": "cnn", "label": "CNN", "role": "source"},
                     {"key": "irna", "label": "the state news agency IRNA", "role": "via", "intermediary": "as reported by"}],
         "speakers": [{"key": "araghchi", "label": "Abbas Araghchi, Iran’s foreign minister"}],
         "intermediary": "told",
         "lead_in": "Abbas Araghchi, Iran’s foreign minister, told CNN, as reported by the state news agency IRNA:",
         "items": [{"parts": [{"kind": "quote", "text": "Enrichment will continue."}]}]},
        {"date": "2025-06-12",
         "outlets": [{"key": "x", "label": "X", "role": "source"}],
         "speakers": [{"key": "araghchi", "label": "Foreign Minister Abbas Araghchi", "title_before": true}],
         "verb": "wrote",
         "lead_in": "Foreign Minister Abbas Araghchi wrote on X:",
         "items": [{"parts": [{"kind": "quote", "text": "Diplomacy first."}]}]},
        {"date": "2025-06-12",
         "outlets": [{"key": "shargh", "label": "reformist papers", "role": "source"}],
         "lead_in": "reformist papers ignored the offer."}
      ]
    }
  ]
}
`

var goodV2LeadIns = []string{
	"June 10: For once, the daily Kayhan and its reformist rival Shargh agreed:",
	"June 10: Foreign Minister Abbas Araghchi said: “We are ready.”",
	"June 11: Abbas Araghchi, Iran’s foreign minister, told CNN, as reported by the state news agency IRNA:",
	"June 12: Foreign Minister Abbas Araghchi wrote on X:",
	"June 12: reformist papers ignored the offer.",
}

func renderPage(t *testing.T, db *store.DB, slug string, f reviews.Format) string {
	t.Helper()
	p, err := reviews.LoadPage(context.Background(), db, slug)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reviews.Render(&buf, p, f); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func exportBytes(t *testing.T, db *store.DB, slugs ...string) []byte {
	t.Helper()
	b, err := exchange.Export(context.Background(), db, slugs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exchange.Encode(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportV2 imports the real entries on each store, checks that the
// stored lead-ins print exactly as stored, and that export → import →
// export is byte-identical.
func TestImportV2(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		importString(t, db, "real.json", goodV2)
		text := renderPage(t, db, "real", reviews.FormatText)
		var leadIns []string
		for _, l := range strings.Split(text, "\n") {
			if s, ok := strings.CutPrefix(l, "• "); ok {
				leadIns = append(leadIns, s)
			}
		}
		if strings.Join(leadIns, "\n") != strings.Join(goodV2LeadIns, "\n") {
			t.Errorf("lead-ins:\n%s\nwant:\n%s", strings.Join(leadIns, "\n"), strings.Join(goodV2LeadIns, "\n"))
		}
		if !strings.Contains(text, "    «ما آماده‌ایم.»\n") {
			t.Errorf("the inline quote's original is missing:\n%s", text)
		}

		first := exportBytes(t, db, "real")
		if !bytes.Contains(first, []byte(`"format": "pressreview/2"`)) {
			t.Errorf("export is not pressreview/2:\n%s", first)
		}
		// The suggested lead-in is not stored: the entry keeps none.
		b, err := exchange.Decode("export", first)
		if err != nil {
			t.Fatal(err)
		}
		if en := b.Editions[0].Entries[1]; en.LeadIn != "" || len(en.Inline) != 1 || en.Speakers[0].Label != "Foreign Minister Abbas Araghchi" {
			t.Errorf("exported entry 2 = %+v", en)
		}
		fresh := storetest.SQLite(t)
		if db.Dialect() == store.Postgres {
			fresh = storetest.Postgres(t)
		}
		if _, err := exchange.Import(context.Background(), fresh, "export", b); err != nil {
			t.Fatal(err)
		}
		if second := exportBytes(t, fresh, "real"); !bytes.Equal(first, second) {
			t.Errorf("export → import → export changed the bundle:\n%s\nthen\n%s", first, second)
		}
		if again := renderPage(t, fresh, "real", reviews.FormatHTML); again != renderPage(t, db, "real", reviews.FormatHTML) {
			t.Error("the re-imported edition renders differently")
		}

		// The structured links stay: editions naming an outlet or a person
		// are found through every entry that names them, via outlets too.
		for _, tc := range []struct{ kind, key string }{{"outlet", "irna"}, {"outlet", "shargh"}, {"person", "araghchi"}} {
			list, err := reviews.EditionsNaming(context.Background(), db, tc.kind, tc.key)
			if err != nil || len(list) != 1 || list[0].Slug != "real" {
				t.Errorf("EditionsNaming(%s, %s) = %v, %v", tc.kind, tc.key, list, err)
			}
		}
	})
}

// TestImportFreezesPublished covers issue 12 item 6 for imports: a later
// import that relabels an outlet leaves an earlier published edition's
// HTML byte-identical, although the edition's rows still read the roster
// (entries stored before the pressreview/2 model do).
func TestImportFreezesPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importString(t, db, "in.json", good)
		before := renderPage(t, db, "test-edition", reviews.FormatHTML)
		// Make the stored entry one written before the pressreview/2
		// model: its lead-in is composed from the roster again.
		if _, err := db.ExecContext(ctx, `UPDATE entries SET lead_in_template = TRUE, lead_in = ''`); err != nil {
			t.Fatal(err)
		}
		relabel := `{"format": "pressreview/2", "outlets": [{"key": "kayhan", "name": "Kayhan", "native_name": "کیهان",
			"kind": "newspaper", "language": "fa", "orientation": "ultra-conservative"}]}`
		importString(t, db, "relabel.json", relabel)
		if after := renderPage(t, db, "test-edition", reviews.FormatHTML); after != before {
			t.Errorf("relabelling an outlet changed a published edition:\n%s\nthen\n%s", before, after)
		}
		working, err := reviews.LoadWorkingPage(ctx, db, "test-edition")
		if err != nil {
			t.Fatal(err)
		}
		if got := working.LeadIn(working.Edition.Entries[0]); got != "Ultra-conservative Kayhan said:" {
			t.Errorf("the working copy reads %q: the test no longer shows what the freeze protects", got)
		}
	})
}

// TestDecodeV2Errors refuses bad pressreview/2 input with its JSON path.
func TestDecodeV2Errors(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"empty label", `"label": "CNN"`, `"label": ""`,
			"$.editions[0].entries[2].outlets[0].label: is required: a bundle states how the entry names each outlet"},
		{"invisible label", `"label": "CNN"`, `"label": "\u200c"`,
			"$.editions[0].entries[2].outlets[0].label: is required (it holds only white space or invisible characters)"},
		{"missing speaker label", `"speakers": [{"key": "araghchi", "label": "Abbas Araghchi, Iran’s foreign minister"}],`, `"speakers": [{"key": "araghchi"}],`,
			"$.editions[0].entries[2].speakers[0].label: is required"},
		{"via without a source", `"outlets": [{"key": "shargh", "label": "reformist papers", "role": "source"}]`,
			`"outlets": [{"key": "irna", "label": "IRNA", "role": "via", "intermediary": "as reported by"}]`,
			"$.editions[0].entries[4].outlets[0].role: a via outlet relays a source"},
		{"via without a phrase", `, "intermediary": "as reported by"}`, `}`,
			"$.editions[0].entries[2].outlets[1].intermediary: is required for a via outlet"},
		{"bad role", `"role": "via"`, `"role": "relay"`,
			`$.editions[0].entries[2].outlets[1].role: "relay" is not source or via`},
		{"v1 outlet in v2", `"outlets": [{"key": "x", "label": "X", "role": "source"}],`, `"outlet": "x",`,
			"$.editions[0].entries[3].outlet: is pressreview/1"},
		{"template in v2", `"lead_in": "Foreign Minister Abbas Araghchi wrote on X:"`, `"lead_in": "{speaker} wrote on X:"`,
			"$.editions[0].entries[3].lead_in: is literal text in pressreview/2; {speaker} is a pressreview/1 placeholder"},
		{"narration with a colon", `"lead_in": "reformist papers ignored the offer."`, `"lead_in": "reformist papers wrote:"`,
			"$.editions[0].entries[4].lead_in: ends with a colon but the entry has no quote"},
		{"v2 field in v1", `"format": "pressreview/2"`, `"format": "pressreview/1"`,
			`$.editions[0].entries[0].outlets: is a pressreview/2 field: set "format" to "pressreview/2" to use it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodV2, tc.old, tc.new, 1)
			if src == goodV2 {
				t.Fatal("test case did not change the bundle")
			}
			_, err := exchange.Decode("real.json", []byte(src))
			if err == nil || !strings.Contains(err.Error(), "real.json: "+tc.want) {
				t.Errorf("Decode error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestImportV2UnknownReferences refuses keys the store and the file lack,
// at their place in the lists, and clips that do not exist.
func TestImportV2UnknownReferences(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"unknown outlet in outlets[1]", `{"key": "shargh", "label": "its reformist rival Shargh"`, `{"key": "sharq", "label": "its reformist rival Shargh"`,
			`$.editions[0].entries[0].outlets[1].key: unknown outlet "sharq"`},
		{"unknown speaker", `"speakers": [{"key": "araghchi", "label": "Abbas Araghchi, Iran’s foreign minister"}]`, `"speakers": [{"key": "zarif", "label": "Zarif"}]`,
			`$.editions[0].entries[2].speakers[0].key: unknown person "zarif"`},
		{"unknown clip", `"original_lang": "fa"}]`, `"original_lang": "fa", "clip": 999}]`,
			`$.editions[0].entries[1].inline[0].clip: unknown clip 999`},
		{"unknown clip in an item", `"text": "Diplomacy first."}`, `"text": "Diplomacy first.", "clip": 999}`,
			`$.editions[0].entries[3].items[0].parts[0].clip: unknown clip 999`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				src := strings.Replace(goodV2, tc.old, tc.new, 1)
				if src == goodV2 {
					t.Fatal("test case did not change the bundle")
				}
				b, err := exchange.Decode("real.json", []byte(src))
				if err != nil {
					t.Fatal(err)
				}
				_, err = exchange.Import(context.Background(), db, "real.json", b)
				if err == nil || !strings.Contains(err.Error(), "real.json: "+tc.want) {
					t.Errorf("Import error = %v, want %q", err, tc.want)
				}
				if n := count(t, db, "entries"); n != 0 {
					t.Errorf("after a failed import, entries has %d rows", n)
				}
			})
		})
	}
}
