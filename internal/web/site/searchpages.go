package site

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// The site's search runs on the archive's engine (package search), over
// its index of published pages: this file tells that index what the site
// shows. search.SyncPublished rebuilds the index when site_version, which
// every write to the content bumps (migration 00006), has moved, or when
// a scheduled page goes live.

// siteContent is the site's content as search.PublishedContent.
type siteContent struct{}

func (siteContent) Version(ctx context.Context, q store.Querier) (int64, error) {
	var version int64
	err := q.QueryRowContext(ctx, `SELECT version FROM site_version WHERE id = 1`).Scan(&version)
	return version, err
}

// Pages lists every public page: posts, events and the authors of either.
func (siteContent) Pages(ctx context.Context, q store.Querier, now time.Time) ([]search.PublishedPage, time.Time, error) {
	next, err := posts.NextChange(ctx, q, now)
	if err != nil {
		return nil, time.Time{}, err
	}
	var pages []search.PublishedPage
	all, _, err := posts.List(ctx, q, posts.Filter{}, now, math.MaxInt32, 0)
	if err != nil {
		return nil, time.Time{}, err
	}
	authors := map[string]posts.Author{}
	var authorOrder []string
	addAuthor := func(a posts.Author) {
		if _, ok := authors[a.Key]; !ok {
			authorOrder = append(authorOrder, a.Key)
		}
		authors[a.Key] = a
	}
	for _, p := range all {
		body, label, err := postText(ctx, q, p)
		if err != nil {
			return nil, time.Time{}, err
		}
		var extra []string
		for _, a := range p.Authors {
			addAuthor(a)
			extra = append(extra, a.Name)
		}
		for _, t := range p.Tags {
			extra = append(extra, t.Name)
		}
		pages = append(pages, search.PublishedPage{Path: postPath(p), Label: label, Title: p.Title,
			Text: joinText(p.Dek, body), Extra: extra, Day: p.Day, Date: p.PublishAt})
	}
	for _, upcoming := range []bool{true, false} {
		evs, _, err := posts.ListEvents(ctx, q, now, upcoming, math.MaxInt32, 0)
		if err != nil {
			return nil, time.Time{}, err
		}
		for _, e := range evs {
			body, err := posts.RenderMarkdown(e.Body)
			if err != nil {
				return nil, time.Time{}, err
			}
			extra := []string{e.Place}
			for _, sp := range e.Speakers {
				extra = append(extra, sp.Name, sp.Role)
				if _, ok := authors[sp.Author]; sp.Author != "" && !ok {
					a, err := posts.AuthorByKey(ctx, q, sp.Author)
					if err != nil {
						return nil, time.Time{}, fmt.Errorf("speaker of %s: %w", e.Slug, err)
					}
					addAuthor(a)
				}
			}
			start := e.StartsAt.In(e.Location())
			pages = append(pages, search.PublishedPage{Path: "/events/" + e.Slug, Label: "Event", Title: e.Title,
				Text: joinText(e.Summary, posts.PlainText(body)), Extra: extra, Day: start.Format(time.DateOnly), Date: e.StartsAt})
		}
	}
	for _, key := range authorOrder {
		a := authors[key]
		pages = append(pages, search.PublishedPage{Path: "/author/" + a.Key, Label: "Author", Title: a.Name,
			Text: joinText(a.Affiliation(), a.Bio)})
	}
	return pages, next, nil
}

// postText is the body of a post as plain text, and the label of its kind.
func postText(ctx context.Context, q store.Querier, p *posts.Post) (string, string, error) {
	if p.Kind == posts.KindEdition {
		page, err := reviews.LoadPage(ctx, q, p.Slug)
		if err != nil {
			return "", "", err
		}
		return reviews.PlainWords(page), p.SeriesName, nil
	}
	body, err := posts.RenderMarkdown(p.Body)
	if err != nil {
		return "", "", err
	}
	return posts.PlainText(body), p.Category, nil
}

func joinText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p)
		}
	}
	return b.String()
}
