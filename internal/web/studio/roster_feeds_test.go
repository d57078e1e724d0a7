package studio_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// newPressSite is a loopback outlet for subscribing: a homepage that
// advertises two feeds, a bare feed at another path, and a page that
// advertises none (the usual feed paths answer 404).
func newPressSite(t *testing.T) *httptest.Server {
	t.Helper()
	var ts *httptest.Server
	rss := func(w http.ResponseWriter, title string) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>%s/</link>
<item><title>خبر تازه</title><link>%s/news/1</link></item></channel></rss>`, title, ts.URL, ts.URL)
	}
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html lang="fa" dir="rtl"><head><title>جوان</title>
<link rel="alternate" type="application/rss+xml" title="همه اخبار" href="/rss/all.xml">
<link rel="alternate" type="application/rss+xml" title="سیاسی" href="/rss/politics.xml">
</head><body><p>صفحه اول</p></body></html>`)
		case "/rss/all.xml":
			rss(w, "All news")
		case "/rss/politics.xml":
			rss(w, "Politics")
		case "/extra/feed.xml":
			rss(w, "Extra")
		case "/about":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>About</title></head><body><p>No feeds here.</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestAddFeedFromTheOutlet: an editor subscribes an outlet to a feed or
// to the feeds its homepage advertises, as `feeds add` does; what cannot
// be subscribed comes back beside the field; analysts may not add.
func TestAddFeedFromTheOutlet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeskSite(t, db)
		press := newPressSite(t)
		ana, eddie := d.as(t, "ana"), d.as(t, "eddie")
		const action = `<form method="post" action="/studio/outlets/javan/feeds"`

		if _, page := ana.do(http.MethodGet, "/studio/outlets/javan", nil); strings.Contains(page, action) || !strings.Contains(page, "No feeds yet. Editors add them.") {
			t.Errorf("an analyst's outlet page offers to add a feed:\n%s", page)
		}
		if resp, _ := ana.do(http.MethodPost, "/studio/outlets/javan/feeds", url.Values{"url": {press.URL + "/"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an analyst adds a feed: %s, want 403", resp.Status)
		}
		if fds, _ := outlets.ListFeeds(ctx, db, "javan"); len(fds) != 0 {
			t.Fatalf("the analyst's post subscribed %d feeds", len(fds))
		}
		if _, page := eddie.do(http.MethodGet, "/studio/outlets/javan", nil); !strings.Contains(page, action) ||
			!strings.Contains(page, `<input id="feed-url" type="url" name="url" value="" required aria-describedby="feed-url-hint">`) {
			t.Fatalf("the editor's outlet page lacks the feed form:\n%s", page)
		}

		// A homepage: both advertised feeds, with their titles.
		resp, _ := eddie.do(http.MethodPost, "/studio/outlets/javan/feeds", url.Values{"url": {" " + press.URL + "/ "}})
		fds, _ := outlets.ListFeeds(ctx, db, "javan")
		if resp.StatusCode != http.StatusSeeOther || len(fds) != 2 {
			t.Fatalf("editor adds the homepage: %s, %d feeds", resp.Status, len(fds))
		}
		if fds[0].URL != press.URL+"/rss/all.xml" || fds[0].Title != "همه اخبار" || fds[1].URL != press.URL+"/rss/politics.xml" {
			t.Errorf("subscribed: %+v", fds)
		}
		loc := resp.Header.Get("Location")
		if want := "/studio/outlets/javan?added=" + itoa(fds[0].ID) + "," + itoa(fds[1].ID) + "#outlet-feeds"; loc != want {
			t.Errorf("redirect to %q, want %q", loc, want)
		}
		// The homepage fetched for discovery is kept as evidence.
		var captured int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM captures WHERE url = ?`, press.URL+"/").Scan(&captured); err != nil || captured != 1 {
			t.Errorf("captures of the homepage: %d, %v", captured, err)
		}
		_, page := eddie.do(http.MethodGet, strings.TrimSuffix(loc, "#outlet-feeds"), nil)
		if !strings.Contains(page, "Subscribed to these 2 feeds") || !strings.Contains(page, `<li><a href="#feed-`+itoa(fds[1].ID)+`"><span class="url">`+press.URL+`/rss/politics.xml</span></a>`) {
			t.Errorf("outlet page after adding:\n%s", page)
		}

		// A feed URL, as it is.
		resp, _ = eddie.do(http.MethodPost, "/studio/outlets/javan/feeds", url.Values{"url": {press.URL + "/extra/feed.xml"}})
		if f, err := outlets.FeedByURL(ctx, db, press.URL+"/extra/feed.xml"); resp.StatusCode != http.StatusSeeOther || err != nil || f.OutletKey != "javan" || f.Format != "RSS" {
			t.Errorf("editor adds a feed URL: %s, %+v %v", resp.Status, f, err)
		}

		// Refused beside the field, the URL kept.
		for _, c := range []struct{ outlet, url, want string }{
			{"javan", "javan.ir", `&#34;javan.ir&#34; is not a web address`},
			{"javan", "", `&#34;&#34; is not a web address`},
			{"javan", press.URL + "/about", press.URL + "/about advertises no feed"},
			{"javan", press.URL + "/rss/all.xml", press.URL + "/rss/all.xml is already subscribed, as a feed of javan"},
			// Another outlet's feed is not moved; nor are the feeds of a
			// homepage that are all subscribed.
			{"kayhan", press.URL + "/extra/feed.xml", "is already subscribed, as a feed of javan"},
			{"kayhan", press.URL + "/", "is already subscribed, as a feed of javan"},
			{"javan", "http://10.20.30.40/rss", "private address, not public"},
		} {
			resp, page := eddie.do(http.MethodPost, "/studio/outlets/"+c.outlet+"/feeds", url.Values{"url": {c.url}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `<p class="field-error" id="feed-url-error">`) ||
				!strings.Contains(page, c.want) || !strings.Contains(page, `name="url" value="`+c.url+`"`) ||
				!strings.Contains(page, `aria-invalid="true" aria-describedby="feed-url-hint feed-url-error"`) {
				t.Errorf("%s %q: %s\n%s", c.outlet, c.url, resp.Status, page)
			}
		}
		if fds, _ := outlets.ListFeeds(ctx, db, "javan"); len(fds) != 3 {
			t.Errorf("javan has %d feeds after the refusals, want 3", len(fds))
		}
		if fds, _ := outlets.ListFeeds(ctx, db, "kayhan"); len(fds) != 0 {
			t.Errorf("kayhan took %d of javan's feeds", len(fds))
		}
		if resp, _ := eddie.do(http.MethodPost, "/studio/outlets/nobody/feeds", url.Values{"url": {press.URL + "/"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a feed for a missing outlet: %s", resp.Status)
		}
	})
}

// TestRemoveFeed: an editor removes a feed from the outlet's page; what
// it fetched stays as evidence, and adding the URL again resumes it.
func TestRemoveFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeskSite(t, db)
		press := newPressSite(t)
		ana, eddie := d.as(t, "ana"), d.as(t, "eddie")
		f := d.addFeed(t, "javan", press.URL+"/rss/all.xml")
		if _, err := d.svc.PollFeed(ctx, f.ID); err != nil {
			t.Fatal(err)
		}
		captures := func() (all, linked int) {
			t.Helper()
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(feed_id) FROM captures WHERE url = ?`, f.URL).Scan(&all, &linked); err != nil {
				t.Fatal(err)
			}
			return all, linked
		}
		if all, linked := captures(); all != 1 || linked != 1 {
			t.Fatalf("before: %d captures of the feed, %d linked to it", all, linked)
		}
		remove := `<form method="post" action="/studio/feeds/` + itoa(f.ID) + `/remove">`
		if _, page := ana.do(http.MethodGet, "/studio/outlets/javan", nil); strings.Contains(page, remove) {
			t.Error("an analyst is offered to remove a feed")
		}
		if resp, _ := ana.do(http.MethodPost, "/studio/feeds/"+itoa(f.ID)+"/remove", url.Values{}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an analyst removes a feed: %s, want 403", resp.Status)
		}
		if _, page := eddie.do(http.MethodGet, "/studio/outlets/javan", nil); !strings.Contains(page, remove) {
			t.Fatalf("the editor's outlet page has no remove button:\n%s", page)
		}
		resp, _ := eddie.do(http.MethodPost, "/studio/feeds/"+itoa(f.ID)+"/remove", url.Values{})
		loc, want := resp.Header.Get("Location"), "/studio/outlets/javan?"+url.Values{"removed": {f.URL}}.Encode()+"#outlet-feeds"
		if resp.StatusCode != http.StatusSeeOther || loc != want {
			t.Fatalf("remove: %s %q", resp.Status, loc)
		}
		if _, err := outlets.FeedByID(ctx, db, f.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the feed is still there: %v", err)
		}
		if all, _ := captures(); all != 1 {
			t.Errorf("after removing, %d captures of the feed, want 1", all)
		}
		_, page := eddie.do(http.MethodGet, strings.TrimSuffix(loc, "#outlet-feeds"), nil)
		if !strings.Contains(page, `Removed the feed <span class="url">`+f.URL+`</span>. What it fetched stays in the archive`) {
			t.Errorf("outlet page after removing:\n%s", page)
		}
		if resp, _ := eddie.do(http.MethodPost, "/studio/feeds/"+itoa(f.ID)+"/remove", url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("removing it twice: %s", resp.Status)
		}
		if resp, _ := eddie.do(http.MethodPost, "/studio/outlets/javan/feeds", url.Values{"url": {f.URL}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("adding it again: %s", resp.Status)
		}
	})
}
