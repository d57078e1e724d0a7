package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestShortRepostsJoinOneStory: a short statement posted by one account
// and reposted with small edits by another outlet (a flag, a signature, a
// word changed) is one story; another short statement on the same subject
// is not.
func TestShortRepostsJoinOneStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newChannels(t)
		svc := c.service(t, db)
		const statement = "سخنگوی وزارت امور خارجه امروز گفت هیئت ایرانی با دستور کار روشن و اختیارات کامل در گفتگوهای هفته آینده ژنو حاضر خواهد شد"
		feed := func(items ...[2]string) string {
			var b strings.Builder
			b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://x.com/</link>`)
			for _, it := range items {
				fmt.Fprintf(&b, "<item><title></title><description>%s</description><link>%s</link><pubDate>Wed, 03 Dec 2026 09:00:00 GMT</pubDate></item>", it[1], it[0])
			}
			return b.String() + "</channel></rss>"
		}
		c.set("/a/rss", "application/rss+xml", feed([2]string{"https://x.com/mfa_spokesman/status/101", statement}))
		c.set("/b/rss", "application/rss+xml", feed(
			[2]string{"https://x.com/khabar_now/status/201", "🔴 فوری | " + strings.Replace(statement, "امروز", "صبح امروز", 1) + " @khabar_now"},
			[2]string{"https://x.com/khabar_now/status/202", "سخنگوی وزارت امور خارجه امروز درباره سفر وزیر به مسکو گفت این سفر برای پیگیری توافق‌های اقتصادی انجام می‌شود"},
		))
		addOutlet(t, db, "mfa", outlets.XAccount)
		addOutlet(t, db, "khabar", outlets.XAccount)
		a, _ := svc.AddFeeds(ctx, "mfa", "https://bridge.example/a/rss", false, false)
		b, _ := svc.AddFeeds(ctx, "khabar", "https://bridge.example/b/rss", false, false)
		for _, f := range []int64{a[0].ID, b[0].ID} {
			if r, err := svc.PollFeed(ctx, f); err != nil || r.Err != nil {
				t.Fatalf("poll: %v, %v", err, r.Err)
			}
		}
		orig := articleByURL(t, db, "https://x.com/mfa_spokesman/status/101")
		repost := articleByURL(t, db, "https://x.com/khabar_now/status/201")
		other := articleByURL(t, db, "https://x.com/khabar_now/status/202")
		if repost.StoryID != orig.ID {
			t.Errorf("repost in story %d, want the original's %d", repost.StoryID, orig.ID)
		}
		if other.StoryID != other.ID {
			t.Errorf("another statement joined story %d", other.StoryID)
		}
		if n := count(t, db, `SELECT COUNT(DISTINCT article_id) FROM article_short_keys`); n != 3 {
			t.Errorf("short-text keys recorded for %d articles, want 3", n)
		}
	})
}
