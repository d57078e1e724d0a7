package ingest

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// agencyCredit is what the agency adds when it reprints a story.
const agencyCredit = "به گزارش خبرگزاری آزمون از تهران، این خبر امروز منتشر شد."

// desk is a monitoring desk wired to a test press.
type desk struct {
	db      *store.DB
	svc     *Service
	press   *press
	stories []story
	feeds   map[string]int64 // by name
	// feedDate is the feed's date of story 0, whose page gives none.
	feedDate time.Time
}

func testConfig(t testing.TB, p *press) Config {
	return Config{
		DataDir:       t.TempDir(),
		UserAgent:     "pressreview-test/1.0",
		Concurrency:   4,
		Timeout:       2 * time.Second,
		MaxBytes:      1 << 20,
		ArchiveNoSync: true,
		Fetch: fetch.Config{
			HostConcurrency: 8,
			Allow:           []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
			Transport:       p.route,
		},
	}
}

func newDesk(t testing.TB, db *store.DB) *desk {
	t.Helper()
	p := newPress(t)
	svc, err := New(db, testConfig(t, p))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	d := &desk{db: db, svc: svc, press: p, stories: persianStories(t), feeds: map[string]int64{},
		feedDate: time.Date(2023, 10, 16, 8, 30, 0, 0, time.UTC)}
	d.publish(t)
	return d
}

func (d *desk) url(path string) string { return d.press.URL + path }

// publish puts the outlets' feeds and pages on the press and subscribes
// the desk to them.
func (d *desk) publish(t testing.TB) {
	ctx := context.Background()
	base := d.feedDate
	utf8Stories := d.stories[:6]
	var hamshahri, agency []feedItem
	for i, s := range utf8Stories {
		path := fmt.Sprintf("/fa/news/%d", i)
		published := base.Add(time.Duration(i) * time.Hour)
		pagePublished := published
		if i == 0 {
			pagePublished = time.Time{} // only the feed knows
		}
		paras := append([]string{s.Lead}, s.Paras...)
		d.press.set(path, page{ctype: "text/html; charset=utf-8",
			body: []byte(articleHTML("fa", "utf-8", d.url(path), s.Title, "همشهری آنلاین", pagePublished, paras))})
		hamshahri = append(hamshahri, feedItem{s.Title, d.url(path), published})
		if i == 1 || i == 2 {
			rp := fmt.Sprintf("/agency/news/%d", i)
			d.press.set(rp, page{ctype: "text/html; charset=utf-8",
				body: []byte(articleHTML("fa", "utf-8", d.url(rp), s.Title, "خبرگزاری آزمون", published.Add(time.Hour),
					append([]string{agencyCredit}, paras...)))})
			agency = append(agency, feedItem{s.Title, d.url(rp), published.Add(time.Hour)})
		}
	}
	// The same article under a tracking parameter, and its text under a
	// second address of the same outlet: both must map to one article.
	d.press.set("/fa/copy/0", page{ctype: "text/html; charset=utf-8",
		body: []byte(articleHTML("fa", "utf-8", "", utf8Stories[0].Title, "", time.Time{},
			append([]string{utf8Stories[0].Lead}, utf8Stories[0].Paras...)))})
	hamshahri = append(hamshahri,
		feedItem{utf8Stories[0].Title, d.url("/fa/news/0?utm_source=telegram&utm_medium=social"), base},
		feedItem{utf8Stories[0].Title, d.url("/fa/copy/0"), base},
		feedItem{"خبر حذف‌شده", d.url("/fa/news/missing"), base})
	d.press.set("/fa/rss.xml", page{ctype: "application/rss+xml; charset=utf-8", body: []byte(rssFeed("همشهری آنلاین", d.url("/fa/"), hamshahri))})
	d.press.set("/agency/rss.xml", page{ctype: "application/rss+xml", body: []byte(rssFeed("خبرگزاری آزمون", d.url("/agency/"), agency))})

	// A legacy outlet: Atom and pages in windows-1256.
	var alef []feedItem
	for i, s := range d.stories[6:min(len(d.stories), 9)] {
		path := fmt.Sprintf("/fa1256/news/%d", i)
		d.press.set(path, page{ctype: "text/html",
			body: win1256(articleHTML("fa", "windows-1256", d.url(path), s.Title, "الف", base, append([]string{s.Lead}, s.Paras...)))})
		alef = append(alef, feedItem{s.Title, d.url(path), base.Add(time.Duration(i) * time.Minute)})
	}
	d.press.set("/fa1256/atom.xml", page{ctype: "application/atom+xml", body: win1256(atomFeed("windows-1256", "الف", d.url("/fa1256/"), alef))})

	// The wrong declaration: UTF-8 bytes labelled ISO-8859-1.
	d.press.set("/fault/wrong-charset.xml", page{ctype: "application/rss+xml; charset=iso-8859-1",
		body: []byte(strings.Replace(rssFeed("همشهری", d.url("/fa/"), hamshahri[:2]), `encoding="utf-8"`, `encoding="iso-8859-1"`, 1))})

	// Real feeds (the same site as JSON Feed and Atom), served unchanged;
	// their items link to daringfireball.net, which the press stands in for.
	for name, file := range map[string]string{"df.json": "DaringFireball.json", "df.atom": "DaringFireball.atom"} {
		data, err := os.ReadFile("../../testdata/feeds/real-world-rsparser/" + file)
		if err != nil {
			t.Fatal(err)
		}
		ct := "application/atom+xml"
		if strings.HasSuffix(name, ".json") {
			ct = "application/feed+json"
		}
		d.press.set("/real/"+name, page{ctype: ct, body: data})
	}

	for _, o := range []outlets.Outlet{
		{Key: "hamshahri", Name: "Hamshahri Online", Kind: outlets.Website, Language: "fa", Homepage: d.url("/fa/")},
		{Key: "agency", Name: "Azmoon News Agency", Kind: outlets.NewsAgency, Language: "fa"},
		{Key: "alef", Name: "Alef", Kind: outlets.Website, Language: "fa"},
		{Key: "df", Name: "Daring Fireball", Kind: outlets.Website, Language: "en"},
		{Key: "faulty", Name: "Faulty Daily", Kind: outlets.Newspaper},
	} {
		if err := outlets.SaveOutlet(ctx, d.db, &o); err != nil {
			t.Fatal(err)
		}
	}
	for name, sub := range map[string][2]string{
		"hamshahri": {"hamshahri", "/fa/rss.xml"},
		"agency":    {"agency", "/agency/rss.xml"},
		"alef":      {"alef", "/fa1256/atom.xml"},
		"df.json":   {"df", "/real/df.json"},
		"df.atom":   {"df", "/real/df.atom"},
		"404":       {"faulty", "/fault/404.xml"},
		"410":       {"faulty", "/fault/410.xml"},
		"500":       {"faulty", "/fault/500.xml"},
		"hang":      {"faulty", "/fault/hang.xml"},
		"malformed": {"faulty", "/fault/malformed.xml"},
		"bomb":      {"faulty", "/fault/bomb.xml"},
		"loop":      {"faulty", "/fault/loop.xml"},
		"robots":    {"faulty", "/private/feed.xml"},
		"charset":   {"hamshahri", "/fault/wrong-charset.xml"},
	} {
		fs, err := d.svc.AddFeeds(ctx, sub[0], d.url(sub[1]), false, false)
		if err != nil {
			t.Fatal(err)
		}
		d.feeds[name] = fs[0].ID
	}
}

// count runs a COUNT query.
func count(t testing.TB, q store.Querier, query string, args ...any) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// articleAt returns the article stored for a page path.
func (d *desk) articleAt(t testing.TB, path string) Article {
	t.Helper()
	id, err := articleIDByURL(context.Background(), d.db, d.url(path))
	if err != nil || id == 0 {
		t.Fatalf("no article stored for %s (%v)", path, err)
	}
	a, err := ArticleByID(context.Background(), d.db, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
