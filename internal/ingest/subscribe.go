package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/telegram"
	"github.com/pressreview/pressreview/internal/valid"
)

// AddFeeds subscribes an outlet to the feed at rawURL. When rawURL is a
// web page (an outlet's homepage), it subscribes to the feeds the page
// advertises, else to the first of the usual feed paths that answers with
// a feed. With check false the URL is saved as a feed without fetching it
// (the first poll will tell whether it works). A feed already subscribed
// is updated: moved to the outlet, with this caching switch.
func (s *Service) AddFeeds(ctx context.Context, outletKey, rawURL string, ignoreCache, check bool) ([]outlets.Feed, error) {
	rawURL = sourceURL(rawURL)
	o, err := outlets.OutletByKey(ctx, s.db, outletKey)
	if err != nil {
		return nil, err
	}
	found := []outlets.Feed{{URL: rawURL}}
	if check {
		var remote error
		found, remote, err = s.discoverFeeds(ctx, rawURL)
		if err == nil {
			err = remote
		}
		if err != nil {
			return nil, err
		}
	}
	var added []outlets.Feed
	for _, f := range found {
		f.OutletID, f.OutletKey, f.IgnoreHTTPCache = o.ID, o.Key, ignoreCache
		if err := outlets.SaveFeed(ctx, s.db, &f); err != nil {
			return added, err
		}
		added = append(added, f)
	}
	return added, nil
}

// SubscribeFeeds subscribes an outlet to the feeds at rawURL as AddFeeds
// does with checking, for a form: what the person can fix comes back as a
// validation error on "url" (not an http(s) URL, the server failed or the
// fetcher refused its address, no feed there, already subscribed), and a
// feed some outlet already has is refused rather than moved. Of the feeds
// a homepage advertises, those already subscribed are left as they are.
func (s *Service) SubscribeFeeds(ctx context.Context, outletKey, rawURL string) ([]outlets.Feed, error) {
	rawURL = sourceURL(rawURL)
	if u, err := url.Parse(rawURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, valid.Errorf("url", "%q is not a web address: give the feed's or the homepage's URL, starting with https://", rawURL)
	}
	o, err := outlets.OutletByKey(ctx, s.db, outletKey)
	if err != nil {
		return nil, err
	}
	if err := notSubscribed(ctx, s.db, rawURL); err != nil {
		return nil, err
	}
	found, remote, err := s.discoverFeeds(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	if remote != nil {
		return nil, valid.Errorf("url", "%v", remote)
	}
	var added []outlets.Feed
	var taken error
	for _, f := range found {
		if err := notSubscribed(ctx, s.db, f.URL); err != nil {
			var ve *valid.Error
			if !errors.As(err, &ve) {
				return added, err
			}
			taken = err
			continue
		}
		f.OutletID, f.OutletKey = o.ID, o.Key
		if err := outlets.SaveFeed(ctx, s.db, &f); err != nil {
			return added, err
		}
		added = append(added, f)
	}
	if len(added) == 0 && taken != nil {
		return nil, taken
	}
	return added, nil
}

// notSubscribed is a validation error on "url" when some outlet already
// has the feed at u.
func notSubscribed(ctx context.Context, q store.Querier, u string) error {
	f, err := outlets.FeedByURL(ctx, q, u)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	return valid.Errorf("url", "%s is already subscribed, as a feed of %s", u, f.OutletKey)
}

// discoverFeeds finds the feeds at rawURL without saving them: the feed
// itself, or the feeds a web page advertises, or the first of the usual
// feed paths that answers with one. remote is what the outlet's side got
// wrong (a failed fetch, a refused address, no feed); err is a local
// failure. Every fetch is kept as evidence.
func (s *Service) discoverFeeds(ctx context.Context, rawURL string) (found []outlets.Feed, remote, err error) {
	if _, ok := telegram.ChannelOf(rawURL); ok {
		return s.discoverTelegram(ctx, rawURL)
	}
	resp, remote, err := s.fetchArchived(ctx, rawURL, feedAccept)
	if err != nil || remote != nil {
		return nil, remote, err
	}
	text := feedText(resp)
	if telegram.Looks(text) { // a channel preview served by a mirror
		found, remote := previewFeed(rawURL, resp)
		return found, remote, nil
	}
	if !strings.HasPrefix(http.DetectContentType(text), "text/html") {
		parsed, perr := feeds.Parse(text, resp.FinalURL)
		if perr != nil {
			return nil, fmt.Errorf("%s is neither a feed nor a web page: %w", rawURL, perr), nil
		}
		return []outlets.Feed{{URL: rawURL, Title: parsed.Title, Format: string(parsed.Format)}}, nil, nil
	}
	for _, l := range feeds.Discover(text, resp.FinalURL) {
		found = append(found, outlets.Feed{URL: l.URL, Title: l.Title})
	}
	if len(found) > 0 {
		return found, nil, nil
	}
	for _, c := range feeds.CandidateURLs(resp.FinalURL) {
		r, remote, err := s.fetchArchived(ctx, c, feedAccept)
		if err != nil {
			return nil, nil, err
		}
		if remote != nil {
			continue // most candidates do not exist; that is expected
		}
		if parsed, perr := feeds.Parse(feedText(r), r.FinalURL); perr == nil && len(parsed.Items)+len(parsed.Sitemaps) > 0 {
			return []outlets.Feed{{URL: c, Title: parsed.Title, Format: string(parsed.Format)}}, nil, nil
		}
	}
	return nil, fmt.Errorf("%s advertises no feed, and none of the usual feed paths (/feed, /rss, /sitemap.xml …) answered with one", rawURL), nil
}

// fetchArchived fetches a URL outside any feed or article (subscribing,
// discovery) and keeps the exchange as evidence like every other fetch.
// remote is the fetch's failure; err is a failure to keep the evidence.
func (s *Service) fetchArchived(ctx context.Context, u, accept string) (resp *fetch.Response, remote, err error) {
	resp, remote = s.fetcher.Fetch(ctx, fetch.Request{URL: u, Accept: accept})
	if resp != nil {
		c, err := s.archiveResponse(resp)
		if err != nil {
			return nil, nil, err
		}
		if err := c.save(ctx, s.db); err != nil {
			return nil, nil, err
		}
	}
	return resp, remote, nil
}
