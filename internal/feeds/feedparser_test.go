package feeds

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/pressreview/pressreview/internal/fetch"
	"golang.org/x/net/html/charset"
)

// feedparser's fixtures state their expectation in a leading comment, as a
// Python expression over feedparser's result. We check the parts that mean
// something for us: "bozo" (something was wrong: a parse error, or a
// charset declaration that was missing, unknown or overruled), the
// charset, and feed titles and entry texts. Files whose expectation is
// about a feedparser-specific behaviour are skipped, with the reason.
var feedparserSkips = map[string]string{
	"bozo_double-encoded-html.xml":           "feedparser repairs double-encoded entities",
	"double-encoded-html.xml":                "feedparser repairs double-encoded entities",
	"demoronize-1.xml":                       "feedparser maps C1 controls to windows-1252 punctuation",
	"demoronize-3.xml":                       "feedparser rewrites numeric entities",
	"bozo_linenoise.xml":                     "the summary depends on feedparser's fallback chain; bozo is checked in TestFeedparserBozoLinenoise",
	"bozo_http_text_plain.xml":               "feedparser flags text/plain as a non-XML media type; we judge bytes, not media types",
	"bozo_http_text_plain_charset.xml":       "feedparser flags text/plain as a non-XML media type",
	"undeclared_namespace.xml":               "gofeed tolerates undeclared prefixes by design",
	"rss_item_link_corrupted_ampersands.xml": "the document is cut off (</rss without >): we report it malformed instead of recovering items",
	"georss_point_no_coords.xml":             "GeoRSS is not read",
	"georss_polygon_insufficient_coords.xml": "GeoRSS is not read",
	"gml_point.xml":                          "GeoRSS is not read",
	"tis620.xml":                             "the detector has no TIS-620 (Thai) model",
}

var (
	expectRe  = regexp.MustCompile(`Expect:\s*(.*)`)
	headerRe  = regexp.MustCompile(`Header:\s*Content-type:\s*(.*)`)
	encodeRe  = regexp.MustCompile(`encoding == '([^']*)'`)
	titleRe   = regexp.MustCompile(`feed\['title'\] == '((?:[^'\\]|\\.)*)'`)
	entryRe   = regexp.MustCompile(`entries\[0\](?:\['|\.)(description|summary|link)(?:'\])? == '((?:[^'\\]|\\.)*)'`)
	pyByteEsc = regexp.MustCompile(`\\x([0-9a-fA-F]{2})`)
)

// scripts: the illformed files carry text without any charset
// declaration; the detector must find text in the right script.
var scripts = map[string]*unicode.RangeTable{
	"Big5": unicode.Han, "EUC-JP": unicode.Hiragana, "EUC-KR": unicode.Hangul, "GB2312": unicode.Han,
	"KOI8-R": unicode.Cyrillic, "SHIFT_JIS": unicode.Katakana, "windows-1255": unicode.Hebrew,
}

func pyString(s string) string {
	u, err := strconv.Unquote(`"` + pyByteEsc.ReplaceAllString(strings.ReplaceAll(s, `"`, `\"`), `\u00$1`) + `"`)
	if err != nil {
		return s
	}
	return u
}

// sameCharset compares charset names as WHATWG aliases, and GB2312's
// supersets as one.
func sameCharset(ours, theirs string) bool {
	_, name := charset.Lookup(theirs)
	if name == "" {
		name = strings.ToLower(theirs)
	}
	gb := map[string]bool{"gbk": true, "gb18030": true}
	return ours == name || gb[ours] && gb[name]
}

func TestFeedparserExpectations(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixtures, "*-feedparser", "*.xml"))
	checked := 0
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(filepath.Base(filepath.Dir(path))+"/"+name, func(t *testing.T) {
			if reason, ok := feedparserSkips[name]; ok {
				t.Skip(reason)
			}
			raw, _ := os.ReadFile(path)
			// The comment may itself be UTF-16/32: decode once to read it.
			comment := fetch.DecodeText(raw, "").Text
			m := expectRe.FindSubmatch(comment)
			if m == nil {
				t.Skip("no Expect line")
			}
			expect := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(m[1])), "-->"))
			contentType := ""
			if h := headerRe.FindSubmatch(comment); h != nil {
				contentType = strings.TrimSpace(string(h[1]))
			}
			if strings.HasPrefix(strings.ToLower(contentType), "text/") && !strings.Contains(strings.ToLower(contentType), "charset=") {
				t.Skip("RFC 3023 made text/* without charset us-ascii; RFC 7303, which we follow, reads the XML declaration")
			}
			d := fetch.DecodeText(raw, contentType)
			feed, err := Parse(d.Text, "http://example.com/")
			overruled := d.Declared != "" && d.Declared != d.Charset
			guessed := d.Source == fetch.SourceDetected || d.Source == fetch.SourceDefault
			bozo := err != nil || overruled || guessed
			if err != nil && !errors.Is(err, fetch.ErrMalformed) {
				t.Errorf("parse error does not wrap fetch.ErrMalformed: %v", err)
			}
			t.Logf("expect %q; got charset %s (%s, declared %q), err %v", expect, d.Charset, d.Source, d.Declared, err)
			switch {
			case strings.HasPrefix(expect, "not bozo"):
				if bozo {
					t.Errorf("want not bozo")
				}
			case strings.HasPrefix(expect, "bozo"):
				if !bozo {
					t.Errorf("want bozo")
				}
			}
			if e := encodeRe.FindStringSubmatch(expect); e != nil {
				if table, ok := scripts[e[1]]; ok {
					if !strings.ContainsFunc(string(d.Text), func(r rune) bool { return unicode.Is(table, r) }) {
						t.Errorf("%s text not decoded (got %s)", e[1], d.Charset)
					}
				} else if !sameCharset(d.Charset, e[1]) {
					t.Errorf("charset %s, want %s", d.Charset, e[1])
				}
			}
			if tm := titleRe.FindStringSubmatch(expect); tm != nil && (feed == nil || feed.Title != pyString(tm[1])) {
				t.Errorf("feed title: want %q, got %+v", pyString(tm[1]), feed)
			}
			if em := entryRe.FindStringSubmatch(expect); em != nil {
				if feed == nil || len(feed.Items) == 0 {
					t.Fatalf("no entries, err %v", err)
				}
				got := feed.Items[0].Summary
				if em[1] == "link" {
					got = feed.Items[0].URL
				}
				if got != pyString(em[2]) {
					t.Errorf("entry %s: got %q, want %q", em[1], got, pyString(em[2]))
				}
			}
			checked++
		})
	}
	if checked < 60 {
		t.Errorf("only %d fixtures checked", checked)
	}
}

// bozo_linenoise.xml declares UTF-8 but holds mostly invalid UTF-8: the
// declaration is overruled, which is the "bozo" part of its expectation.
func TestFeedparserBozoLinenoise(t *testing.T) {
	d := fetch.DecodeText(readFixture(t, "encoding-feedparser/bozo_linenoise.xml"), "")
	if d.Declared != "utf-8" || d.Charset == "utf-8" {
		t.Errorf("declared %q, decoded as %s", d.Declared, d.Charset)
	}
	if _, err := Parse(d.Text, ""); err != nil {
		t.Error(err)
	}
}
