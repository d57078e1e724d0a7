package site

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// articleView is the article page, shared by editions of the review series
// and by analyses: readers see both as analyses.
type articleView struct {
	Category     string
	CategoryPath string
	Series       string // series name, for editions
	SeriesPath   string
	Title        string
	Dek          string
	Authors      []posts.Author
	Date         string // "March 7, 2025"
	DateISO      string // "2025-03-07"
	Minutes      int
	Image        *imageView
	Body         template.HTML
	Tags         []posts.Tag
	Related      []card
}

// TitleLang and TitleDir mark a title in another language than the page
// (a Persian title on the English site), so that its <h1> is read and laid
// out right to left; both are "" for an English title.
func (v articleView) TitleLang() string { l, _ := text.LangDir(v.Title); return l }

// TitleDir is the direction that goes with TitleLang.
func (v articleView) TitleDir() string { _, d := text.LangDir(v.Title); return d }

// relatedCount is how many related analyses an article shows.
const relatedCount = 4

// article serves /analysis/{slug}: an edition of a review series or an
// analysis (slugs are unique across both by convention; editions win).
func (s *Site) article(r *http.Request) (*Response, error) {
	ctx, slug := r.Context(), r.PathValue("slug")
	p, err := posts.Find(ctx, s.db, posts.KindEdition, slug, s.now())
	if errors.Is(err, store.ErrNotFound) {
		p, err = posts.Find(ctx, s.db, posts.KindAnalysis, slug, s.now())
	}
	if err != nil {
		return nil, err
	}
	v := articleView{
		Category: p.Category, CategoryPath: categoryPath(p.Category),
		Title: p.Title, Dek: p.Dek, Authors: p.Authors, Tags: p.Tags,
		Date: reviews.LongDate(p.Day), DateISO: p.Day, Image: newImageView(p.Image),
	}
	if p.Kind == posts.KindEdition {
		err = s.editionBody(ctx, p, &v)
	} else {
		err = analysisBody(p, &v)
	}
	if err != nil {
		return nil, err
	}
	related, err := posts.Related(ctx, s.db, p, s.now(), relatedCount)
	if err != nil {
		return nil, err
	}
	if v.Related, err = s.cards(ctx, related); err != nil {
		return nil, err
	}
	html, err := s.render("article", v)
	if err != nil {
		return nil, err
	}
	path := postPath(p)
	head := Head{Title: p.Title, Description: p.Dek, Path: path, Type: "article",
		JSONLD: []any{s.newsArticle(v, path, p), s.breadcrumbs(v, path)}}
	if v.Image != nil {
		head.Image, head.ImageAlt = v.Image.Src, v.Image.Alt
	}
	return &Response{Head: head, Body: html}, nil
}

func (s *Site) editionBody(ctx context.Context, p *posts.Post, v *articleView) error {
	page, err := reviews.LoadPage(ctx, s.db, p.Slug)
	if err != nil {
		return err
	}
	return editionView(page, v)
}

// editionView fills the parts of the article page that come from the
// edition itself; the studio's preview uses it on a working copy.
func editionView(page *reviews.Page, v *articleView) error {
	var body bytes.Buffer
	if err := reviews.RenderHTML(&body, page); err != nil {
		return err
	}
	v.Series, v.SeriesPath = page.Series.Name, "/series/"+page.Series.Key
	v.Body = template.HTML(body.String())
	v.Minutes = text.ReadingTime(text.Words(reviews.PlainWords(page)))
	return nil
}

func analysisBody(p *posts.Post, v *articleView) error {
	body, err := posts.RenderMarkdown(p.Body)
	if err != nil {
		return err
	}
	v.Body = body
	v.Minutes = text.ReadingTime(text.Words(posts.PlainText(body)))
	return nil
}
