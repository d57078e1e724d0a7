package search

import (
	"context"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedFixture(t, db)
		ctx := context.Background()
		c, err := CoverageOf(ctx, db, CoverageRequest{Query: "پوتین OR putin OR بوتين", By: ByOrientation})
		if err != nil {
			t.Fatal(err)
		}
		wantPeriods := []string{"2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06"}
		if !reflect.DeepEqual(c.Periods, wantPeriods) {
			t.Fatalf("periods = %v", c.Periods)
		}
		want := []Series{
			{Key: "state-run", Label: "state-run", Total: 2, Counts: []int{0, 1, 0, 1}},
			{Key: "hard-line", Label: "hard-line", Total: 1, Counts: []int{1, 0, 0, 0}},
			{Key: "reformist", Label: "reformist", Total: 1, Counts: []int{0, 1, 0, 0}},
		}
		if !reflect.DeepEqual(c.Series, want) || c.Total != 4 {
			t.Errorf("series = %+v total %d", c.Series, c.Total)
		}
		// Weeks start on Monday; after: and before: set the range even
		// where nothing matched.
		w, err := CoverageOf(ctx, db, CoverageRequest{Query: "talks OR مذاکرات after:2025-02-24 before:2025-03-17", Interval: IntervalWeek, By: ByOutlet, MaxSeries: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(w.Periods, []string{"2025-02-24", "2025-03-03", "2025-03-10"}) {
			t.Errorf("weeks = %v", w.Periods)
		}
		if len(w.Series) != 2 || w.Series[1].Key != "other" || w.Series[0].Total+w.Series[1].Total != w.Total {
			t.Errorf("folded series = %+v", w.Series)
		}
		if _, err := CoverageOf(ctx, db, CoverageRequest{Query: "x", Interval: "month"}); err == nil {
			t.Error("interval month accepted")
		}
		empty, err := CoverageOf(ctx, db, CoverageRequest{Query: "nothingmatchesthis"})
		if err != nil || len(empty.Periods) != 0 || len(empty.SVG(ChartOptions{})) == 0 {
			t.Errorf("empty coverage = %+v, %v", empty, err)
		}
	})
}

func TestCoverageSVG(t *testing.T) {
	c := Coverage{
		Query: `پوتین OR "nuclear <talks>"`, Interval: IntervalWeek, By: ByOrientation,
		Periods: []string{"2024-12-23", "2024-12-30", "2025-01-06"},
		Series: []Series{
			{Key: "hard-line", Label: "hard-line", Total: 7, Counts: []int{1, 4, 2}},
			{Key: "اصلاح‌طلب", Label: "اصلاح‌طلب", Total: 3, Counts: []int{0, 1, 2}},
		},
		Total: 10,
	}
	svg := string(c.SVG(ChartOptions{}))
	// Well-formed XML, so it embeds inline in HTML and serves as a file.
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, svg)
			}
			break
		}
	}
	for _, want := range []string{
		`role="img"`, `<title id="coverage-`, `<desc id="coverage-`,
		`Weekly counts of articles matching “پوتین OR &#34;nuclear &lt;talks&gt;&#34;” from 2024-12-23 to 2025-01-12, by orientation`,
		`hard-line (7)`, `اصلاح‌طلب (3)`, `23 Dec 2024`, `6 Jan 2025`, `Articles per week`, `<polyline`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, "<talks>") {
		t.Error("SVG has unescaped or active content")
	}
}

func TestNiceScale(t *testing.T) {
	for _, tc := range []struct{ n, top, step int }{{0, 1, 1}, {3, 3, 1}, {7, 8, 2}, {10, 10, 2}, {23, 25, 5}, {480, 500, 100}} {
		if top, step := niceScale(tc.n); top != tc.top || step != tc.step {
			t.Errorf("niceScale(%d) = %d, %d; want %d, %d", tc.n, top, step, tc.top, tc.step)
		}
	}
}

func TestTopics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := seedFixture(t, db)
		topic := Topic{Name: "Putin mediation", Query: "پوتین OR putin", CreatedBy: "analyst"}
		if err := SaveTopic(ctx, db, &topic); err != nil {
			t.Fatal(err)
		}
		if err := SaveTopic(ctx, db, &Topic{Name: "bad", Query: `"unclosed`}); err == nil {
			t.Error("a topic with a malformed query was saved")
		}
		// The archive does not alert; new articles do, once.
		if n, err := CheckTopics(ctx, db); err != nil || n != 0 {
			t.Fatalf("first check = %d, %v; want no alerts for the archive", n, err)
		}
		var outletID int64
		if err := db.QueryRowContext(ctx, `SELECT outlet_id FROM articles WHERE id = ?`, ids["kayhan-putin"]).Scan(&outletID); err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{"Putin calls Tehran", "Weather report"} {
			id, err := insertArticle(ctx, db, outletID, "https://example.org/"+title, title, "Text.", "en", mustDay(t, "2025-03-20"))
			if err != nil {
				t.Fatal(err)
			}
			if err := IndexArticle(ctx, db, id); err != nil {
				t.Fatal(err)
			}
		}
		for i, want := range []int{1, 0} {
			if n, err := CheckTopics(ctx, db); err != nil || n != want {
				t.Fatalf("check %d = %d, %v; want %d", i+2, n, err, want)
			}
		}
		alerts, err := ListAlerts(ctx, db, AlertFilter{Topic: "Putin mediation", UnseenOnly: true})
		if err != nil || len(alerts) != 1 {
			t.Fatalf("alerts = %+v, %v", alerts, err)
		}
		if a := alerts[0]; a.TopicName != "Putin mediation" || !strings.Contains(a.Hit.TitleHTML, "<mark>Putin</mark>") {
			t.Errorf("alert = %+v", a)
		}
		if err := MarkAlertsSeen(ctx, db, "Putin mediation", alerts[0].Hit.ArticleID); err != nil {
			t.Fatal(err)
		}
		if unseen, _ := ListAlerts(ctx, db, AlertFilter{UnseenOnly: true}); len(unseen) != 0 {
			t.Errorf("after marking seen: %d unseen", len(unseen))
		}
		topics, err := ListTopics(ctx, db)
		if err != nil || len(topics) != 1 || topics[0].LastSeenArticleID == 0 {
			t.Errorf("topics = %+v, %v", topics, err)
		}
		if err := DeleteTopic(ctx, db, "Putin mediation"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTopTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedFixture(t, db)
		terms, err := TopTerms(context.Background(), db, TermsRequest{Query: "پوتین OR putin", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]Term{}
		for _, tm := range terms {
			got[tm.Word] = tm
		}
		// Words of two matches rank; stop words (که, the, and, to) and the
		// query's own words do not appear.
		if got["پیشنهاد"].Docs != 2 {
			t.Errorf("پیشنهاد: %+v in %+v", got["پیشنهاد"], terms)
		}
		for _, stop := range []string{"که", "و", "the", "to", "and", "پوتین", "Putin"} {
			if _, ok := got[stop]; ok {
				t.Errorf("top terms include %q", stop)
			}
		}
	})
}
