package ingest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// wireParas is a wire story of the test's own writing.
var wireParas = []string{
	"به گزارش خبرگزاری، رئیس سازمان برنامه و بودجه امروز در نشست خبری اعلام کرد که لایحه بودجه سال آینده با تکیه بر درآمدهای مالیاتی و کاهش وابستگی به نفت تنظیم شده و هفته آینده به مجلس تقدیم می‌شود.",
	"وی افزود: سهم درآمدهای مالیاتی در این لایحه نسبت به سال جاری افزایش یافته و دولت تلاش کرده است هزینه‌های جاری را مهار کند تا کسری بودجه به حداقل برسد و فشار تورمی کاهش یابد.",
	"رئیس سازمان برنامه و بودجه همچنین گفت اعتبارات عمرانی برای تکمیل طرح‌های نیمه‌تمام در استان‌های کم‌برخوردار در اولویت قرار گرفته و منابع تازه‌ای برای حمل و نقل عمومی پیش‌بینی شده است.",
	"به گفته او، جزئیات کامل لایحه پس از تصویب در هیئت دولت منتشر خواهد شد و نمایندگان مجلس فرصت کافی برای بررسی آن در کمیسیون تلفیق خواهند داشت.",
}

func wireFeed(link string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>خبرها</title><link>https://wire.example/</link>` +
		`<item><title>لایحه بودجه</title><link>` + link + `</link><pubDate>Thu, 03 Dec 2026 08:00:00 GMT</pubDate></item></channel></rss>`
}

// TestOneURLTwoOutlets: a URL in two outlets' feeds is stored once and
// listed for both, whether the second outlet's entry is fetched after
// the first is stored or in the same batch.
func TestOneURLTwoOutlets(t *testing.T) {
	for _, sameBatch := range []bool{false, true} {
		t.Run(fmt.Sprintf("same batch %v", sameBatch), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				c := newChannels(t)
				svc := c.service(t, db)
				c.set("/news/1", "text/html; charset=utf-8", articleHTML("fa", "utf-8", "", "لایحه بودجه سال آینده هفته آینده به مجلس می‌رود", "",
					time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC), wireParas))
				c.set("/agency.xml", "application/rss+xml", wireFeed("https://wire.example/news/1"))
				c.set("/daily.xml", "application/rss+xml", wireFeed("https://wire.example/news/1?utm_source=rss"))
				addOutlet(t, db, "agency", outlets.NewsAgency)
				addOutlet(t, db, "daily", outlets.Newspaper)
				fa, _ := svc.AddFeeds(ctx, "agency", "https://wire.example/agency.xml", false, false)
				fd, _ := svc.AddFeeds(ctx, "daily", "https://wire.example/daily.xml", false, false)
				var entries []int64
				for _, f := range []int64{fa[0].ID, fd[0].ID} {
					r, err := svc.PollFeed(ctx, f)
					if err != nil || r.Err != nil || len(r.NewEntries) != 1 {
						t.Fatalf("poll: %+v, %v", r, err)
					}
					entries = append(entries, r.NewEntries...)
				}
				if sameBatch {
					if err := svc.FetchEntries(ctx, entries); err != nil {
						t.Fatal(err)
					}
				} else {
					for _, e := range entries {
						if err := svc.FetchEntry(ctx, e); err != nil {
							t.Fatal(err)
						}
					}
				}
				if n := count(t, db, `SELECT COUNT(*) FROM articles`); n != 1 {
					t.Fatalf("%d articles stored, want 1", n)
				}
				a := articleByURL(t, db, "https://wire.example/news/1")
				others, err := OtherOutlets(ctx, db, a.ID)
				want := "daily"
				if a.OutletKey == "daily" {
					want = "agency"
				}
				if err != nil || !slices.Equal(others, []string{want}) {
					t.Errorf("article of %s also listed by %v (%v), want [%s]", a.OutletKey, others, err, want)
				}
				if n := count(t, db, `SELECT COUNT(*) FROM feed_entries WHERE state = 'done' AND article_id = ?`, a.ID); n != 2 {
					t.Errorf("%d entries done with the article, want 2", n)
				}
				out, err := runCLI(svc, "", "articles", "show", fmt.Sprint(a.ID))
				if err != nil || !strings.Contains(out, "also listed by: "+want+"\n") {
					t.Errorf("articles show: %v\n%s", err, out)
				}
				for _, q := range []string{"بودجه", ""} {
					cov, err := search.CoverageOf(ctx, db, search.CoverageRequest{Query: q, By: search.ByOutlet})
					got := map[string]int{}
					for _, s := range cov.Series {
						got[s.Key] = s.Total
					}
					if err != nil || got["agency"] != 1 || got["daily"] != 1 || len(got) != 2 {
						t.Errorf("coverage of %q by outlet: %v (%v), want the article once for each", q, got, err)
					}
				}
			})
		})
	}
}

// TestArticlesRefetchCLI re-fetches articles from the command line: by
// id and every quoted one, with a line per article and a summary, an
// unknown id reported without stopping the others, and the schedule shown
// by articles show.
func TestArticlesRefetchCLI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateQueue(t, db)
		c := newChannels(t)
		svc := c.service(t, db)
		page := func(paras []string) string {
			return articleHTML("fa", "utf-8", "", "لایحه بودجه سال آینده هفته آینده به مجلس می‌رود", "",
				time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC), paras)
		}
		c.set("/news/1", "text/html; charset=utf-8", page(wireParas))
		c.set("/agency.xml", "application/rss+xml", wireFeed("https://wire.example/news/1"))
		addOutlet(t, db, "agency", outlets.NewsAgency)
		f, _ := svc.AddFeeds(ctx, "agency", "https://wire.example/agency.xml", false, false)
		r, err := svc.PollFeed(ctx, f[0].ID)
		if err != nil || len(r.NewEntries) != 1 {
			t.Fatalf("poll: %+v, %v", r, err)
		}
		if err := svc.FetchEntry(ctx, r.NewEntries[0]); err != nil {
			t.Fatal(err)
		}
		a := articleByURL(t, db, "https://wire.example/news/1")

		out, err := runCLI(svc, "", "articles", "show", fmt.Sprint(a.ID))
		if err != nil || !strings.Contains(out, "re-fetch: none scheduled (re-fetched on a schedule once quoted in an edition or clipped") {
			t.Errorf("articles show before quoting: %v\n%s", err, out)
		}
		if _, err := runCLI(svc, "", "articles", "refetch"); err == nil || !strings.Contains(err.Error(), "--quoted") {
			t.Errorf("refetch without ids: %v", err)
		}

		quote(t, db, a.OutletID, "https://wire.example/news/1?utm_source=telegram")
		out, err = runCLI(svc, "", "articles", "show", fmt.Sprint(a.ID))
		if err != nil || !strings.Contains(out, "re-fetch: due now (quoted or clipped, not re-fetched yet)") {
			t.Errorf("articles show once quoted: %v\n%s", err, out)
		}

		out, err = runCLI(svc, "", "articles", "refetch", "--quoted")
		want := fmt.Sprintf("[1/1] article %d unchanged: لایحه بودجه سال آینده هفته آینده به مجلس می‌رود\n1 article re-fetched: 1 unchanged\n", a.ID)
		if err != nil || out != want {
			t.Errorf("refetch --quoted: %v\n%s\nwant\n%s", err, out, want)
		}
		out, err = runCLI(svc, "", "articles", "show", fmt.Sprint(a.ID))
		if err != nil || !regexp.MustCompile(`re-fetch: next \d{4}-\d\d-\d\d \d\d:\d\d UTC, last \d{4}-\d\d-\d\d \d\d:\d\d UTC \(quoted or clipped\)`).MatchString(out) {
			t.Errorf("articles show after a re-fetch: %v\n%s", err, out)
		}

		edited := append(slices.Clone(wireParas[:3]), "به گفته او، جزئیات کامل لایحه فردا منتشر خواهد شد.")
		c.set("/news/1", "text/html; charset=utf-8", page(edited))
		out, err = runCLI(svc, "", "articles", "refetch", fmt.Sprint(a.ID), "99999")
		if err == nil || !strings.Contains(out, fmt.Sprintf("[1/2] article %d edited: ", a.ID)) ||
			!strings.Contains(out, "[2/2] article 99999: article 99999: not found") ||
			!strings.HasSuffix(out, "2 articles re-fetched: 1 edited, 1 failed\n") {
			t.Errorf("refetch ID 99999: %v\n%s", err, out)
		}
		out, err = runCLI(svc, "", "articles", "show", fmt.Sprint(a.ID))
		if err != nil || !strings.Contains(out, "edited ") || !strings.Contains(out, "فردا منتشر خواهد شد") {
			t.Errorf("articles show after the edit: %v\n%s", err, out)
		}
	})
}
