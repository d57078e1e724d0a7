package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	gjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// parseWithGofeed parses RSS, Atom and JSON Feed. root is what sniffRoot
// found, used to name the format in errors.
func parseWithGofeed(data []byte, root string) (*Feed, error) {
	format := formatOfRoot(root)
	if format == "" {
		return nil, &ParseError{Line: 1, Msg: "not a feed or sitemap: root element <" + root + ">"}
	}
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true // for RSS <ttl> and JSON external_url
	gf, err := p.Parse(bytes.NewReader(data))
	if err != nil {
		var jsyn *json.SyntaxError
		if errors.As(err, &jsyn) {
			return nil, &ParseError{Format: format, Line: lineOf(data, jsyn.Offset), Msg: jsyn.Error(), Err: err}
		}
		return nil, xmlError(format, err)
	}
	feed := &Feed{Format: format, Title: strings.TrimSpace(gf.Title), Link: gf.Link, Language: gf.Language}
	var externalURLs []string // JSON Feed external_url, by item index
	switch orig := gf.OriginalFeed().(type) {
	case *rss.Feed:
		if minutes, err := strconv.Atoi(strings.TrimSpace(orig.TTL)); err == nil && minutes > 0 {
			feed.TTL = time.Duration(minutes) * time.Minute
		}
	case *gjson.Feed:
		if len(orig.Items) == len(gf.Items) {
			externalURLs = make([]string, len(orig.Items))
			for i, it := range orig.Items {
				externalURLs[i] = strings.TrimSpace(it.ExternalURL)
			}
		}
	}
	for i, it := range gf.Items {
		item := convertItem(it)
		if externalURLs != nil && externalURLs[i] != "" {
			item.URL = externalURLs[i]
		}
		feed.Items = append(feed.Items, item)
	}
	return feed, nil
}

func formatOfRoot(root string) Format {
	switch root {
	case "rss", "rdf":
		return RSS
	case "feed":
		return Atom
	case "json":
		return JSONFeed
	}
	return ""
}

func convertItem(it *gofeed.Item) Item {
	item := Item{
		URL:     strings.TrimSpace(it.Link),
		Title:   strings.TrimSpace(it.Title),
		Summary: strings.TrimSpace(it.Description),
		GUID:    strings.TrimSpace(it.GUID),
	}
	if item.URL == "" && len(it.Links) > 0 {
		item.URL = strings.TrimSpace(it.Links[0])
	}
	if item.URL == "" && (strings.HasPrefix(item.GUID, "http://") || strings.HasPrefix(item.GUID, "https://")) {
		item.URL = item.GUID // RSS guid isPermaLink
	}
	if item.Summary == "" {
		item.Summary = strings.TrimSpace(it.Content)
	}
	switch {
	case it.PublishedParsed != nil:
		item.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		item.Published = it.UpdatedParsed.UTC()
	}
	for _, a := range it.Authors {
		if a == nil {
			continue
		}
		if name := strings.TrimSpace(a.Name); name != "" {
			item.Author = name
			break
		}
		if email := strings.TrimSpace(a.Email); email != "" && item.Author == "" {
			item.Author = email
		}
	}
	if item.Author == "" && it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
		item.Author = strings.TrimSpace(it.DublinCoreExt.Creator[0])
	}
	return item
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
