package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/fetch"
)

const pageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

// fetched is an article page fetched, archived and extracted.
type fetched struct {
	resp *fetch.Response
	capt *capture // nil when no response was received
	art  *extract.Article
}

// fetchArticle fetches, archives and extracts one page. remote is a
// failure of the outlet's side (HTTP error, no article text), to be
// recorded; local is ours (the archive cannot be written), to be retried.
// On a remote failure f still carries the capture of what was received.
func (s *Service) fetchArticle(ctx context.Context, u string) (f *fetched, remote, local error) {
	return s.fetchPage(ctx, fetch.Request{URL: u, Accept: pageAccept})
}

// fetchPage is fetchArticle for a request of pageAccept; with req.NoWait,
// remote is a fetch.ErrHostBusy when the host's turn has not come, and
// nothing was sent.
func (s *Service) fetchPage(ctx context.Context, req fetch.Request) (f *fetched, remote, local error) {
	u := req.URL
	f = &fetched{}
	resp, err := s.fetcher.Fetch(ctx, req)
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	f.resp = resp
	if resp != nil {
		if f.capt, local = s.archiveResponse(resp); local != nil {
			return nil, nil, local
		}
	}
	if err != nil {
		return f, err, nil
	}
	if resp.Text == nil {
		return f, fmt.Errorf("GET %s: %w: the server sent %q, not a web page", u, fetch.ErrMalformed, resp.ContentType), nil
	}
	f.art, err = s.extract.Extract(resp.Text, resp.FinalURL)
	if err != nil {
		return f, fmt.Errorf("GET %s: %w", resp.FinalURL, err), nil
	}
	return f, nil, nil
}

// failureKind classifies a remote failure; a page without article text
// is treated as hard, since fetching it again will not add one.
func failureKind(err error) fetch.Kind {
	if errors.Is(err, extract.ErrNoText) {
		return fetch.Hard
	}
	return fetch.Classify(err)
}

// articleFrom builds the article row from a fetched page. The page
// itself is not copied into the row: its WARC capture is the one copy
// (see ArticleHTML).
func articleFrom(f *fetched, outletID int64, source string) *Article {
	art, resp := f.art, f.resp
	a := &Article{
		OutletID:     outletID,
		URL:          resp.URL,
		CanonicalURL: art.CanonicalURL,
		Title:        art.Title,
		Byline:       art.Byline,
		Lang:         art.Language,
		FetchedAt:    resp.FetchedAt.UTC(),
		Text:         art.Text,
		LeadImage:    art.Image,
		Source:       source,
		Charset:      resp.Charset,
	}
	a.analyzed, _ = art.Detected.(*textForm)
	if !art.Published.IsZero() {
		p := art.Published.UTC()
		a.Published = &p
	}
	return a
}

// aliases are the canonical forms of the URLs that led to the page.
func (f *fetched) aliases(more ...string) []string {
	out := append([]string{}, more...)
	out = append(out, extract.CanonicalURL(f.resp.URL), extract.CanonicalURL(f.resp.FinalURL))
	return out
}
