package feeds

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/pressreview/pressreview/internal/fetch"
)

const outletsOPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Iran desk</title></head>
  <body>
    <outline text="Iran">
      <outline text="Hard-line">
        <outline text="Kayhan" title="کیهان" type="rss" xmlUrl="https://kayhan.example/rss" htmlUrl="https://kayhan.example/"/>
      </outline>
      <outline title="Reformist">
        <outline text="Shargh" type="rss" xmlURL="https://shargh.example/rss"/>
        <outline text="Ham-Mihan" type="rss" xmlurl="https://hammihan.example/feed"/>
      </outline>
    </outline>
    <outline text="Wire" type="rss" xmlUrl="https://wire.example/rss"/>
  </body>
</opml>`

func TestParseOPML(t *testing.T) {
	title, subs, err := ParseOPML([]byte(outletsOPML))
	if err != nil {
		t.Fatal(err)
	}
	want := []Subscription{
		{Title: "کیهان", FeedURL: "https://kayhan.example/rss", SiteURL: "https://kayhan.example/", Categories: []string{"Iran", "Hard-line"}},
		{Title: "Shargh", FeedURL: "https://shargh.example/rss", Categories: []string{"Iran", "Reformist"}},
		{Title: "Ham-Mihan", FeedURL: "https://hammihan.example/feed", Categories: []string{"Iran", "Reformist"}},
		{Title: "Wire", FeedURL: "https://wire.example/rss"},
	}
	if title != "Iran desk" || !reflect.DeepEqual(subs, want) {
		t.Errorf("title %q\ngot  %+v\nwant %+v", title, subs, want)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	_, subs, err := ParseOPML([]byte(outletsOPML))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "Iran desk", subs); err != nil {
		t.Fatal(err)
	}
	title, again, err := ParseOPML(buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	if title != "Iran desk" || !reflect.DeepEqual(again, subs) {
		t.Errorf("round trip changed the list:\n%s", buf.Bytes())
	}
	if !bytes.Contains(buf.Bytes(), []byte(`<outline text="Reformist" title="Reformist">`)) {
		t.Errorf("categories not nested:\n%s", buf.Bytes())
	}
}

func TestParseOPMLMalformed(t *testing.T) {
	for _, doc := range []string{"<opml><body><outline text='x'", "<rss version='2.0'></rss>", ""} {
		_, _, err := ParseOPML([]byte(doc))
		var perr *ParseError
		if !errors.As(err, &perr) || fetch.Classify(err) != fetch.Hard {
			t.Errorf("%q: got %v", doc, err)
		}
	}
}
