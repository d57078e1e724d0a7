// Package telegram reads the public web preview of a Telegram channel
// (https://t.me/s/NAME): the channel's title and the posts on the page,
// each with its id, date, text, views, author signature, forwarded-from
// link, media captions, albums and polls, and the "before" cursor that
// pages back to older posts. It does no network I/O: the fetcher gets the
// page (and archives it), Parse reads it.
//
// The preview is an HTML page Telegram renders for browsers, not an API:
// its structure is known from its class names (tgme_widget_message_wrap,
// data-post="name/123", tgme_widget_message_text, the date link's
// time[datetime], tgme_widget_message_views, ...), which tools such as
// RSSHub have read for years. Parse is lenient about what a post lacks
// (no date, no views, no text) and says what it skipped and why.
package telegram

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Host is the address of Telegram's public previews.
const Host = "t.me"

// usernameRE is a public channel's username as Telegram allows it: 4 to
// 32 letters, digits and underscores, starting with a letter (a few old
// channels have shorter ones, hence 3).
var usernameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{2,31}$`)

// ChannelOf returns the channel a feed address names: tg:NAME, @NAME,
// https://t.me/s/NAME, https://t.me/NAME or telegram.me/NAME; ok is false
// for any other address.
func ChannelOf(raw string) (name string, ok bool) {
	raw = strings.TrimSpace(raw)
	switch {
	case strings.HasPrefix(raw, "tg:"):
		name = strings.TrimPrefix(strings.TrimPrefix(raw, "tg:"), "//")
	case strings.HasPrefix(raw, "@"):
		name = raw[1:]
	default:
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return "", false
		}
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if host != Host && host != "telegram.me" {
			return "", false
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) == 2 && parts[0] == "s" {
			name = parts[1]
		} else if len(parts) == 1 {
			name = parts[0]
		}
	}
	name = strings.Trim(name, "/")
	if !usernameRE.MatchString(name) {
		return "", false
	}
	return name, true
}

// PreviewURL is the address of a channel's public preview.
func PreviewURL(name string) string { return "https://" + Host + "/s/" + name }

// PostURL is the address of one post.
func PostURL(name string, id int64) string {
	return "https://" + Host + "/" + name + "/" + strconv.FormatInt(id, 10)
}

// BeforeURL is the preview page with the posts older than before, on the
// same server as pageURL (so a preview served from elsewhere, a mirror or
// a test server, pages back on it).
func BeforeURL(pageURL string, before int64) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return pageURL
	}
	q := u.Query()
	q.Set("before", strconv.FormatInt(before, 10))
	u.RawQuery = q.Encode()
	return u.String()
}

// Channel is what the preview says about the channel.
type Channel struct {
	Username    string // as the page names it now (after a rename, the new one)
	Title       string
	Description string
}

// Page is one preview page.
type Page struct {
	Channel Channel
	// Posts are in the page's order, oldest first.
	Posts []Post
	// Before is the cursor to the next older page (?before=Before), 0 when
	// the page says there is none.
	Before int64
	// Skipped says which messages on the page were not taken as posts and
	// why (service messages, messages without an id or with nothing to read).
	Skipped []string
}

// Post is one channel message.
type Post struct {
	Channel string // the username in data-post
	ID      int64
	URL     string    // https://t.me/NAME/ID
	Date    time.Time // zero when the page gives none
	Text    string    // the message text or caption, lines kept
	Author  string    // the post's signature, if the channel signs posts
	Views   int64     // as shown ("12.3K" is 12300); -1 when not shown
	Edited  bool
	// Forward is where a forwarded post came from; nil for an own post.
	Forward *Forward
	Photos  int // photos and videos: more than one is an album
	Videos  int
	// Documents are the titles of attached files (a PDF's name is often
	// the only text of a post that shares a statement).
	Documents []string
	Link      *LinkPreview
	Poll      *Poll
}

// Forward is the origin of a forwarded post: a channel (with the
// original post's link when the preview gives it) or a person.
type Forward struct {
	Name    string
	URL     string // https://t.me/OTHER/45, or the channel's address, or ""
	Channel string // OTHER, when URL names a channel
	PostID  int64  // 45, when URL names a post
}

// LinkPreview is the card Telegram shows for a link in the text.
type LinkPreview struct {
	URL, Site, Title, Description string
}

// Poll is a poll's question and options with their shares.
type Poll struct {
	Question string
	Type     string // "Anonymous poll", "Quiz", ...
	Options  []PollOption
}

// PollOption is one answer and the percentage who chose it.
type PollOption struct {
	Text    string
	Percent string
}

// Album says whether the post groups several photos or videos.
func (p Post) Album() bool { return p.Photos+p.Videos > 1 }

// Body is the post as one readable text: the message, then what it
// attaches (poll, files, link card) in words, so that it can be searched
// and compared like an article's text.
func (p Post) Body() string {
	var parts []string
	if p.Text != "" {
		parts = append(parts, p.Text)
	}
	if p.Poll != nil {
		lines := []string{p.Poll.Question}
		for _, o := range p.Poll.Options {
			if o.Percent != "" {
				lines = append(lines, "– "+o.Text+" ("+o.Percent+")")
			} else {
				lines = append(lines, "– "+o.Text)
			}
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	for _, d := range p.Documents {
		parts = append(parts, d)
	}
	if p.Link != nil {
		var lines []string
		for _, s := range []string{p.Link.Title, p.Link.Description} {
			if s != "" {
				lines = append(lines, s)
			}
		}
		if len(lines) > 0 {
			parts = append(parts, strings.Join(lines, "\n"))
		}
	}
	return strings.Join(parts, "\n\n")
}

// maxTitleRunes bounds a post's title: posts have none, so the first line
// stands for one, cut at a word.
const maxTitleRunes = 120

// Headline is a title for the post: its first line (or the poll's
// question, or the first file's name), shortened at a word; "" when the
// post has no words.
func (p Post) Headline() string {
	line := ""
	for _, l := range strings.Split(p.Body(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			line = l
			break
		}
	}
	r := []rune(line)
	if len(r) <= maxTitleRunes {
		return line
	}
	cut := string(r[:maxTitleRunes])
	if i := strings.LastIndexByte(cut, ' '); i > maxTitleRunes/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

// ErrNotPreview is returned for a page that is not a channel's public
// preview: a channel that does not exist or is private redirects to its
// plain t.me page, which has no message history.
var ErrNotPreview = errors.New("not a public channel preview")

// Looks says whether an HTML document is a channel preview, without
// parsing it: the poller asks for every feed whose address does not say.
func Looks(doc []byte) bool {
	s := string(doc[:min(len(doc), 64<<10)])
	return strings.Contains(s, "tgme_channel_history") || strings.Contains(s, "tgme_widget_message_wrap")
}

// parseViews reads a view count as the preview shows it: 987, 12.3K, 1.2M.
func parseViews(s string) (int64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1e3, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1e6, strings.TrimSuffix(s, "M")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("view count %q", s)
	}
	return int64(f*mult + 0.5), nil
}

// splitPost reads data-post="name/123".
func splitPost(s string) (name string, id int64, ok bool) {
	name, num, found := strings.Cut(s, "/")
	if !found || !usernameRE.MatchString(name) {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, false
	}
	return name, id, true
}
