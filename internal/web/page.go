package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/web/site"
)

// rendered is a response ready to send: the bytes, their brotli and gzip
// forms and the validators for conditional requests.
type rendered struct {
	ctype    string
	filename string
	body     []byte
	br, gz   []byte // nil when not worth compressing
	etag     string
	modified time.Time
	// cacheControl overrides the default for pages, which browsers may
	// keep but must revalidate: that costs a 304 and keeps a publish
	// visible at once.
	cacheControl string
}

// immutable is the Cache-Control of content whose URL names its version.
const immutable = "public, max-age=31536000, immutable"

// page adapts a site handler: serve from the cache when possible, else
// call the handler, render and remember the result.
func (s *Server) page(rt site.Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, err := s.cache.sync(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		key := r.URL.Path + "?" + r.URL.RawQuery
		if !rt.Dynamic {
			if p := s.cache.get(key, st.version); p != nil {
				serveRendered(w, r, p)
				return
			}
		}
		resp, err := rt.Handler(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p, err := s.build(resp, st.modified)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !rt.Dynamic {
			s.cache.put(key, st.version, p)
		}
		serveRendered(w, r, p)
	})
}

// build renders a response once, in every encoding.
func (s *Server) build(resp *site.Response, modified time.Time) (*rendered, error) {
	p := &rendered{ctype: resp.ContentType, filename: resp.Filename, body: resp.Raw, modified: modified, etag: resp.ETag}
	if resp.Immutable {
		p.cacheControl = immutable
	}
	if resp.NoStore {
		p.cacheControl = "no-store"
	}
	if p.ctype == "" {
		var b bytes.Buffer
		if err := s.renderLayout(&b, resp.Head, resp.Body); err != nil {
			return nil, err
		}
		p.ctype, p.body = "text/html; charset=utf-8", b.Bytes()
	}
	if p.etag == "" {
		sum := sha256.Sum256(p.body)
		// Weak: the compressed and identity forms share it, which weak
		// comparison (all that If-None-Match uses) allows.
		p.etag = `W/"` + hex.EncodeToString(sum[:12]) + `"`
	}
	p.compress()
	return p, nil
}

// compress makes the brotli and gzip forms of a body worth compressing.
func (p *rendered) compress() {
	if compressible(p.ctype) && len(p.body) >= minGzipSize {
		p.br, p.gz = brotliBytes(p.body), gzipBytes(p.body)
	}
}

// serveRendered answers with p, or 304 when the client's copy is current.
func serveRendered(w http.ResponseWriter, r *http.Request, p *rendered) {
	h := w.Header()
	h.Set("Content-Type", p.ctype)
	h.Set("ETag", p.etag)
	if !p.modified.IsZero() {
		h.Set("Last-Modified", p.modified.UTC().Format(http.TimeFormat))
	}
	if p.cacheControl != "" {
		h.Set("Cache-Control", p.cacheControl)
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	h.Add("Vary", "Accept-Encoding")
	if p.filename != "" {
		h.Set("Content-Disposition", `attachment; filename="`+p.filename+`"`)
	}
	if notModified(r, p.etag, p.modified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := p.body
	switch {
	case p.br != nil && accepts(r, "br"):
		h.Set("Content-Encoding", "br")
		body = p.br
	case p.gz != nil && accepts(r, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = p.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies RFC 9110's rules: If-None-Match wins over
// If-Modified-Since when both are present.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || modified.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !modified.Truncate(time.Second).After(t)
}

// ServePreview answers with the studio's preview of an edition: the public
// article page's template and layout, never cached, never indexed.
func (s *Server) ServePreview(w http.ResponseWriter, r *http.Request, page *reviews.Page) {
	resp, err := s.site.EditionPreview(r.Context(), page)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := s.renderLayout(&b, resp.Head, resp.Body); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	// The studio's composer shows the preview in a frame beside the form:
	// only this response may be framed, and only by the site itself.
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy, "frame-ancestors 'none'", "frame-ancestors 'self'", 1))
	_, _ = w.Write(b.Bytes())
}
