package ingest

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/telegram"
	"github.com/pressreview/pressreview/internal/text"
)

// telegramFormat is the format recorded on a feed that is a Telegram
// channel's public preview.
const telegramFormat = "Telegram"

// maxTelegramPages bounds the preview pages read in one poll: the newest,
// then older ones (?before=) while every post on them is new to the feed.
// A page holds about twenty posts, so a first poll takes the last sixty,
// and a channel that posted more than that between two polls loses the
// oldest of them (the scheduler polls a busy channel more often).
const maxTelegramPages = 3

// sourceURL turns the short forms of a Telegram channel (tg:NAME, @NAME,
// t.me/NAME) into its preview's address; other addresses are returned as
// given.
func sourceURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if name, ok := telegram.ChannelOf(raw); ok {
		return telegram.PreviewURL(name)
	}
	return raw
}

// isTelegram says whether a feed's answer is a channel preview: by its
// address, or, for a preview served elsewhere (a mirror), by its page.
func isTelegram(f outlets.Feed, resp *fetch.Response) bool {
	if _, ok := telegram.ChannelOf(f.URL); ok {
		return true
	}
	return isHTML(resp) && telegram.Looks(feedText(resp))
}

func isHTML(resp *fetch.Response) bool {
	mt, _, _ := mime.ParseMediaType(resp.ContentType)
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(feedText(resp)))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// notAFeed words a parse failure of an HTML answer for the analyst: an
// RSS bridge (RSSHub, Nitter) that is down or rate-limited answers with
// its error page, and "malformed RSS at line 1" would not say so.
func notAFeed(resp *fetch.Response, perr error) error {
	if !isHTML(resp) {
		return perr
	}
	ct := resp.ContentType
	if ct == "" {
		ct = "text/html"
	}
	return fmt.Errorf("%s returned an HTML page (%s), not a feed: if it is an RSS bridge (RSSHub, Nitter), is the bridge instance up? (%w)",
		resp.FinalURL, ct, perr)
}

// previewError is a page that is not a readable channel preview, recorded
// on the feed like a malformed feed (it wraps fetch.ErrMalformed).
func previewError(u string, err error) error {
	return &feeds.ParseError{URL: u, Format: telegramFormat + " channel preview", Msg: strings.TrimPrefix(err.Error(), u+": "+telegram.ErrNotPreview.Error()+": "), Err: err}
}

// discoverTelegram checks a channel's preview when it is added as a feed.
func (s *Service) discoverTelegram(ctx context.Context, u string) ([]outlets.Feed, error, error) {
	resp, remote, err := s.fetchArchived(ctx, u, pageAccept)
	if err != nil || remote != nil {
		return nil, remote, err
	}
	found, remote := previewFeed(u, resp)
	return found, remote, nil
}

// previewFeed is the feed a fetched channel preview makes, or what is
// wrong with the page.
func previewFeed(u string, resp *fetch.Response) ([]outlets.Feed, error) {
	page, err := telegram.Parse(feedText(resp), resp.FinalURL)
	if err != nil {
		return nil, previewError(resp.FinalURL, err)
	}
	return []outlets.Feed{{URL: u, Title: page.Channel.Title, Format: telegramFormat}}, nil
}

// pollTelegram reads a channel preview the poll fetched: each post is an
// article of the feed's outlet, read from the archived page itself (the
// preview holds the whole text, so no page per post is fetched), stored
// in the transaction that records the poll. Older pages are read while
// every post on them is new, up to maxTelegramPages.
func (s *Service) pollTelegram(ctx context.Context, f outlets.Feed, resp *fetch.Response, caps []*capture,
	hints cacheHints) (PollResult, error) {
	page, perr := telegram.Parse(feedText(resp), resp.FinalURL)
	if perr != nil {
		return s.recordFailure(ctx, f, caps, previewError(resp.FinalURL, perr), hints)
	}
	posts := sourced(page.Posts, caps[len(caps)-1])
	for n, older := 1, page; n < maxTelegramPages && older.Before > 0 && len(posts) > 0; n++ {
		known, err := s.entryKnown(ctx, f.ID, posts[0].post.URL)
		if err != nil {
			return PollResult{}, err
		}
		if known {
			break
		}
		r, ferr := s.fetcher.Fetch(ctx, fetch.Request{URL: telegram.BeforeURL(resp.FinalURL, older.Before), Accept: pageAccept})
		if ctx.Err() != nil {
			return PollResult{}, ctx.Err()
		}
		if r == nil {
			break
		}
		c, err := s.archiveResponse(r)
		if err != nil {
			return PollResult{}, err
		}
		c.FeedID = &f.ID
		caps = append(caps, c)
		// An older page that fails is evidence, not the feed's failure:
		// the newest page was read, and the next poll pages back again.
		if ferr != nil {
			s.log.Warn("older page of a Telegram channel", "feed", f.ID, "err", ferr)
			break
		}
		if older, perr = telegram.Parse(feedText(r), r.FinalURL); perr != nil {
			s.log.Warn("older page of a Telegram channel", "feed", f.ID, "err", perr)
			break
		}
		// A mirror that ignores ?before= serves the same page again.
		if k := len(older.Posts); k == 0 || older.Posts[k-1].ID >= posts[0].post.ID {
			break
		}
		posts = append(sourced(older.Posts, c), posts...)
	}
	for _, why := range page.Skipped {
		s.log.Debug("Telegram message skipped", "feed", f.ID, "why", why)
	}

	feedChannel, _ := telegram.ChannelOf(f.URL)
	items := make([]feeds.Item, len(posts))
	byURL := make(map[string]postSource, len(posts))
	for i, p := range posts {
		items[i] = feeds.Item{URL: p.post.URL, GUID: p.post.URL, Title: p.post.Headline(), Published: p.post.Date}
		ps := postSource{a: postArticle(f, p.post), capt: p.capt}
		if feedChannel != "" && !strings.EqualFold(feedChannel, p.post.Channel) {
			// A renamed channel keeps its post ids: the post met under the
			// old name is this one.
			ps.aliases = []string{extract.CanonicalURL(telegram.PostURL(feedChannel, p.post.ID))}
		}
		if fw := p.post.Forward; fw != nil && fw.PostID != 0 {
			ps.forwardOf = extract.CanonicalURL(fw.URL)
		}
		byURL[ps.a.CanonicalURL] = ps
	}
	if page.Channel.Title != "" {
		f.Title = page.Channel.Title // a renamed channel's feed takes its new name
	}
	f.Format = telegramFormat
	return s.recordSuccess(ctx, f, caps, resp, items, hints, PollResult{Feed: f, Items: len(items)}, s.storingPosts(byURL))
}

// sourcedPost is a post with the archived page it was read from.
type sourcedPost struct {
	post telegram.Post
	capt *capture
}

func sourced(posts []telegram.Post, c *capture) []sourcedPost {
	out := make([]sourcedPost, len(posts))
	for i, p := range posts {
		out[i] = sourcedPost{post: p, capt: c}
	}
	return out
}

// entryKnown says whether the feed announced u before.
func (s *Service) entryKnown(ctx context.Context, feedID int64, u string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM feed_entries WHERE feed_id = ? AND url = ?`,
		feedID, extract.CanonicalURL(u)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("feed %d: look up %s: %w", feedID, u, err)
	}
	return n > 0, nil
}

// postArticle is the article a post becomes: the channel's post link as
// its URL, the post's text with what it attaches, and, in its source
// detail, the channel, the views when read and where a forward came from.
func postArticle(f outlets.Feed, p telegram.Post) *Article {
	body := p.Body()
	a := &Article{
		OutletID:     f.OutletID,
		FeedID:       &f.ID,
		URL:          p.URL,
		CanonicalURL: extract.CanonicalURL(p.URL),
		Title:        p.Headline(),
		Byline:       p.Author,
		Lang:         text.Language(body),
		Text:         body,
		Source:       "feed",
		SourceDetail: postDetail(p),
	}
	if !p.Date.IsZero() {
		d := p.Date
		a.Published = &d
	}
	return a
}

func postDetail(p telegram.Post) string {
	parts := []string{"Telegram @" + p.Channel}
	if p.Views >= 0 {
		parts = append(parts, fmt.Sprintf("%d views when read", p.Views))
	}
	if p.Edited {
		parts = append(parts, "edited before it was read")
	}
	if p.Album() {
		parts = append(parts, fmt.Sprintf("album of %d", p.Photos+p.Videos))
	}
	if fw := p.Forward; fw != nil {
		from := "forwarded from " + fw.Name
		if fw.URL != "" {
			from += " " + fw.URL
		}
		parts = append(parts, from)
	}
	return strings.Join(parts, "; ")
}

// refetchPage fetches a stored article's page again: a Telegram post
// through its channel's preview (fetchPost), any other through its own
// address. An X post is not fetched: x.com serves a script, not the
// post's text, without a login, and its extraction would be recorded as
// an edit; the bridge's feed lists a post once, not its later states.
func (s *Service) refetchPage(ctx context.Context, u string) (f *fetched, remote, local error) {
	if name, id, ok := postAddress(u); ok {
		return s.fetchPost(ctx, name, id)
	}
	if canonical, ok := xPostURL(u); ok && canonical == u {
		return nil, &fetch.Error{Kind: fetch.Hard, Method: "GET", URL: u,
			Msg: "X serves no post text without a login, so the post is not fetched again"}, nil
	}
	return s.fetchArticle(ctx, u)
}

// postAddress splits a Telegram post's address, https://t.me/NAME/ID.
func postAddress(u string) (name string, id int64, ok bool) {
	rest, found := strings.CutPrefix(u, "https://"+telegram.Host+"/")
	if !found {
		return "", 0, false
	}
	name, num, found := strings.Cut(rest, "/")
	if _, isChannel := telegram.ChannelOf(telegram.PreviewURL(name)); !found || !isChannel {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	return name, id, err == nil && id > 0
}

// fetchPost fetches a stored Telegram post again through the channel's
// preview page that ends with it (?before=ID+1), and reads it the way the
// poll did, so an unchanged post compares equal: the post's own page is a
// widget whose extraction would differ. A post missing from that page,
// which holds older posts, was deleted by the channel; it is reported as
// a 404, what the post's own address answers for it, with the preview
// page archived as the evidence.
func (s *Service) fetchPost(ctx context.Context, name string, id int64) (f *fetched, remote, local error) {
	u := telegram.BeforeURL(telegram.PreviewURL(name), id+1)
	resp, err := s.fetcher.Fetch(ctx, fetch.Request{URL: u, Accept: pageAccept})
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	f = &fetched{resp: resp}
	if resp != nil {
		if f.capt, local = s.archiveResponse(resp); local != nil {
			return nil, nil, local
		}
	}
	if err != nil {
		return f, err, nil
	}
	page, perr := telegram.Parse(feedText(resp), resp.FinalURL)
	if perr != nil {
		return f, previewError(resp.FinalURL, perr), nil
	}
	for _, p := range page.Posts {
		if p.ID != id {
			continue
		}
		body := p.Body()
		f.art = &extract.Article{URL: p.URL, CanonicalURL: extract.CanonicalURL(p.URL), Title: p.Headline(),
			Byline: p.Author, Published: p.Date, Language: text.Language(body), Text: body}
		return f, nil, nil
	}
	if n := len(page.Posts); n > 0 && page.Posts[n-1].ID < id {
		return f, &fetch.Error{Kind: fetch.Hard, Method: "GET", URL: telegram.PostURL(name, id), Status: http.StatusNotFound,
			Msg: fmt.Sprintf("the post is no longer in the channel's preview (%s)", u)}, nil
	}
	return f, &fetch.Error{Kind: fetch.Soft, Method: "GET", URL: u,
		Msg: fmt.Sprintf("the preview page does not reach back to post %d", id)}, nil
}
