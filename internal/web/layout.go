package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/http"

	"github.com/pressreview/pressreview/internal/web/site"
)

//go:embed templates/*.html
var templateFS embed.FS

func parseLayout(as *assets) (*template.Template, error) {
	t, err := template.New("").Funcs(template.FuncMap{"asset": as.path}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	return t, nil
}

// layoutData is what templates/layout.html sees.
type layoutData struct {
	SiteName  string
	Head      site.Head
	Canonical string
	Image     string
	Body      template.HTML
	Year      int
}

func (s *Server) renderLayout(w io.Writer, head site.Head, body template.HTML) error {
	d := layoutData{SiteName: s.opts.SiteName, Head: head, Body: body, Year: s.opts.Now().Year()}
	if head.Path != "" {
		d.Canonical = s.site.URL(head.Path)
	}
	if head.Image != "" {
		d.Image = s.site.URL(head.Image)
	}
	var b bytes.Buffer
	if err := s.layout.ExecuteTemplate(&b, "layout", d); err != nil {
		return fmt.Errorf("render layout: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Asset returns the hashed URL of an embedded static file ("studio.css"
// → "/static/studio.3f2a9c1e.css"), for pages rendered outside this
// package that link their own stylesheet or script.
func (s *Server) Asset(name string) (string, error) { return s.assets.path(name) }

// RenderPage writes body inside the site layout — header, navigation,
// subscribe box, footer — as a complete HTML page with status. Other
// packages (the newsletter's pages, the studio) use it to look like the
// rest of the site. body must be trusted HTML (from html/template). An
// error means nothing was written, so the caller can still answer 500.
func (s *Server) RenderPage(w http.ResponseWriter, r *http.Request, status int, title string, body template.HTML) error {
	var b bytes.Buffer
	if err := s.renderLayout(&b, site.Head{Title: title, Path: r.URL.Path}, body); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes()) // a failed write is a reader who left; nothing to tell them
	return nil
}
