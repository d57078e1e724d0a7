// Package web is pressreview's HTTP server: the middleware every request
// goes through, the site layout, static assets, error pages and the cache
// of rendered public pages. The pages themselves live in package site;
// other packages mount their handlers with Server.Handle.
package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web/site"
)

// Options configure the server.
type Options struct {
	// SiteName appears in the header, titles and feeds.
	SiteName string
	// SiteURL is the canonical base URL, "https://example.org"; canonical
	// links, feeds, the sitemap and JSON-LD are absolute against it.
	SiteURL string
	// Logger receives the request log and errors; nil means slog.Default().
	Logger *slog.Logger
	// CachePages bounds the rendered-page cache (entries); 0 means 4096,
	// negative disables the cache.
	CachePages int
	// TrustedOrigins may post forms to the site from other origins
	// ("https://www.example.org" when the site answers on two hosts).
	TrustedOrigins []string
	// ContentCheckEvery is how often, at most, the server asks the
	// database whether content changed (one primary-key read of
	// site_version). A publish by another instance or command therefore
	// shows within this interval; one made through this server shows at
	// once, and so does one announced through ContentChanged (on
	// PostgreSQL, where this is only the fallback for a lost
	// notification). 0 means 250 ms; negative means on every request.
	ContentCheckEvery time.Duration
	// ImageCacheBytes bounds the memory kept for resized images; 0 means
	// 64 MiB, negative disables that cache.
	ImageCacheBytes int64
	// Mailer sends the confirmation of an event registration; nil means
	// none is sent, and so nobody can register.
	Mailer site.Mailer
	// Forms holds the rate limits and one-use tokens of the public forms;
	// nil means one keyed for this process only (see forms.New).
	Forms *forms.Guard
	// TrustedProxies may name the client in X-Forwarded-For; every
	// handler, mounted ones included, reads the client with forms.Client.
	TrustedProxies forms.Proxies
	// MinFillTime is how long a person takes at least to fill the event
	// registration form; 0 means 3 s, negative means no minimum.
	MinFillTime time.Duration
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
	// ObserveRequest, when set, is told of every answered request: the
	// route pattern the mux matched ("" when none did), the method, the
	// status and how long it took (the metrics' latency by route).
	ObserveRequest func(route, method string, status int, d time.Duration)
}

// Server serves the public site and whatever other packages mount on it.
type Server struct {
	db      *store.DB
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	site    *site.Site
	layout  *template.Template
	assets  *assets
	cache   *pageCache
	handler http.Handler
}

// New builds the server and registers the public pages.
func New(db *store.DB, opts Options) (*Server, error) {
	if opts.SiteName == "" {
		opts.SiteName = "pressreview"
	}
	opts.SiteURL = strings.TrimRight(opts.SiteURL, "/")
	if !strings.HasPrefix(opts.SiteURL, "http://") && !strings.HasPrefix(opts.SiteURL, "https://") {
		return nil, fmt.Errorf("web: SiteURL %q must be an absolute http(s) URL", opts.SiteURL)
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.CachePages == 0 {
		opts.CachePages = 4096
	}
	if opts.ContentCheckEvery == 0 {
		opts.ContentCheckEvery = 250 * time.Millisecond
	}
	if opts.ImageCacheBytes == 0 {
		opts.ImageCacheBytes = 64 << 20
	}
	st, err := site.New(db, site.Options{SiteName: opts.SiteName, SiteURL: opts.SiteURL, Now: opts.Now,
		Logger: opts.Logger, Mailer: opts.Mailer, ImageCacheBytes: opts.ImageCacheBytes, Forms: opts.Forms,
		MinFillTime: opts.MinFillTime})
	if err != nil {
		return nil, err
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{db: db, opts: opts, log: opts.Logger, mux: http.NewServeMux(), site: st, assets: as}
	if s.layout, err = parseLayout(as); err != nil {
		return nil, err
	}
	s.cache = newPageCache(db, st.NextChange, opts.CachePages, opts.Now, opts.ContentCheckEvery)
	cop := http.NewCrossOriginProtection()
	for _, o := range opts.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("web: trusted origin: %w", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errCrossOrigin)
	}))
	s.routes()
	s.handler = opts.TrustedProxies.Middleware(s.recoverPanics(s.logRequests(securityHeaders(cop.Handler(s.recheckAfterWrites(gzipResponses(s.mux)))))))
	return s, nil
}

// Handle mounts h under pattern (ServeMux syntax) behind the same
// middleware as the public pages: recovery, logging, security headers,
// cross-origin protection and gzip. Handlers mounted here are not cached.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ContentChanged makes the next request read the content version, when
// a write made elsewhere was announced (PostgreSQL's notification of a
// site_version bump: see ops.ListenContent).
func (s *Server) ContentChanged() { s.cache.recheck() }

// Handler is the server's root handler, for http.Server.
func (s *Server) Handler() http.Handler { return s.handler }

// routes registers every public route in one place.
func (s *Server) routes() {
	for _, rt := range s.site.Routes() {
		s.mux.Handle(rt.Pattern, s.page(rt))
	}
	s.mux.HandleFunc("GET /static/{name}", func(w http.ResponseWriter, r *http.Request) {
		if !s.assets.serve(w, r) {
			s.fail(w, r, errNoRoute)
		}
	})
	// Everything else is a helpful 404 page rather than the mux's plain text.
	s.mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errNoRoute)
	}))
}

var (
	errNoRoute     = errors.New("no such page")
	errCrossOrigin = errors.New("cross-origin request refused")
)
