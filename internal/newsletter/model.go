package newsletter

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// List is a mailing list readers can subscribe to, such as "Iran Media Review".
type List struct {
	ID          int64  `json:"-"`
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Public lists appear on the subscribe form; private ones are filled by
	// import or by staff.
	Public bool `json:"public"`
}

// SubscriberStatus is where a subscriber stands.
type SubscriberStatus string

// The statuses a subscriber can have.
const (
	// Pending has not confirmed yet (double opt-in) and gets no campaigns.
	Pending SubscriberStatus = "pending"
	Active  SubscriberStatus = "active"
	// Unsubscribed left every list.
	Unsubscribed SubscriberStatus = "unsubscribed"
	// Blocked by the bounce policy (bounces or complaints).
	Blocked SubscriberStatus = "blocked"
)

// Subscriber is one reader's address.
type Subscriber struct {
	ID          int64            `json:"-"`
	UID         string           `json:"id"`
	Email       string           `json:"email"`
	Name        string           `json:"name,omitempty"`
	Status      SubscriberStatus `json:"status"`
	CreatedAt   time.Time        `json:"created_at"`
	ConfirmedAt *time.Time       `json:"confirmed_at,omitempty"`
}

// CampaignStatus is where a campaign is in its life.
type CampaignStatus string

// The statuses of a campaign.
const (
	Draft     CampaignStatus = "draft"
	Scheduled CampaignStatus = "scheduled"
	Sending   CampaignStatus = "sending"
	Paused    CampaignStatus = "paused"
	Finished  CampaignStatus = "finished"
	Cancelled CampaignStatus = "cancelled"
)

// DeliveryState is a delivery row's state; see the package comment.
type DeliveryState string

// The delivery states, in their only order.
const (
	Queued       DeliveryState = "queued"
	InFlight     DeliveryState = "sending"
	Sent         DeliveryState = "sent"
	Failed       DeliveryState = "failed"
	BouncedState DeliveryState = "bounced"
)

// maxErrorBytes bounds the SMTP replies and reasons kept in the ledger.
const maxErrorBytes = 500

func newUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// now is the clock, in UTC so that SQLite's text timestamps sort correctly.
func now() time.Time { return time.Now().UTC() }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
