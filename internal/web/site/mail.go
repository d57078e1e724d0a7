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

// registrationMail is a registration's confirmation.
type registrationMail struct {
	SiteName string
	Name     string
	Title    string
	When     string // in the event's own zone, with the zone's abbreviation
	Place    string
	Online   string
	Page     string // absolute URLs
	ICS      string
}

func (s *Site) newRegistrationMail(e *posts.EventPage, name string) registrationMail {
	loc := e.Location()
	path := "/events/" + e.Slug
	return registrationMail{SiteName: s.opts.SiteName, Name: name, Title: e.Title,
		When: eventTime(e.StartsAt.In(loc), e.EndsAt.In(loc)), Place: e.Place, Online: e.OnlineURL,
		Page: s.URL(path), ICS: s.URL(path + "/event.ics")}
}

// text is the plain-text part.
func (m registrationMail) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\nyou are registered for %s.\n\nWhen: %s\n", m.Name, m.Title, m.When)
	if m.Place != "" {
		fmt.Fprintf(&b, "Where: %s\n", m.Place)
	}
	if m.Online != "" {
		fmt.Fprintf(&b, "Online: %s\n", m.Online)
	}
	fmt.Fprintf(&b, "\nAdd it to your calendar: %s\nEvent page: %s\n\n%s\n", m.ICS, m.Page, m.SiteName)
	return b.String()
}

var registrationHTML = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>Registered: {{.Title}}</title></head>
<body>
<p>Dear {{.Name}},</p>
<p>you are registered for <a href="{{.Page}}">{{.Title}}</a>.</p>
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
<p>{{.SiteName}}</p>
</body>
</html>
`))

// confirmRegistration emails the confirmation of a new registration. It
// reports whether a message went out; without a Mailer none does.
func (s *Site) confirmRegistration(ctx context.Context, e *posts.EventPage, name, email string) (bool, error) {
	if s.opts.Mailer == nil {
		s.log.InfoContext(ctx, "no mailer configured: registration confirmation not sent", "event", e.Slug)
		return false, nil
	}
	m := s.newRegistrationMail(e, name)
	var html strings.Builder
	if err := registrationHTML.Execute(&html, m); err != nil {
		return false, err
	}
	// The seat is booked: a reader who closes the tab must still get
	// the confirmation.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mailTimeout)
	defer cancel()
	if err := s.opts.Mailer.Notify(ctx, email, "Registered: "+e.Title, m.text(), html.String()); err != nil {
		return false, fmt.Errorf("registration confirmation for %q: %w", e.Slug, err)
	}
	return true, nil
}
