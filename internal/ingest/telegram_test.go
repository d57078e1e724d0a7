package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// channels stands in for t.me and for an RSS bridge, on loopback: every
// request, whatever its host, reaches it through loopbackTransport. Pages
// are by path and query ("/s/khabarfori?before=101").
type channels struct {
	*httptest.Server
	mu        sync.Mutex
	pages     map[string]page
	redirects map[string]string
}

func newChannels(t *testing.T) *channels {
	c := &channels{pages: map[string]page{}, redirects: map[string]string{}}
	c.Server = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.Close)
	return c
}

func (c *channels) set(pathQuery, ctype, body string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages[pathQuery] = page{status: http.StatusOK, ctype: ctype, body: []byte(body)}
}

func (c *channels) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	c.mu.Lock()
	pg, ok := c.pages[key]
	to, moved := c.redirects[r.URL.Path]
	c.mu.Unlock()
	switch {
	case moved:
		http.Redirect(w, r, to, http.StatusFound)
	case ok:
		w.Header().Set("Content-Type", pg.ctype)
		w.WriteHeader(pg.status)
		_, _ = w.Write(pg.body)
	default:
		http.NotFound(w, r)
	}
}

func (c *channels) service(t *testing.T, db *store.DB) *Service {
	svc, err := New(db, Config{
		DataDir: t.TempDir(), UserAgent: "pressreview-test/1.0", Concurrency: 2, Timeout: 2 * time.Second,
		MaxBytes: 1 << 20, ArchiveNoSync: true,
		Fetch: fetch.Config{
			HostConcurrency: 4,
			Allow:           []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
			Transport: func(base http.RoundTripper) http.RoundTripper {
				return loopbackTransport{addr: c.Listener.Addr().String(), base: base}
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../telegram/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ministryPreview is the preview of the channel whose post 45 the
// fixture's post 102 forwards.
const ministryPreview = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>وزارت امور خارجه – Telegram</title></head><body>
<section class="tgme_channel_history js-message_history">
<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="vezaratkhareje/45">
<div class="tgme_widget_message_bubble">
<div class="tgme_widget_message_text js-message_text" dir="auto">بیانیه وزارت امور خارجه درباره نشست هفته آینده در ژنو: هیئت ایرانی با دستور کار روشن و اختیارات کامل در گفتگوها حاضر خواهد شد.</div>
<div class="tgme_widget_message_footer"><div class="tgme_widget_message_info"><span class="tgme_widget_message_views">40K</span>
<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/vezaratkhareje/45"><time datetime="2026-12-03T08:55:00+00:00">08:55</time></a></span></div></div>
</div></div></div>
</section></body></html>`

func addOutlet(t *testing.T, db *store.DB, key string, kind outlets.Kind) {
	t.Helper()
	if err := outlets.SaveOutlet(context.Background(), db, &outlets.Outlet{Key: key, Name: key, Kind: kind}); err != nil {
		t.Fatal(err)
	}
}

func articleByURL(t *testing.T, db *store.DB, u string) Article {
	t.Helper()
	id, err := articleIDByURL(context.Background(), db, u)
	if err != nil || id == 0 {
		t.Fatalf("no article stored for %s (%v)", u, err)
	}
	a, err := ArticleByID(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestTelegramChannel follows a channel through its public preview served
// from loopback: posts with their fields become articles of the feed's
// outlet, older pages are read once, the pages are archived, a forward
// joins the story of the post it forwards, a second poll adds nothing,
// and the channel renamed (the old preview redirecting to the new one)
// keeps its posts.
func TestTelegramChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newChannels(t)
		svc := c.service(t, db)
		html := "text/html; charset=utf-8"
		c.set("/s/khabarfori", html, fixture(t, "khabarfori.html"))
		c.set("/s/khabarfori?before=101", html, fixture(t, "khabarfori-before-101.html"))
		c.set("/s/vezaratkhareje", html, ministryPreview)
		addOutlet(t, db, "khabarfori", outlets.Telegram)
		addOutlet(t, db, "mfa", outlets.Institution)

		added, err := svc.AddFeeds(ctx, "khabarfori", "tg:khabarfori", false, true)
		if err != nil || len(added) != 1 || added[0].URL != "https://t.me/s/khabarfori" || added[0].Title != "خبر فوری" ||
			added[0].Format != "Telegram" {
			t.Fatalf("feeds add tg:khabarfori = %+v, %v", added, err)
		}
		feed := added[0].ID
		ministry, err := svc.AddFeeds(ctx, "mfa", "https://t.me/vezaratkhareje", false, false)
		if err != nil || ministry[0].URL != "https://t.me/s/vezaratkhareje" {
			t.Fatalf("feeds add = %+v, %v", ministry, err)
		}
		if r, err := svc.PollFeed(ctx, ministry[0].ID); err != nil || r.Err != nil || len(r.NewEntries) != 1 {
			t.Fatalf("poll ministry: %+v, %v", r, err)
		}

		r, err := svc.PollFeed(ctx, feed)
		if err != nil || r.Err != nil {
			t.Fatalf("poll: %v, %v", err, r.Err)
		}
		// Six posts on the newest page, two on the older one it pages back to.
		if r.Items != 8 || len(r.NewEntries) != 8 || r.Feed.Format != "Telegram" || r.Feed.Title != "خبر فوری" {
			t.Fatalf("poll found %d items, %d new; feed %+v", r.Items, len(r.NewEntries), r.Feed)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM feed_entries WHERE feed_id = ? AND state = 'done' AND article_id IS NOT NULL`, feed); n != 8 {
			t.Errorf("%d entries done with their article, want 8", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM captures WHERE feed_id = ?`, feed); n != 2 {
			t.Errorf("%d captures of the channel's pages, want 2 (newest and older)", n)
		}

		a := articleByURL(t, db, "https://t.me/khabarfori/101")
		if a.OutletKey != "khabarfori" || a.Lang != "fa" || a.Byline != "مریم" || a.Published == nil ||
			!a.Published.Equal(time.Date(2026, 12, 3, 8, 15, 0, 0, time.UTC)) ||
			!strings.HasPrefix(a.Title, "🔴 سخنگوی دولت: جلسه هیئت دولت") ||
			!strings.Contains(a.Text, "جزئیات بیشتر پس از جلسه اعلام خواهد شد.") ||
			a.SourceDetail != "Telegram @khabarfori; 12300 views when read" || a.CaptureID == nil || a.FeedID == nil {
			t.Errorf("post 101 stored as %+v", a)
		}
		if page, err := svc.ArticleHTML(ctx, a); err != nil || !strings.Contains(page, `data-post="khabarfori/101"`) {
			t.Errorf("post 101: the archived preview is not read back (%v)", err)
		}
		fw := articleByURL(t, db, "https://t.me/khabarfori/102")
		orig := articleByURL(t, db, "https://t.me/vezaratkhareje/45")
		if fw.StoryID != orig.ID || !strings.Contains(fw.SourceDetail, "forwarded from وزارت امور خارجه https://t.me/vezaratkhareje/45") {
			t.Errorf("forward: story %d (original %d), detail %q", fw.StoryID, orig.ID, fw.SourceDetail)
		}
		album := articleByURL(t, db, "https://t.me/khabarfori/103")
		if !strings.Contains(album.SourceDetail, "album of 3") {
			t.Errorf("album detail %q", album.SourceDetail)
		}
		if poll := articleByURL(t, db, "https://t.me/khabarfori/106"); !strings.Contains(poll.Text, "– خیر (62%)") {
			t.Errorf("poll text %q", poll.Text)
		}
		if bare := articleByURL(t, db, "https://t.me/khabarfori/109"); bare.Published != nil || bare.SourceDetail != "Telegram @khabarfori; edited before it was read" {
			t.Errorf("post without date or views: %+v", bare)
		}
		articleByURL(t, db, "https://t.me/khabarfori/99") // from the older page

		res, err := search.Search(ctx, db, search.Request{Query: "لایحه بودجه"})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].URL != "https://t.me/khabarfori/111" || res.Hits[0].Outlet.Key != "khabarfori" {
			t.Errorf("search for the budget post: %+v, %v", res.Hits, err)
		}

		// Polled again, unchanged: nothing new, no page fetched back.
		if r, err := svc.PollFeed(ctx, feed); err != nil || r.Err != nil || !r.NotModified || len(r.NewEntries) != 0 {
			t.Errorf("second poll: %+v, %v", r, err)
		}

		// Re-fetched through the preview page ending with the post: unchanged,
		// then edited, then deleted (absent from a page of older posts).
		main := fixture(t, "khabarfori.html")
		c.set("/s/khabarfori?before=102", html, main)
		if r, err := svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "unchanged" || r.Err != nil {
			t.Errorf("re-fetch of post 101: %+v, %v", r, err)
		}
		keysBefore := shortKeysOf(t, db, a.ID)
		c.set("/s/khabarfori?before=102", html, strings.Replace(main, "جزئیات بیشتر پس از جلسه", "جزئیات بیشتر فردا", 1))
		if r, err := svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "edited" {
			t.Errorf("re-fetch of post 101 edited: %+v, %v", r, err)
		}
		if keysAfter := shortKeysOf(t, db, a.ID); len(keysBefore) != 10 || len(keysAfter) != 10 || slices.Equal(keysBefore, keysAfter) {
			t.Errorf("short-text keys of the edited post: %v before, %v after", keysBefore, keysAfter)
		}
		bare := articleByURL(t, db, "https://t.me/khabarfori/109")
		c.set("/s/khabarfori?before=110", html, fixture(t, "khabarfori-before-101.html"))
		if r, err := svc.Refetch(ctx, bare.ID); err != nil || r.Outcome != "deleted" {
			t.Errorf("re-fetch of deleted post 109: %+v, %v", r, err)
		}
		if revs, err := Revisions(ctx, db, bare.ID); err != nil || len(revs) != 1 || revs[0].Kind != "deleted" {
			t.Errorf("revisions of post 109: %+v, %v", revs, err)
		}

		// Renamed: the old preview redirects to the new name, with a new title
		// and one new post; the old posts are the same articles.
		renamed := func(s string) string {
			return strings.ReplaceAll(strings.ReplaceAll(s, "khabarfori", "akhbar_fori"), "خبر فوری", "اخبار فوری")
		}
		newer := strings.Replace(renamed(fixture(t, "khabarfori.html")), "</section>\n      </div>", `<div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="tgme_widget_message js-widget_message" data-post="akhbar_fori/112"><div class="tgme_widget_message_bubble">
<div class="tgme_widget_message_text js-message_text" dir="auto">نشست خبری سخنگوی قوه قضاییه فردا ساعت ده برگزار می‌شود.</div>
<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/akhbar_fori/112"><time datetime="2026-12-04T09:00:00+00:00">09:00</time></a></span>
</div></div></div>
</section>
      </div>`, 1)
		c.set("/s/akhbar_fori", html, newer)
		c.set("/s/akhbar_fori?before=101", html, renamed(fixture(t, "khabarfori-before-101.html")))
		c.mu.Lock()
		c.redirects["/s/khabarfori"] = "/s/akhbar_fori"
		c.mu.Unlock()
		before := count(t, db, `SELECT COUNT(*) FROM articles WHERE outlet_id = ?`, a.OutletID)
		r, err = svc.PollFeed(ctx, feed)
		if err != nil || r.Err != nil {
			t.Fatalf("poll after the rename: %v, %v", err, r.Err)
		}
		after := count(t, db, `SELECT COUNT(*) FROM articles WHERE outlet_id = ?`, a.OutletID)
		if after != before+1 || r.Feed.Title != "اخبار فوری" {
			t.Errorf("after the rename: %d articles (was %d, want one more), feed title %q", after, before, r.Feed.Title)
		}
		if id, _ := articleIDByURL(ctx, db, "https://t.me/akhbar_fori/101"); id != a.ID {
			t.Errorf("post 101 under the new name is article %d, want %d", id, a.ID)
		}
		articleByURL(t, db, "https://t.me/akhbar_fori/112")
	})
}

// TestTelegramBadPreviews: a channel that does not exist (its preview
// is a contact page) and a preview with no readable post leave readable
// errors or nothing, and the other feeds are polled.
func TestTelegramBadPreviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newChannels(t)
		svc := c.service(t, db)
		html := "text/html; charset=utf-8"
		c.set("/s/nosuchchannel", html, fixture(t, "no-channel.html"))
		c.set("/s/emptychannel", html, `<html><body><section class="tgme_channel_history js-message_history">
<div class="tgme_widget_message_wrap"><div class="tgme_widget_message service_message" data-post="emptychannel/1">
<div class="tgme_widget_message_text">Channel created</div></div></div></section></body></html>`)
		addOutlet(t, db, "tg", outlets.Telegram)
		bad, _ := svc.AddFeeds(ctx, "tg", "@nosuchchannel", false, false)
		empty, _ := svc.AddFeeds(ctx, "tg", "tg:emptychannel", false, false)

		r, err := svc.PollFeed(ctx, bad[0].ID)
		want := "https://t.me/s/nosuchchannel: malformed Telegram channel preview: the page has no message history (a channel that does not exist, is private, or has its preview turned off)"
		if err != nil || r.Err == nil || r.Err.Error() != want || r.Feed.LastError != want || r.Feed.ConsecutiveFailures != 1 {
			t.Errorf("no such channel: %v; recorded %q (%d failures)\nwant %q", err, r.Feed.LastError, r.Feed.ConsecutiveFailures, want)
		}
		if _, err := svc.AddFeeds(ctx, "tg", "tg:nosuchchannel", false, true); err == nil || !strings.Contains(err.Error(), "has no message history") {
			t.Errorf("adding a channel that does not exist, checked: %v", err)
		}

		r, err = svc.PollFeed(ctx, empty[0].ID)
		if err != nil || r.Err != nil || r.Items != 0 || r.Feed.Format != "Telegram" {
			t.Errorf("a channel with only a service message: %+v, %v", r, err)
		}
	})
}

// TestXBridge follows an X account through an RSS bridge: the posts are
// articles read from the feed (X's pages are not fetched), one post
// served by two bridges is one article, and a bridge that answers with an
// HTML page leaves a readable error on its feed.
func TestXBridge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newChannels(t)
		svc := c.service(t, db)
		type item struct{ link, title, desc, date string }
		bridgeFeed := func(title string, items []item) string {
			var b strings.Builder
			fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://x.com/spokesman</link>`, title)
			for _, it := range items {
				fmt.Fprintf(&b, "<item><title>%s</title><description><![CDATA[%s]]></description><link>%s</link><guid>%s</guid><pubDate>%s</pubDate></item>\n",
					it.title, it.desc, it.link, it.link, it.date)
			}
			return b.String() + "</channel></rss>"
		}
		c.set("/twitter/user/spokesman", "application/rss+xml", bridgeFeed("Spokesman / X", []item{
			{"https://x.com/spokesman/status/1864000000000000001", "بیانیه درباره نشست ژنو",
				`بیانیه درباره نشست ژنو<br>هیئت ایرانی با اختیارات کامل حاضر خواهد شد. <img src="https://pbs.twimg.com/media/x.jpg">`, "Wed, 03 Dec 2026 09:00:00 GMT"},
			{"https://x.com/spokesman/status/1864000000000000002", "دیدار با وزیر خارجه عمان",
				"دیدار با وزیر خارجه عمان در تهران؛ گفتگو درباره همکاری‌های منطقه‌ای", "Wed, 03 Dec 2026 12:00:00 GMT"},
		}))
		c.set("/spokesman/rss", "application/rss+xml", bridgeFeed("spokesman / Nitter", []item{
			{"https://nitter.example/spokesman/status/1864000000000000001#m", "بیانیه درباره نشست ژنو",
				"بیانیه درباره نشست ژنو<br>هیئت ایرانی با اختیارات کامل حاضر خواهد شد.", "Wed, 03 Dec 2026 09:00:00 GMT"},
		}))
		c.set("/twitter/user/down", "text/html; charset=utf-8", `<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Looks like something went wrong</h1><p>Rate limit exceeded</p></body></html>`)
		addOutlet(t, db, "spokesman", outlets.XAccount)
		rsshub, _ := svc.AddFeeds(ctx, "spokesman", "https://rsshub.example/twitter/user/spokesman", false, false)
		nitter, _ := svc.AddFeeds(ctx, "spokesman", "https://nitter.example/spokesman/rss", false, false)
		down, _ := svc.AddFeeds(ctx, "spokesman", "https://rsshub.example/twitter/user/down", false, false)

		r, err := svc.PollFeed(ctx, down[0].ID)
		want := "https://rsshub.example/twitter/user/down returned an HTML page (text/html; charset=utf-8), not a feed: if it is an RSS bridge (RSSHub, Nitter), is the bridge instance up?"
		if err != nil || r.Err == nil || !strings.HasPrefix(r.Feed.LastError, want) {
			t.Errorf("bridge down: %v; recorded %q", err, r.Feed.LastError)
		}

		for _, f := range []int64{rsshub[0].ID, nitter[0].ID} {
			if r, err := svc.PollFeed(ctx, f); err != nil || r.Err != nil {
				t.Fatalf("poll bridge: %v, %v", err, r.Err)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM articles`); n != 2 {
			t.Errorf("%d articles from two bridges' three items, want 2", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM feed_entries WHERE state = 'done'`); n != 3 {
			t.Errorf("%d entries done, want 3", n)
		}
		a := articleByURL(t, db, "https://x.com/spokesman/status/1864000000000000001")
		if a.Text != "بیانیه درباره نشست ژنو\nهیئت ایرانی با اختیارات کامل حاضر خواهد شد." || a.Lang != "fa" ||
			a.SourceDetail != "X post via rsshub.example" || a.CaptureID == nil || a.Published == nil {
			t.Errorf("X post stored as %+v", a)
		}
		if id, _ := articleIDByURL(ctx, db, "https://nitter.example/spokesman/status/1864000000000000001"); id != a.ID {
			t.Errorf("the Nitter link is article %d, want %d", id, a.ID)
		}
		if r, err := svc.Refetch(ctx, a.ID); err != nil || r.Outcome != "unreachable" || !strings.Contains(r.Err.Error(), "X serves no post text without a login") {
			t.Errorf("re-fetch of an X post: %+v, %v", r, err)
		}
	})
}

func shortKeysOf(t *testing.T, db *store.DB, id int64) []int64 {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT band_key FROM article_short_keys WHERE article_id = ? ORDER BY band_key`, id)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := store.Column[int64](rows)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
