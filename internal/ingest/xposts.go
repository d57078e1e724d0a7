package ingest

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/text"
)

// statusPathRE is the path of an X post, on x.com and twitter.com and on
// the bridges that mirror it (Nitter instances): /USER/status/ID. The
// host is not checked: a bridge may run anywhere the desk chooses.
var statusPathRE = regexp.MustCompile(`^/([A-Za-z0-9_]{1,15})/status(?:es)?/([0-9]{1,20})/?$`)

// xPostURL returns the canonical address of the X post an item links to
// (https://x.com/USER/status/ID, whatever bridge served it), and whether
// it is one.
func xPostURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	m := statusPathRE.FindStringSubmatch(u.Path)
	if m == nil {
		return "", false
	}
	return "https://x.com/" + m[1] + "/status/" + m[2], true
}

// xPosts are the feed's items that are X posts (an RSS bridge's feed of
// an account), as articles read from the items themselves: the bridge
// gives the post's whole text, and X's own page is a script that needs a
// login, so there is nothing to fetch. An item without text is left to
// the usual fetch.
func xPosts(f outlets.Feed, items []feeds.Item, c *capture) map[string]postSource {
	out := map[string]postSource{}
	for _, it := range items {
		canonical, ok := xPostURL(it.URL)
		if !ok {
			continue
		}
		body := htmlText(it.Summary)
		if body == "" {
			body = strings.TrimSpace(it.Title)
		}
		if body == "" {
			continue
		}
		a := &Article{
			OutletID:     f.OutletID,
			FeedID:       &f.ID,
			URL:          it.URL,
			CanonicalURL: canonical,
			Title:        postTitle(it.Title, body),
			Byline:       it.Author,
			Lang:         text.Language(body),
			Text:         body,
			Source:       "feed",
			SourceDetail: "X post via " + hostOf(f.URL),
		}
		if !it.Published.IsZero() {
			p := it.Published.UTC()
			a.Published = &p
		}
		ps := postSource{a: a, capt: c}
		if bridged := extract.CanonicalURL(it.URL); bridged != canonical {
			ps.aliases = []string{bridged}
		}
		// The entry is recorded under the item's URL as the feed gives it.
		out[extract.CanonicalURL(it.URL)] = ps
	}
	return out
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// postTitle is the item's title, else the post's first line, cut like a
// Telegram post's.
func postTitle(title, body string) string {
	if t := strings.TrimSpace(title); t != "" {
		body = t
	}
	line, _, _ := strings.Cut(body, "\n")
	r := []rune(strings.TrimSpace(line))
	if len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return string(r)
}

// htmlText is the text of an item's HTML description, with line breaks
// where <br> and block elements were; images and links keep no text of
// their own beyond their words.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			var lines []string
			for _, l := range strings.Split(b.String(), "\n") {
				if l = strings.Join(strings.Fields(l), " "); l != "" {
					lines = append(lines, l)
				}
			}
			return strings.Join(lines, "\n")
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Br, atom.P, atom.Div, atom.Blockquote, atom.Li:
				b.WriteByte('\n')
			}
		}
	}
}
