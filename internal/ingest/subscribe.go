package ingest

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
)

// AddFeeds subscribes an outlet to the feed at rawURL. When rawURL is a
// web page (an outlet's homepage), it subscribes to the feeds the page
// advertises, else to the first of the usual feed paths that answers with
// a feed. With check false the URL is saved as a feed without fetching it
// (the first poll will tell whether it works).
func (s *Service) AddFeeds(ctx context.Context, outletKey, rawURL string, ignoreCache, check bool) ([]outlets.Feed, error) {
	o, err := outlets.OutletByKey(ctx, s.db, outletKey)
	if err != nil {
		return nil, err
	}
	save := func(u, title, format string) (outlets.Feed, error) {
		f := outlets.Feed{OutletID: o.ID, OutletKey: o.Key, URL: u, Title: title, Format: format, IgnoreHTTPCache: ignoreCache}
		return f, outlets.SaveFeed(ctx, s.db, &f)
	}
	if !check {
		f, err := save(rawURL, "", "")
		return []outlets.Feed{f}, err
	}
	resp, err := s.fetchArchived(ctx, rawURL, feedAccept)
	if err != nil {
		return nil, err
	}
	text := feedText(resp)
	if !strings.HasPrefix(http.DetectContentType(text), "text/html") {
		parsed, err := feeds.Parse(text, resp.FinalURL)
		if err != nil {
			return nil, fmt.Errorf("%s is neither a feed nor a web page: %w", rawURL, err)
		}
		f, err := save(rawURL, parsed.Title, string(parsed.Format))
		return []outlets.Feed{f}, err
	}
	links := feeds.Discover(text, resp.FinalURL)
	var added []outlets.Feed
	for _, l := range links {
		f, err := save(l.URL, l.Title, "")
		if err != nil {
			return added, err
		}
		added = append(added, f)
	}
	if len(added) > 0 {
		return added, nil
	}
	for _, c := range feeds.CandidateURLs(resp.FinalURL) {
		r, err := s.fetchArchived(ctx, c, feedAccept)
		if err != nil {
			continue // most candidates do not exist; that is expected
		}
		if parsed, err := feeds.Parse(feedText(r), r.FinalURL); err == nil && len(parsed.Items)+len(parsed.Sitemaps) > 0 {
			f, err := save(c, parsed.Title, string(parsed.Format))
			return []outlets.Feed{f}, err
		}
	}
	return nil, fmt.Errorf("%s advertises no feed, and none of the usual feed paths (/feed, /rss, /sitemap.xml …) answered with one", rawURL)
}

// fetchArchived fetches a URL outside any feed or article (subscribing,
// discovery) and keeps the exchange as evidence like every other fetch.
func (s *Service) fetchArchived(ctx context.Context, u, accept string) (*fetch.Response, error) {
	resp, ferr := s.fetcher.Fetch(ctx, fetch.Request{URL: u, Accept: accept})
	if resp != nil {
		c, err := s.archiveResponse(resp)
		if err != nil {
			return nil, err
		}
		if err := c.save(ctx, s.db); err != nil {
			return nil, err
		}
	}
	return resp, ferr
}
