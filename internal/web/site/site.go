// Package site serves the public pages of pressreview: the review series
// and its editions, analyses, authors, events, listings, feeds and the
// sitemap. Its handlers return a Response; package web renders it inside
// the layout, caches it and maps errors to HTTP.
package site

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// Options configure the site.
type Options struct {
	SiteName string
	// SiteURL is the canonical base, "https://example.org", without a
	// trailing slash; feeds, sitemaps and JSON-LD need absolute URLs.
	SiteURL string
	// Now is the clock; tests set it. Content is shown once its publish
	// time has passed.
	Now func() time.Time
	// Logger receives what readers are not shown; nil means slog.Default().
	Logger *slog.Logger
	// Mailer sends registration confirmations; without it nobody can
	// register, since registrations are confirmed by mail.
	Mailer Mailer
	// Forms holds the registration form's tokens and rate limits; nil
	// means one with a key of this process (see forms.New).
	Forms *forms.Guard
	// MinFillTime is how long a person takes at least to fill the
	// registration form; faster posts are taken for bots. 0 means 3 s,
	// negative no minimum.
	MinFillTime time.Duration
	// ImageCacheBytes bounds the resized images kept in memory; zero or
	// negative keeps none.
	ImageCacheBytes int64
}

// Site holds what the handlers share.
type Site struct {
	db     *store.DB
	opts   Options
	log    *slog.Logger
	tmpl   *template.Template
	images *imageCache
	forms  *forms.Guard
}

// New parses the page templates.
func New(db *store.DB, opts Options) (*Site, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	opts.SiteURL = strings.TrimRight(opts.SiteURL, "/")
	if opts.Forms == nil {
		opts.Forms = forms.New(db, nil)
	}
	if opts.MinFillTime == 0 {
		opts.MinFillTime = defaultFillTime
	}
	t, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("site templates: %w", err)
	}
	return &Site{db: db, opts: opts, log: opts.Logger, tmpl: t, images: newImageCache(opts.ImageCacheBytes), forms: opts.Forms}, nil
}

// Routes lists the public pages. Routes are kept in this one place so the
// site's URL space can be read at a glance.
func (s *Site) Routes() []Route {
	return []Route{
		{Pattern: "GET /{$}", Handler: s.home},
		{Pattern: "GET /analysis", Handler: s.analyses},
		{Pattern: "GET /analysis/{slug}", Handler: s.article},
		{Pattern: "GET /category/{key}", Handler: s.category},
		{Pattern: "GET /category/{key}/{file}", Handler: s.listingFeed("category")},
		{Pattern: "GET /series", Handler: s.seriesIndex},
		{Pattern: "GET /series/{key}", Handler: s.series},
		{Pattern: "GET /series/{key}/{file}", Handler: s.listingFeed("series")},
		{Pattern: "GET /author/{key}", Handler: s.author},
		{Pattern: "GET /author/{key}/{file}", Handler: s.listingFeed("author")},
		{Pattern: "GET /tag/{key}", Handler: s.tag},
		{Pattern: "GET /events", Handler: s.events},
		{Pattern: "GET /events/{slug}", Handler: s.event},
		{Pattern: "GET /events/{slug}/event.ics", Handler: s.ics},
		{Pattern: "GET /events/{slug}/register", Handler: s.registerForm, Dynamic: true},
		{Pattern: "POST /events/{slug}/register", Handler: s.register, Dynamic: true},
		{Pattern: "GET /events/{slug}/confirm", Handler: s.confirmForm, Dynamic: true},
		{Pattern: "POST /events/{slug}/confirm", Handler: s.confirm, Dynamic: true},
		{Pattern: "GET /images/{file}", Handler: s.image, Dynamic: true},
		{Pattern: "GET /privacy", Handler: s.privacy},
		{Pattern: "GET /search", Handler: s.search, Dynamic: true},
		{Pattern: "GET /feed.xml", Handler: s.siteFeed(rssFile)},
		{Pattern: "GET /atom.xml", Handler: s.siteFeed(atomFile)},
		{Pattern: "GET /feed.json", Handler: s.siteFeed(jsonFile)},
		{Pattern: "GET /sitemap.xml", Handler: s.sitemap},
		{Pattern: "GET /robots.txt", Handler: s.robots},
	}
}

// render executes a page template into HTML for the layout's body.
func (s *Site) render(name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

// URL makes a site path absolute.
func (s *Site) URL(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return s.opts.SiteURL + path
}

// now is the site's clock, in UTC.
func (s *Site) now() time.Time { return s.opts.Now().UTC() }

// NextChange is when the pages next change by the clock alone (see
// posts.NextChange); the page cache expires then.
func (s *Site) NextChange(ctx context.Context) (time.Time, error) {
	return posts.NextChange(ctx, s.db, s.now())
}

var funcs = template.FuncMap{
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
}
