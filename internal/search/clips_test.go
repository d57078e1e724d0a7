package search

import (
	"context"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestSpeakerSearchesClips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedFixture(t, db)
		for _, stmt := range []string{
			`INSERT INTO series (key, name) VALUES ('imr', 'Iran Media Review')`,
			`INSERT INTO people (key, name, role) VALUES ('moheb-ali', 'Qassem Moheb-Ali', 'an international affairs expert')`,
			`INSERT INTO editions (slug, series_id, edition_date, title, status) SELECT 'imr-2025-03-07', id, '2025-03-07', 'IMR', 'draft' FROM series`,
			`INSERT INTO entries (edition_id, position, entry_date) SELECT id, 1, '2025-03-06' FROM editions`,
			`INSERT INTO entry_outlets (entry_id, position, outlet_id, role) SELECT e.id, 0, o.id, 'source' FROM entries e, outlets o WHERE o.key = 'shargh'`,
			`INSERT INTO entry_speakers (entry_id, position, person_id) SELECT e.id, 0, p.id FROM entries e, people p`,
			`INSERT INTO entry_parts (entry_id, item, position, kind, text, original, original_lang)
				SELECT id, 1, 1, 'quote', 'Russia’s mediation offer is a chance for diplomacy.', 'پیشنهاد میانجی‌گری روسیه فرصتی برای دیپلماسی است.', 'fa' FROM entries`,
			`INSERT INTO entry_parts (entry_id, item, position, kind, text)
				SELECT id, 2, 1, 'text', 'He added that sanctions would remain.' FROM entries`,
		} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		for _, tc := range []struct {
			q    string
			want int
		}{
			{`speaker:moheb-ali`, 2},
			{`speaker:"Moheb-Ali" میانجیگری`, 1},
			{`speaker:moheb mediation orientation:reformist`, 1},
			{`speaker:moheb-ali -sanctions`, 1},
			{`speaker:moheb-ali after:2025-03-07`, 0},
			{`speaker:zarif`, 0},
		} {
			res, err := Search(ctx, db, Request{Query: tc.q})
			if err != nil {
				t.Fatalf("%s: %v", tc.q, err)
			}
			if res.Total != tc.want || len(res.Clips) != tc.want || len(res.Hits) != 0 {
				t.Errorf("%s: %d clips (%d total), %d hits; want %d clips", tc.q, len(res.Clips), res.Total, len(res.Hits), tc.want)
			}
		}
		res, _ := Search(ctx, db, Request{Query: `speaker:moheb-ali میانجیگری`})
		if c := res.Clips[0]; !strings.Contains(c.OriginalHTML, "<mark>میانجی‌گری</mark>") || c.OriginalDir != "rtl" || c.Outlet.Key != "shargh" {
			t.Errorf("clip = %+v", c)
		}
	})
}

// TestSpeakerSearchesAnalystClips finds the analysts' clips (package
// clips) by speaker, by key or by an alias spelled with Arabic yeh and
// kaf, beside the quotes of editions; a clip quoted in an edition is
// found once, as the edition's quote.
func TestSpeakerSearchesAnalystClips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedFixture(t, db)
		for _, stmt := range []string{
			`INSERT INTO people (key, name, native_name, aliases) VALUES ('kazem-gharibabadi', 'Kazem Gharibabadi', 'کاظم غریب‌آبادی', 'Gharib-Abadi')`,
			`INSERT INTO clips (article_id, speaker_id, outlet_id, clip_date, original, original_lang, translation)
				SELECT MIN(a.id), p.id, o.id, '2025-03-05', 'ما به دیپلماسی پایبندیم.', 'fa', 'We are committed to diplomacy.'
				FROM articles a, people p, outlets o WHERE o.key = 'shargh' GROUP BY p.id, o.id`,
			`INSERT INTO clips (article_id, speaker_id, outlet_id, clip_date, original, original_lang, translation)
				SELECT MIN(a.id), p.id, o.id, '2025-03-06', 'تحریم‌ها باید برداشته شوند.', 'fa', 'Sanctions must be lifted.'
				FROM articles a, people p, outlets o WHERE o.key = 'shargh' GROUP BY p.id, o.id`,
			`INSERT INTO series (key, name) VALUES ('imr', 'Iran Media Review')`,
			`INSERT INTO editions (slug, series_id, edition_date, title, status) SELECT 'imr-2025-03-07', id, '2025-03-07', 'IMR', 'draft' FROM series`,
			`INSERT INTO entries (edition_id, position, entry_date) SELECT id, 1, '2025-03-06' FROM editions`,
			`INSERT INTO entry_outlets (entry_id, position, outlet_id, role) SELECT e.id, 0, o.id, 'source' FROM entries e, outlets o WHERE o.key = 'shargh'`,
			`INSERT INTO entry_speakers (entry_id, position, person_id) SELECT e.id, 0, p.id FROM entries e, people p`,
			`INSERT INTO entry_parts (entry_id, item, position, kind, text, clip_id)
				SELECT e.id, 1, 1, 'quote', 'Sanctions must be lifted.', MAX(c.id) FROM entries e, clips c GROUP BY e.id`,
		} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		for _, tc := range []struct {
			q       string
			clipIDs int // clips found that are not in an edition
			total   int
		}{
			{`speaker:kazem-gharibabadi`, 1, 2},
			{`speaker:"كاظم غريب‌آبادي"`, 1, 2},
			{`speaker:gharib-abadi diplomacy`, 1, 1},
			{`speaker:gharibabadi پایبندیم after:2025-03-06`, 0, 0},
			{`speaker:gharibabadi sanctions`, 0, 1},
			{`speaker:gharibabadi orientation:reformist`, 1, 2},
			{`speaker:gharibabadi outlet:kayhan`, 0, 0},
		} {
			res, err := Search(ctx, db, Request{Query: tc.q})
			if err != nil {
				t.Fatalf("%s: %v", tc.q, err)
			}
			n := 0
			for _, c := range res.Clips {
				if c.ClipID != 0 {
					n++
					if c.EditionSlug != "" || c.Kind != "quote" || c.OriginalDir != "rtl" || c.Outlet.Key != "shargh" {
						t.Errorf("%s: clip %+v", tc.q, c)
					}
				}
			}
			if res.Total != tc.total || len(res.Clips) != tc.total || n != tc.clipIDs {
				t.Errorf("%s: %d results (%d total), %d analysts' clips; want %d, %d", tc.q, len(res.Clips), res.Total, n, tc.total, tc.clipIDs)
			}
		}
	})
}
