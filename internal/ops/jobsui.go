package ops

import (
	"context"
	"log/slog"
	"net/http"

	"riverqueue.com/riverui"

	"github.com/pressreview/pressreview/internal/jobs"
)

// JobsUI is River's own web UI on the desk's job queue, served under
// prefix ("/studio/jobs"). The caller mounts it behind the admins' login:
// the UI can cancel, retry and delete jobs. It runs its background
// services until ctx ends.
func JobsUI(ctx context.Context, client *jobs.Client, prefix string, log *slog.Logger) (http.Handler, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(client, nil),
		Logger:    log,
		Prefix:    prefix,
		// Arguments may hold addresses of subscribers: shown on request.
		JobListHideArgsByDefault: true,
	})
	if err != nil {
		return nil, err
	}
	if err := h.Start(ctx); err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The UI's components set inline styles, which the site's policy
		// (styles from its own files only) would strip; scripts stay
		// limited to the UI's own files.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "+
			"script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.ServeHTTP(w, r)
	}), nil
}
