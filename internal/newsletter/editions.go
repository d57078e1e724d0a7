package newsletter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"

	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// CampaignFromEdition drafts a campaign that carries a published edition:
// its HTML and plain-text renderings become the two bodies (as literal
// text, so braces in a quote are not read as template actions).
func (s *Service) CampaignFromEdition(ctx context.Context, list, slug string) (Campaign, error) {
	page, err := reviews.LoadPage(ctx, s.db, slug)
	if errors.Is(err, store.ErrNotFound) {
		// The slug is the caller's input, like the list key: an input error.
		return Campaign{}, valid.Errorf("edition", "there is no edition %q", slug)
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign from edition %q: %w", slug, err)
	}
	if page.Edition.Status != reviews.Published {
		return Campaign{}, valid.Errorf("edition", "%q is %s; only a published edition can be sent", slug, page.Edition.Status)
	}
	var body, h, t bytes.Buffer
	if err := reviews.Render(&body, page, reviews.FormatHTML); err != nil {
		return Campaign{}, fmt.Errorf("campaign from edition %q: %w", slug, err)
	}
	if err := reviews.Render(&t, page, reviews.FormatText); err != nil {
		return Campaign{}, fmt.Errorf("campaign from edition %q: %w", slug, err)
	}
	// RenderHTML is the body only (the site draws the head around it); a
	// mail needs the head too, as the text part has it, and a way to the
	// page.
	e := page.Edition
	web := s.links.site + "/analysis/" + url.PathEscape(slug)
	v := postView{Category: e.Category, Title: e.Title, Dek: e.Dek, Byline: byline(page.Authors),
		Date: reviews.LongDate(e.Date), URL: web, Body: htmltemplate.HTML(body.String())} // html/template output
	if err := postHTML.Execute(&h, v); err != nil {
		return Campaign{}, fmt.Errorf("campaign from edition %q: %w", slug, err)
	}
	text := strings.TrimRight(t.String(), "\n") + "\n\nRead it on the web: " + web
	return s.CreateCampaign(ctx, NewCampaign{
		List:    list,
		Subject: page.Series.Name + ": " + e.Title,
		HTML:    templateLiteral(h.String()),
		Text:    templateLiteral(text),
		Source:  "edition:" + slug,
	})
}

// templateLiteral quotes text so a Go template prints it unchanged.
func templateLiteral(s string) string {
	return strings.ReplaceAll(s, "{{", `{{"{{"}}`)
}

// PreviewCampaign renders a campaign for a sample recipient.
func (s *Service) PreviewCampaign(ctx context.Context, id int64) (Preview, error) {
	cc, err := s.compileByID(ctx, id)
	if err != nil {
		return Preview{}, err
	}
	_, h, t, err := s.render(cc, recipient{uid: "preview", email: sampleRecipient.Email, name: sampleRecipient.Name})
	return Preview{Subject: cc.c.Subject, HTML: h, Text: t}, err
}

// TestSend mails a campaign to one address, outside the ledger, with its
// links pointing nowhere real.
func (s *Service) TestSend(ctx context.Context, id int64, to string) error {
	email, err := NormalizeEmail(to)
	if err != nil {
		return err
	}
	cc, err := s.compileByID(ctx, id)
	if err != nil {
		return err
	}
	cc.c.Subject = "[Test] " + cc.c.Subject
	m, err := s.campaignMsg(cc, recipient{uid: "test-" + newUID()[:8], email: email})
	if err != nil {
		return err
	}
	if err := s.mailer.sendOne(ctx, m); err != nil {
		return &relayError{fmt.Errorf("test send of campaign %d to %s: %w", id, email, err)}
	}
	return nil
}

func (s *Service) compileByID(ctx context.Context, id int64) (*compiled, error) {
	c, err := LoadCampaign(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	l, err := ListByKey(ctx, s.db, c.List)
	if err != nil {
		return nil, err
	}
	return compileCampaign(c, l.Name)
}
