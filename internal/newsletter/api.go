package newsletter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/pressreview/pressreview/internal/httpjson"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// APIHandler serves the staff JSON API of campaigns. It does no
// authentication and no cross-origin check: mount it behind the staff
// login, where web.Server.Handle adds the cross-origin protection that
// cookie-authenticated POSTs need, for example
//
//	h := staffOnly(newsletter.APIHandler(svc))
//	site.Handle("/api/campaigns", h)
//	site.Handle("/api/campaigns/", h)
//
// Routes:
//
//	GET  /api/campaigns                     every campaign with its counts, newest first
//	POST /api/campaigns                     draft one: {"list", "subject", "html", "text"},
//	                                        or {"list", "edition": slug}, or {"list", "analysis": slug}
//	GET  /api/campaigns/{id}                progress: counts, finished, rate (messages/s)
//	GET  /api/campaigns/{id}/preview        subject, html and text for a sample recipient
//	POST /api/campaigns/{id}/send           start sending (snapshots the list into the ledger)
//	POST /api/campaigns/{id}/schedule       {"at": "2025-03-07T08:00:00Z"}
//	POST /api/campaigns/{id}/pause
//	POST /api/campaigns/{id}/resume
//	POST /api/campaigns/{id}/retry-failed   queue the failed deliveries again
//	POST /api/campaigns/{id}/test           {"to": "editor@example.org"}: one copy, outside the ledger
//
// Actions answer with the campaign's progress; send and retry-failed add
// "added", the deliveries they queued. Errors are {"error": "…"} (with
// "field" for invalid input): 400 for bad input, 404 for an unknown
// campaign, 409 when the campaign's status does not allow the action, 502
// when the SMTP relay could not be reached or refused a test send, 500
// (details logged) otherwise.
func APIHandler(svc *Service) http.Handler {
	a := &api{svc: svc}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/campaigns", a.handle(a.list))
	mux.HandleFunc("POST /api/campaigns", a.handle(a.create))
	mux.HandleFunc("GET /api/campaigns/{id}", a.handle(a.progress))
	mux.HandleFunc("GET /api/campaigns/{id}/preview", a.handle(a.preview))
	mux.HandleFunc("POST /api/campaigns/{id}/send", a.handle(a.send))
	mux.HandleFunc("POST /api/campaigns/{id}/schedule", a.handle(a.schedule))
	mux.HandleFunc("POST /api/campaigns/{id}/pause", a.handle(a.action(svc.Pause)))
	mux.HandleFunc("POST /api/campaigns/{id}/resume", a.handle(a.action(svc.Continue)))
	mux.HandleFunc("POST /api/campaigns/{id}/retry-failed", a.handle(a.retryFailed))
	mux.HandleFunc("POST /api/campaigns/{id}/test", a.handle(a.test))
	return mux
}

type api struct{ svc *Service }

// apiFunc is a handler that returns its answer; handle writes it, and maps
// errors to statuses in one place.
type apiFunc func(r *http.Request) (status int, body any, err error)

// campaignJSON is a campaign as the API shows it: without its bodies,
// which can be large (preview renders them).
type campaignJSON struct {
	ID         int64          `json:"id"`
	List       string         `json:"list"`
	Subject    string         `json:"subject"`
	Source     string         `json:"source,omitempty"`
	Status     CampaignStatus `json:"status"`
	SendAt     *time.Time     `json:"send_at,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	StartedAt  *time.Time     `json:"started_at,omitempty"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
}

// progressJSON is a campaign with its delivery counts. Finished means no
// delivery is queued or sending any more; Rate is messages per second
// since the start (see Progress.Rate).
type progressJSON struct {
	Campaign campaignJSON `json:"campaign"`
	Queued   int64        `json:"queued"`
	Sending  int64        `json:"sending"`
	Sent     int64        `json:"sent"`
	Failed   int64        `json:"failed"`
	Bounced  int64        `json:"bounced"`
	Total    int64        `json:"total"`
	Finished bool         `json:"finished"`
	Rate     float64      `json:"rate"`
	Added    *int64       `json:"added,omitempty"`
}

func toJSON(p Progress) progressJSON {
	c := p.Campaign
	return progressJSON{
		Campaign: campaignJSON{ID: c.ID, List: c.List, Subject: c.Subject, Source: c.Source, Status: c.Status,
			SendAt: c.SendAt, CreatedAt: c.CreatedAt, StartedAt: c.StartedAt, FinishedAt: c.FinishedAt},
		Queued: p.Queued, Sending: p.Sending, Sent: p.Sent, Failed: p.Failed, Bounced: p.Bounced, Total: p.Total,
		Finished: c.Status == Finished, Rate: p.Rate(),
	}
}

func (a *api) list(r *http.Request) (int, any, error) {
	ps, err := AllProgress(r.Context(), a.svc.db)
	if err != nil {
		return 0, nil, err
	}
	out := make([]progressJSON, len(ps))
	for i, p := range ps {
		out[i] = toJSON(p)
	}
	return http.StatusOK, map[string]any{"campaigns": out}, nil
}

// detail is one campaign's progress.
func (a *api) detail(ctx context.Context, id int64) (progressJSON, error) {
	p, err := CampaignProgress(ctx, a.svc.db, id)
	return toJSON(p), err
}

func (a *api) progress(r *http.Request) (int, any, error) {
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.detail(r.Context(), id)
	return http.StatusOK, p, err
}

type createRequest struct {
	List     string `json:"list"`
	Subject  string `json:"subject"`
	HTML     string `json:"html"`
	Text     string `json:"text"`
	Edition  string `json:"edition"`
	Analysis string `json:"analysis"`
}

func (a *api) create(r *http.Request) (int, any, error) {
	var req createRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	written := req.Subject != "" || req.HTML != "" || req.Text != ""
	ctx := r.Context()
	var c Campaign
	var err error
	switch {
	case req.Edition != "" && (req.Analysis != "" || written), req.Analysis != "" && written:
		return 0, nil, valid.Errorf("", "give either an edition, an analysis, or a subject with html and text; not several")
	case req.Edition != "":
		c, err = a.svc.CampaignFromEdition(ctx, req.List, req.Edition)
	case req.Analysis != "":
		c, err = a.svc.CampaignFromAnalysis(ctx, req.List, req.Analysis)
	default:
		c, err = a.svc.CreateCampaign(ctx, NewCampaign{List: req.List, Subject: req.Subject, HTML: req.HTML, Text: req.Text})
	}
	if err != nil {
		return 0, nil, err
	}
	p, err := a.detail(ctx, c.ID)
	return http.StatusCreated, p, err
}

func (a *api) preview(r *http.Request) (int, any, error) {
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.svc.PreviewCampaign(r.Context(), id)
	return http.StatusOK, p, err
}

func (a *api) send(r *http.Request) (int, any, error) {
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	n, err := a.svc.Start(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.detail(r.Context(), id)
	p.Added = &n
	return http.StatusOK, p, err
}

func (a *api) retryFailed(r *http.Request) (int, any, error) {
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	n, err := a.svc.RetryFailed(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.detail(r.Context(), id)
	p.Added = &n
	return http.StatusOK, p, err
}

func (a *api) schedule(r *http.Request) (int, any, error) {
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	var req struct {
		At string `json:"at"`
	}
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	at, err := time.Parse(time.RFC3339, req.At)
	if err != nil {
		return 0, nil, valid.Errorf("at", "%q: want an RFC 3339 time such as 2025-03-07T08:00:00Z", req.At)
	}
	if err := a.svc.Schedule(r.Context(), id, at); err != nil {
		return 0, nil, err
	}
	p, err := a.detail(r.Context(), id)
	return http.StatusOK, p, err
}

// action wraps a status change that needs only the campaign's id.
func (a *api) action(do func(context.Context, int64) error) apiFunc {
	return func(r *http.Request) (int, any, error) {
		id, err := campaignID(r)
		if err != nil {
			return 0, nil, err
		}
		if err := do(r.Context(), id); err != nil {
			return 0, nil, err
		}
		p, err := a.detail(r.Context(), id)
		return http.StatusOK, p, err
	}
}

func (a *api) test(r *http.Request) (int, any, error) {
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	var req struct {
		To string `json:"to"`
	}
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	to, err := NormalizeEmail(req.To)
	if err != nil {
		return 0, nil, valid.Errorf("to", "%v", err)
	}
	if err := a.svc.TestSend(r.Context(), id, to); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]string{"sent_to": to}, nil
}

func campaignID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		// An id that cannot name a campaign names no campaign.
		return 0, fmt.Errorf("campaign %q: %w", s, store.ErrNotFound)
	}
	return id, nil
}

// maxRequestBytes bounds a request body; a written campaign's two bodies
// are the largest thing anyone sends.
const maxRequestBytes = 4 << 20

// decode reads a JSON body, refusing unknown fields so that a misspelt
// field is an error rather than silently ignored.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			return valid.Errorf("", "the request needs a JSON body")
		case errors.As(err, &tooLarge):
			return valid.Errorf("", "the request body is larger than %d bytes", tooLarge.Limit)
		}
		return valid.Errorf("", "the request body is not the JSON this route takes: %v", err)
	}
	if dec.More() {
		return valid.Errorf("", "the request body has more than one JSON value")
	}
	return nil
}

func (a *api) handle(f apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
		status, body, err := f(r)
		if err != nil {
			httpjson.Error(w, r, problem(err))
			return
		}
		httpjson.Write(w, status, body)
	}
}

// problem gives the campaign errors their statuses; httpjson answers them
// in the staff API's one shape. A request the campaign cannot take as
// given (a validation error) is a 400 here, as the API documents.
func problem(err error) error {
	var ve *valid.Error
	switch {
	case errors.As(err, &ve):
		return httpjson.Errorf(http.StatusBadRequest, ve.Path, ve.Error())
	case errors.Is(err, ErrCampaignState):
		return httpjson.Errorf(http.StatusConflict, "", err.Error())
	case errors.Is(err, ErrRelay):
		return httpjson.Errorf(http.StatusBadGateway, "", err.Error())
	}
	return err
}
