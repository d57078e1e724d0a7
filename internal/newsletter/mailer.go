package newsletter

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/textproto"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	mail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// signedHeaders are the header fields the DKIM signature covers: RFC 6376
// section 5.4.1's recommendations, the list headers (RFC 8058 asks for the
// one-click pair) and the MIME headers. A field a message lacks is signed
// as absent, so nobody can add it on the way.
var signedHeaders = []string{
	"From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID",
	"MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Precedence",
	"List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
}

// mailer dials the SMTP relay and signs with DKIM when a key is set. Each
// sender holds one connection and sends message after message over it.
//
// go-mail builds the messages and opens the sessions; the SMTP transaction
// itself (MAIL, RCPT, DATA) is run here, for two reasons: the DKIM
// signature is computed by go-msgauth over the exact bytes that go on the
// wire, and the caller can record a delivery as being sent right before
// DATA, the one point after which a crash leaves it unknown whether the
// relay took the message.
type mailer struct {
	cfg  *Config
	dkim *dkim.SignOptions
}

func newMailer(cfg *Config) (*mailer, error) {
	m := &mailer{cfg: cfg}
	if len(cfg.DKIM.Key) > 0 {
		key, err := mail.PrivKeyFromPEM(cfg.DKIM.Key)
		if err != nil {
			return nil, fmt.Errorf("newsletter: DKIM key: %w", err)
		}
		m.dkim = &dkim.SignOptions{
			Domain: cfg.DKIM.Domain, Selector: cfg.DKIM.Selector, Signer: key, Hash: crypto.SHA256,
			HeaderCanonicalization: dkim.CanonicalizationRelaxed,
			BodyCanonicalization:   dkim.CanonicalizationRelaxed,
			HeaderKeys:             signedHeaders,
		}
		// Sign once now, so that a key dkim cannot use fails at start.
		if err := dkim.Sign(&bytes.Buffer{}, bytes.NewReader([]byte("From: a@b.example\r\n\r\n")), m.dkim); err != nil {
			return nil, fmt.Errorf("newsletter: DKIM: %w", err)
		}
	}
	return m, nil
}

// conn is one SMTP session.
type conn struct {
	session *smtp.Client
	timeout time.Duration // for each command and for the message's data
}

// Close ends the session (QUIT) and the connection; a connection that
// does not answer QUIT is closed all the same.
func (c *conn) Close() error {
	if !c.session.HasConnection() {
		return nil
	}
	if err := c.session.Quit(); err != nil {
		return errors.Join(err, c.session.Close())
	}
	return nil
}

// dial opens one SMTP session.
func (m *mailer) dial(ctx context.Context) (*conn, error) {
	c := m.cfg.SMTP
	opts := []mail.Option{
		mail.WithPort(c.Port), mail.WithTimeout(c.Timeout), mail.WithHELO(m.cfg.fromDomain()),
	}
	switch c.TLS {
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case "tls":
		opts = append(opts, mail.WithSSL())
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if c.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(c.User), mail.WithPassword(c.Pass))
	}
	cl, err := mail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP %s:%d: %w", c.Host, c.Port, err)
	}
	s, err := cl.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, &relayError{fmt.Errorf("SMTP %s:%d: %w", c.Host, c.Port, err)}
	}
	return &conn{session: s, timeout: c.Timeout}, nil
}

// wire is the message as it goes out: go-mail's bytes, DKIM-signed.
func (m *mailer) wire(msg *mail.Msg) ([]byte, error) {
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		return nil, fmt.Errorf("write message: %w", err)
	}
	if m.dkim == nil {
		return raw.Bytes(), nil
	}
	var signed bytes.Buffer
	if err := dkim.Sign(&signed, &raw, m.dkim); err != nil {
		return nil, fmt.Errorf("DKIM sign: %w", err)
	}
	return signed.Bytes(), nil
}

// send runs one SMTP transaction on c. beforeData, when not nil, runs once
// the relay has taken the recipients and right before DATA; its error
// aborts the transaction (RSET) and is returned as is. A nil error means
// the relay answered 250 to the message.
func (m *mailer) send(c *conn, msg *mail.Msg, beforeData func() error) error {
	from, err := msg.GetSender(false)
	if err != nil {
		return &smtpError{stage: "sender", err: err, permanent: true}
	}
	rcpts, err := msg.GetRecipients()
	if err != nil {
		return &smtpError{stage: "recipients", err: err, permanent: true}
	}
	data, err := m.wire(msg)
	if err != nil {
		return err
	}
	s := c.session
	if err := s.UpdateDeadline(c.timeout); err != nil {
		return &smtpError{stage: "connection", err: err}
	}
	if err := s.Mail(from); err != nil {
		_ = s.Reset()
		return &smtpError{stage: "MAIL FROM", err: err}
	}
	for _, r := range rcpts {
		if err := s.Rcpt(r); err != nil {
			_ = s.Reset()
			return &smtpError{stage: "RCPT TO", err: err, rcpt: true}
		}
	}
	if beforeData != nil {
		if err := beforeData(); err != nil {
			_ = s.Reset()
			return err
		}
	}
	// The message's data gets a fresh allowance: beforeData may have
	// waited for the database.
	if err := s.UpdateDeadline(c.timeout); err != nil {
		return &smtpError{stage: "connection", err: err}
	}
	w, err := s.Data()
	if err != nil {
		return &smtpError{stage: "DATA", err: err}
	}
	if _, err := w.Write(data); err != nil {
		return &smtpError{stage: "DATA", err: err}
	}
	if err := w.Close(); err != nil {
		return &smtpError{stage: "end of DATA", err: err}
	}
	return nil
}

// sendOne dials, sends one message and hangs up.
func (m *mailer) sendOne(ctx context.Context, msg *mail.Msg) error {
	c, err := m.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return m.send(c, msg, nil)
}

// ErrRelay matches (errors.Is) the errors of a relay that could not be
// reached or refused a message, as opposed to errors of pressreview's own.
var ErrRelay = errors.New("the SMTP relay failed")

type relayError struct{ err error }

func (e *relayError) Error() string        { return e.err.Error() }
func (e *relayError) Unwrap() error        { return e.err }
func (e *relayError) Is(target error) bool { return target == ErrRelay }

// smtpError is a failed step of an SMTP transaction.
type smtpError struct {
	stage     string
	err       error
	rcpt      bool // the relay refused a recipient
	permanent bool // no relay would take this message
}

func (e *smtpError) Error() string        { return e.stage + ": " + e.err.Error() }
func (e *smtpError) Unwrap() error        { return e.err }
func (e *smtpError) Is(target error) bool { return target == ErrRelay }

// outcome classifies what the relay said about one message.
type outcome int

const (
	delivered outcome = iota
	// temporary: 4xx, a timeout, a broken connection — try again later.
	temporary
	// permanent: 5xx or an address the relay cannot take.
	permanent
)

// classify reads a send error. A 5xx reply to RCPT TO is a hard bounce; so
// the caller learns whether the recipient was refused.
func classify(err error) (o outcome, code int, rcptRefused bool) {
	if err == nil {
		return delivered, 0, false
	}
	var se *smtpError
	if errors.As(err, &se) && se.permanent {
		return permanent, 0, false
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		code = te.Code
		if code >= 500 {
			return permanent, code, se != nil && se.rcpt
		}
	}
	// 4xx, timeouts, refused and broken connections: the relay may be back soon.
	return temporary, code, false
}
