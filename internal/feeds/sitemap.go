package feeds

import (
	"strings"
	"time"
)

// Sitemaps are parsed here because gofeed does not read them. Element names
// match by local name only: many news sites put the news: elements in a
// misspelt or outdated namespace, and the structure is unambiguous anyway.

// SitemapRef is one child of a sitemap index.
type SitemapRef struct {
	URL      string
	Modified time.Time // <lastmod>, zero when absent
}

type urlSet struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    struct {
			Publication struct {
				Name     string `xml:"name"`
				Language string `xml:"language"`
			} `xml:"publication"`
			PublicationDate string `xml:"publication_date"`
			Title           string `xml:"title"`
		} `xml:"news"`
	} `xml:"url"`
}

type sitemapIndex struct {
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// parseURLSet reads a <urlset>, with or without Google News extensions.
// The feed title is the first news publication name.
func parseURLSet(data []byte) (*Feed, error) {
	var set urlSet
	if err := newXMLDecoder(data).Decode(&set); err != nil {
		return nil, xmlError(Sitemap, err)
	}
	feed := &Feed{Format: Sitemap}
	for _, u := range set.URLs {
		loc := strings.TrimSpace(u.Loc)
		if loc == "" {
			continue
		}
		n := u.News
		item := Item{
			URL:       loc,
			GUID:      loc,
			Title:     strings.TrimSpace(n.Title),
			Language:  strings.TrimSpace(n.Publication.Language),
			Published: parseW3CDate(n.PublicationDate),
		}
		if item.Published.IsZero() {
			item.Published = parseW3CDate(u.LastMod)
		}
		if feed.Title == "" {
			feed.Title = strings.TrimSpace(n.Publication.Name)
			feed.Language = item.Language
		}
		feed.Items = append(feed.Items, item)
	}
	return feed, nil
}

// parseSitemapIndex reads a <sitemapindex>; its children are in Sitemaps.
func parseSitemapIndex(data []byte) (*Feed, error) {
	var idx sitemapIndex
	if err := newXMLDecoder(data).Decode(&idx); err != nil {
		return nil, xmlError(SitemapIndex, err)
	}
	feed := &Feed{Format: SitemapIndex}
	for _, s := range idx.Sitemaps {
		if loc := strings.TrimSpace(s.Loc); loc != "" {
			feed.Sitemaps = append(feed.Sitemaps, SitemapRef{URL: loc, Modified: parseW3CDate(s.LastMod)})
		}
	}
	return feed, nil
}

// w3cLayouts are the W3C Datetime profiles sitemaps use, plus the
// space-separated form some CMSs emit.
var w3cLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseW3CDate returns the zero time for empty or unreadable dates: a bad
// date must not lose the item.
func parseW3CDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range w3cLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
