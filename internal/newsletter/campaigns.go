package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Campaign is one mailing to one list. HTML and Text are templates (Go
// html/template and text/template) executed per recipient; see
// RecipientData for what they may use.
type Campaign struct {
	ID         int64          `json:"id"`
	UID        string         `json:"-"`
	List       string         `json:"list"`
	ListID     int64          `json:"-"`
	Subject    string         `json:"subject"`
	HTML       string         `json:"html"`
	Text       string         `json:"text"`
	Source     string         `json:"source,omitempty"` // "edition:slug" or "analysis:slug" when built from one
	Status     CampaignStatus `json:"status"`
	SendAt     *time.Time     `json:"send_at,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	StartedAt  *time.Time     `json:"started_at,omitempty"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
}

// RecipientData is what a campaign's templates see, e.g.
// `<a href="{{.SettingsURL}}">` or `Dear {{or .Name "reader"}}`.
type RecipientData struct {
	Name, Email    string
	Subject        string
	ListName       string
	SettingsURL    string
	UnsubscribeURL string
}

// NewCampaign is what CreateCampaign needs.
type NewCampaign struct {
	List    string // list key
	Subject string
	HTML    string
	Text    string
	Source  string
}

// checkTemplates parses both bodies and runs them once on sample data, so
// a broken template is caught when the campaign is saved, not mid-send.
func checkTemplates(html, text string) error {
	if strings.TrimSpace(html) == "" || strings.TrimSpace(text) == "" {
		return valid.Errorf("body", "a campaign needs both an HTML and a plain-text body")
	}
	ht, err := htmltemplate.New("body").Parse(html)
	if err != nil {
		return valid.Errorf("html", "%v", err)
	}
	tt, err := template.New("body").Parse(text)
	if err != nil {
		return valid.Errorf("text", "%v", err)
	}
	var sb strings.Builder
	if err := ht.Execute(&sb, sampleRecipient); err != nil {
		return valid.Errorf("html", "%v", err)
	}
	if err := tt.Execute(&sb, sampleRecipient); err != nil {
		return valid.Errorf("text", "%v", err)
	}
	return nil
}

var sampleRecipient = RecipientData{Name: "Jane Reader", Email: "reader@example.org",
	SettingsURL: "https://example.org/settings", UnsubscribeURL: "https://example.org/unsubscribe"}

// ErrCampaignState matches (errors.Is) the errors of actions that the
// campaign's status does not allow, such as pausing a finished campaign or
// starting one twice: the request was fine, the moment was not.
var ErrCampaignState = errors.New("the campaign's status does not allow this")

// stateError keeps its own message, which names the campaign and its
// status, and still matches ErrCampaignState.
type stateError struct{ msg string }

func (e *stateError) Error() string        { return e.msg }
func (e *stateError) Is(target error) bool { return target == ErrCampaignState }

func stateErrorf(format string, args ...any) error {
	return &stateError{msg: fmt.Sprintf(format, args...)}
}

// CreateCampaign saves a draft campaign.
func (s *Service) CreateCampaign(ctx context.Context, d NewCampaign) (Campaign, error) {
	if strings.TrimSpace(d.Subject) == "" {
		return Campaign{}, valid.Errorf("subject", "is required")
	}
	if strings.ContainsAny(d.Subject, "\r\n") {
		return Campaign{}, valid.Errorf("subject", "must be one line")
	}
	if err := checkTemplates(d.HTML, d.Text); err != nil {
		return Campaign{}, err
	}
	l, err := ListByKey(ctx, s.db, d.List)
	if err != nil {
		return Campaign{}, valid.Errorf("list", "%v", err)
	}
	c := Campaign{UID: newUID(), List: l.Key, ListID: l.ID, Subject: d.Subject, HTML: d.HTML, Text: d.Text,
		Source: d.Source, Status: Draft, CreatedAt: now()}
	err = s.db.QueryRowContext(ctx, `
		INSERT INTO campaigns (uid, list_id, subject, body_html, body_text, source, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'draft', ?) RETURNING id`,
		c.UID, c.ListID, c.Subject, c.HTML, c.Text, c.Source, c.CreatedAt).Scan(&c.ID)
	if err != nil {
		return c, fmt.Errorf("create campaign %q: %w", d.Subject, err)
	}
	return c, nil
}

const campaignColumns = `c.id, c.uid, l.key, c.list_id, c.subject, c.body_html, c.body_text, c.source, c.status,
	c.send_at, c.created_at, c.started_at, c.finished_at`

func scanCampaign(row interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var sendAt, started, finished sql.NullTime
	err := row.Scan(&c.ID, &c.UID, &c.List, &c.ListID, &c.Subject, &c.HTML, &c.Text, &c.Source, &c.Status,
		&sendAt, &c.CreatedAt, &started, &finished)
	c.SendAt, c.StartedAt, c.FinishedAt = timePtr(sendAt), timePtr(started), timePtr(finished)
	return c, err
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// LoadCampaign finds a campaign by id.
func LoadCampaign(ctx context.Context, q store.Querier, id int64) (Campaign, error) {
	c, err := scanCampaign(q.QueryRowContext(ctx, `SELECT `+campaignColumns+`
		FROM campaigns c JOIN newsletter_lists l ON l.id = c.list_id WHERE c.id = ?`, id))
	if err != nil {
		return c, notFound("campaign", id, err)
	}
	return c, nil
}

// Campaigns lists campaigns, newest first.
func Campaigns(ctx context.Context, q store.Querier) ([]Campaign, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+campaignColumns+`
		FROM campaigns c JOIN newsletter_lists l ON l.id = c.list_id ORDER BY c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, fmt.Errorf("campaigns: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Start snapshots the list into the delivery ledger — one queued row per
// confirmed, active subscriber — and wakes the senders, in one
// transaction. It returns how many rows it queued.
func (s *Service) Start(ctx context.Context, id int64) (int64, error) {
	q, err := s.queue()
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		at := now()
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = 'sending', started_at = ? WHERE id = ? AND status IN ('draft', 'scheduled')`, at, id)
		if err != nil {
			return fmt.Errorf("start campaign %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			c, err := LoadCampaign(ctx, tx, id)
			if err != nil {
				return err
			}
			return stateErrorf("start campaign %d: it is %s; only a draft or scheduled campaign can start", id, c.Status)
		}
		res, err = tx.ExecContext(ctx, `
			INSERT INTO deliveries (campaign_id, subscriber_id, state, queued_at)
			SELECT c.id, s.id, 'queued', ?
			FROM campaigns c
			JOIN subscriptions ss ON ss.list_id = c.list_id AND ss.status = 'confirmed'
			JOIN subscribers s ON s.id = ss.subscriber_id AND s.status = 'active'
			WHERE c.id = ?
			ON CONFLICT (campaign_id, subscriber_id) DO NOTHING`, at, id)
		if err != nil {
			return fmt.Errorf("start campaign %d: queue deliveries: %w", id, err)
		}
		n, _ = res.RowsAffected()
		return s.wakeTx(ctx, q, tx, id)
	})
	return n, err
}

// wakeTx enqueues one sender job per configured connection. The jobs carry
// no rows, so an extra one is harmless: it finds nothing to claim and ends.
func (s *Service) wakeTx(ctx context.Context, q *jobs.Client, tx *store.Tx, id int64) error {
	params := make([]river.InsertManyParams, s.cfg.Concurrency)
	for i := range params {
		params[i] = river.InsertManyParams{Args: SendArgs{CampaignID: id}}
	}
	if _, err := q.InsertManyTx(ctx, tx.SQLTx(), params); err != nil {
		return fmt.Errorf("campaign %d: wake senders: %w", id, err)
	}
	return nil
}

// Resume wakes the senders of every campaign that is sending. Call it when
// a process starts: the jobs of a process that was killed stay "running"
// in the queue until River rescues them, but the ledger needs no rescue —
// the new senders take over the rows as their leases lapse.
func (s *Service) Resume(ctx context.Context) error {
	q, err := s.queue()
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM campaigns WHERE status = 'sending'`)
	if err != nil {
		return fmt.Errorf("resume campaigns: %w", err)
	}
	ids, err := store.Column[int64](rows)
	if err != nil {
		return fmt.Errorf("resume campaigns: %w", err)
	}
	for _, id := range ids {
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { return s.wakeTx(ctx, q, tx, id) }); err != nil {
			return err
		}
	}
	return nil
}

// setStatus moves a campaign from one of the from statuses to to, and
// wakes the senders when it goes to sending.
func (s *Service) setStatus(ctx context.Context, id int64, to CampaignStatus, from ...CampaignStatus) error {
	q, err := s.queue()
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := LoadCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		ok := false
		for _, f := range from {
			ok = ok || c.Status == f
		}
		if !ok {
			return stateErrorf("campaign %d is %s; it cannot become %s", id, c.Status, to)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = ?, finished_at = NULL WHERE id = ?`, to, id); err != nil {
			return fmt.Errorf("campaign %d: %w", id, err)
		}
		if to == Sending {
			return s.wakeTx(ctx, q, tx, id)
		}
		return nil
	})
}

// Pause stops a sending campaign after the batches in hand.
func (s *Service) Pause(ctx context.Context, id int64) error {
	return s.setStatus(ctx, id, Paused, Sending)
}

// Continue resumes a paused campaign.
func (s *Service) Continue(ctx context.Context, id int64) error {
	return s.setStatus(ctx, id, Sending, Paused)
}

// Schedule makes a draft campaign start at the given time.
func (s *Service) Schedule(ctx context.Context, id int64, at time.Time) error {
	q, err := s.queue()
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = 'scheduled', send_at = ? WHERE id = ? AND status IN ('draft', 'scheduled')`, at.UTC(), id)
		if err != nil {
			return fmt.Errorf("schedule campaign %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			c, err := LoadCampaign(ctx, tx, id)
			if err != nil {
				return err
			}
			return stateErrorf("schedule campaign %d: it is %s; only a draft or scheduled campaign can be scheduled", id, c.Status)
		}
		_, err = q.InsertTx(ctx, tx.SQLTx(), StartArgs{CampaignID: id}, &river.InsertOpts{ScheduledAt: at})
		return err
	})
}

// RetryFailed queues the failed deliveries of a campaign again (those whose
// subscriber is still active) as a new round, and wakes the senders. It is
// the one move back in the ledger, and only an operator makes it.
func (s *Service) RetryFailed(ctx context.Context, id int64) (int64, error) {
	q, err := s.queue()
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE deliveries SET state = 'queued', round = round + 1, attempts = 0, lease_until = NULL, last_error = ''
			WHERE campaign_id = ? AND state = 'failed'
			  AND subscriber_id IN (SELECT id FROM subscribers WHERE status = 'active')`, id)
		if err != nil {
			return fmt.Errorf("retry failed deliveries of campaign %d: %w", id, err)
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = 'sending', finished_at = NULL WHERE id = ? AND status = 'finished'`, id); err != nil {
			return err
		}
		return s.wakeTx(ctx, q, tx, id)
	})
	return n, err
}

// Progress counts a campaign's deliveries by state.
type Progress struct {
	Campaign Campaign `json:"campaign"`
	Total    int64    `json:"total"`
	Queued   int64    `json:"queued"`
	Sending  int64    `json:"sending"`
	Sent     int64    `json:"sent"`
	Failed   int64    `json:"failed"`
	Bounced  int64    `json:"bounced"`
}

// Done reports whether no delivery is queued or sending.
func (p Progress) Done() bool { return p.Queued == 0 && p.Sending == 0 }

// Rate is messages sent per second from the campaign's start until it
// finished, or until now while it is not finished; time spent paused
// counts. It needs no query of its own (a MAX(sent_at) would read every
// sent row), so progress stays cheap to poll during a large send.
func (p Progress) Rate() float64 {
	c := p.Campaign
	if p.Sent == 0 || c.StartedAt == nil {
		return 0
	}
	end := now()
	if c.Status == Finished && c.FinishedAt != nil {
		end = *c.FinishedAt
	}
	d := end.Sub(*c.StartedAt).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(p.Sent) / d
}

func (p *Progress) add(st DeliveryState, n int64) {
	p.Total += n
	switch st {
	case Queued:
		p.Queued = n
	case InFlight:
		p.Sending = n
	case Sent:
		p.Sent = n
	case Failed:
		p.Failed = n
	case BouncedState:
		p.Bounced = n
	}
}

// CampaignProgress reads a campaign's counts.
func CampaignProgress(ctx context.Context, q store.Querier, id int64) (Progress, error) {
	c, err := LoadCampaign(ctx, q, id)
	if err != nil {
		return Progress{}, err
	}
	p := Progress{Campaign: c}
	rows, err := q.QueryContext(ctx, `SELECT state, COUNT(*) FROM deliveries WHERE campaign_id = ? GROUP BY state`, id)
	if err != nil {
		return p, fmt.Errorf("progress of campaign %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st DeliveryState
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return p, fmt.Errorf("progress of campaign %d: %w", id, err)
		}
		p.add(st, n)
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("progress of campaign %d: %w", id, err)
	}
	return p, nil
}

// AllProgress lists every campaign, newest first, with its counts. It
// reads the counts of all campaigns in one query that the
// (campaign_id, state) index answers.
func AllProgress(ctx context.Context, q store.Querier) ([]Progress, error) {
	cs, err := Campaigns(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]Progress, len(cs))
	at := make(map[int64]*Progress, len(cs))
	for i, c := range cs {
		out[i].Campaign = c
		at[c.ID] = &out[i]
	}
	rows, err := q.QueryContext(ctx, `SELECT campaign_id, state, COUNT(*) FROM deliveries GROUP BY campaign_id, state`)
	if err != nil {
		return nil, fmt.Errorf("campaign progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		var st DeliveryState
		if err := rows.Scan(&id, &st, &n); err != nil {
			return nil, fmt.Errorf("campaign progress: %w", err)
		}
		if p := at[id]; p != nil { // a campaign created since Campaigns read the list
			p.add(st, n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("campaign progress: %w", err)
	}
	return out, nil
}

// String is the one-line progress report the CLI prints.
func (p Progress) String() string {
	line := fmt.Sprintf("campaign %d %q: %s — %s: %d sent, %d sending, %d queued, %d failed, %d bounced",
		p.Campaign.ID, p.Campaign.Subject, p.Campaign.Status, cli.Count(p.Total, "recipient", "recipients"),
		p.Sent, p.Sending, p.Queued, p.Failed, p.Bounced)
	if r := p.Rate(); r > 0 {
		line += fmt.Sprintf(" (%.0f messages/s)", r)
	}
	return line
}
