package site

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/text"
)

// pageSize is how many cards a listing page shows.
const pageSize = 10

// card is a post in a listing: title, dek, authors, reading time, image.
type card struct {
	Path     string
	Category string
	Title    string
	Dek      string
	Authors  []posts.Author
	Date     string
	DateISO  string
	Minutes  int
	Image    *imageView
	// Top is set when cards sit right under the page's h1, so their
	// titles are h2 (heading levels must not skip).
	Top bool
}

// imageView is an <img> with its srcset and its caption line.
type imageView struct {
	Src     string
	SrcSet  string
	Width   int
	Height  int
	Alt     string
	Caption string
	Credit  string
}

func newImageView(im *posts.Image) *imageView {
	if im == nil {
		return nil
	}
	v := &imageView{Width: im.Width, Height: im.Height, Alt: im.Alt, Caption: im.Caption, Credit: im.Credit}
	var set []string
	for _, w := range im.SrcWidths() {
		set = append(set, fmt.Sprintf("%s %dw", imagePath(im, w), w))
	}
	v.SrcSet = strings.Join(set, ", ")
	v.Src = imagePath(im, min(800, im.Width))
	return v
}

// imagePath names one size of an image. The digest makes the URL change
// when the image does, so sizes can be cached for a year.
func imagePath(im *posts.Image, width int) string {
	ext := ".jpg"
	if im.ContentType == "image/png" {
		ext = ".png"
	} else if im.ContentType == "image/gif" && width >= im.Width {
		ext = ".gif"
	}
	return fmt.Sprintf("/images/%s-%s-%d%s", im.Key, im.Digest[:10], width, ext)
}

// ImagePath is imagePath for pages outside the site (the studio's image
// list), so they show a stored image at the URL the site serves it from.
func ImagePath(im *posts.Image, width int) string { return imagePath(im, width) }

func postPath(p *posts.Post) string { return "/analysis/" + p.Slug }

// cards turns posts into cards; editions need their entries loaded to
// count their words.
func (s *Site) cards(ctx context.Context, ps []*posts.Post) ([]card, error) {
	out := make([]card, len(ps))
	for i, p := range ps {
		minutes, err := s.minutes(ctx, p)
		if err != nil {
			return nil, err
		}
		out[i] = card{Path: postPath(p), Category: p.Category, Title: p.Title, Dek: p.Dek, Authors: p.Authors,
			Date: reviews.LongDate(p.Day), DateISO: p.Day, Minutes: minutes, Image: newImageView(p.Image)}
	}
	return out, nil
}

// minutes is a post's reading time, counted as on its own page.
func (s *Site) minutes(ctx context.Context, p *posts.Post) (int, error) {
	if p.Kind == posts.KindAnalysis {
		body, err := posts.RenderMarkdown(p.Body)
		if err != nil {
			return 0, err
		}
		return text.ReadingTime(text.Words(posts.PlainText(body))), nil
	}
	page, err := reviews.LoadPage(ctx, s.db, p.Slug)
	if err != nil {
		return 0, err
	}
	return text.ReadingTime(text.Words(reviews.PlainWords(page))), nil
}

// pager is a listing's "newer / older" navigation.
type pager struct {
	Page, Pages int
	Prev, Next  string
	// PrevLabel and NextLabel name the links: "Newer" and "Older" in
	// listings, which run newest first.
	PrevLabel, NextLabel string
}

// pageNumber reads ?page=N (1 when absent).
func pageNumber(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("page %q: %w", v, ErrBadRequest)
	}
	return n, nil
}

// newPager links the pages of a listing at path, which may carry a query
// string of its own (a search's).
func newPager(path string, page, total int) pager {
	p := pager{Page: page, Pages: max(1, (total+pageSize-1)/pageSize), PrevLabel: "Newer", NextLabel: "Older"}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	if page > 1 {
		p.Prev = path
		if page > 2 {
			p.Prev += sep + "page=" + strconv.Itoa(page-1)
		}
	}
	if page < p.Pages {
		p.Next = path + sep + "page=" + strconv.Itoa(page+1)
	}
	return p
}
