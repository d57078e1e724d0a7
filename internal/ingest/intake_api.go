package ingest

import (
	"context"
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/valid"
)

// IntakeHandler serves manual intake for scripts:
//
//	POST /api/articles  {"outlet", "date", "title", "text" or "html", "source", "language", "url"}
//
// It answers 201 {"id": …} for a new article and 200 {"id": …} for one
// already stored (the same text for the outlet, or the same URL). With
// neither text nor html, url is fetched through the pipeline, as
// `articles add URL` does. It does no authentication: mount it behind the
// studio's.
func IntakeHandler(svc *Service) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/articles", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Outlet   string `json:"outlet"`
			Date     string `json:"date"`
			Title    string `json:"title"`
			Text     string `json:"text"`
			HTML     string `json:"html"`
			Source   string `json:"source"`
			Language string `json:"language"`
			URL      string `json:"url"`
		}
		if err := httpjson.Decode(r, &req); err != nil {
			httpjson.Error(w, r, err)
			return
		}
		a, created, err := svc.intake(r.Context(), req.Outlet, req.Date, req.Title, req.Text, req.HTML, req.Source, req.Language, req.URL)
		if err != nil {
			httpjson.Error(w, r, err)
			return
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		httpjson.Write(w, status, map[string]any{"id": a.ID, "created": created})
	})
	return mux
}

// intake adds one article as the API describes it.
func (s *Service) intake(ctx context.Context, outlet, date, title, text, html, source, lang, rawURL string) (Article, bool, error) {
	switch {
	case text != "" && html != "":
		return Article{}, false, valid.Errorf("html", "send the article as text or as html, not both")
	case text == "" && html == "" && rawURL != "":
		return s.AddURL(ctx, outlet, rawURL)
	case text == "" && html == "":
		return Article{}, false, valid.Errorf("text", "send the article's text or html, or a url to fetch")
	}
	p := Paste{OutletKey: outlet, Source: source, Title: title, URL: rawURL, Lang: lang, Body: []byte(text + html)}
	if date != "" {
		t, err := ParseDate(date)
		if err != nil {
			return Article{}, false, err
		}
		p.Date = t
	}
	if limit := s.PasteLimit(); int64(len(p.Body)) > limit {
		field := "text"
		if html != "" {
			field = "html"
		}
		return Article{}, false, valid.Errorf(field, "the article is larger than %d bytes (PRESSREVIEW_FETCH_MAX_BYTES)", limit)
	}
	return s.AddPasted(ctx, p)
}

// PasteLimit is the largest paste the intake takes: what a fetched page
// may be (PRESSREVIEW_FETCH_MAX_BYTES, else the fetcher's default). A
// larger paste is refused rather than cut.
func (s *Service) PasteLimit() int64 {
	if limit := s.cfg.fetchConfig().MaxBodyBytes; limit > 0 {
		return limit
	}
	return fetch.DefaultConfig().MaxBodyBytes
}

// ParseDate reads a publication date as the intake takes it: YYYY-MM-DD
// or RFC 3339.
func ParseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, valid.Errorf("date", "%q: want YYYY-MM-DD or RFC 3339", s)
}
