package feeds

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/sharedtest"
)

// corpusArticle is what these tests publish of an article of the
// Persian news corpus (sharedtest.Targoman).
type corpusArticle struct {
	URL, Title, Subtitle string
}

func loadCorpus(t *testing.T) []corpusArticle {
	var out []corpusArticle
	for _, a := range sharedtest.TargomanArticles(t) {
		out = append(out, corpusArticle{a.URL, strings.TrimSpace(a.Title), a.Subtitle})
	}
	return out
}

// legacy spells text as windows-1256 can, as legacy Persian sites did:
// Arabic yeh for Farsi yeh, ASCII digits for Persian and Arabic-Indic ones.
var legacy = func() *strings.Replacer {
	pairs := []string{"ی", "ي"}
	for d := range 10 {
		ascii := string(rune('0' + d))
		pairs = append(pairs, string(rune('۰'+d)), ascii, string(rune('٠'+d)), ascii)
	}
	return strings.NewReplacer(pairs...)
}()

func buildRSS(arts []corpusArticle, encodingDecl string) string {
	var b strings.Builder
	decl := ""
	if encodingDecl != "" {
		decl = fmt.Sprintf(` encoding="%s"`, encodingDecl)
	}
	fmt.Fprintf(&b, "<?xml version=\"1.0\"%s?>\n<rss version=\"2.0\"><channel><title>پیکره خبری</title><link>https://corpus.example/</link>\n", decl)
	for i, a := range arts {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%d</guid><pubDate>Mon, 16 Oct 2023 08:00:00 +0330</pubDate><description>%s</description></item>\n",
			html.EscapeString(a.Title), html.EscapeString(a.URL), i, html.EscapeString(a.Subtitle))
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

func buildAtom(arts []corpusArticle) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>پیکره خبری</title><link rel="alternate" href="https://corpus.example/"/>`)
	for i, a := range arts {
		fmt.Fprintf(&b, `<entry><id>urn:corpus:%d</id><title>%s</title><link rel="alternate" href="%s"/><updated>2023-10-16T08:00:00+03:30</updated><summary>%s</summary></entry>`,
			i, html.EscapeString(a.Title), html.EscapeString(a.URL), html.EscapeString(a.Subtitle))
	}
	b.WriteString("</feed>")
	return b.String()
}

// Persian feeds built at test time from real Persian news text (the
// Targoman corpus), served in UTF-8 and windows-1256, fetched and parsed:
// every title must come back as written.
func TestPersianFeedsFromCorpus(t *testing.T) {
	arts := loadCorpus(t)
	legacyArts := make([]corpusArticle, len(arts))
	for i, a := range arts {
		legacyArts[i] = corpusArticle{a.URL, legacy.Replace(a.Title), ""}
	}
	enc1256 := charmap.Windows1256.NewEncoder()
	rss1256, err := enc1256.String(legacy.Replace(buildRSS(arts, "windows-1256")))
	if err != nil {
		t.Fatal(err)
	}
	bare1256, err := enc1256.String(legacy.Replace(buildRSS(arts, "")))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]struct {
		body, contentType string
		want              []corpusArticle
	}{
		"/fa.rss":             {buildRSS(arts, "utf-8"), "application/rss+xml; charset=utf-8", arts},
		"/fa.atom":            {buildAtom(arts), "application/atom+xml", arts},
		"/fa-1256.rss":        {rss1256, "application/rss+xml", legacyArts},
		"/fa-1256-bare.rss":   {bare1256, "text/xml", legacyArts},
		"/fa-mislabelled.rss": {buildRSS(arts, "iso-8859-1"), "application/rss+xml", arts},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", doc.contentType)
		w.Write([]byte(doc.body))
	}))
	defer srv.Close()
	cfg := fetch.DefaultConfig()
	cfg.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	cfg.HostDelay, cfg.Timeout = 0, 5*time.Second
	f := fetch.New(cfg)
	for path, doc := range docs {
		resp, err := f.Fetch(context.Background(), fetch.Request{URL: srv.URL + path})
		if err != nil {
			t.Fatal(err)
		}
		feed, err := Parse(resp.Text, resp.FinalURL)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		t.Logf("%s: %d items, charset %s (%s)", path, len(feed.Items), resp.Charset, resp.CharsetSource)
		if len(feed.Items) != len(doc.want) || feed.Title != legacyIf(path, "پیکره خبری") {
			t.Fatalf("%s: %q with %d items", path, feed.Title, len(feed.Items))
		}
		for i, it := range feed.Items {
			if it.Title != strings.TrimSpace(doc.want[i].Title) || it.URL != doc.want[i].URL {
				t.Errorf("%s item %d: %q %q, want %q %q", path, i, it.Title, it.URL, doc.want[i].Title, doc.want[i].URL)
			}
		}
	}
}

func legacyIf(path, s string) string {
	if strings.Contains(path, "1256") {
		return legacy.Replace(s)
	}
	return s
}
