package site

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
)

// Mailer sends one transactional email (newsletter.Service is one). The
// message comes in plain text and HTML; the mailer builds the MIME parts.
type Mailer interface {
	Notify(ctx context.Context, to, subject, text, html string) error
}

// mailTimeout bounds a confirmation's delivery to the mail server, which
// the reader waits for.
const mailTimeout = 30 * time.Second

// registrationMail asks a registrant to confirm. It holds nothing the
// registrant typed — no name, no greeting — since anyone can type any
// address into the form: a mail the site sends to a stranger must carry
// only the site's own words, or the form becomes a way to send spam.
type registrationMail struct {
	SiteName string
	Title    string
	Sentence string // the title ending a sentence: "What Next?", "The Week."
	When     string // in the event's own zone, with the zone's abbreviation
	Place    string
	Online   string
	Confirm  string // absolute URLs
	Page     string
	ICS      string
}

func (s *Site) newRegistrationMail(e *posts.EventPage, confirm string) registrationMail {
	loc := e.Location()
	path := "/events/" + e.Slug
	return registrationMail{SiteName: s.opts.SiteName, Title: e.Title, Sentence: sentence(e.Title),
		When: eventTime(e.StartsAt.In(loc), e.EndsAt.In(loc)), Place: e.Place, Online: e.OnlineURL,
		Confirm: confirm, Page: s.URL(path), ICS: s.URL(path + "/event.ics")}
}

// text is the plain-text part.
func (m registrationMail) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "You asked to register for %s\n\nTo hold your seat, open this link within 24 hours:\n%s\n\nWhen: %s\n",
		m.Sentence, m.Confirm, m.When)
	if m.Place != "" {
		fmt.Fprintf(&b, "Where: %s\n", m.Place)
	}
	if m.Online != "" {
		fmt.Fprintf(&b, "Online: %s\n", m.Online)
	}
	fmt.Fprintf(&b, "\nAdd it to your calendar: %s\nEvent page: %s\n\n"+
		"If you did not ask for this, ignore this email: nothing is booked without the link.\n\n%s\n", m.ICS, m.Page, m.SiteName)
	return b.String()
}

var registrationHTML = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>Confirm your registration: {{.Title}}</title></head>
<body>
<p>You asked to register for <a href="{{.Page}}">{{.Sentence}}</a></p>
<p><a href="{{.Confirm}}">Confirm your registration</a> within 24 hours to hold your seat.</p>
<dl>
<dt>When</dt><dd>{{.When}}</dd>
{{- with .Place}}
<dt>Where</dt><dd>{{.}}</dd>
{{- end}}
{{- with .Online}}
<dt>Online</dt><dd><a href="{{.}}">{{.}}</a></dd>
{{- end}}
</dl>
<p><a href="{{.ICS}}">Add it to your calendar (.ics)</a></p>
<p>If you did not ask for this, ignore this email: nothing is booked without the link.</p>
<p>{{.SiteName}}</p>
</body>
</html>
`))

// mailConfirmation emails the link that confirms reg.
func (s *Site) mailConfirmation(ctx context.Context, e *posts.EventPage, reg posts.Registration) error {
	if s.opts.Mailer == nil {
		return fmt.Errorf("no mailer configured: cannot confirm a registration for %q", e.Slug)
	}
	m := s.newRegistrationMail(e, s.confirmURL(e, reg))
	var html strings.Builder
	if err := registrationHTML.Execute(&html, m); err != nil {
		return err
	}
	ctx, cancel := mailContext(ctx)
	defer cancel()
	if err := s.opts.Mailer.Notify(ctx, reg.Email, "Confirm your registration: "+e.Title, m.text(), html.String()); err != nil {
		return fmt.Errorf("registration confirmation for %q: %w", e.Slug, err)
	}
	return nil
}
