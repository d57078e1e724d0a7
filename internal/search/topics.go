package search

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Topic is a saved query: an analyst follows a story ("Putin mediation")
// and is alerted to the new articles that match it.
type Topic struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// LastSeenArticleID is the newest article CheckTopics has looked at.
	LastSeenArticleID int64 `json:"last_seen_article_id"`
	// DigestEmail, when set, receives the topic's new alerts by email
	// (SendDigests); LastDigestAt is when the latest digest was begun.
	DigestEmail  string     `json:"digest_email,omitempty"`
	LastDigestAt *time.Time `json:"last_digest_at,omitempty"`
	// startArticleID is the newest article when the topic was created;
	// older ones never alert.
	startArticleID int64
}

// Alert is a new article that matches a topic.
type Alert struct {
	TopicID   int64      `json:"topic_id"`
	TopicName string     `json:"topic"`
	Hit       Hit        `json:"article"`
	CreatedAt time.Time  `json:"created_at"`
	SeenAt    *time.Time `json:"seen_at,omitempty"`
}

// SaveTopic creates a topic, or changes the query and digest address of
// the topic with that name. The query must parse, and the digest address,
// if any, must be an email address. A new topic alerts only on articles
// that arrive after it was saved, not on the archive.
func SaveTopic(ctx context.Context, q store.Querier, t *Topic) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return fmt.Errorf("topic: %w: a name is required", ErrInvalid)
	}
	if _, err := newPlan(q.Dialect(), t.Query); err != nil {
		return fmt.Errorf("topic %q: %w", t.Name, err)
	}
	if t.DigestEmail = strings.TrimSpace(t.DigestEmail); t.DigestEmail != "" {
		addr, err := mail.ParseAddress(t.DigestEmail)
		if err != nil {
			return fmt.Errorf("topic %q: %w: digest address %q: %v", t.Name, ErrInvalid, t.DigestEmail, err)
		}
		t.DigestEmail = addr.Address
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO search_topics (name, query, created_by, digest_email, start_article_id, last_seen_article_id)
		SELECT ?, ?, ?, ?, m, m FROM (SELECT COALESCE(MAX(article_id), 0) AS m FROM search_docs) newest
		WHERE TRUE -- SQLite needs a WHERE to tell ON CONFLICT from a join constraint
		ON CONFLICT (name) DO UPDATE SET query = excluded.query, digest_email = excluded.digest_email,
			updated_at = CURRENT_TIMESTAMP
		RETURNING id, created_at, last_seen_article_id`,
		t.Name, t.Query, t.CreatedBy, t.DigestEmail).Scan(&t.ID, &t.CreatedAt, &t.LastSeenArticleID)
	if err != nil {
		return fmt.Errorf("save topic %q: %w", t.Name, err)
	}
	return nil
}

// DeleteTopic removes a topic and its alerts.
func DeleteTopic(ctx context.Context, q store.Querier, name string) error {
	res, err := q.ExecContext(ctx, `DELETE FROM search_topics WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete topic %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("topic %q: %w", name, store.ErrNotFound)
	}
	return nil
}

// ListTopics returns every topic by name.
func ListTopics(ctx context.Context, q store.Querier) ([]Topic, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, query, created_by, created_at, last_seen_article_id, start_article_id,
		digest_email, last_digest_at
		FROM search_topics ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	defer rows.Close()
	var out []Topic
	for rows.Next() {
		var t Topic
		var digested sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.Query, &t.CreatedBy, &t.CreatedAt, &t.LastSeenArticleID, &t.startArticleID,
			&t.DigestEmail, &digested); err != nil {
			return nil, fmt.Errorf("list topics: %w", err)
		}
		if digested.Valid {
			t.LastDigestAt = &digested.Time
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// topicLookback is how many article IDs below its mark CheckTopics looks
// again. On PostgreSQL, identity values are handed out at insert but
// become visible at commit, so an article can appear after one with a
// higher ID was already checked; looking back over recent IDs catches it,
// and the alerts' primary key keeps the second look from alerting twice.
const topicLookback = 1000

// CheckTopics records an alert for every article indexed since the last
// check that matches a topic, and returns the number of new alerts. It is
// idempotent and safe to run from a periodic job: running it twice, or
// concurrently, records each alert once.
func CheckTopics(ctx context.Context, db *store.DB) (int, error) {
	topics, err := ListTopics(ctx, db)
	if err != nil {
		return 0, err
	}
	var newest int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(article_id), 0) FROM search_docs`).Scan(&newest); err != nil {
		return 0, fmt.Errorf("check topics: %w", err)
	}
	total := 0
	for _, t := range topics {
		n, err := checkTopic(ctx, db, t, newest)
		if err != nil {
			return total, fmt.Errorf("check topic %q: %w", t.Name, err)
		}
		total += n
	}
	return total, nil
}

func checkTopic(ctx context.Context, db *store.DB, t Topic, newest int64) (int, error) {
	p, err := newPlan(db.Dialect(), t.Query)
	if err != nil {
		return 0, err
	}
	from := max(t.startArticleID, t.LastSeenArticleID-topicLookback)
	m := p.match
	n := 0
	err = db.InTx(ctx, func(tx *store.Tx) error {
		args := append([]any{t.ID}, m.where.args...)
		args = append(args, from, newest)
		res, err := tx.ExecContext(ctx, `INSERT INTO search_alerts (topic_id, article_id)
			SELECT ?, d.article_id FROM `+m.from+` WHERE `+m.where.sql()+` AND d.article_id > ? AND d.article_id <= ?
			ON CONFLICT (topic_id, article_id) DO NOTHING`, args...)
		if err != nil {
			return err
		}
		added, _ := res.RowsAffected()
		n = int(added)
		_, err = tx.ExecContext(ctx, `UPDATE search_topics SET last_seen_article_id = ? WHERE id = ? AND last_seen_article_id < ?`,
			newest, t.ID, newest)
		return err
	})
	return n, err
}

// AlertFilter selects alerts to list.
type AlertFilter struct {
	Topic      string // a topic name; empty for all topics
	UnseenOnly bool
	Limit      int // default DefaultLimit
}

// ListAlerts returns alerts, newest first, with their articles
// highlighted for the topic's query.
func ListAlerts(ctx context.Context, db store.Querier, f AlertFilter) ([]Alert, error) {
	var w where
	if f.Topic != "" {
		w.add("t.name = ?", f.Topic)
	}
	if f.UnseenOnly {
		w.add("a.seen_at IS NULL")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	rows, err := db.QueryContext(ctx, `SELECT a.topic_id, t.name, t.query, a.article_id, a.created_at, a.seen_at
		FROM search_alerts a JOIN search_topics t ON t.id = a.topic_id
		WHERE `+w.sql()+` ORDER BY a.article_id DESC, t.name LIMIT ?`, append(w.args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	var alerts []Alert
	var queries []string
	for rows.Next() {
		var a Alert
		var query string
		var seen sql.NullTime
		if err := rows.Scan(&a.TopicID, &a.TopicName, &query, &a.Hit.ArticleID, &a.CreatedAt, &seen); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list alerts: %w", err)
		}
		if seen.Valid {
			a.SeenAt = &seen.Time
		}
		alerts = append(alerts, a)
		queries = append(queries, query)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	roster, err := loadRoster(ctx, db)
	if err != nil {
		return nil, err
	}
	for i := range alerts {
		p, err := newPlan(db.Dialect(), queries[i])
		if err != nil {
			return nil, err
		}
		hits, err := hydrate(ctx, db, p.e, roster, []int64{alerts[i].Hit.ArticleID}, []float64{0})
		if err != nil {
			return nil, err
		}
		if len(hits) == 1 {
			alerts[i].Hit = hits[0]
		}
	}
	return alerts, nil
}

// MarkAlertsSeen marks a topic's alerts up to an article as seen.
func MarkAlertsSeen(ctx context.Context, q store.Querier, topic string, upToArticleID int64) error {
	_, err := q.ExecContext(ctx, `UPDATE search_alerts SET seen_at = CURRENT_TIMESTAMP
		WHERE seen_at IS NULL AND article_id <= ? AND topic_id IN (SELECT id FROM search_topics WHERE name = ?)`,
		upToArticleID, topic)
	if err != nil {
		return fmt.Errorf("mark alerts seen: %w", err)
	}
	return nil
}
