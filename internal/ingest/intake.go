package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// AddURL fetches an article now and stores it as added by hand (source
// "url"). The outlet is outletKey, or when empty the outlet whose homepage
// or feeds share the URL's host. An article already stored under the URL
// is returned as it is, with created false.
func (s *Service) AddURL(ctx context.Context, outletKey, rawURL string) (a Article, created bool, err error) {
	u := extract.CanonicalURL(rawURL)
	if p, perr := url.Parse(u); perr != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return a, false, valid.Errorf("url", "%q: want an absolute http(s) URL", rawURL)
	}
	o, err := s.outletFor(ctx, outletKey, u)
	if err != nil {
		return a, false, err
	}
	if id, err := articleIDByURL(ctx, s.db, u); err != nil || id != 0 {
		if err != nil {
			return a, false, err
		}
		a, err = ArticleByID(ctx, s.db, id)
		return a, false, err
	}
	f, remote, local := s.fetchArticle(ctx, rawURL)
	if local != nil {
		return a, false, local
	}
	if remote != nil {
		if f != nil && f.capt != nil {
			if err := f.capt.save(ctx, s.db); err != nil {
				return a, false, err
			}
		}
		// The outlet's server failed or refused: the URL is what cannot
		// be used, not the desk.
		return a, false, valid.Errorf("url", "%v", remote)
	}
	na := articleFrom(f, o.ID, "url")
	err = s.inTx(ctx, func(tx *store.Tx) error {
		if err := lockStories(ctx, tx); err != nil {
			return err
		}
		if err := f.capt.save(ctx, tx); err != nil {
			return err
		}
		how, err := s.saveArticle(ctx, tx, na, f.aliases(u), f.capt, nil)
		if err != nil {
			return err
		}
		created = how == savedNew
		return indexArticle(ctx, tx, na.ID)
	})
	if err != nil {
		return a, false, err
	}
	a, err = ArticleByID(ctx, s.db, na.ID)
	return a, created, err
}

// outletFor resolves the outlet of a manual addition.
func (s *Service) outletFor(ctx context.Context, key, rawURL string) (outlets.Outlet, error) {
	if key != "" {
		o, err := outlets.OutletByKey(ctx, s.db, key)
		if errors.Is(err, store.ErrNotFound) {
			return o, valid.Errorf("outlet", "no outlet has the key %q", key)
		}
		return o, err
	}
	host := siteHost(rawURL)
	all, err := outlets.ListOutlets(ctx, s.db)
	if err != nil {
		return outlets.Outlet{}, err
	}
	for _, o := range all {
		if o.Homepage != "" && siteHost(o.Homepage) == host {
			return o, nil
		}
	}
	fs, err := outlets.ListFeeds(ctx, s.db, "")
	if err != nil {
		return outlets.Outlet{}, err
	}
	for _, f := range fs {
		if siteHost(f.URL) == host {
			return outlets.OutletByKey(ctx, s.db, f.OutletKey)
		}
	}
	return outlets.Outlet{}, valid.Errorf("outlet", "no outlet has a homepage or feed on %s: name one (--outlet)", host)
}

// siteHost is a URL's host without "www.", for matching a page to its outlet.
func siteHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// Paste is an article the desk has only as text or HTML: a print
// edition, a TV transcript, a Telegram post.
type Paste struct {
	OutletKey string
	Date      time.Time // publication date
	Source    string    // where it came from, e.g. "print edition, p. 2" or "Telegram @channel"
	Title     string    // optional: else the HTML's title or the first line
	URL       string    // optional: a link to the original, e.g. the Telegram post
	Lang      string    // optional: else detected
	Body      []byte    // text or HTML, in UTF-8 or a legacy charset
}

// Validate names the first required field of a paste that is missing;
// the field names are those of the JSON API (outlet, date, source, text).
func (p Paste) Validate() error {
	switch {
	case p.OutletKey == "":
		return valid.Errorf("outlet", "the outlet is required")
	case p.Date.IsZero():
		return valid.Errorf("date", "the publication date is required")
	case valid.Blank(p.Source):
		return valid.Errorf("source", "the source is required (e.g. \"print edition, p. 2\")")
	case valid.Blank(string(p.Body)):
		return valid.Errorf("text", "the pasted article has no text")
	}
	return nil
}

// AddPasted stores a pasted article (source "paste"). The same text pasted
// twice for one outlet is stored once; created reports a new row.
func (s *Service) AddPasted(ctx context.Context, p Paste) (a Article, created bool, err error) {
	if err := p.Validate(); err != nil {
		return a, false, err
	}
	o, err := outlets.OutletByKey(ctx, s.db, p.OutletKey)
	if errors.Is(err, store.ErrNotFound) {
		return a, false, valid.Errorf("outlet", "no outlet has the key %q", p.OutletKey)
	}
	if err != nil {
		return a, false, err
	}
	body := fetch.DecodeText(p.Body, "").Text
	na := &Article{OutletID: o.ID, Title: p.Title, Lang: p.Lang, FetchedAt: s.now(), Source: "paste",
		SourceDetail: strings.TrimSpace(p.Source)}
	date := p.Date.UTC()
	na.Published = &date
	if p.URL != "" {
		na.URL, na.CanonicalURL = p.URL, extract.CanonicalURL(p.URL)
	}
	if strings.HasPrefix(http.DetectContentType(body), "text/html") {
		page := p.URL
		if page == "" {
			page = "https://pasted.invalid/"
		}
		art, xerr := s.extract.Extract(body, page)
		if xerr != nil {
			return a, false, fmt.Errorf("pasted HTML: %w", xerr)
		}
		na.HTML, na.Text, na.Byline, na.LeadImage = string(body), art.Text, art.Byline, art.Image
		if na.Title == "" {
			na.Title = art.Title
		}
		if na.Lang == "" {
			na.Lang = art.Language
		}
	} else {
		na.Text = strings.TrimSpace(strings.ReplaceAll(string(body), "\r\n", "\n"))
		if na.Title == "" {
			na.Title = firstLine(na.Text)
		}
	}
	if strings.TrimSpace(na.Text) == "" {
		return a, false, valid.Errorf("text", "the pasted article has no text")
	}
	if na.Lang == "" {
		na.Lang = detectLanguage(na.Text, "")
	}
	err = s.inTx(ctx, func(tx *store.Tx) error {
		if err := lockStories(ctx, tx); err != nil {
			return err
		}
		how, err := s.saveArticle(ctx, tx, na, nil, nil, nil)
		if err != nil {
			return err
		}
		created = how == savedNew
		return indexArticle(ctx, tx, na.ID)
	})
	if err != nil {
		return a, false, err
	}
	a, err = ArticleByID(ctx, s.db, na.ID)
	return a, created, err
}

// firstLine is a title for pasted text: its first line, at most 120 runes.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	line = strings.TrimSpace(line)
	if r := []rune(line); len(r) > 120 {
		line = string(r[:120]) + "…"
	}
	return line
}
