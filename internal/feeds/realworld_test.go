package feeds

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/pressreview/pressreview/internal/fetch"
)

const fixtures = "../../testdata/feeds"

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseFixture decodes like fetch does, then parses.
func parseFixture(t *testing.T, rel, contentType string) (*Feed, fetch.Decoded, error) {
	t.Helper()
	d := fetch.DecodeText(readFixture(t, rel), contentType)
	feed, err := Parse(d.Text, "https://example.com/feed")
	return feed, d, err
}

// Every copied file goes through decode and parse without a panic; the
// real-world feeds parse, except feedjira's InvalidDateFormat.xml, which
// is cut off before </channel></rss> and is reported as malformed.
func TestEveryFixtureParsesWithoutPanic(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixtures, "*", "*"))
	if err != nil || len(files) < 100 {
		t.Fatalf("fixtures: %d files, %v", len(files), err)
	}
	for _, path := range files {
		if strings.HasPrefix(filepath.Base(path), "LICENSE") {
			continue
		}
		rel, _ := filepath.Rel(fixtures, path)
		feed, _, err := parseFixture(t, rel, "")
		if !strings.HasPrefix(rel, "real-world-") {
			continue
		}
		switch {
		case rel == filepath.Join("real-world-feedjira", "InvalidDateFormat.xml"):
			if err == nil || fetch.Classify(err) != fetch.Hard || !strings.Contains(err.Error(), "line 21") {
				t.Errorf("%s: want a Hard error naming line 21, got %v", rel, err)
			}
		case err != nil:
			t.Errorf("%s: %v", rel, err)
		case len(feed.Items) == 0 || feed.Title == "":
			t.Errorf("%s: title %q, %d items", rel, feed.Title, len(feed.Items))
		}
	}
}

func itemURLs(f *Feed) []string {
	var urls []string
	for _, it := range f.Items {
		urls = append(urls, it.URL)
	}
	return urls
}

// DaringFireball.atom and .json are one capture (June 2017) of the same
// site. DaringFireball.rss is, despite its name, an Atom document from an
// earlier capture (February 2016) with no items in common, so it can only
// be checked for shape.
func TestDaringFireballFormatsAgree(t *testing.T) {
	atom, _, err := parseFixture(t, "real-world-rsparser/DaringFireball.atom", "application/atom+xml")
	if err != nil {
		t.Fatal(err)
	}
	jsonFeed, _, err := parseFixture(t, "real-world-rsparser/DaringFireball.json", "application/feed+json")
	if err != nil {
		t.Fatal(err)
	}
	if atom.Format != Atom || jsonFeed.Format != JSONFeed {
		t.Errorf("formats %s, %s", atom.Format, jsonFeed.Format)
	}
	if a, j := itemURLs(atom), itemURLs(jsonFeed); len(a) != 48 || !slices.Equal(a, j) {
		t.Errorf("item URLs differ:\natom %v\njson %v", a, j)
	}
	for i := range atom.Items {
		a, j := atom.Items[i], jsonFeed.Items[i]
		if a.Title != j.Title || !a.Published.Equal(j.Published) || a.Author != j.Author {
			t.Errorf("item %d: atom %q %v %q, json %q %v %q", i, a.Title, a.Published, a.Author, j.Title, j.Published, j.Author)
		}
	}
	old, _, err := parseFixture(t, "real-world-rsparser/DaringFireball.rss", "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	if old.Format != Atom || len(old.Items) != 47 || old.Title != atom.Title {
		t.Errorf("DaringFireball.rss: %s, %d items, %q", old.Format, len(old.Items), old.Title)
	}
	for _, u := range itemURLs(old) {
		if !strings.HasPrefix(u, "http") {
			t.Errorf("relative or empty item URL %q", u)
		}
	}
}

func TestGB2312FeedDecodesToChinese(t *testing.T) {
	feed, d, err := parseFixture(t, "real-world-rsparser/kc0011.rss", "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	if d.Source != fetch.SourceXML || d.Declared != "gbk" {
		t.Errorf("charset %s from %s, declared %q", d.Charset, d.Source, d.Declared)
	}
	want := "投资资讯网交易在线--流通纪念币最新20篇论坛主题-全文"
	if feed.Title != want || len(feed.Items) != 20 {
		t.Fatalf("title %q, %d items", feed.Title, len(feed.Items))
	}
	for _, it := range feed.Items {
		han := 0
		for _, r := range it.Title {
			if unicode.Is(unicode.Han, r) {
				han++
			}
			if r == unicode.ReplacementChar {
				t.Errorf("replacement character in %q", it.Title)
			}
		}
		if han == 0 {
			t.Errorf("no Chinese in %q", it.Title)
		}
	}
	if feed.Items[0].Title != "建国35周年纪念，华表，和平鸽" || feed.Items[0].Author != "大鱼儿" {
		t.Errorf("first item %q by %q", feed.Items[0].Title, feed.Items[0].Author)
	}
}
