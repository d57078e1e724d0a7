package newsletter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
	"github.com/pressreview/pressreview/internal/valid"
)

var postHTML = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/post.html.tmpl"))

// postView is what templates/post.html.tmpl shows: the head of the post
// as the site shows it, a link to it on the site, and its body.
type postView struct {
	Category, Title, Dek, Byline, Date, URL string
	Body                                    htmltemplate.HTML // sanitized or rendered by html/template
}

// TitleLang is the title's lang attribute when it is Persian or Arabic,
// so mail clients shape and align it right to left.
func (v postView) TitleLang() string { l, _ := text.LangDir(v.Title); return l }

// TitleDir is the direction that goes with TitleLang.
func (v postView) TitleDir() string { _, d := text.LangDir(v.Title); return d }

// CampaignFromAnalysis drafts a campaign that carries a published analysis:
// title, dek, byline and body, with a link to the analysis on the site. The
// body goes through the site's own Markdown renderer and sanitizer, so a
// reader's mail shows what the site shows and nothing an author's raw HTML
// could smuggle in; links and images are made absolute, since a mail
// client has no page to resolve "/analysis/…" against.
func (s *Service) CampaignFromAnalysis(ctx context.Context, list, slug string) (Campaign, error) {
	p, err := posts.Find(ctx, s.db, posts.KindAnalysis, slug, now())
	if errors.Is(err, store.ErrNotFound) {
		// Say why: a draft or a not-yet-due analysis is not "missing" to
		// the editor who just wrote it.
		a, aerr := posts.AnalysisBySlug(ctx, s.db, slug)
		if errors.Is(aerr, store.ErrNotFound) {
			return Campaign{}, valid.Errorf("analysis", "there is no analysis %q", slug)
		}
		if aerr != nil {
			return Campaign{}, fmt.Errorf("campaign from analysis %q: %w", slug, aerr)
		}
		if a.Status != "draft" && a.PublishAt != nil {
			return Campaign{}, valid.Errorf("analysis", "%q is %s for %s; only a published analysis can be sent",
				slug, a.Status, a.PublishAt.UTC().Format("2006-01-02 15:04 MST"))
		}
		return Campaign{}, valid.Errorf("analysis", "%q is %s; only a published analysis can be sent", slug, a.Status)
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign from analysis %q: %w", slug, err)
	}
	body, err := posts.RenderMarkdown(p.Body)
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign from analysis %q: body: %w", slug, err)
	}
	base, err := url.Parse(s.links.site + "/analysis/" + url.PathEscape(slug))
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign from analysis %q: site URL: %w", slug, err)
	}
	frag, err := parseFragment(string(body))
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign from analysis %q: body: %w", slug, err)
	}
	absolutize(frag, base)
	html, err := renderFragment(frag)
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign from analysis %q: body: %w", slug, err)
	}
	// The body was sanitized by RenderMarkdown; absolutize only rewrote URLs
	// of links and images, which sanitizing had already vetted.
	v := postView{Category: p.Category, Title: p.Title, Dek: p.Dek, Byline: byline(p.Authors),
		Date: reviews.LongDate(p.Day), URL: base.String(), Body: htmltemplate.HTML(html)}
	var h bytes.Buffer
	if err := postHTML.Execute(&h, v); err != nil {
		return Campaign{}, fmt.Errorf("campaign from analysis %q: %w", slug, err)
	}
	return s.CreateCampaign(ctx, NewCampaign{
		List:    list,
		Subject: p.Title,
		HTML:    templateLiteral(h.String()),
		Text:    templateLiteral(analysisText(v, fragmentText(frag))),
		Source:  "analysis:" + slug,
	})
}

// analysisText is the plain-text part: the same parts as the HTML, in the
// same order.
func analysisText(v postView, body string) string {
	var b strings.Builder
	b.WriteString(v.Title + "\n")
	if v.Dek != "" {
		b.WriteString(v.Dek + "\n")
	}
	switch {
	case v.Byline != "" && v.Date != "":
		b.WriteString("\nBy " + v.Byline + " · " + v.Date + "\n")
	case v.Byline != "":
		b.WriteString("\nBy " + v.Byline + "\n")
	case v.Date != "":
		b.WriteString("\n" + v.Date + "\n")
	}
	// No final line break: the layout puts the footer a blank line below.
	b.WriteString("\n" + body + "\n\nRead it on the site: " + v.URL)
	return b.String()
}

// byline joins author names as a reader says them: "A", "A and B",
// "A, B and C".
func byline(authors []posts.Author) string {
	names := make([]string, len(authors))
	for i, a := range authors {
		names[i] = a.Name
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
