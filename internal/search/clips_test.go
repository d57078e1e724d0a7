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
			`INSERT INTO entries (edition_id, position, entry_date, outlet_id, speaker_id)
				SELECT e.id, 1, '2025-03-06', o.id, p.id FROM editions e, outlets o, people p WHERE o.key = 'shargh'`,
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
