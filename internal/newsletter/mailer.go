package newsletter

import (
	"context"
	"errors"
	"fmt"

	mail "github.com/wneessen/go-mail"
)

// mailer dials the SMTP relay and signs with DKIM when a key is set. Each
// sender holds one connection and sends its batches over it.
type mailer struct {
	cfg  *Config
	dkim *mail.DKIMSigner
}

func newMailer(cfg *Config) (*mailer, error) {
	m := &mailer{cfg: cfg}
	if len(cfg.DKIM.Key) > 0 {
		key, err := mail.PrivKeyFromPEM(cfg.DKIM.Key)
		if err != nil {
			return nil, fmt.Errorf("newsletter: DKIM key: %w", err)
		}
		m.dkim = mail.NewDKIMSigner(cfg.DKIM.Domain, cfg.DKIM.Selector, key)
		// RFC 8058 asks that the one-click headers be covered by the
		// signature. The list is kept short on purpose: go-mail v0.8.1 folds
		// a long h= tag inside a header name, and its relaxed
		// canonicalization then disagrees with verifiers (the signature
		// fails), so the h= tag must fit on one line.
		m.dkim.SignHeaders("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post")
		if err := m.dkim.ValidateConfig(); err != nil {
			return nil, fmt.Errorf("newsletter: DKIM: %w", err)
		}
	}
	return m, nil
}

// dial opens one SMTP session. NOOP before and RSET after every message
// are skipped: each costs a round trip and a fresh MAIL FROM starts a new
// transaction anyway.
func (m *mailer) dial(ctx context.Context) (*mail.Client, error) {
	c := m.cfg.SMTP
	opts := []mail.Option{
		mail.WithPort(c.Port), mail.WithTimeout(c.Timeout), mail.WithoutNoop(), mail.WithoutRset(),
		mail.WithHELO(m.cfg.fromDomain()),
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
	if m.dkim != nil {
		opts = append(opts, mail.WithAlwaysDKIMSign(m.dkim))
	}
	cl, err := mail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP %s:%d: %w", c.Host, c.Port, err)
	}
	if err := cl.DialWithContext(ctx); err != nil {
		return nil, &relayError{fmt.Errorf("SMTP %s:%d: %w", c.Host, c.Port, err)}
	}
	return cl, nil
}

// ErrRelay matches (errors.Is) the errors of a relay that could not be
// reached or refused a message, as opposed to errors of pressreview's own.
var ErrRelay = errors.New("the SMTP relay failed")

type relayError struct{ err error }

func (e *relayError) Error() string        { return e.err.Error() }
func (e *relayError) Unwrap() error        { return e.err }
func (e *relayError) Is(target error) bool { return target == ErrRelay }

// outcome classifies what the relay said about one message.
type outcome int

const (
	delivered outcome = iota
	// temporary: 4xx, a timeout, a broken connection — try again later.
	temporary
	// permanent: 5xx or an address the relay cannot take.
	permanent
)

// classify reads a go-mail send error. A 5xx reply to RCPT TO is a hard
// bounce; so the caller learns whether the recipient was refused.
func classify(err error) (o outcome, code int, rcptRefused bool) {
	if err == nil {
		return delivered, 0, false
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		code = se.ErrorCode()
		switch {
		case code >= 500:
			return permanent, code, se.Reason == mail.ErrSMTPRcptTo
		case se.Reason == mail.ErrGetRcpts || se.Reason == mail.ErrGetSender:
			return permanent, code, false
		}
	}
	// Timeouts, refused and broken connections: the relay may be back soon.
	return temporary, code, false
}
