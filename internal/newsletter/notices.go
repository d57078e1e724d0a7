package newsletter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/valid"
)

// NoticeArgs sends one transactional notice (see Notify). The message
// travels in the job itself, so it survives a restart without a table of
// its own.
type NoticeArgs struct {
	// Key is the hex SHA-256 of the message; it alone makes the job unique.
	Key     string `json:"key" river:"unique"`
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html,omitempty"`
}

// Kind names the job.
func (NoticeArgs) Kind() string { return "newsletter_notice" }

// InsertOpts puts the job on the newsletter queue, unique by its key:
// River's default unique states include completed, so while the finished
// job is retained (24 hours by default) the same notice is not queued
// again.
func (NoticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type noticeWorker struct {
	river.WorkerDefaults[NoticeArgs]
	s *Service
}

func (w *noticeWorker) Work(ctx context.Context, job *river.Job[NoticeArgs]) error {
	a := job.Args
	m, err := w.s.newMsg(recipient{email: a.To}, a.Subject, a.HTML, a.Text)
	if err != nil {
		return river.JobCancel(fmt.Errorf("notice to %s: %w", a.To, err))
	}
	m.SetMessageIDWithValue(NoticeMessageID(a.Key, w.s.cfg.fromDomain()))
	return w.s.sendJobMail(ctx, m, fmt.Sprintf("notice %q to %s", a.Subject, a.To))
}

// noticeKey is the notice's identity: the same recipient, subject and
// bodies give the same key, whatever request or retry produced them.
func noticeKey(to, subject, text, html string) string {
	h := sha256.New()
	for _, part := range []string{to, subject, text, html} {
		h.Write([]byte(part))
		h.Write([]byte{0}) // so that moving text between parts changes the key
	}
	return hex.EncodeToString(h.Sum(nil))
}

// NoticeMessageID is the Message-ID of a notice (without angle brackets),
// derived from its key so that a resend after a crash carries the same one.
func NoticeMessageID(key, domain string) string {
	return "notice." + key[:32] + "@" + domain
}

// Notify queues one transactional message — an event registration's
// confirmation, a saved-search digest — and returns once it is stored in
// the job queue; a worker sends it through the campaigns' SMTP relay, with
// their DKIM signature, and retries while the relay is down or answers 4xx.
// html may be empty for a plain-text message.
//
// It is a notice, not a campaign: it goes to the address given, whether or
// not it subscribes to anything, and carries no List-Unsubscribe or
// List-Id, as RFC 8058 and bulk-mail rules are for list mail.
//
// Notify is idempotent: the job is unique by a hash of the address,
// subject and bodies, so a retried request (or a caller that runs twice)
// queues it once. Two notices meant to differ must differ in content, for
// example in the date of the digest. The one repeat it cannot rule out is
// SMTP's: a process killed after the relay accepted the message but before
// the job was marked done sends it again once River rescues the job — with
// the same Message-ID, so receivers can drop it.
func (s *Service) Notify(ctx context.Context, to, subject, text, html string) error {
	q, err := s.queue()
	if err != nil {
		return err
	}
	email, err := NormalizeEmail(to)
	if err != nil {
		return valid.Errorf("to", "%v", err)
	}
	if strings.TrimSpace(subject) == "" {
		return valid.Errorf("subject", "is required")
	}
	if strings.ContainsAny(subject, "\r\n") {
		return valid.Errorf("subject", "must be one line")
	}
	if strings.TrimSpace(text) == "" {
		// Every message has a plain-text part: some readers see only it, and
		// spam filters distrust HTML alone.
		return valid.Errorf("text", "a notice needs a plain-text body")
	}
	args := NoticeArgs{Key: noticeKey(email, subject, text, html), To: email, Subject: subject, Text: text, HTML: html}
	if _, err := q.Insert(ctx, args, nil); err != nil {
		return fmt.Errorf("queue notice %q to %s: %w", subject, email, err)
	}
	return nil
}
