package newsletter

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// Config is everything the newsletter needs from the operator. Secrets come
// from the environment; internal/config is expected to fill this struct from
//
//	PRESSREVIEW_SITE_URL              SiteURL (https://… in production)
//	PRESSREVIEW_NEWSLETTER_KEY        SigningKey: HMAC key for links and form tokens (≥ 32 bytes)
//	PRESSREVIEW_NEWSLETTER_FROM       From, e.g. "Iran Media Review <review@example.org>"
//	PRESSREVIEW_NEWSLETTER_UNSUB_MAILBOX  UnsubscribeMailbox (mailto: target of List-Unsubscribe)
//	PRESSREVIEW_SMTP_HOST, _PORT, _USER, _PASS   SMTP relay
//	PRESSREVIEW_SMTP_TLS              "starttls" (default), "tls" (implicit) or "none"
//	PRESSREVIEW_NEWSLETTER_RATE       messages per second per sending process (0: unlimited)
//	PRESSREVIEW_NEWSLETTER_CONCURRENCY  SMTP connections per sending process (default 4)
//	PRESSREVIEW_DKIM_DOMAIN, _SELECTOR, PRESSREVIEW_DKIM_KEY (PEM, RSA or Ed25519)
//	PRESSREVIEW_NEWSLETTER_WEBHOOK_KEY  WebhookKey: HMAC key of the bounce webhook
//	PRESSREVIEW_NEWSLETTER_POLICY_VERSION  PolicyVersion recorded with every consent
type Config struct {
	SiteURL            string
	SigningKey         []byte
	From               string
	UnsubscribeMailbox string
	SMTP               SMTP
	DKIM               DKIM
	// Rate caps messages per second per sending process; 0 is unlimited.
	Rate float64
	// Concurrency is how many SMTP connections one process uses at once,
	// for all campaigns together. Default 4.
	Concurrency int
	// Batch is how many deliveries a sender claims at a time (one query
	// for ten rows). It does not widen what a crash can repeat: that is
	// one message per connection (see the package comment). Default 10.
	Batch int
	// Lease is how long a claim lasts before another sender may take the
	// rows over; it must exceed the time one batch takes. Default 2 minutes.
	Lease time.Duration
	// RetryBase is the first backoff after a temporary (4xx) failure; it
	// doubles with each attempt up to RetryMax. Defaults 1 minute and 1 hour.
	RetryBase, RetryMax time.Duration
	// MaxAttempts bounds temporary failures before a delivery is failed.
	// Default 8.
	MaxAttempts int
	// ConfirmTTL is how long a confirmation link works. Default 72 hours.
	ConfirmTTL time.Duration
	// SettingsTTL is how long a settings link in an email works. Default 180
	// days. Unsubscribe links never expire.
	SettingsTTL   time.Duration
	PolicyVersion string
	WebhookKey    []byte
	Bounce        BouncePolicy
}

// SMTP is the relay that carries every message.
type SMTP struct {
	Host string
	Port int
	User string
	Pass string
	// TLS is "starttls" (required), "tls" (implicit TLS) or "none".
	TLS     string
	Timeout time.Duration
}

// DKIM signs outgoing mail when Key is set.
type DKIM struct {
	Domain   string
	Selector string
	Key      []byte // PEM
}

// BouncePolicy says when bounces and complaints stop mail to a subscriber.
type BouncePolicy struct {
	// HardLimit hard bounces block the subscriber. Default 1.
	HardLimit int
	// SoftLimit soft bounces block the subscriber. Default 5.
	SoftLimit int
	// ComplaintUnsubscribes unsubscribes on a spam complaint (else blocks).
	ComplaintUnsubscribes bool
}

func (c *Config) withDefaults() Config {
	d := *c
	if d.Concurrency <= 0 {
		d.Concurrency = 4
	}
	if d.Batch <= 0 {
		d.Batch = 10
	}
	if d.Lease <= 0 {
		d.Lease = 2 * time.Minute
	}
	if d.RetryBase <= 0 {
		d.RetryBase = time.Minute
	}
	if d.RetryMax <= 0 {
		d.RetryMax = time.Hour
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 8
	}
	if d.ConfirmTTL <= 0 {
		d.ConfirmTTL = 72 * time.Hour
	}
	if d.SettingsTTL <= 0 {
		d.SettingsTTL = 180 * 24 * time.Hour
	}
	if d.SMTP.TLS == "" {
		d.SMTP.TLS = "starttls"
	}
	if d.SMTP.Timeout <= 0 {
		d.SMTP.Timeout = 30 * time.Second
	}
	if d.Bounce.HardLimit <= 0 {
		d.Bounce.HardLimit = 1
	}
	if d.Bounce.SoftLimit <= 0 {
		d.Bounce.SoftLimit = 5
	}
	if d.PolicyVersion == "" {
		d.PolicyVersion = "1"
	}
	return d
}

// Validate names the first setting that is missing or wrong.
func (c *Config) Validate() error {
	u, err := url.Parse(c.SiteURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("newsletter: site URL %q: want an absolute http(s) URL", c.SiteURL)
	}
	if len(c.SigningKey) < 32 {
		return errors.New("newsletter: signing key: need at least 32 bytes (PRESSREVIEW_NEWSLETTER_KEY)")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("newsletter: from address %q: %v", c.From, err)
	}
	if c.SMTP.Host == "" || c.SMTP.Port <= 0 {
		return fmt.Errorf("newsletter: SMTP relay %s:%d: host and port are required", c.SMTP.Host, c.SMTP.Port)
	}
	switch c.SMTP.TLS {
	case "", "starttls", "tls", "none":
	default:
		return fmt.Errorf("newsletter: SMTP TLS %q: want starttls, tls or none", c.SMTP.TLS)
	}
	if len(c.DKIM.Key) > 0 && (c.DKIM.Domain == "" || c.DKIM.Selector == "") {
		return errors.New("newsletter: DKIM: a key needs a domain and a selector")
	}
	if c.Rate < 0 {
		return fmt.Errorf("newsletter: rate %v: must not be negative", c.Rate)
	}
	return nil
}

// fromDomain is the domain of the From address, used for Message-IDs,
// List-Id and the default unsubscribe mailbox.
func (c *Config) fromDomain() string {
	a, err := mail.ParseAddress(c.From)
	if err != nil {
		return "localhost"
	}
	return a.Address[strings.LastIndexByte(a.Address, '@')+1:]
}
