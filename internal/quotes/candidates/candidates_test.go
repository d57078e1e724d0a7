package candidates_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/quotes"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// desk is a store with two outlets of different camps, the real intake
// for pasting articles, and the clips service.
type desk struct {
	db     *store.DB
	intake *ingest.Service
	clips  *clips.Service
}

func newDesk(t *testing.T, db *store.DB) *desk {
	t.Helper()
	ctx := context.Background()
	cfg := ingest.Config{DataDir: t.TempDir(), UserAgent: "pressreview-test/1.0", Timeout: 5 * time.Second, ArchiveNoSync: true,
		Fetch: fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}}
	in, err := ingest.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	for _, o := range []outlets.Outlet{
		{Key: "kayhan", Name: "Kayhan", NativeName: "کیهان", Kind: outlets.Newspaper, Language: "fa", Orientation: "hard-line"},
		{Key: "shargh", Name: "Shargh Daily", NativeName: "شرق", Kind: outlets.Newspaper, Language: "fa", Orientation: "reformist"},
	} {
		if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
			t.Fatal(err)
		}
	}
	return &desk{db: db, intake: in, clips: clips.New(db, cfg.Archive())}
}

func (d *desk) paste(t *testing.T, outlet string, day time.Time, text string) ingest.Article {
	t.Helper()
	a, _, err := d.intake.AddPasted(context.Background(), ingest.Paste{OutletKey: outlet, Source: "print edition",
		Date: day, Lang: "fa", Body: []byte(text)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// found builds what the finder would report for quote in text, said by
// name with role; spans are located in the text.
func found(t *testing.T, text string, cs ...[3]string) candidates.Found {
	t.Helper()
	var f candidates.Found
	for i, c := range cs {
		quote, name, role := c[0], c[1], c[2]
		start, end := at(t, text, quote)
		q := candidates.Candidate{Position: i, Kind: quotes.Direct, Start: start, End: end, Quote: quote,
			SpeakerName: name, Confidence: 0.9}
		if role != "" {
			s, e := at(t, text, role)
			q.Role = &candidates.Span{Start: s, End: e, Text: role}
		}
		f.Candidates = append(f.Candidates, q)
	}
	return f
}

// people runs `pressreview people ARGS...` on db and returns its output.
func people(t *testing.T, db *store.DB, args ...string) string {
	t.Helper()
	out, err := runPeople(db, args...)
	if err != nil {
		t.Fatalf("people %v: %v", args, err)
	}
	return out
}

func runPeople(db *store.DB, args ...string) (string, error) {
	cmd := candidates.Commands(func(ctx context.Context, fn func(*store.DB) error) error { return fn(db) })[0]
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func at(t *testing.T, text, s string) (int, int) {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("%q is not in %q", s, text)
	}
	start := len([]rune(text[:i]))
	return start, start + len([]rune(s))
}

const (
	textKayhan = "علي لاريجاني، رئيس مجلس، گفت: «مذاکره با آمریکا سودی ندارد.»\n\n" +
		"حسن عباسی، کارشناس مسائل بین‌الملل، گفت: «باید صبر کرد.»"
	textShargh = "لاریجانی گفت: «درِ گفت‌وگو باز است.»"
)

// TestSaveLinksAndProposes stores candidates for two articles in two
// camps, twice, and checks: saving again replaces rather than doubles;
// the speaker written with Arabic yeh is the roster's Persian spelling;
// an alias links the other article's surname-only mention; the unknown
// speaker is proposed with the role beside them until dismissed, and is
// linked as soon as they are added to the roster; a clip of a candidate
// counts once, and a clip no candidate covers is a quote of its own.
func TestSaveLinksAndProposes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		larijani := outlets.Person{Key: "ali-larijani", Name: "Ali Larijani", NativeName: "علی لاریجانی",
			Role: "Speaker of parliament", Aliases: []string{"لاریجانی"}}
		if err := outlets.SavePerson(ctx, db, &larijani); err != nil {
			t.Fatal(err)
		}
		march, april := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), time.Date(2025, 4, 20, 9, 0, 0, 0, time.UTC)
		k := d.paste(t, "kayhan", march, textKayhan)
		s := d.paste(t, "shargh", april, textShargh)
		fk := found(t, k.Text, [3]string{"مذاکره با آمریکا سودی ندارد.", "علي لاريجاني", "رئيس مجلس"},
			[3]string{"باید صبر کرد.", "حسن عباسی", "کارشناس مسائل بین‌الملل"},
			[3]string{"صبر کرد", "کیهان", ""}) // a newspaper as the speaker: no person to propose
		fs := found(t, s.Text, [3]string{"درِ گفت‌وگو باز است.", "لاریجانی", ""})
		for range 2 {
			if err := candidates.Save(ctx, db, k.ID, k.ContentHash, fk, time.Now()); err != nil {
				t.Fatal(err)
			}
			if err := candidates.Save(ctx, db, s.ID, s.ContentHash, fs, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		got, err := candidates.ForArticle(ctx, db, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Quote != "مذاکره با آمریکا سودی ندارد." || got[0].Role == nil || got[0].Role.Text != "رئيس مجلس" {
			t.Fatalf("candidates of the Kayhan article after two saves: %+v", got)
		}
		if scan, ok, err := candidates.ScanOf(ctx, db, k.ID); err != nil || !ok || scan.Found != 3 || scan.Error != "" || scan.ContentHash != k.ContentHash {
			t.Errorf("scan %+v %v %v", scan, ok, err)
		}

		// The Kayhan quote is clipped: it stays one quote, marked clipped.
		start, end := got[0].Start, got[0].End
		c, err := d.clips.Save(ctx, clips.NewClip{Article: k.ID, Start: &start, End: &end,
			Speaker: clips.SpeakerRef{Key: "ali-larijani"}, Translation: "Talks with America are of no use."})
		if err != nil {
			t.Fatal(err)
		}
		// A passage no candidate covers, clipped for him too.
		os, oe := at(t, k.Text, "رئيس مجلس")
		if _, err := d.clips.Save(ctx, clips.NewClip{Article: k.ID, Start: &os, End: &oe,
			Speaker: clips.SpeakerRef{Key: "ali-larijani"}, Translation: "Speaker of parliament"}); err != nil {
			t.Fatal(err)
		}
		qs, err := candidates.ForPerson(ctx, db, larijani)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) != 3 {
			t.Fatalf("Larijani's quotes: %d, want 3 (two found, one clipped passage): %+v", len(qs), qs)
		}
		if qs[0].Outlet.Key != "shargh" || qs[0].Camp() != "reformist" || qs[0].Clip != 0 || !qs[0].Date.Equal(april) {
			t.Errorf("newest quote %+v", qs[0])
		}
		clipped := 0
		for _, q := range qs[1:] {
			if q.Clip == c.ID && q.Candidate.ID != 0 {
				clipped++
			}
		}
		if clipped != 1 {
			t.Errorf("the clipped candidate is not marked with clip %d: %+v", c.ID, qs[1:])
		}
		chart := candidates.ChartOf(qs)
		if strings.Join(chart.Months, " ") != "2025-03 2025-04" || strings.Join(chart.Camps, " ") != "hard-line reformist" ||
			chart.Counts[0][0] != 2 || chart.Counts[1][1] != 1 || chart.Max != 2 {
			t.Errorf("chart %+v", chart)
		}
		out := people(t, db, "show", "ali-larijani")
		for _, want := range []string{"Ali Larijani (علی لاریجانی)", "3 quotes", "hard-line", "reformist",
			"2025-03", "2025-04", "█", "[found, direct, clip " + fmt.Sprint(c.ID) + "]", "درِ گفت‌وگو باز است."} {
			if !strings.Contains(out, want) {
				t.Errorf("people show lacks %q:\n%s", want, out)
			}
		}
		t.Logf("people show ali-larijani:\n%s", out)
		if _, err := runPeople(db, "show", "nobody"); err == nil || cli.ExitCode(err) != 1 || !strings.Contains(err.Error(), `no person has the key "nobody"`) {
			t.Errorf("people show nobody: %v", err)
		}
		js, err := runPeople(db, "show", "ali-larijani", "--json")
		var shown struct {
			Person outlets.Person
			Quotes []candidates.Quote
		}
		if err != nil || json.Unmarshal([]byte(js), &shown) != nil || shown.Person.Key != "ali-larijani" || len(shown.Quotes) != 3 {
			t.Errorf("people show --json: %v\n%s", err, js)
		}

		ps, err := candidates.Proposals(ctx, db, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].Name != "حسن عباسی" || ps[0].Role != "کارشناس مسائل بین‌الملل" || ps[0].Quotes != 1 || ps[0].Article != k.ID {
			t.Fatalf("proposals %+v, want Hassan Abbasi with his role", ps)
		}
		abbasi := outlets.Person{Key: "hassan-abbasi", Name: "Hassan Abbasi", NativeName: "حسن عباسي"}
		if err := outlets.SavePerson(ctx, db, &abbasi); err != nil {
			t.Fatal(err)
		}
		if ps, _ := candidates.Proposals(ctx, db, 0); len(ps) != 0 {
			t.Errorf("proposals after adding him: %+v", ps)
		}
		if qs, err := candidates.ForPerson(ctx, db, abbasi); err != nil || len(qs) != 1 || qs[0].Quote != "باید صبر کرد." {
			t.Errorf("Abbasi's quotes, found before he was on the roster: %+v %v", qs, err)
		}
		if err := outlets.SavePerson(ctx, db, &outlets.Person{Key: "other", Name: "Other"}); err != nil {
			t.Fatal(err)
		}
		// Dismissed names are not proposed again.
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM people WHERE key = 'hassan-abbasi'`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := candidates.Dismiss(ctx, db, "حسن عباسی", "analyst@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := candidates.Dismiss(ctx, db, "حسن  عباسی", "analyst@example.org"); err != nil {
			t.Fatalf("dismissing twice: %v", err)
		}
		if ps, _ := candidates.Proposals(ctx, db, 0); len(ps) != 0 {
			t.Errorf("proposals after dismissal: %+v", ps)
		}
		if err := candidates.Dismiss(ctx, db, "  ", ""); !errors.Is(err, candidates.ErrNoName) {
			t.Errorf("dismissing a blank name: %v", err)
		}
	})
}

// TestSaveRecordsFinderError keeps the finder's failure with the scan
// and stores no candidates, replacing those of an earlier text.
func TestSaveRecordsFinderError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		a := d.paste(t, "kayhan", time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), textShargh)
		if err := candidates.Save(ctx, db, a.ID, a.ContentHash, found(t, a.Text, [3]string{"درِ گفت‌وگو باز است.", "لاریجانی", ""}), time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := candidates.Save(ctx, db, a.ID, "edited", candidates.Found{Err: errors.New("quote finder: invalid UTF-8 in paragraph 2")}, time.Now()); err != nil {
			t.Fatal(err)
		}
		got, err := candidates.ForArticle(ctx, db, a.ID)
		scan, ok, serr := candidates.ScanOf(ctx, db, a.ID)
		switch {
		case err != nil || serr != nil:
			t.Fatal(err, serr)
		case len(got) != 0:
			t.Errorf("candidates after a failed scan: %+v", got)
		case !ok || scan.Found != 0 || scan.ContentHash != "edited" || !strings.Contains(scan.Error, "paragraph 2"):
			t.Errorf("scan %+v", scan)
		}
	})
}

// TestBackfill scans the articles that have no scan of their current
// text — here, after their scans are deleted as if stored before the
// finder ran — newest first, within the limit, and not twice.
func TestBackfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDesk(t, db)
		older := d.paste(t, "kayhan", time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), textKayhan)
		newer := d.paste(t, "shargh", time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC), textShargh)
		want, err := candidates.ForArticle(ctx, db, older.ID)
		if err != nil || len(want) == 0 {
			t.Fatalf("the finder found nothing in %q at ingest: %v", textKayhan, err)
		}
		for _, stmt := range []string{`DELETE FROM quote_candidates`, `DELETE FROM quote_scans`} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		if out := people(t, db, "backfill", "--limit", "1"); out != "1 article scanned for quotes\n" {
			t.Errorf("backfill --limit 1 printed %q", out)
		}
		if _, ok, _ := candidates.ScanOf(ctx, db, newer.ID); !ok {
			t.Errorf("the newest article was not scanned first")
		}
		if n, err := candidates.Backfill(ctx, db, 0); n != 1 || err != nil {
			t.Errorf("backfill of the rest: %d, %v; want 1", n, err)
		}
		if got, _ := candidates.ForArticle(ctx, db, older.ID); len(got) != len(want) {
			t.Errorf("%d candidates after the backfill, %d at ingest", len(got), len(want))
		}
		if n, err := candidates.Backfill(ctx, db, 0); n != 0 || err != nil {
			t.Errorf("a second backfill scanned %d (%v)", n, err)
		}
	})
}
