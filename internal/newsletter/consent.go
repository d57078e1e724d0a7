package newsletter

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Consent is the context of a change a subscriber made (or an operator
// made for them): which form, the exact wording shown, the privacy policy
// version, and where the request came from.
type Consent struct {
	Form          string `json:"form"`
	Wording       string `json:"wording,omitempty"`
	PolicyVersion string `json:"policy_version,omitempty"`
	IP            string `json:"ip,omitempty"`
	UserAgent     string `json:"user_agent,omitempty"`
}

// ConsentKind names a ledger entry.
type ConsentKind string

// The kinds of consent ledger entries.
const (
	ConsentSubscribe   ConsentKind = "subscribe"
	ConsentConfirm     ConsentKind = "confirm"
	ConsentLists       ConsentKind = "lists"
	ConsentName        ConsentKind = "name"
	ConsentUnsubscribe ConsentKind = "unsubscribe"
	ConsentErase       ConsentKind = "erase"
	ConsentBounce      ConsentKind = "bounce"
	ConsentComplaint   ConsentKind = "complaint"
	ConsentImport      ConsentKind = "import"
)

// ConsentEvent is one row of the append-only consent ledger.
type ConsentEvent struct {
	Kind  ConsentKind `json:"kind"`
	Lists []string    `json:"lists,omitempty"`
	Consent
	At time.Time `json:"at"`
}

// appendConsent writes one ledger row. The ledger is never updated; the
// triggers in the schema refuse it.
func appendConsent(ctx context.Context, q store.Querier, uid, email string, kind ConsentKind, c Consent, lists []string, at time.Time) error {
	_, err := q.ExecContext(ctx, `
		INSERT INTO consent_events (subscriber_uid, email_hash, kind, form, wording, policy_version, lists, ip, user_agent, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		uid, EmailHash(email), string(kind), c.Form, c.Wording, c.PolicyVersion, strings.Join(lists, ","),
		truncate(c.IP, 64), truncate(c.UserAgent, 512), at)
	if err != nil {
		return fmt.Errorf("consent ledger: record %s for subscriber %s: %w", kind, uid, err)
	}
	return nil
}

// ConsentHistory returns a subscriber's ledger, oldest first.
func ConsentHistory(ctx context.Context, q store.Querier, uid string) ([]ConsentEvent, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT kind, form, wording, policy_version, lists, ip, user_agent, created_at
		FROM consent_events WHERE subscriber_uid = ? ORDER BY id`, uid)
	if err != nil {
		return nil, fmt.Errorf("consent history of %s: %w", uid, err)
	}
	defer rows.Close()
	var out []ConsentEvent
	for rows.Next() {
		var e ConsentEvent
		var lists string
		if err := rows.Scan(&e.Kind, &e.Form, &e.Wording, &e.PolicyVersion, &lists, &e.IP, &e.UserAgent, &e.At); err != nil {
			return nil, fmt.Errorf("consent history of %s: %w", uid, err)
		}
		if lists != "" {
			e.Lists = strings.Split(lists, ",")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
