package app

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/quotes"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// addDomainCommands adds the commands that belong to the domain packages,
// with the settings each needs as flags. The packages define the commands
// and their flags; the store (and service) they run on is opened here once
// the settings are loaded.
func (e *env) addDomainCommands(root *cobra.Command) {
	for _, cmd := range ingest.Commands(e.withIntake) {
		root.AddCommand(e.settings(cmd, "database", "data-dir", "blobs", "fetch-allow"))
	}
	for _, cmd := range accounts.Commands(e.withStore) {
		root.AddCommand(e.settings(cmd, "database"))
	}
	for _, cmd := range search.Commands(e.withStore) {
		root.AddCommand(e.settings(cmd, "database"))
	}
	for _, cmd := range newsletter.Commands(e.withStore, e.withLetters) {
		root.AddCommand(e.settings(cmd, "database", "site-url"))
	}
	root.AddCommand(quotes.Commands()...) // needs no store
	for _, cmd := range candidates.Commands(e.withStore) {
		root.AddCommand(e.settings(cmd, "database"))
	}
}

// withStore runs fn with the configured database, opened and migrated.
func (e *env) withStore(ctx context.Context, fn func(*store.DB) error) error {
	db, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// withIntake runs fn with the monitoring intake on the configured store.
func (e *env) withIntake(ctx context.Context, fn func(*ingest.Service) error) error {
	cfg, err := e.ingestConfig()
	if err != nil {
		return err
	}
	return e.withStore(ctx, func(db *store.DB) error {
		svc, err := ingest.New(db, cfg)
		if err != nil {
			return err
		}
		defer svc.Close()
		svc.SetLogger(e.log)
		svc.SetQueueLogger(e.queueLog())
		return fn(svc)
	})
}

// withLetters runs fn with a newsletter service whose job queue can
// enqueue (`campaigns send --work` runs senders in this process). It needs
// the newsletter's settings, signing key included; the read-only commands
// use withStore and do not.
func (e *env) withLetters(ctx context.Context, fn func(*newsletter.Service) error) error {
	nl, err := e.cfg.Newsletter(hostOf(e.cfg.SiteURL))
	if err != nil {
		return err
	}
	return e.withStore(ctx, func(db *store.DB) error {
		d, err := e.openDesk(db, nl, "")
		if err != nil {
			return err
		}
		defer d.Close()
		return fn(d.letters)
	})
}
