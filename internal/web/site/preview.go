package site

import (
	"context"
	"errors"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
)

// EditionPreview is the article page of an edition that is not (or not
// yet) what readers see — a studio working copy — rendered by the same
// template and the same edition renderer as the public page. Tags, picture
// and related analyses come from the published post when there is one.
func (s *Site) EditionPreview(ctx context.Context, page *reviews.Page) (*Response, error) {
	e := page.Edition
	v := articleView{
		Category: e.Category, CategoryPath: categoryPath(e.Category),
		Title: e.Title, Dek: e.Dek, Authors: page.Authors,
		Date: reviews.LongDate(e.Date), DateISO: e.Date,
	}
	if err := editionView(page, &v); err != nil {
		return nil, err
	}
	p, err := posts.Find(ctx, s.db, posts.KindEdition, e.Slug, s.now())
	switch {
	case err == nil:
		v.Tags, v.Image = p.Tags, newImageView(p.Image)
		related, err := posts.Related(ctx, s.db, p, s.now(), relatedCount)
		if err != nil {
			return nil, err
		}
		if v.Related, err = s.cards(ctx, related); err != nil {
			return nil, err
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	html, err := s.render("article", v)
	if err != nil {
		return nil, err
	}
	return &Response{Head: Head{Title: "Preview: " + e.Title, Description: e.Dek, Type: "article", NoIndex: true}, Body: html}, nil
}
