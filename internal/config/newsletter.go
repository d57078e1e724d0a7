package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/pressreview/pressreview/internal/newsletter"
)

// Newsletter reads the newsletter's settings, secrets included, from the
// environment only: keys and passwords never appear on a command line,
// where other users of the machine could read them.
//
//	PRESSREVIEW_NEWSLETTER_KEY             HMAC key for signed links and form tokens (≥ 32 bytes), required
//	PRESSREVIEW_NEWSLETTER_FROM            From address (default "pressreview <newsletter@HOST>")
//	PRESSREVIEW_NEWSLETTER_UNSUB_MAILBOX   mailto: target of List-Unsubscribe
//	PRESSREVIEW_SMTP_HOST, PRESSREVIEW_SMTP_PORT (default 127.0.0.1:25)
//	PRESSREVIEW_SMTP_USER, PRESSREVIEW_SMTP_PASS, PRESSREVIEW_SMTP_TLS (starttls, tls or none)
//	PRESSREVIEW_NEWSLETTER_RATE            messages per second per process (0: unlimited)
//	PRESSREVIEW_NEWSLETTER_CONCURRENCY     SMTP connections per process (default 4)
//	PRESSREVIEW_DKIM_DOMAIN, PRESSREVIEW_DKIM_SELECTOR, PRESSREVIEW_DKIM_KEY (PEM)
//	PRESSREVIEW_NEWSLETTER_WEBHOOK_KEY     HMAC key of the bounce webhook
//	PRESSREVIEW_NEWSLETTER_POLICY_VERSION  privacy policy version recorded with each consent
func (c *Config) Newsletter(host string) (newsletter.Config, error) {
	var errs []error
	num := func(name string, def float64) float64 {
		v := os.Getenv(name)
		if v == "" {
			return def
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a non-negative number", name, v))
		}
		return f
	}
	nc := newsletter.Config{
		SiteURL:            c.SiteURL,
		SigningKey:         []byte(os.Getenv("PRESSREVIEW_NEWSLETTER_KEY")),
		From:               envOr("PRESSREVIEW_NEWSLETTER_FROM", "pressreview <newsletter@"+host+">"),
		UnsubscribeMailbox: os.Getenv("PRESSREVIEW_NEWSLETTER_UNSUB_MAILBOX"),
		SMTP: newsletter.SMTP{
			Host: envOr("PRESSREVIEW_SMTP_HOST", "127.0.0.1"),
			Port: int(num("PRESSREVIEW_SMTP_PORT", 25)),
			User: os.Getenv("PRESSREVIEW_SMTP_USER"),
			Pass: os.Getenv("PRESSREVIEW_SMTP_PASS"),
			TLS:  os.Getenv("PRESSREVIEW_SMTP_TLS"),
		},
		DKIM: newsletter.DKIM{
			Domain:   os.Getenv("PRESSREVIEW_DKIM_DOMAIN"),
			Selector: os.Getenv("PRESSREVIEW_DKIM_SELECTOR"),
			Key:      []byte(os.Getenv("PRESSREVIEW_DKIM_KEY")),
		},
		Rate:          num("PRESSREVIEW_NEWSLETTER_RATE", 0),
		Concurrency:   int(num("PRESSREVIEW_NEWSLETTER_CONCURRENCY", 4)),
		WebhookKey:    []byte(os.Getenv("PRESSREVIEW_NEWSLETTER_WEBHOOK_KEY")),
		PolicyVersion: os.Getenv("PRESSREVIEW_NEWSLETTER_POLICY_VERSION"),
	}
	if err := nc.Validate(); err != nil {
		errs = append(errs, err)
	}
	return nc, errors.Join(errs...)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
