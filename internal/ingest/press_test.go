package ingest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/fnv"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// story is one Persian news article to publish on the test press.
type story struct {
	Title, Lead string
	Paras       []string
}

// longest is the story's longest paragraph: the one any extractor must
// keep (a trailing one-line caption such as "مقایسه متوسط قیمت گوشت قرمز"
// is furniture the extractor may rightly drop).
func (s story) longest() string {
	best := ""
	for _, p := range s.Paras {
		if len(p) > len(best) {
			best = p
		}
	}
	return best
}

// persianStories returns the corpus articles that have text, or, when the
// shared folder is absent, the stories written for these tests.
func persianStories(t testing.TB) []story {
	t.Helper()
	// The corpus is real Persian news (LGPL, text © the outlets): read
	// at run time only, never copied into the project.
	arts, err := sharedtest.LoadTargoman()
	if err != nil {
		t.Fatalf("read Persian corpus: %v", err)
	}
	var out []story
	for _, a := range arts {
		s := story{Title: a.Title, Lead: a.Subtitle}
		for _, c := range a.Content {
			if c.Type == "p" && strings.TrimSpace(c.Text) != "" {
				s.Paras = append(s.Paras, c.Text)
			}
		}
		if len(strings.Fields(strings.Join(s.Paras, " "))) >= 120 {
			out = append(out, s)
		}
	}
	if len(out) >= 6 {
		return out
	}
	return fallbackStories(t)
}

// fallbackStories are Persian news stories written for these tests
// (testdata/stories-fa.txt), for a clone without the shared corpus: each
// on its own subject, so that no two are near duplicates, as real news.
func fallbackStories(t testing.TB) []story {
	t.Helper()
	const file = "testdata/stories-fa.txt"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []story
	for _, block := range strings.Split(string(data), "\n## ")[1:] {
		title, rest, _ := strings.Cut(block, "\n")
		s := story{Title: strings.TrimSpace(title)}
		for _, para := range strings.Split(rest, "\n\n") {
			para = strings.TrimSpace(para)
			if lead, ok := strings.CutPrefix(para, "> "); ok {
				s.Lead = lead
			} else if para != "" {
				s.Paras = append(s.Paras, para)
			}
		}
		if s.Title == "" || s.Lead == "" || len(strings.Fields(strings.Join(s.Paras, " "))) < 120 {
			t.Fatalf("%s: story %q needs a title, a lead and 120 words or more", file, s.Title)
		}
		out = append(out, s)
	}
	if len(out) < 9 {
		t.Fatalf("%s: %d stories, the desk needs 9", file, len(out))
	}
	return out
}

// page is one response of the test press.
type page struct {
	status int
	ctype  string
	body   []byte
	header map[string]string
}

// press is a loopback server standing in for the outlets. Paths it does
// not know on hosts other than its own get a generated English article,
// so real feeds whose items link to their sites can be served unchanged
// (requests reach it through loopbackTransport).
type press struct {
	*httptest.Server
	mu        sync.Mutex
	pages     map[string]page // by path
	pageHits  atomic.Int64
	pageDelay time.Duration
}

func newPress(t testing.TB) *press {
	p := &press{pages: map[string]page{}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *press) set(path string, pg page) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pg.status == 0 {
		pg.status = http.StatusOK
	}
	p.pages[path] = pg
}

func (p *press) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		return
	}
	if p.fault(w, r) {
		return
	}
	p.mu.Lock()
	pg, ok := p.pages[r.URL.Path]
	p.mu.Unlock()
	if !ok && !strings.HasPrefix(r.Host, "127.0.0.1") {
		pg, ok = page{status: 200, ctype: "text/html; charset=utf-8", body: englishPage(r.Host + r.URL.Path)}, true
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if strings.Contains(pg.ctype, "html") {
		p.pageHits.Add(1)
		time.Sleep(p.pageDelay)
	}
	for k, v := range pg.header {
		w.Header().Set(k, v)
	}
	if pg.ctype != "" {
		w.Header().Set("Content-Type", pg.ctype)
	}
	w.WriteHeader(pg.status)
	_, _ = w.Write(pg.body)
}

// fault serves the broken feeds of the fault tests.
func (p *press) fault(w http.ResponseWriter, r *http.Request) bool {
	switch r.URL.Path {
	case "/fault/404.xml":
		http.NotFound(w, r)
	case "/fault/410.xml":
		w.WriteHeader(http.StatusGone)
	case "/fault/500.xml":
		http.Error(w, "internal error", http.StatusInternalServerError)
	case "/fault/hang.xml":
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	case "/fault/malformed.xml":
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>شکسته</title><item><title>بی پایان`)
	case "/fault/bomb.xml":
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gzipBomb())
	case "/fault/loop.xml":
		http.Redirect(w, r, "/fault/loop2.xml", http.StatusFound)
	case "/fault/loop2.xml":
		http.Redirect(w, r, "/fault/loop.xml", http.StatusFound)
	default:
		return false
	}
	return true
}

var gzipBomb = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 { // 64 MiB of zeros in about 64 KiB
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	return b.Bytes()
})

// route wraps the fetcher's transport in a loopbackTransport to the press.
func (p *press) route(base http.RoundTripper) http.RoundTripper {
	return loopbackTransport{addr: p.Listener.Addr().String(), base: base}
}

// loopbackTransport sends every request, whatever its host, to the test
// press, keeping the Host header so the press can tell sites apart.
type loopbackTransport struct {
	addr string
	base http.RoundTripper
}

func (l loopbackTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host, r2.Host = "http", l.addr, r.URL.Host
	return l.base.RoundTrip(r2)
}

// articleHTML is a news page as outlets build them: navigation, the
// article with its metadata, a footer.
func articleHTML(lang, charset, canonical, title, byline string, published time.Time, paras []string) string {
	dir := "ltr"
	if lang == "fa" || lang == "ar" {
		dir = "rtl"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="%s" dir="%s"><head><meta charset="%s"><title>%s</title>`, lang, dir, charset, html.EscapeString(title))
	if canonical != "" {
		fmt.Fprintf(&b, `<link rel="canonical" href="%s">`, canonical)
	}
	if !published.IsZero() {
		fmt.Fprintf(&b, `<meta property="article:published_time" content="%s">`, published.Format(time.RFC3339))
	}
	fmt.Fprintf(&b, `<meta property="og:image" content="/img/lead.jpg"></head><body><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/economy">Economy</a></nav>`)
	fmt.Fprintf(&b, `<article><h1>%s</h1><p class="byline">%s</p>`, html.EscapeString(title), html.EscapeString(byline))
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	fmt.Fprintf(&b, `</article><footer><p>All rights reserved.</p><a href="/about">About</a></footer></body></html>`)
	return b.String()
}

// englishPage generates a distinct article for a path.
func englishPage(key string) []byte {
	h := fnv.New64a()
	h.Write([]byte(key))
	seed := h.Sum64()
	words := strings.Fields("the minister said talks would continue next week while officials in the capital rejected claims that the agreement had collapsed and analysts expected further sanctions on oil exports banks shipping companies")
	var paras []string
	for p := range 5 {
		var s []string
		for i := range 40 {
			seed = seed*6364136223846793005 + 1442695040888963407
			s = append(s, words[(seed>>33)%uint64(len(words))])
			if i%12 == 11 {
				s[len(s)-1] += "."
			}
		}
		paras = append(paras, fmt.Sprintf("Paragraph %d. %s.", p+1, strings.Join(s, " ")))
	}
	return []byte(articleHTML("en", "utf-8", "", "Report "+key, "By Staff", time.Time{}, paras))
}

// win1256 encodes Persian text in the legacy Arabic code page, which has
// no Persian yeh or digits: legacy sites wrote Arabic yeh and ASCII digits.
func win1256(s string) []byte {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r == 'ی':
			return 'ي'
		}
		return r
	}, s)
	b, err := charmap.Windows1256.NewEncoder().Bytes([]byte(s))
	if err != nil {
		// A character without a windows-1256 form: drop it, as the
		// test pages only need to be valid windows-1256.
		var out []byte
		for _, r := range s {
			if c, ok := charmap.Windows1256.EncodeRune(r); ok {
				out = append(out, c)
			}
		}
		return out
	}
	return b
}

// rssFeed builds an RSS 2.0 document.
func rssFeed(title, link string, items []feedItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>%s</title><link>%s</link><language>fa</language>`, html.EscapeString(title), link)
	for _, it := range items {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate></item>\n",
			html.EscapeString(it.title), html.EscapeString(it.url), html.EscapeString(it.url), it.date.Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// atomFeed builds an Atom document declaring the given encoding.
func atomFeed(encoding, title, link string, items []feedItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="%s"?><feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><id>%s</id><updated>2023-10-16T10:00:00Z</updated><link href="%s"/>`,
		encoding, html.EscapeString(title), link, link)
	for _, it := range items {
		fmt.Fprintf(&b, `<entry><title>%s</title><id>%s</id><link rel="alternate" href="%s"/><updated>%s</updated></entry>`+"\n",
			html.EscapeString(it.title), html.EscapeString(it.url), html.EscapeString(it.url), it.date.Format(time.RFC3339))
	}
	b.WriteString("</feed>")
	return b.String()
}

type feedItem struct {
	title, url string
	date       time.Time
}
