package newsletter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/store"
)

// SendArgs wakes one sender of a campaign. It names no rows: the delivery
// ledger is the work list, so duplicate or stale jobs do no harm.
type SendArgs struct {
	CampaignID int64 `json:"campaign_id"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "newsletter_send" }

// InsertOpts puts the job on the senders' queue.
func (SendArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: SendQueue} }

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	return w.s.runSender(ctx, job.Args.CampaignID)
}

// runSlice bounds one job run; the job then snoozes and comes straight
// back, so no run nears the queue's job timeout on a large campaign.
const runSlice = time.Minute

// shortWait is the longest wait a sender sleeps through instead of snoozing.
const shortWait = 3 * time.Second

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// runSender claims and sends batches until the campaign has nothing left
// to claim, then either finishes the campaign or snoozes until the
// earliest lease (a live claim, a crashed sender's claim, or a backoff)
// lapses.
func (s *Service) runSender(ctx context.Context, id int64) error {
	stop := time.Now().Add(runSlice)
	var cl *conn
	defer func() {
		if cl != nil {
			_ = cl.Close()
		}
	}()
	var cc *compiled
	for {
		c, err := LoadCampaign(ctx, s.db, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if c.Status != Sending {
			return nil // paused, cancelled or finished
		}
		if cc == nil {
			l, err := ListByKey(ctx, s.db, c.List)
			if err != nil {
				return err
			}
			if cc, err = compileCampaign(c, l.Name); err != nil {
				return river.JobCancel(err)
			}
		}
		batch, err := s.claim(ctx, c)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			wait, done, err := s.settle(ctx, id)
			if err != nil || done {
				return err
			}
			// A short wait is slept here: a snoozed job only comes back when
			// the queue's scheduler next runs, seconds later.
			if wait > shortWait || time.Now().Add(wait).After(stop) {
				return river.JobSnooze(wait)
			}
			if err := sleep(ctx, wait); err != nil {
				return river.JobSnooze(0)
			}
			continue
		}
		var relayDown bool
		cl, relayDown, err = s.sendBatch(ctx, cc, cl, batch)
		if err != nil {
			return err
		}
		if relayDown {
			return river.JobSnooze(s.cfg.RetryBase)
		}
		if time.Now().After(stop) {
			return river.JobSnooze(0)
		}
	}
}

// claimed is one claimed delivery with its recipient. ok is false when the
// subscriber left (or was erased) after the campaign started.
type claimed struct {
	id       int64
	attempts int
	subID    int64
	rcpt     recipient
	ok       bool
}

// claim leases up to Batch rows to this process: first rows in sending
// whose lease lapsed (a dead sender's message in flight, or a finished
// backoff), then queued ones nobody holds. Queued rows stay queued under
// the lease; a row moves to sending only right before its message's DATA
// (see sendBatch). Each claim is a single UPDATE, so two senders never
// take the same row while its lease holds.
func (s *Service) claim(ctx context.Context, c Campaign) ([]claimed, error) {
	at := now()
	until := at.Add(s.cfg.Lease)
	skip := ""
	if s.db.Dialect() == store.Postgres {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	var ids []any
	for _, pick := range []struct {
		where string
		args  []any
	}{
		{`state = 'sending' AND lease_until < ?`, []any{at}},
		{`state = 'queued' AND (lease_until IS NULL OR lease_until < ?)`, []any{at}},
	} {
		limit := s.cfg.Batch - len(ids)
		if limit == 0 {
			break
		}
		args := append([]any{until, s.worker, c.ID}, pick.args...)
		args = append(args, limit)
		rows, err := s.db.QueryContext(ctx, `
			UPDATE deliveries SET lease_until = ?, claimed_by = ?
			WHERE id IN (SELECT id FROM deliveries WHERE campaign_id = ? AND `+pick.where+` ORDER BY id LIMIT ?`+skip+`)
			RETURNING id`, args...)
		if err != nil {
			return nil, fmt.Errorf("campaign %d: claim deliveries: %w", c.ID, err)
		}
		got, err := store.Column[int64](rows)
		if err != nil {
			return nil, fmt.Errorf("campaign %d: claim deliveries: %w", c.ID, err)
		}
		for _, id := range got {
			ids = append(ids, id) // []any: they become the IN (…) arguments below
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT d.id, d.attempts, COALESCE(s.id, 0), COALESCE(s.uid, ''), COALESCE(s.email, ''), COALESCE(s.name, ''),
		       COALESCE(s.status = 'active' AND ss.status = 'confirmed', FALSE)
		FROM deliveries d
		LEFT JOIN subscribers s ON s.id = d.subscriber_id
		LEFT JOIN subscriptions ss ON ss.subscriber_id = s.id AND ss.list_id = ?
		WHERE d.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY d.id`, append([]any{c.ListID}, ids...)...)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: recipients of claimed deliveries: %w", c.ID, err)
	}
	defer rows.Close()
	out := make([]claimed, 0, len(ids))
	for rows.Next() {
		var d claimed
		if err := rows.Scan(&d.id, &d.attempts, &d.subID, &d.rcpt.uid, &d.rcpt.email, &d.rcpt.name, &d.ok); err != nil {
			return nil, fmt.Errorf("campaign %d: recipients: %w", c.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// errClaimLost: another sender took the row over (this one's lease lapsed).
var errClaimLost = errors.New("the delivery was claimed by another sender")

// sendBatch sends the claimed rows over cl (dialing when needed) and
// records every outcome, one message at a time: a row moves to sending in
// its own statement right before DATA and to sent in its own statement
// right after the relay's 250. So at any moment at most one row per
// connection is in the state where a crash cannot tell whether the relay
// took it. relayDown reports that the relay could not be reached; the
// rest of the batch is then postponed.
func (s *Service) sendBatch(ctx context.Context, cc *compiled, cl *conn, batch []claimed) (_ *conn, relayDown bool, err error) {
	for i, d := range batch {
		if !d.ok {
			if err := s.fail(ctx, d, "the subscriber left the list before this campaign reached them"); err != nil {
				return cl, false, err
			}
			continue
		}
		msg, err := s.campaignMsg(cc, d.rcpt)
		var ae *addressError
		if errors.As(err, &ae) {
			if err := s.fail(ctx, d, err.Error()); err != nil {
				return cl, false, err
			}
			continue
		} else if err != nil {
			return cl, false, err
		}
		if err := s.limit.wait(ctx); err != nil {
			return cl, false, err
		}
		if cl == nil {
			if cl, err = s.mailer.dial(ctx); err != nil {
				for _, rest := range batch[i:] {
					if rerr := s.retryLater(ctx, rest, err); rerr != nil {
						return nil, true, rerr
					}
				}
				return nil, true, nil
			}
		}
		var markErr error
		serr := s.mailer.send(cl, msg, func() error {
			markErr = s.markSending(ctx, d)
			return markErr
		})
		if errors.Is(markErr, errClaimLost) {
			continue
		} else if markErr != nil {
			return cl, false, markErr
		}
		switch o, code, rcptRefused := classify(serr); o {
		case delivered:
			if err := s.markSent(ctx, d); err != nil {
				return cl, false, err
			}
		case temporary:
			// The connection may be unusable (timeout, 421, broken pipe);
			// a fresh one costs little.
			_ = cl.Close()
			cl = nil
			if err := s.retryLater(ctx, d, serr); err != nil {
				return nil, false, err
			}
		case permanent:
			if err := s.fail(ctx, d, serr.Error()); err != nil {
				return cl, false, err
			}
			if rcptRefused {
				if err := s.RecordBounce(ctx, Bounce{Email: d.rcpt.email, CampaignID: cc.c.ID, Kind: HardBounce,
					Source: "smtp", Detail: fmt.Sprintf("%d %s", code, serr)}); err != nil {
					return cl, false, err
				}
			}
		}
	}
	return cl, false, nil
}

// markSending records that the message of d is about to be handed over:
// the relay has taken the recipient, DATA comes next. Its lease restarts,
// so that it covers the transfer.
func (s *Service) markSending(ctx context.Context, d claimed) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE deliveries SET state = 'sending', lease_until = ?
		WHERE id = ? AND claimed_by = ? AND state IN ('queued', 'sending')`, now().Add(s.cfg.Lease), d.id, s.worker)
	if err != nil {
		return fmt.Errorf("record delivery %d as sending: %w", d.id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errClaimLost
	}
	return nil
}

// markSent records the relay's acceptance of one message.
func (s *Service) markSent(ctx context.Context, d claimed) error {
	// A fresh context: the acknowledgement of a message the relay took
	// must be recorded even when the job is being cancelled.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err := s.db.ExecContext(ctx, `
		UPDATE deliveries SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = '', lease_until = NULL
		WHERE id = ? AND state = 'sending'`, now(), d.id)
	if err != nil {
		return fmt.Errorf("record delivery %d as sent: %w", d.id, err)
	}
	return nil
}

func (s *Service) fail(ctx context.Context, d claimed, why string) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE deliveries SET state = 'failed', attempts = attempts + 1, last_error = ?, lease_until = NULL
		WHERE id = ? AND state IN ('queued', 'sending')`, truncate(why, maxErrorBytes), d.id)
	if err != nil {
		return fmt.Errorf("record failed delivery %d: %w", d.id, err)
	}
	return nil
}

// retryLater pushes a row's lease to the end of an exponential backoff,
// in whatever state it is (queued when the relay could not be reached,
// sending when it failed during the transaction); after MaxAttempts it
// fails.
func (s *Service) retryLater(ctx context.Context, d claimed, cause error) error {
	attempts := d.attempts + 1
	if attempts >= s.cfg.MaxAttempts {
		return s.fail(ctx, d, fmt.Sprintf("gave up after %d attempts: %v", attempts, cause))
	}
	_, err := s.db.ExecContext(ctx, `
		UPDATE deliveries SET attempts = ?, last_error = ?, lease_until = ?
		WHERE id = ? AND state IN ('queued', 'sending')`, attempts, truncate(cause.Error(), maxErrorBytes), now().Add(s.backoff(attempts)), d.id)
	if err != nil {
		return fmt.Errorf("postpone delivery %d: %w", d.id, err)
	}
	return nil
}

func (s *Service) backoff(attempts int) time.Duration {
	d := s.cfg.RetryBase
	for i := 1; i < attempts && d < s.cfg.RetryMax; i++ {
		d *= 2
	}
	return min(d, s.cfg.RetryMax)
}

// settle finishes the campaign when no row is queued or sending, and
// otherwise says how long to wait before looking again.
func (s *Service) settle(ctx context.Context, id int64) (time.Duration, bool, error) {
	at := now()
	res, err := s.db.ExecContext(ctx, `
		UPDATE campaigns SET status = 'finished', finished_at = ?
		WHERE id = ? AND status = 'sending'
		  AND NOT EXISTS (SELECT 1 FROM deliveries WHERE campaign_id = ? AND state IN ('queued', 'sending'))`, at, id, id)
	if err != nil {
		return 0, false, fmt.Errorf("campaign %d: finish: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return 0, true, nil
	}
	var next *time.Time
	var nt nullTime
	// Every row still queued or sending is held by a lease (claim found
	// none free): the earliest to lapse is when to look again.
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(lease_until) FROM deliveries WHERE campaign_id = ? AND state IN ('queued', 'sending')`, id).Scan(&nt); err != nil {
		return 0, false, fmt.Errorf("campaign %d: next lease: %w", id, err)
	}
	if nt.Valid {
		next = &nt.Time
	}
	wait := 200 * time.Millisecond // rows still queued: another sender is on them
	if next != nil && next.Sub(at) > wait {
		wait = next.Sub(at) + 10*time.Millisecond
	}
	return wait, false, nil
}

// limiter spaces messages evenly to cap the rate of one process.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newLimiter(perSecond float64) *limiter {
	if perSecond <= 0 {
		return nil
	}
	return &limiter{interval: time.Duration(float64(time.Second) / perSecond)}
}

func (l *limiter) wait(ctx context.Context) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	t := time.Now()
	if l.next.After(t) {
		t = l.next
	}
	l.next = t.Add(l.interval)
	l.mu.Unlock()
	if d := time.Until(t); d > 0 {
		return sleep(ctx, d)
	}
	return nil
}
