package newsletter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	mail "github.com/wneessen/go-mail"

	"github.com/pressreview/pressreview/internal/store"
)

// StartArgs starts a scheduled campaign at its time.
type StartArgs struct {
	CampaignID int64 `json:"campaign_id"`
}

// Kind names the job.
func (StartArgs) Kind() string { return "newsletter_start" }

// InsertOpts puts the job on the newsletter queue.
func (StartArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: Queue} }

type startWorker struct {
	river.WorkerDefaults[StartArgs]
	s *Service
}

// Work starts the campaign if it is still scheduled and its time has come;
// a campaign rescheduled later leaves this job snoozing until then.
func (w *startWorker) Work(ctx context.Context, job *river.Job[StartArgs]) error {
	c, err := LoadCampaign(ctx, w.s.db, job.Args.CampaignID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.Status != Scheduled || c.SendAt == nil {
		return nil
	}
	if wait := time.Until(*c.SendAt); wait > time.Second {
		return river.JobSnooze(wait)
	}
	_, err = w.s.Start(ctx, c.ID)
	return err
}

// The transactional mails.
const (
	mailConfirm  = "confirm"
	mailWelcome  = "welcome"
	mailSettings = "settings"
)

var mailSubjects = map[string]string{
	mailConfirm:  "Please confirm your subscription",
	mailWelcome:  "Your subscription is confirmed",
	mailSettings: "Your subscription settings",
}

// MailArgs sends one transactional mail (confirmation, welcome, settings
// link). River retries it when the relay is down.
type MailArgs struct {
	Mail          string `json:"mail"` // confirm, welcome or settings
	SubscriberUID string `json:"subscriber"`
}

// Kind names the job.
func (MailArgs) Kind() string { return "newsletter_mail" }

// InsertOpts puts the job on the newsletter queue.
func (MailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 10}
}

type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	s *Service
}

func (w *mailWorker) Work(ctx context.Context, job *river.Job[MailArgs]) error {
	return w.s.sendTransactional(ctx, job.Args.Mail, job.Args.SubscriberUID, job.ID)
}

// transactionalMessageID is the Message-ID of a transactional mail
// (without angle brackets): in the sending domain, like a campaign's, and
// derived from the job, so that a retry of the job repeats it.
func transactionalMessageID(kind, uid string, jobID int64, domain string) string {
	return kind + "." + uid + "." + strconv.FormatInt(jobID, 36) + "@" + domain
}

type transactionalData struct {
	Name, Lists                             string
	ConfirmURL, SettingsURL, UnsubscribeURL string
}

func (s *Service) sendTransactional(ctx context.Context, kind, uid string, jobID int64) error {
	sub, err := SubscriberByUID(ctx, s.db, uid)
	if errors.Is(err, store.ErrNotFound) {
		return nil // erased in the meantime
	}
	if err != nil {
		return err
	}
	status := "confirmed"
	if kind == mailConfirm {
		status = "pending"
	}
	ms, err := Memberships(ctx, s.db, sub.ID)
	if err != nil {
		return err
	}
	var names []string
	for _, m := range ms {
		if m.Status == status {
			names = append(names, m.List.Name)
		}
	}
	if len(names) == 0 {
		return nil // confirmed or unsubscribed before the mail went out
	}
	at := now()
	d := transactionalData{
		Name: sub.Name, Lists: strings.Join(names, ", "),
		ConfirmURL:     s.links.Confirm(uid, at),
		SettingsURL:    s.links.Settings(uid, 0, at),
		UnsubscribeURL: s.links.Unsubscribe(uid, 0, at),
	}
	var hb, tb bytes.Buffer
	if err := htmlMail.ExecuteTemplate(&hb, kind, d); err != nil {
		return river.JobCancel(fmt.Errorf("%s mail: %w", kind, err))
	}
	if err := textMail.ExecuteTemplate(&tb, kind, d); err != nil {
		return river.JobCancel(fmt.Errorf("%s mail: %w", kind, err))
	}
	m, err := s.newMsg(recipient{uid: uid, email: sub.Email, name: sub.Name}, mailSubjects[kind], hb.String(), tb.String())
	if err != nil {
		return river.JobCancel(err)
	}
	m.SetMessageIDWithValue(transactionalMessageID(kind, uid, jobID, s.cfg.fromDomain()))
	return s.sendJobMail(ctx, m, kind+" mail to "+sub.Email)
}

// sendJobMail sends one message from a job over a connection of its own,
// and tells River what to do on failure: a permanent refusal (5xx) cancels
// the job, since no retry will change the answer; anything else (4xx, the
// relay down) returns the error, and River retries with backoff.
func (s *Service) sendJobMail(ctx context.Context, m *mail.Msg, what string) error {
	if err := s.mailer.sendOne(ctx, m); err != nil {
		if o, _, _ := classify(err); o == permanent {
			return river.JobCancel(fmt.Errorf("%s: %w", what, err))
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
