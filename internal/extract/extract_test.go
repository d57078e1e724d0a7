package extract

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"golang.org/x/text/encoding/charmap"
)

func TestCanonicalURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://WWW.Example.IR:443/fa/news/1?utm_source=tg&b=2&a=1&fbclid=x#comments": "https://www.example.ir/fa/news/1?a=1&b=2",
		"http://example.ir:80":      "http://example.ir/",
		"http://example.ir:8080/a?": "http://example.ir:8080/a",
		"https://example.ir/a?gclid=1&mc_cid=2&mc_eid=3&yclid=4&_ga=5&ref=home": "https://example.ir/a",
		"https://example.ir/a?z=1&a=2&a=1":                                      "https://example.ir/a?a=2&a=1&z=1",
		"https://example.ir/خبر/۱۲":                                             "https://example.ir/%D8%AE%D8%A8%D8%B1/%DB%B1%DB%B2",
		"https://example.ir/%d8%ae%d8%a8%d8%b1/%DB%B1%DB%B2":                    "https://example.ir/%D8%AE%D8%A8%D8%B1/%DB%B1%DB%B2",
		"https://example.ir/a%2Fb/c":                                            "https://example.ir/a%2Fb/c",
		"https://example.ir/Path/?q=%D8%A7":                                     "https://example.ir/Path/?q=%D8%A7",
		"  not a url  ":                                                         "not a url",
		"/relative/path":                                                        "/relative/path",
	} {
		if got := CanonicalURL(in); got != want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// persianPage is written for these tests: a short Persian news article
// with the metadata a Persian news site carries.
const persianPage = `<!DOCTYPE html>
<html lang="fa-IR" dir="rtl">
<head>
<title>نشست خبری وزیر | روزنامه آزمایشی</title>
<base href="https://www.example.ir/fa/">
<link rel="canonical" href="news/1024?utm_medium=social">
<meta property="og:site_name" content="روزنامه آزمایشی">
<meta property="og:title" content="نشست خبری وزیر امور خارجه">
<meta property="og:image" content="/images/lead.jpg">
<meta name="author" content="مریم احمدی">
</head>
<body>
<nav><a href="/">خانه</a> | <a href="/politics">سیاست</a> | <a href="/economy">اقتصاد</a></nav>
<article>
<h1>نشست خبری وزیر امور خارجه</h1>
<time datetime="2024-03-07T09:15:00+03:30">۱۷ اسفند ۱۴۰۲</time>
<p>وزیر امور خارجه روز پنجشنبه در نشست خبری با خبرنگاران داخلی و خارجی درباره‌ی آخرین وضعیت مذاکرات سخن گفت و افزود که گفت‌وگوها با جدیت ادامه دارد و هیچ‌کدام از طرف‌ها میز مذاکره را ترک نکرده‌اند.</p>
<p>او در پاسخ به پرسش خبرنگاری درباره‌ی زمان نشست بعدی گفت: «تاریخ دقیق هنوز تعیین نشده است، اما کارشناسان دو طرف در تماس هستند و به زودی درباره‌ی آن تصمیم گرفته می‌شود.»</p>
<p>به گفته‌ی سخنگوی وزارت امور خارجه، گزارش کامل این نشست در روزهای آینده منتشر خواهد شد و رسانه‌ها می‌توانند پرسش‌های خود را پیش از آن به دفتر سخنگو ارسال کنند.</p>
</article>
<footer>همه حقوق محفوظ است</footer>
</body>
</html>`

func TestExtractPersianPage(t *testing.T) {
	a, err := Extract([]byte(persianPage), "https://www.example.ir/fa/news/1024?utm_source=telegram")
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"canonical": {a.CanonicalURL, "https://www.example.ir/fa/news/1024"},
		"title":     {a.Title, "نشست خبری وزیر امور خارجه"},
		"byline":    {a.Byline, "مریم احمدی"},
		"language":  {a.Language, "fa-IR"},
		"dir":       {a.Dir, "rtl"},
		"site":      {a.SiteName, "روزنامه آزمایشی"},
		"image":     {a.Image, "https://www.example.ir/images/lead.jpg"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if want := time.Date(2024, 3, 7, 5, 45, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published %v, want %v (from <time> in <article>)", a.Published, want)
	}
	if !strings.Contains(a.Text, "«تاریخ دقیق هنوز تعیین نشده است") || strings.Contains(a.Text, "همه حقوق محفوظ") ||
		strings.Contains(a.Text, "اقتصاد") || !strings.Contains(a.Text, "\n\n") {
		t.Errorf("text %q", a.Text)
	}
	if !strings.Contains(a.HTML, "<p>") {
		t.Errorf("html %q", a.HTML)
	}
}

// A windows-1256 page goes through fetch's decoding first, as in ingest.
func TestExtractWindows1256Page(t *testing.T) {
	legacy := strings.NewReplacer("ی", "ي", "۱", "1", "۰", "0", "۲", "2", "۴", "4", "۷", "7").Replace(persianPage)
	legacy = strings.Replace(legacy, "<head>", `<head><meta charset="windows-1256">`, 1)
	raw, err := charmap.Windows1256.NewEncoder().String(legacy)
	if err != nil {
		t.Fatal(err)
	}
	d := fetch.DecodeText([]byte(raw), "text/html")
	a, err := Extract(d.Text, "https://www.example.ir/fa/news/1024")
	if err != nil {
		t.Fatal(err)
	}
	if d.Charset != "windows-1256" || a.Title != "نشست خبري وزير امور خارجه" || !strings.Contains(a.Text, "وزير امور خارجه روز پنجشنبه") {
		t.Errorf("charset %s, title %q", d.Charset, a.Title)
	}
}

func TestPublishedSources(t *testing.T) {
	for name, tc := range map[string]struct {
		head, body string
		want       time.Time
	}{
		"meta": {`<meta property="article:published_time" content="2024-03-07T08:00:00Z">`, ``, time.Date(2024, 3, 7, 8, 0, 0, 0, time.UTC)},
		"json-ld over meta": {`<meta property="article:published_time" content="2024-03-07T20:00:00Z"><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"x","datePublished":"2024-03-07T06:00:00Z"}</script>`,
			``, time.Date(2024, 3, 7, 6, 0, 0, 0, time.UTC)},
		"marked time anywhere":          {``, `<div><time itemprop="datePublished" datetime="2024-03-05">5 March</time></div>`, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)},
		"unmarked time outside article": {``, `<header><time datetime="2024-03-09">today</time></header>`, time.Time{}},
	} {
		page := "<html><head><title>x</title>" + tc.head + "</head><body>" + tc.body + "<article><p>" + strings.Repeat("متن خبر ", 80) + "</p></article></body></html>"
		a, err := Extract([]byte(page), "https://example.ir/n/1")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !a.Published.Equal(tc.want) {
			t.Errorf("%s: published %v, want %v", name, a.Published, tc.want)
		}
	}
}

func TestLanguageSources(t *testing.T) {
	for page, want := range map[string]string{
		`<html><head><meta property="og:locale" content="ar_AR"></head><body><p>x</p></body></html>`:           "ar-AR",
		`<html><head><meta http-equiv="content-language" content="fa, en"></head><body><p>x</p></body></html>`: "fa",
		`<html lang="en"><head><meta property="og:locale" content="fa_IR"></head><body><p>x</p></body></html>`: "en",
		`<html><body><p>x</p></body></html>`: "",
	} {
		a, _ := Extract([]byte(page), "https://example.com/")
		if a == nil || a.Language != want {
			t.Errorf("%s: language %+v, want %q", page, a, want)
		}
	}
}

func TestDetectLanguageHook(t *testing.T) {
	var gotDeclared string
	e := Extractor{DetectLanguage: func(text, declared string) (string, any) {
		gotDeclared = declared
		if strings.Contains(text, "وزیر") {
			return "fa", len(text)
		}
		return declared, nil
	}}
	a, err := e.Extract([]byte(strings.Replace(persianPage, `lang="fa-IR"`, `lang="en"`, 1)), "https://www.example.ir/fa/news/1024")
	if err != nil {
		t.Fatal(err)
	}
	if a.Language != "fa" || gotDeclared != "en" {
		t.Errorf("language %q, declared seen %q", a.Language, gotDeclared)
	}
	if a.Detected != len(a.Text) {
		t.Errorf("detected %v, want what the hook returned for the text (%d)", a.Detected, len(a.Text))
	}
}

func TestNoText(t *testing.T) {
	a, err := Extract([]byte(`<html lang="fa"><head><title>صفحه اصلی</title></head><body></body></html>`), "https://example.ir/")
	if !errors.Is(err, ErrNoText) || a == nil || a.Title != "صفحه اصلی" || a.Language != "fa" {
		t.Errorf("got %+v, %v", a, err)
	}
	if _, err := Extract([]byte("<p>x"), "http://[::1"); err == nil {
		t.Error("want an error for an unparseable page URL")
	}
}
