package site

import (
	"time"

	"github.com/pressreview/pressreview/internal/posts"
)

// JSON-LD objects follow schema.org; search engines read them for rich
// results. They are plain maps so that empty fields can be left out.

func (s *Site) newsArticle(v articleView, path string, p *posts.Post) map[string]any {
	authors := make([]map[string]any, len(v.Authors))
	for i, a := range v.Authors {
		authors[i] = map[string]any{"@type": "Person", "name": a.Name, "url": s.URL("/author/" + a.Key)}
	}
	m := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         v.Title,
		"author":           authors,
		"datePublished":    p.PublishAt.UTC().Format(time.RFC3339),
		"dateModified":     p.UpdatedAt.UTC().Format(time.RFC3339),
		"mainEntityOfPage": s.URL(path),
		"publisher":        map[string]any{"@type": "Organization", "name": s.opts.SiteName, "url": s.URL("/")},
	}
	if v.Dek != "" {
		m["description"] = v.Dek
	}
	if v.Image != nil {
		m["image"] = s.URL(v.Image.Src)
	}
	return m
}

func (s *Site) breadcrumbs(v articleView, path string) map[string]any {
	items := []map[string]any{{"@type": "ListItem", "position": 1, "name": "Home", "item": s.URL("/")}}
	if v.CategoryPath != "" {
		items = append(items, map[string]any{"@type": "ListItem", "position": 2, "name": v.Category, "item": s.URL(v.CategoryPath)})
	}
	items = append(items, map[string]any{"@type": "ListItem", "position": len(items) + 1, "name": v.Title, "item": s.URL(path)})
	return map[string]any{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
}

func (s *Site) person(a posts.Author) map[string]any {
	m := map[string]any{
		"@context": "https://schema.org",
		"@type":    "Person",
		"name":     a.Name,
		"url":      s.URL("/author/" + a.Key),
	}
	if a.Title != "" {
		m["jobTitle"] = a.Title
	}
	if a.Organisation != "" {
		m["worksFor"] = map[string]any{"@type": "Organization", "name": a.Organisation}
	}
	if a.Bio != "" {
		m["description"] = a.Bio
	}
	if a.Photo != "" {
		m["image"] = s.URL(a.Photo)
	}
	return m
}

func (s *Site) website() map[string]any {
	return map[string]any{
		"@context": "https://schema.org",
		"@type":    "WebSite",
		"name":     s.opts.SiteName,
		"url":      s.URL("/"),
		"potentialAction": map[string]any{
			"@type":       "SearchAction",
			"target":      s.URL("/search?q={query}"),
			"query-input": "required name=query",
		},
	}
}

func (s *Site) eventLD(e *posts.EventPage, path string) map[string]any {
	m := map[string]any{
		"@context":    "https://schema.org",
		"@type":       "Event",
		"name":        e.Title,
		"startDate":   e.StartsAt.In(e.Location()).Format(time.RFC3339),
		"endDate":     e.EndsAt.In(e.Location()).Format(time.RFC3339),
		"url":         s.URL(path),
		"eventStatus": "https://schema.org/EventScheduled",
		"organizer":   map[string]any{"@type": "Organization", "name": s.opts.SiteName, "url": s.URL("/")},
	}
	// Empty properties are left out: "description": "" tells a search
	// engine the event has an empty description.
	if e.Summary != "" {
		m["description"] = e.Summary
	}
	var locs []map[string]any
	if e.Place != "" {
		locs = append(locs, map[string]any{"@type": "Place", "name": e.Place, "address": e.Place})
	}
	if e.OnlineURL != "" {
		locs = append(locs, map[string]any{"@type": "VirtualLocation", "url": e.OnlineURL})
	}
	switch {
	case e.Place != "" && e.OnlineURL != "":
		m["eventAttendanceMode"] = "https://schema.org/MixedEventAttendanceMode"
	case e.OnlineURL != "":
		m["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
	default:
		m["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
	}
	if len(locs) > 0 {
		m["location"] = locs
	}
	if e.ImageMeta != nil {
		m["image"] = s.URL(imagePath(e.ImageMeta, e.ImageMeta.Width))
	}
	var performers []map[string]any
	for _, sp := range e.Speakers {
		performers = append(performers, map[string]any{"@type": "Person", "name": sp.Name})
	}
	if performers != nil {
		m["performer"] = performers
	}
	return m
}
