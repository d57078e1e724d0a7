// Package ops holds what an operator runs several instances with: the
// liveness and readiness endpoints a load balancer probes, the Prometheus
// metrics served on their own address, and the listener that tells every
// instance at once that the site's content changed.
package ops

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Check is one dependency of readiness: nil when it is usable, otherwise an
// error that says why not.
type Check struct {
	Name string
	Run  func(context.Context) error
}

// Healthz answers 200 while the process serves HTTP at all: a load
// balancer restarts an instance that stops answering it, so it depends on
// nothing outside the process.
func Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintln(w, "ok")
	})
}

// Readyz answers 200 when every check passes within timeout and 503
// otherwise, one line per check either way, so that whoever looks at a
// drained instance reads why.
func Readyz(timeout time.Duration, checks ...Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		var b strings.Builder
		status := http.StatusOK
		for _, c := range checks {
			if err := c.Run(ctx); err != nil {
				status = http.StatusServiceUnavailable
				fmt.Fprintf(&b, "%s: %v\n", c.Name, err)
				continue
			}
			fmt.Fprintf(&b, "%s: ok\n", c.Name)
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		fmt.Fprint(w, b.String())
	})
}

// DatabaseCheck pings the database.
func DatabaseCheck(db *store.DB) Check {
	return Check{Name: "database", Run: func(ctx context.Context) error {
		if err := db.SQL.PingContext(ctx); err != nil {
			return fmt.Errorf("unreachable: %w", err)
		}
		return nil
	}}
}

// MigrationsCheck fails while the schema lacks a migration this binary
// knows: an instance of a newer release waits until one of them migrated.
func MigrationsCheck(db *store.DB) Check {
	return Check{Name: "migrations", Run: func(ctx context.Context) error {
		current, pending, err := db.MigrationStatus(ctx)
		if err != nil {
			return fmt.Errorf("cannot read the schema version: %w", err)
		}
		if pending {
			return fmt.Errorf("schema at version %d, this binary has newer migrations (run pressreview migrate)", current)
		}
		return nil
	}}
}
