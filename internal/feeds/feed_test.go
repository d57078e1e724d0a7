package feeds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
)

const persianRSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>روزنامه آزمایشی</title>
  <link>/</link>
  <language>fa</language>
  <ttl>30</ttl>
  <item>
    <title>وزیر خارجه در تهران سخن گفت</title>
    <link>/news/1?utm_source=rss</link>
    <guid isPermaLink="false">news-1</guid>
    <pubDate>Thu, 07 Mar 2024 08:30:00 +0330</pubDate>
    <dc:creator>خبرنگار سیاسی</dc:creator>
    <description>&lt;p&gt;خلاصه خبر&lt;/p&gt;</description>
  </item>
  <item>
    <title>بدون پیوند</title>
    <guid>https://news.example.ir/news/2</guid>
  </item>
</channel>
</rss>`

func TestParseRSS(t *testing.T) {
	feed, err := Parse([]byte(persianRSS), "https://news.example.ir/rss")
	if err != nil {
		t.Fatal(err)
	}
	if feed.Format != RSS || feed.Title != "روزنامه آزمایشی" || feed.Link != "https://news.example.ir/" ||
		feed.Language != "fa" || feed.TTL != 30*time.Minute {
		t.Errorf("feed %+v", feed)
	}
	it := feed.Items[0]
	want := time.Date(2024, 3, 7, 5, 0, 0, 0, time.UTC)
	if it.URL != "https://news.example.ir/news/1?utm_source=rss" || it.GUID != "news-1" || !it.Published.Equal(want) ||
		it.Author != "خبرنگار سیاسی" || it.Summary != "<p>خلاصه خبر</p>" {
		t.Errorf("item %+v", it)
	}
	if feed.Items[1].URL != "https://news.example.ir/news/2" || !feed.Items[1].Published.IsZero() {
		t.Errorf("permalink guid item %+v", feed.Items[1])
	}
}

func TestParseNewsSitemap(t *testing.T) {
	const sitemap = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example.ir/fa/news/101</loc>
    <lastmod>2024-03-07T10:00:00+03:30</lastmod>
    <news:news>
      <news:publication><news:name>خبرگزاری نمونه</news:name><news:language>fa</news:language></news:publication>
      <news:publication_date>2024-03-07T09:15:00+03:30</news:publication_date>
      <news:title>رئیس‌جمهور: مذاکرات ادامه دارد</news:title>
    </news:news>
  </url>
  <url><loc>/fa/news/102</loc><lastmod>2024-03-06</lastmod></url>
  <url><loc> </loc></url>
</urlset>`
	feed, err := Parse([]byte(sitemap), "https://news.example.ir/sitemap-news.xml")
	if err != nil {
		t.Fatal(err)
	}
	if feed.Format != Sitemap || feed.Title != "خبرگزاری نمونه" || feed.Language != "fa" || len(feed.Items) != 2 {
		t.Fatalf("feed %+v", feed)
	}
	first, second := feed.Items[0], feed.Items[1]
	if first.Title != "رئیس‌جمهور: مذاکرات ادامه دارد" || first.Language != "fa" ||
		!first.Published.Equal(time.Date(2024, 3, 7, 5, 45, 0, 0, time.UTC)) || first.GUID != first.URL {
		t.Errorf("first %+v", first)
	}
	if second.URL != "https://news.example.ir/fa/news/102" || !second.Published.Equal(time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("second %+v", second)
	}
}

func TestParseSitemapIndex(t *testing.T) {
	const index = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.ir/sitemap-news.xml</loc><lastmod>2024-03-07T10:00:00Z</lastmod></sitemap>
  <sitemap><loc>/sitemap-2024-03.xml</loc></sitemap>
</sitemapindex>`
	feed, err := Parse([]byte(index), "https://news.example.ir/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	if feed.Format != SitemapIndex || len(feed.Sitemaps) != 2 || len(feed.Items) != 0 ||
		feed.Sitemaps[1].URL != "https://news.example.ir/sitemap-2024-03.xml" || feed.Sitemaps[0].Modified.IsZero() {
		t.Errorf("index %+v", feed)
	}
}

func TestMalformedInput(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"empty", "  \n", "malformed document: empty document"},
		{"html", "<!DOCTYPE html><html><body>hi</body></html>", "not a feed or sitemap: root element <html>"},
		{"text", "Service temporarily unavailable", "not XML or JSON"},
		{"bad attribute", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<item><title>a<b</title></item>\n</channel></rss>", "malformed RSS at line 4"},
		{"truncated atom", "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>x</title>\n<entry><title>a", "malformed Atom at line 3: unexpected EOF"},
		{"bad json", "{\n\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": [ {\"id\": 1,} ]}", "malformed JSON Feed at line 3"},
		{"broken sitemap", "<urlset>\n<url><loc>https://x/1</loc>\n<url", "malformed sitemap at line 3"},
	} {
		_, err := Parse([]byte(tc.doc), "https://example.com/feed")
		var perr *ParseError
		if !errors.As(err, &perr) || !strings.Contains(err.Error(), tc.want) || fetch.Classify(err) != fetch.Hard {
			t.Errorf("%s: got %v, want a Hard *ParseError containing %q", tc.name, err, tc.want)
		}
	}
}

// A feed server answering with broken XML, end to end: the fetch
// succeeds, the parse fails with a readable, Hard error.
func TestMalformedFeedOverHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>ok</title>\n<item><title>broken</title>\n<link>https://example.com/1</link>"))
	}))
	defer srv.Close()
	cfg := fetch.DefaultConfig()
	cfg.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	cfg.HostDelay, cfg.Timeout = 0, 2*time.Second
	resp, err := fetch.New(cfg).Fetch(context.Background(), fetch.Request{URL: srv.URL + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(resp.Text, resp.FinalURL)
	t.Logf("recorded error: %v", err)
	if err == nil || fetch.Classify(err) != fetch.Hard || !strings.Contains(err.Error(), "malformed RSS at line 6: unexpected EOF") {
		t.Errorf("got %v", err)
	}
}

func TestParseRSS091AndRDF(t *testing.T) {
	rss091 := `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>http://old.example/</link><item><title>One</title><link>http://old.example/1</link><description>d</description></item></channel></rss>`
	feed, err := Parse([]byte(rss091), "")
	if err != nil || feed.Format != RSS || len(feed.Items) != 1 || feed.Items[0].URL != "http://old.example/1" {
		t.Errorf("RSS 0.91: %+v, %v", feed, err)
	}
	rdf, _, err := parseFixture(t, "real-world-rsparser/bio.rdf", "application/rdf+xml")
	if err != nil || rdf.Format != RSS || len(rdf.Items) != 30 || !strings.HasPrefix(rdf.Items[0].URL, "http") {
		t.Errorf("RSS 1.0: %v", err)
	}
}
