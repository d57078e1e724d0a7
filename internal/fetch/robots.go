package fetch

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// maxRobotsBytes is how much of a robots.txt we read; RFC 9309 asks
// crawlers to parse at least 500 KiB, and to ignore the rest.
const maxRobotsBytes = 512 << 10

// robotsCache holds the robots.txt rules of each host, fetched on first use
// and refreshed after Config.RobotsTTL.
type robotsCache struct {
	mu      sync.Mutex
	entries map[string]*robotsEntry
}

type robotsEntry struct {
	mu      sync.Mutex // held while fetching, so one host's file is fetched once
	group   *robotstxt.Group
	fetched time.Time
}

// allowed checks u against its host's robots.txt, fetching the file if
// needed. RFC 9309 rules: a 4xx robots.txt means no restrictions; a 5xx
// answer or a network failure means "assume everything is disallowed for
// now", which exchange reports as a Temporary error so the fetch is retried
// later rather than recorded as a permanent disallow.
func (f *Fetcher) allowed(ctx context.Context, u *url.URL) error {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	f.robots.mu.Lock()
	e, ok := f.robots.entries[key]
	if !ok {
		e = &robotsEntry{}
		f.robots.entries[key] = e
	}
	f.robots.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.group == nil || time.Since(e.fetched) > f.cfg.RobotsTTL {
		group, err := f.fetchRobots(ctx, u)
		if err != nil {
			return err
		}
		e.group, e.fetched = group, time.Now()
	}
	if !e.group.Test(u.RequestURI()) {
		return ErrRobotsDisallowed
	}
	return nil
}

func (f *Fetcher) fetchRobots(ctx context.Context, u *url.URL) (*robotstxt.Group, error) {
	robotsURL := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}).String()
	resp, err := f.follow(ctx, Request{URL: robotsURL, Accept: "text/plain"}, true)
	var data *robotstxt.RobotsData
	switch {
	case resp == nil:
		return nil, err
	case resp.Status >= 200 && resp.Status < 300:
		data, err = robotstxt.FromBytes(resp.Body)
		if err != nil {
			// Unparseable lines give no rules; RFC 9309 parsers skip them.
			data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		}
	case resp.Status >= 400 && resp.Status < 500:
		data, _ = robotstxt.FromStatusAndBytes(resp.Status, nil)
	default: // 5xx, or a redirect chain that went nowhere
		return nil, err
	}
	group := data.FindGroup(f.cfg.robotsAgent())
	if group.CrawlDelay > 0 {
		f.hosts.get(hostKey(u)).setCrawlDelay(group.CrawlDelay)
	}
	return group, nil
}
