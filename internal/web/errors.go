package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
	"github.com/pressreview/pressreview/internal/web/site"
)

var errPanic = errors.New("handler panicked")

// problem is how an error looks to a reader.
type problem struct {
	Status  int
	Title   string
	Message string
}

// classify maps an error to HTTP. It is the one place that does: handlers
// return domain errors and never choose a status themselves.
func classify(err error) problem {
	var ve *valid.Error
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, errNoRoute):
		return problem{http.StatusNotFound, "Page not found",
			"We could not find that page. It may have moved, or the address may be mistyped."}
	case errors.Is(err, site.ErrBadRequest), errors.As(err, &ve):
		return problem{http.StatusBadRequest, "Bad request", "We could not understand that request: " + err.Error()}
	case errors.Is(err, errCrossOrigin):
		return problem{http.StatusForbidden, "Request refused",
			"This form was sent from another site, so we did not accept it. Please use the form on this site."}
	}
	return problem{http.StatusInternalServerError, "Something went wrong",
		"We could not show this page because of an error on our side. It has been logged; please try again in a moment."}
}

// fail answers a request with the error page for err and logs what
// readers should not see.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client left; nobody reads the answer
	}
	p := classify(err)
	if p.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body bytes.Buffer
	if err := errorTemplate.Execute(&body, p); err != nil {
		s.log.ErrorContext(r.Context(), "error page", "err", err)
	}
	var page bytes.Buffer
	head := site.Head{Title: p.Title, NoIndex: true}
	if err := s.renderLayout(&page, head, template.HTML(body.String())); err != nil {
		s.log.ErrorContext(r.Context(), "error page layout", "err", err)
		http.Error(w, p.Title, p.Status)
		return
	}
	h := w.Header()
	h.Del("Content-Encoding")
	h.Del("ETag")
	h.Del("Last-Modified")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(page.Len()))
	w.WriteHeader(p.Status)
	if r.Method != http.MethodHead {
		w.Write(page.Bytes())
	}
}

var errorTemplate = template.Must(template.New("error").Parse(`<section class="error-page" aria-labelledby="error-title">
<h1 id="error-title">{{.Title}}</h1>
<p>{{.Message}}</p>
<p>You can go to <a href="/">the home page</a>, read <a href="/analysis">the latest analyses</a>, see <a href="/events">upcoming events</a> or search the site:</p>
<form class="search-form" action="/search" method="get" role="search">
<label for="error-search">Search the site</label>
<input id="error-search" type="search" name="q">
<button type="submit">Search</button>
</form>
<p class="error-status">Error {{.Status}}</p>
</section>`))
