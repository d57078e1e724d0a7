package newsletter

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// BounceKind is what a bounce says about an address.
type BounceKind string

// The kinds of bounce.
const (
	HardBounce BounceKind = "hard" // the address does not exist
	SoftBounce BounceKind = "soft" // full mailbox and the like
	Complaint  BounceKind = "complaint"
)

// Bounce is one bounce or complaint, from the relay's 5xx or the webhook.
type Bounce struct {
	Email      string
	CampaignID int64
	Kind       BounceKind
	Source     string // "smtp" or "webhook"
	EventID    string // the provider's id; a repeated event is ignored
	Detail     string
}

// RecordBounce stores a bounce and applies the bounce policy: enough hard
// or soft bounces block the subscriber, a complaint unsubscribes or blocks
// them. A webhook bounce for a campaign moves its delivery to bounced.
// Unknown addresses and repeated events are ignored.
func (s *Service) RecordBounce(ctx context.Context, b Bounce) error {
	switch b.Kind {
	case HardBounce, SoftBounce, Complaint:
	default:
		return valid.Errorf("kind", "%q is not hard, soft or complaint", b.Kind)
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		sub, err := SubscriberByEmail(ctx, tx, b.Email)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		at := now()
		var event, campaign any
		if b.EventID != "" {
			event = b.EventID
		}
		if b.CampaignID != 0 {
			campaign = b.CampaignID
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO bounces (subscriber_id, campaign_id, kind, source, event_id, detail, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
			sub.ID, campaign, string(b.Kind), b.Source, event, truncate(b.Detail, maxErrorBytes), at)
		if err != nil {
			return fmt.Errorf("record %s bounce of %s: %w", b.Kind, sub.Email, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if b.CampaignID != 0 && b.Source == "webhook" {
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'bounced', last_error = ?
				WHERE campaign_id = ? AND subscriber_id = ? AND state IN ('sent', 'failed')`,
				truncate(string(b.Kind)+" bounce: "+b.Detail, maxErrorBytes), b.CampaignID, sub.ID); err != nil {
				return fmt.Errorf("record bounce of %s: delivery: %w", sub.Email, err)
			}
		}
		return s.applyPolicy(ctx, tx, sub, b)
	})
}

func (s *Service) applyPolicy(ctx context.Context, tx *store.Tx, sub Subscriber, b Bounce) error {
	if sub.Status == Blocked || sub.Status == Unsubscribed {
		return nil
	}
	c := Consent{Form: "bounce-policy:" + b.Source, Wording: b.Detail, PolicyVersion: s.cfg.PolicyVersion}
	if b.Kind == Complaint {
		if s.cfg.Bounce.ComplaintUnsubscribes {
			return unsubscribeTx(ctx, tx, sub, ConsentComplaint, c, Unsubscribed)
		}
		return unsubscribeTx(ctx, tx, sub, ConsentComplaint, c, Blocked)
	}
	limit := s.cfg.Bounce.HardLimit
	if b.Kind == SoftBounce {
		limit = s.cfg.Bounce.SoftLimit
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM bounces WHERE subscriber_id = ? AND kind = ?`, sub.ID, string(b.Kind)).Scan(&n); err != nil {
		return err
	}
	if n < limit {
		return nil
	}
	at := now()
	if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = 'blocked', updated_at = ? WHERE id = ?`, at, sub.ID); err != nil {
		return fmt.Errorf("block %s: %w", sub.Email, err)
	}
	return appendConsent(ctx, tx, sub.UID, sub.Email, ConsentBounce, c, nil, at)
}

// WebhookEvent is one event of the generic bounce webhook:
//
//	{"events": [{"id": "evt-1", "type": "bounce", "bounce_type": "hard",
//	  "email": "reader@example.org", "message_id": "<…>", "detail": "550 5.1.1 no such user"}]}
//
// type is "bounce" or "complaint"; bounce_type "hard" (default) or "soft";
// message_id, when it is one of ours, ties the event to its campaign.
type WebhookEvent struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	BounceType string `json:"bounce_type"`
	Email      string `json:"email"`
	MessageID  string `json:"message_id"`
	Detail     string `json:"detail"`
}

// WebhookSignatureHeader carries "t=UNIX,v1=HEX": HMAC-SHA256 over
// "UNIX.BODY" with the webhook key.
const WebhookSignatureHeader = "X-Pressreview-Signature"

// webhookSkew is how old (or how far ahead) a signed request may be; it
// stops a captured request from being replayed later.
const webhookSkew = 5 * time.Minute

// SignWebhook returns the signature header value for body at t.
func SignWebhook(key, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	h := hmac.New(sha256.New, key)
	h.Write([]byte(ts + "."))
	h.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(h.Sum(nil))
}

// ErrWebhookSignature is returned for a missing, wrong or stale signature.
var ErrWebhookSignature = errors.New("webhook signature is missing, wrong or too old")

// ErrWebhookOff is returned when no webhook key is configured: the webhook
// is switched off, which is a setting, not a failure.
var ErrWebhookOff = errors.New("the bounce webhook is off (no PRESSREVIEW_NEWSLETTER_WEBHOOK_KEY)")

// HandleWebhook verifies and applies a webhook request; it returns how many
// events it applied.
func (s *Service) HandleWebhook(ctx context.Context, signature string, body []byte) (int, error) {
	if len(s.cfg.WebhookKey) == 0 {
		return 0, ErrWebhookOff
	}
	var ts string
	for _, part := range strings.Split(signature, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "t="); ok {
			ts = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return 0, ErrWebhookSignature
	}
	t := time.Unix(sec, 0)
	if d := time.Since(t); d > webhookSkew || d < -webhookSkew {
		return 0, ErrWebhookSignature
	}
	if !hmac.Equal([]byte(signature), []byte(SignWebhook(s.cfg.WebhookKey, body, t))) {
		return 0, ErrWebhookSignature
	}
	var req struct {
		Events []WebhookEvent `json:"events"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return 0, valid.Errorf("body", "not the webhook's JSON: %v", err)
	}
	for i, e := range req.Events {
		b := Bounce{Email: e.Email, Source: "webhook", EventID: e.ID, Detail: e.Detail}
		switch {
		case e.Type == "complaint":
			b.Kind = Complaint
		case e.Type == "bounce" && (e.BounceType == "" || e.BounceType == "hard"):
			b.Kind = HardBounce
		case e.Type == "bounce" && e.BounceType == "soft":
			b.Kind = SoftBounce
		default:
			return i, valid.Errorf(valid.Index("events", i), "type %q / bounce_type %q: want bounce (hard or soft) or complaint", e.Type, e.BounceType)
		}
		if b.CampaignID, err = s.campaignOfMessage(ctx, e.MessageID); err != nil {
			return i, err
		}
		if err := s.RecordBounce(ctx, b); err != nil {
			return i, valid.In(valid.Index("events", i), err)
		}
	}
	return len(req.Events), nil
}

// campaignOfMessage finds the campaign a Message-ID of ours belongs to (0
// when it is not one of ours).
func (s *Service) campaignOfMessage(ctx context.Context, messageID string) (int64, error) {
	id := strings.Trim(strings.TrimSpace(messageID), "<>")
	uid, _, ok := strings.Cut(id, ".")
	if !ok {
		return 0, nil
	}
	var cid int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM campaigns WHERE uid = ?`, uid).Scan(&cid)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("webhook: campaign of %s: %w", messageID, err)
	}
	return cid, nil
}
