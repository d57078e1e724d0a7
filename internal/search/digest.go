package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Mailer sends one message to one address. *newsletter.Service implements
// it; the search package asks only for this method so that it does not
// depend on the newsletter's lists, consent and campaigns.
type Mailer interface {
	Notify(ctx context.Context, to, subject, text, html string) error
}

// digestLease is how long a run holds a topic it has claimed: runs closer
// together than this never send the same topic two digests, whether they
// overlap (two instances) or follow each other. It is far longer than a
// run needs from claiming a topic to marking its alerts.
const digestLease = 10 * time.Minute

// maxDigestArticles is how many alerts a digest shows; it counts the
// rest, which the studio lists.
const maxDigestArticles = 50

// SendDigests emails every topic that has a digest address its unseen
// alerts that no digest has listed yet, one message per topic, and returns
// the number of digests sent. Run it from a periodic job: it is idempotent,
// a digest never repeats an alert, and a topic gets at most one digest per
// ten minutes however many runs overlap. A crash after a digest is sent
// and before its alerts are marked makes the next run send them again, so
// at most one digest per topic is repeated. A topic whose mail fails is
// retried by the next run; the others are still sent.
func SendDigests(ctx context.Context, db *store.DB, m Mailer, now time.Time) (int, error) {
	topics, err := ListTopics(ctx, db)
	if err != nil {
		return 0, err
	}
	// Whole seconds in UTC keep the timestamps comparable as SQLite text.
	now = now.UTC().Truncate(time.Second)
	sent := 0
	var errs []error
	for _, t := range topics {
		if t.DigestEmail == "" {
			continue
		}
		ok, err := sendDigest(ctx, db, m, t, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("digest of topic %q: %w", t.Name, err))
		}
		if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// pendingAlerts selects a topic's alerts that belong in its next digest.
const pendingAlerts = `FROM search_alerts WHERE topic_id = ? AND seen_at IS NULL AND digested_at IS NULL`

// sendDigest claims, sends and marks one topic's digest.
func sendDigest(ctx context.Context, db *store.DB, m Mailer, t Topic, now time.Time) (bool, error) {
	var pending bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 `+pendingAlerts+`)`, t.ID).Scan(&pending); err != nil {
		return false, err
	}
	if !pending {
		return false, nil
	}
	// Claim the topic before sending, so that no other run sends it too.
	res, err := db.ExecContext(ctx, `UPDATE search_topics SET last_digest_at = ?
		WHERE id = ? AND (last_digest_at IS NULL OR last_digest_at <= ?)`, now, t.ID, now.Add(-digestLease))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil // another run holds it, or sent it within the lease
	}
	release := func(err error) (bool, error) {
		// Give the claim back so that the next run retries at once.
		var prev sql.NullTime
		if t.LastDigestAt != nil {
			prev = sql.NullTime{Time: *t.LastDigestAt, Valid: true}
		}
		_, rerr := db.ExecContext(ctx, `UPDATE search_topics SET last_digest_at = ? WHERE id = ?`, prev, t.ID)
		return false, errors.Join(err, rerr)
	}
	// Read the alerts after claiming: a run that sent them before our
	// claim has marked them by now.
	ids, err := pendingIDs(ctx, db, t.ID)
	if err != nil || len(ids) == 0 {
		return release(err)
	}
	d, err := composeDigest(ctx, db, t, ids)
	if err != nil {
		return release(err)
	}
	if err := m.Notify(ctx, t.DigestEmail, d.subject, d.text, d.html); err != nil {
		return release(fmt.Errorf("send to %s: %w", t.DigestEmail, err))
	}
	// A crash here sends these alerts again in the next digest: the one
	// repeat that sending before marking allows, and better than losing
	// them by marking before sending.
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for chunk := range slices.Chunk(ids, 500) {
			args := append([]any{now, t.ID}, chunk...)
			if _, err := tx.ExecContext(ctx, `UPDATE search_alerts SET digested_at = ?
				WHERE topic_id = ? AND article_id IN (`+placeholders(len(chunk))+`)`, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return true, fmt.Errorf("sent, but not marked (the next digest repeats it): %w", err)
	}
	return true, nil
}

// pendingIDs returns the article IDs of a topic's pending alerts, newest
// first.
func pendingIDs(ctx context.Context, db *store.DB, topicID int64) ([]any, error) {
	rows, err := db.QueryContext(ctx, `SELECT article_id `+pendingAlerts+` ORDER BY article_id DESC`, topicID)
	if err != nil {
		return nil, err
	}
	ids, err := store.Column[int64](rows)
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args, err
}

// digest is one rendered message.
type digest struct {
	subject, text, html string
}

// composeDigest renders the newest maxDigestArticles of ids, highlighted
// for the topic's query, and counts the rest.
func composeDigest(ctx context.Context, db *store.DB, t Topic, ids []any) (digest, error) {
	p, err := newPlan(db.Dialect(), t.Query)
	if err != nil {
		return digest{}, err
	}
	roster, err := loadRoster(ctx, db)
	if err != nil {
		return digest{}, err
	}
	shown := ids[:min(len(ids), maxDigestArticles)]
	list := make([]int64, len(shown))
	for i, id := range shown {
		list[i] = id.(int64)
	}
	hits, err := hydrate(ctx, db, p.e, roster, list, make([]float64, len(list)))
	if err != nil {
		return digest{}, err
	}
	data := digestData{Topic: t.Name, Query: p.q.String(), Hits: hits, More: len(ids) - len(hits)}
	articles := "articles"
	if len(ids) == 1 {
		articles = "article"
	}
	d := digest{subject: fmt.Sprintf("%d new %s for “%s”", len(ids), articles, t.Name)}
	var b strings.Builder
	if err := digestHTML.Execute(&b, data); err != nil {
		return digest{}, err
	}
	d.html = b.String()
	d.text = digestText(d.subject, data)
	return d, nil
}

type digestData struct {
	Topic, Query string
	Hits         []Hit
	// More counts the alerts not shown: beyond maxDigestArticles, or
	// whose article was deleted since.
	More int
}

// The marks in TitleHTML and SnippetHTML are escaped text with <mark>
// elements (see hydrate), so they are inserted as HTML.
var digestHTML = template.Must(template.New("digest").Funcs(template.FuncMap{
	"safe": func(s string) template.HTML { return template.HTML(s) },
	"day":  func(t time.Time) string { return t.Format(dayLayout) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Topic}}</title></head>
<body style="font-family: sans-serif; max-width: 40em">
<h1 style="font-size: 1.2em">New articles for “{{.Topic}}”</h1>
<p>Matching <code>{{.Query}}</code></p>
{{range .Hits}}<div lang="{{.Lang}}" dir="{{.Dir}}" style="margin: 1em 0">
<p style="margin: 0"><a href="{{.URL}}">{{safe .TitleHTML}}</a></p>
<p style="margin: 0; color: #555" dir="ltr" lang="en">{{day .PublishedAt}} · {{.Outlet.Name}}{{with .Outlet.Orientation}} ({{.}}){{end}}</p>
<p style="margin: 0">{{safe .SnippetHTML}}</p>
</div>
{{end}}{{if .More}}<p>And {{.More}} more in the studio’s alerts.</p>
{{end}}</body></html>
`))

func digestText(subject string, d digestData) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nMatching: %s\n\n", subject, d.Query)
	for _, h := range d.Hits {
		outlet := h.Outlet.Name
		if h.Outlet.Orientation != "" {
			outlet += " (" + h.Outlet.Orientation + ")"
		}
		fmt.Fprintf(&b, "%s  %s\n%s\n%s\n%s\n\n", h.PublishedAt.Format(dayLayout), plain(h.TitleHTML), outlet, plain(h.SnippetHTML), h.URL)
	}
	if d.More > 0 {
		fmt.Fprintf(&b, "And %d more in the studio's alerts.\n", d.More)
	}
	return b.String()
}
