package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

const subscriberColumns = `id, uid, email, name, status, created_at, confirmed_at`

func scanSubscriber(row interface{ Scan(...any) error }) (Subscriber, error) {
	var s Subscriber
	var confirmed sql.NullTime
	err := row.Scan(&s.ID, &s.UID, &s.Email, &s.Name, &s.Status, &s.CreatedAt, &confirmed)
	if confirmed.Valid {
		t := confirmed.Time
		s.ConfirmedAt = &t
	}
	return s, err
}

// SubscriberByUID finds a subscriber by the uid their links carry.
func SubscriberByUID(ctx context.Context, q store.Querier, uid string) (Subscriber, error) {
	s, err := scanSubscriber(q.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM subscribers WHERE uid = ?`, uid))
	if err != nil {
		return s, notFound("subscriber", uid, err)
	}
	return s, nil
}

// SubscriberByEmail finds a subscriber by address.
func SubscriberByEmail(ctx context.Context, q store.Querier, email string) (Subscriber, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return Subscriber{}, err
	}
	s, err := scanSubscriber(q.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM subscribers WHERE email = ?`, e))
	if err != nil {
		return s, notFound("subscriber", e, err)
	}
	return s, nil
}

// Membership is a subscriber's standing on one list.
type Membership struct {
	List   List   `json:"list"`
	Status string `json:"status"` // pending, confirmed, unsubscribed
}

// Memberships lists a subscriber's lists.
func Memberships(ctx context.Context, q store.Querier, subscriberID int64) ([]Membership, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT l.id, l.key, l.name, l.description, l.public, s.status
		FROM subscriptions s JOIN newsletter_lists l ON l.id = s.list_id
		WHERE s.subscriber_id = ? ORDER BY l.name`, subscriberID)
	if err != nil {
		return nil, fmt.Errorf("lists of subscriber %d: %w", subscriberID, err)
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.List.ID, &m.List.Key, &m.List.Name, &m.List.Description, &m.List.Public, &m.Status); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SubscribeRequest is one submission of the subscribe form.
type SubscribeRequest struct {
	Email   string
	Name    string
	Lists   []string // list keys, as ticked
	Consent Consent
}

// Subscribe records a form submission: a pending subscriber (or the
// existing one), pending memberships of the chosen lists, a consent entry,
// and a confirmation email — all in one transaction. An address that is
// already confirmed on every chosen list gets a mail with its settings link
// instead, so the form never tells a stranger who is subscribed.
func (s *Service) Subscribe(ctx context.Context, r SubscribeRequest) (Subscriber, error) {
	email, err := NormalizeEmail(r.Email)
	var ae *AddressError
	if errors.As(err, &ae) {
		return Subscriber{}, valid.Errorf("email", "%s", ae.Problem)
	} else if err != nil {
		return Subscriber{}, err
	}
	name, err := CheckName(r.Name)
	if err != nil {
		return Subscriber{}, valid.Errorf("name", "%v", err)
	}
	if len(r.Lists) == 0 {
		return Subscriber{}, valid.Errorf("lists", "choose at least one list")
	}
	r.Consent.PolicyVersion = s.cfg.PolicyVersion
	q, err := s.queue()
	if err != nil {
		return Subscriber{}, err
	}
	var sub Subscriber
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		at := now()
		var lists []List
		for _, key := range r.Lists {
			l, err := ListByKey(ctx, tx, key)
			if err != nil || !l.Public {
				return valid.Errorf("lists", "%q is not a list you can subscribe to", key)
			}
			lists = append(lists, l)
		}
		sub, err = SubscriberByEmail(ctx, tx, email)
		switch {
		case errors.Is(err, store.ErrNotFound):
			sub = Subscriber{UID: newUID(), Email: email, Name: name, Status: Pending, CreatedAt: at}
			err = tx.QueryRowContext(ctx, `
				INSERT INTO subscribers (uid, email, name, status, created_at, updated_at)
				VALUES (?, ?, ?, 'pending', ?, ?) RETURNING id`, sub.UID, email, name, at, at).Scan(&sub.ID)
			if err != nil {
				return fmt.Errorf("subscribe %s: %w", email, err)
			}
		case err != nil:
			return err
		}
		pending := 0
		for _, l := range lists {
			res, err := tx.ExecContext(ctx, `
				INSERT INTO subscriptions (subscriber_id, list_id, status, updated_at) VALUES (?, ?, 'pending', ?)
				ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = 'pending', updated_at = excluded.updated_at
				WHERE subscriptions.status <> 'confirmed'`, sub.ID, l.ID, at)
			if err != nil {
				return fmt.Errorf("subscribe %s to %s: %w", email, l.Key, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				pending++
			}
		}
		if err := appendConsent(ctx, tx, sub.UID, email, ConsentSubscribe, r.Consent, r.Lists, at); err != nil {
			return err
		}
		kind := mailConfirm
		if pending == 0 && sub.Status == Active {
			kind = mailSettings
		}
		_, err = q.InsertTx(ctx, tx.SQLTx(), MailArgs{Mail: kind, SubscriberUID: sub.UID}, nil)
		return err
	})
	return sub, err
}

// Confirm completes double opt-in: the subscriber becomes active, their
// pending lists confirmed, and a welcome mail is queued. Confirming twice
// changes nothing and sends nothing more; it reports false then.
func (s *Service) Confirm(ctx context.Context, uid string, c Consent) (bool, error) {
	q, err := s.queue()
	if err != nil {
		return false, err
	}
	c.PolicyVersion = s.cfg.PolicyVersion
	changed := false
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		sub, err := SubscriberByUID(ctx, tx, uid)
		if err != nil {
			return err
		}
		at := now()
		keys, err := listKeys(ctx, tx, sub.ID, "pending")
		if err != nil || len(keys) == 0 {
			return err
		}
		changed = true
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'confirmed', updated_at = ? WHERE subscriber_id = ? AND status = 'pending'`, at, sub.ID); err != nil {
			return fmt.Errorf("confirm %s: %w", uid, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = 'active', confirmed_at = COALESCE(confirmed_at, ?), updated_at = ? WHERE id = ?`, at, at, sub.ID); err != nil {
			return fmt.Errorf("confirm %s: %w", uid, err)
		}
		// A person who erased themselves and now opts in again, proving it
		// by confirming, lifts their own suppression.
		hashes := suppressionHashes(sub.Email)
		if _, err := tx.ExecContext(ctx, `DELETE FROM suppressions WHERE email_hash IN (?`+strings.Repeat(", ?", len(hashes)-1)+`)`, hashes...); err != nil {
			return err
		}
		if err := appendConsent(ctx, tx, uid, sub.Email, ConsentConfirm, c, keys, at); err != nil {
			return err
		}
		_, err = q.InsertTx(ctx, tx.SQLTx(), MailArgs{Mail: mailWelcome, SubscriberUID: uid}, nil)
		return err
	})
	return changed, err
}

func listKeys(ctx context.Context, q store.Querier, subscriberID int64, status string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT l.key FROM subscriptions s JOIN newsletter_lists l ON l.id = s.list_id
		WHERE s.subscriber_id = ? AND s.status = ? ORDER BY l.key`, subscriberID, status)
	if err != nil {
		return nil, fmt.Errorf("lists of subscriber %d: %w", subscriberID, err)
	}
	return store.Column[string](rows)
}

// UpdateSettings sets a subscriber's name and exactly the lists they keep
// (by key). The settings link proves control of the mailbox, so chosen
// lists are confirmed at once. Each real change is a ledger entry.
func (s *Service) UpdateSettings(ctx context.Context, uid, name string, keep []string, c Consent) error {
	name, err := CheckName(name)
	if err != nil {
		return valid.Errorf("name", "%v", err)
	}
	c.PolicyVersion = s.cfg.PolicyVersion
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		sub, err := SubscriberByUID(ctx, tx, uid)
		if err != nil {
			return err
		}
		at := now()
		if name != sub.Name {
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET name = ?, updated_at = ? WHERE id = ?`, name, at, sub.ID); err != nil {
				return fmt.Errorf("settings of %s: %w", uid, err)
			}
			if err := appendConsent(ctx, tx, uid, sub.Email, ConsentName, c, nil, at); err != nil {
				return err
			}
		}
		before, err := listKeys(ctx, tx, sub.ID, "confirmed")
		if err != nil {
			return err
		}
		allowed := map[string]List{}
		pub, err := Lists(ctx, tx, true)
		if err != nil {
			return err
		}
		for _, l := range pub {
			allowed[l.Key] = l
		}
		mine, err := Memberships(ctx, tx, sub.ID)
		if err != nil {
			return err
		}
		for _, m := range mine {
			allowed[m.List.Key] = m.List
		}
		want := map[string]bool{}
		for _, k := range keep {
			if _, ok := allowed[k]; !ok {
				return valid.Errorf("lists", "%q is not a list you can choose", k)
			}
			want[k] = true
		}
		for k, l := range allowed {
			var err error
			if want[k] {
				_, err = tx.ExecContext(ctx, `
					INSERT INTO subscriptions (subscriber_id, list_id, status, updated_at) VALUES (?, ?, 'confirmed', ?)
					ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = 'confirmed', updated_at = excluded.updated_at
					WHERE subscriptions.status <> 'confirmed'`, sub.ID, l.ID, at)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', updated_at = ?
					WHERE subscriber_id = ? AND list_id = ? AND status <> 'unsubscribed'`, at, sub.ID, l.ID)
			}
			if err != nil {
				return fmt.Errorf("settings of %s: list %s: %w", uid, k, err)
			}
		}
		after, err := listKeys(ctx, tx, sub.ID, "confirmed")
		if err != nil {
			return err
		}
		if strings.Join(before, ",") == strings.Join(after, ",") {
			return nil
		}
		status := Active
		if len(after) == 0 {
			status = Unsubscribed
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = ?, confirmed_at = COALESCE(confirmed_at, ?), updated_at = ? WHERE id = ? AND status <> 'blocked'`, status, at, at, sub.ID); err != nil {
			return err
		}
		return appendConsent(ctx, tx, uid, sub.Email, ConsentLists, c, after, at)
	})
}

// Unsubscribe takes a subscriber off every list. Doing it twice is harmless
// and records nothing the second time.
func (s *Service) Unsubscribe(ctx context.Context, uid string, c Consent) error {
	c.PolicyVersion = s.cfg.PolicyVersion
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		sub, err := SubscriberByUID(ctx, tx, uid)
		if err != nil {
			return err
		}
		if sub.Status == Unsubscribed {
			return nil
		}
		return unsubscribeTx(ctx, tx, sub, ConsentUnsubscribe, c, Unsubscribed)
	})
}

func unsubscribeTx(ctx context.Context, tx *store.Tx, sub Subscriber, kind ConsentKind, c Consent, status SubscriberStatus) error {
	at := now()
	if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', updated_at = ? WHERE subscriber_id = ?`, at, sub.ID); err != nil {
		return fmt.Errorf("unsubscribe %s: %w", sub.UID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = ?, updated_at = ? WHERE id = ?`, status, at, sub.ID); err != nil {
		return fmt.Errorf("unsubscribe %s: %w", sub.UID, err)
	}
	return appendConsent(ctx, tx, sub.UID, sub.Email, kind, c, nil, at)
}

// Erase forgets a subscriber: the row, memberships and bounces go, the
// ledger keeps its entries with ip and user agent blanked (they prove
// consent existed, but no longer say who), and a suppression entry keeps
// the address's hash so no import can add it back.
func (s *Service) Erase(ctx context.Context, uid string, c Consent) error {
	c.PolicyVersion = s.cfg.PolicyVersion
	c.IP, c.UserAgent = "", ""
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		sub, err := SubscriberByUID(ctx, tx, uid)
		if err != nil {
			return err
		}
		at := now()
		if _, err := tx.ExecContext(ctx, `UPDATE consent_events SET ip = '', user_agent = '' WHERE subscriber_uid = ? AND (ip <> '' OR user_agent <> '')`, uid); err != nil {
			return fmt.Errorf("erase %s: blank ledger: %w", uid, err)
		}
		if err := appendConsent(ctx, tx, uid, sub.Email, ConsentErase, c, nil, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, 'erased', ?) ON CONFLICT (email_hash) DO NOTHING`, EmailHash(sub.Email), at); err != nil {
			return fmt.Errorf("erase %s: suppression: %w", uid, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE id = ?`, sub.ID); err != nil {
			return fmt.Errorf("erase %s: %w", uid, err)
		}
		return nil
	})
}

// Suppressed reports whether an address was erased, under any spelling
// of it.
func Suppressed(ctx context.Context, q store.Querier, email string) (bool, error) {
	var n int
	hashes := suppressionHashes(email)
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM suppressions WHERE email_hash IN (?`+strings.Repeat(", ?", len(hashes)-1)+`)`, hashes...).Scan(&n)
	return n > 0, err
}

// ImportRow is one address of an import.
type ImportRow struct {
	Email string
	Name  string
}

// ImportResult counts what an import did.
type ImportResult struct {
	Added, Existing, Suppressed int
	Invalid                     []string // "row 3: email …"
}

// Import adds confirmed subscribers to a list on the operator's word that
// they consented elsewhere (c.Form names the source). Erased addresses are
// skipped: their suppression entry wins.
func (s *Service) Import(ctx context.Context, listKey string, rows []ImportRow, c Consent) (ImportResult, error) {
	var res ImportResult
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		l, err := ListByKey(ctx, tx, listKey)
		if err != nil {
			return err
		}
		at := now()
		for i, r := range rows {
			email, err := NormalizeEmail(r.Email)
			if err != nil {
				res.Invalid = append(res.Invalid, fmt.Sprintf("row %d: %v", i+1, err))
				continue
			}
			name, err := CheckName(r.Name)
			if err != nil {
				res.Invalid = append(res.Invalid, fmt.Sprintf("row %d: name: %v", i+1, err))
				continue
			}
			if sup, err := Suppressed(ctx, tx, email); err != nil {
				return err
			} else if sup {
				res.Suppressed++
				continue
			}
			uid := newUID()
			var id int64
			var gotUID string
			err = tx.QueryRowContext(ctx, `
				INSERT INTO subscribers (uid, email, name, status, created_at, updated_at, confirmed_at)
				VALUES (?, ?, ?, 'active', ?, ?, ?)
				ON CONFLICT (email) DO UPDATE SET updated_at = subscribers.updated_at
				RETURNING id, uid`, uid, email, name, at, at, at).Scan(&id, &gotUID)
			if err != nil {
				return fmt.Errorf("import row %d (%s): %w", i+1, email, err)
			}
			if gotUID != uid {
				res.Existing++
			} else {
				res.Added++
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO subscriptions (subscriber_id, list_id, status, updated_at) VALUES (?, ?, 'confirmed', ?)
				ON CONFLICT (subscriber_id, list_id) DO NOTHING`, id, l.ID, at); err != nil {
				return fmt.Errorf("import row %d (%s): %w", i+1, email, err)
			}
			if err := appendConsent(ctx, tx, gotUID, email, ConsentImport, c, []string{l.Key}, at); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// DataExport is everything pressreview keeps about one subscriber, as the
// "download my data" button returns it.
type DataExport struct {
	Subscriber  Subscriber       `json:"subscriber"`
	Lists       []Membership     `json:"lists"`
	Consent     []ConsentEvent   `json:"consent"`
	Deliveries  []DeliveryRecord `json:"deliveries"`
	Bounces     []BounceRecord   `json:"bounces"`
	GeneratedAt time.Time        `json:"generated_at"`
}

// DeliveryRecord is one campaign as it reached a subscriber.
type DeliveryRecord struct {
	Campaign string        `json:"campaign"`
	State    DeliveryState `json:"state"`
	SentAt   *time.Time    `json:"sent_at,omitempty"`
}

// BounceRecord is one bounce or complaint.
type BounceRecord struct {
	Kind   string    `json:"kind"`
	Source string    `json:"source"`
	Detail string    `json:"detail,omitempty"`
	At     time.Time `json:"at"`
}

// Export gathers a subscriber's data.
func Export(ctx context.Context, q store.Querier, uid string) (*DataExport, error) {
	sub, err := SubscriberByUID(ctx, q, uid)
	if err != nil {
		return nil, err
	}
	x := &DataExport{Subscriber: sub, GeneratedAt: now()}
	if x.Lists, err = Memberships(ctx, q, sub.ID); err != nil {
		return nil, err
	}
	if x.Consent, err = ConsentHistory(ctx, q, uid); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `
		SELECT c.subject, d.state, d.sent_at FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
		WHERE d.subscriber_id = ? ORDER BY d.id`, sub.ID)
	if err != nil {
		return nil, fmt.Errorf("export %s: deliveries: %w", uid, err)
	}
	for rows.Next() {
		var d DeliveryRecord
		var sent sql.NullTime
		if err := rows.Scan(&d.Campaign, &d.State, &sent); err != nil {
			rows.Close()
			return nil, err
		}
		if sent.Valid {
			d.SentAt = &sent.Time
		}
		x.Deliveries = append(x.Deliveries, d)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT kind, source, detail, created_at FROM bounces WHERE subscriber_id = ? ORDER BY id`, sub.ID)
	if err != nil {
		return nil, fmt.Errorf("export %s: bounces: %w", uid, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b BounceRecord
		if err := rows.Scan(&b.Kind, &b.Source, &b.Detail, &b.At); err != nil {
			return nil, err
		}
		x.Bounces = append(x.Bounces, b)
	}
	return x, rows.Err()
}
