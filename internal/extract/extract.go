// Package extract finds the article in a news page: its main text (plain
// and as cleaned HTML) and its metadata — title, byline, publication time,
// lead image, language, site name and canonical URL. The main text comes
// from go-readability (a port of Mozilla's Readability.js), on a page
// pruned of its furniture first (prune.go), checked against the page's
// block of most prose (prose.go) and trimmed of the lines readability
// keeps around an article; metadata the library does not expose is read
// from the page here. docs/extraction-quality.md has the measurements.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/pressreview/pressreview/internal/fetch"
	"golang.org/x/net/html"
)

// ErrNoText is returned, with the page's metadata, when no article text
// was found (an index page, a paywall stub, a video page).
var ErrNoText = errors.New("no article text found")

// Article is what Extract finds in a page.
type Article struct {
	URL string // the page URL as given
	// CanonicalURL is <link rel="canonical">, else og:url, else the page
	// URL — resolved and passed through CanonicalURL.
	CanonicalURL string
	Title        string
	Byline       string
	// Published comes from page metadata: JSON-LD datePublished, then
	// article:published_time (and kin), then a <time datetime> marked as
	// the publication time or inside <article>. Zero when the page says
	// nothing: the caller then uses the feed's date.
	Published time.Time
	// Language is the page's declared language (BCP 47, e.g. "fa-IR"), or
	// what Extractor.DetectLanguage decided.
	Language string
	Dir      string // "rtl", "ltr" or "" from <html dir>/<body dir>
	SiteName string
	Image    string // lead image (og:image), absolute
	Excerpt  string
	Text     string // main text, plain; paragraphs separated by blank lines
	HTML     string // main text as cleaned HTML
	// Detected is what Extractor.DetectLanguage returned with the
	// language, for the integrator (internal/ingest keeps the text's
	// matching form there, which detection computes, so that it does not
	// normalize the text again); nil without the hook.
	Detected any
}

// Extractor extracts articles. The zero value is ready to use.
type Extractor struct {
	// DetectLanguage, when set, decides the article's language from its
	// text and the language the page declares ("" if none), and may hand
	// on whatever else it worked out from the text (Article.Detected).
	// This is where the integrator plugs in internal/text's detector; when
	// nil, the declared language is kept.
	DetectLanguage func(text, declared string) (lang string, detected any)
}

// Extract runs the zero Extractor.
func Extract(page []byte, pageURL string) (*Article, error) {
	return Extractor{}.Extract(page, pageURL)
}

// Extract finds the article in page (UTF-8 HTML, e.g. fetch.Response.Text)
// fetched from pageURL. Without article text it returns the metadata it
// found and ErrNoText.
func (e Extractor) Extract(page []byte, pageURL string) (*Article, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w: %v", pageURL, fetch.ErrMalformed, err)
	}
	meta := readMeta(doc, u) // before readability rewrites the tree
	prune(doc)
	alt, altProse := proseBlock(doc)
	if alt != nil {
		alt = clone(alt) // readability rewrites the tree it is given
	}

	parser := readability.NewParser()
	ra, err := parser.ParseAndMutate(doc, u)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w: %v", pageURL, fetch.ErrMalformed, err)
	}

	a := &Article{
		URL:          pageURL,
		CanonicalURL: CanonicalURL(meta.resolve(firstNonEmpty(meta.canonical, meta.ogURL, pageURL))),
		Title:        cleanLine(ra.Title()),
		Byline:       cleanLine(ra.Byline()),
		Published:    published(meta, ra),
		Language:     meta.language(),
		Dir:          meta.dir,
		SiteName:     cleanLine(ra.SiteName()),
		Image:        meta.resolve(ra.ImageURL()),
		Excerpt:      cleanLine(ra.Excerpt()),
	}
	if ra.Node != nil {
		trimTail(ra.Node)
		var text, cleaned strings.Builder
		if err := ra.RenderText(&text); err != nil {
			return nil, fmt.Errorf("extract %s: %w", pageURL, err)
		}
		if err := ra.RenderHTML(&cleaned); err != nil {
			return nil, fmt.Errorf("extract %s: %w", pageURL, err)
		}
		a.Text, a.HTML = strings.TrimSpace(text.String()), cleaned.String()
		if altProse >= proseSwitch && proseIn(ra.Node)*proseRatio < altProse {
			a.Text, a.HTML = proseText(alt)
		}
	} else if altProse >= proseSwitch {
		a.Text, a.HTML = proseText(alt)
	}
	if e.DetectLanguage != nil {
		a.Language, a.Detected = e.DetectLanguage(a.Text, a.Language)
	}
	if a.Text == "" {
		return a, fmt.Errorf("extract %s: %w", pageURL, ErrNoText)
	}
	return a, nil
}

// published prefers JSON-LD datePublished (read by readability, which
// falls back to article:published_time and Dublin Core dates), then our
// wider list of meta names, then <time datetime>. JSON-LD comes first
// because CMSs fill article:published_time with the modification time: in
// the schema-org-context-object test page it is 15 hours after the time the
// page displays, which JSON-LD has.
func published(meta pageMeta, ra readability.Article) time.Time {
	if t, err := ra.PublishedTime(); err == nil {
		return t.UTC()
	}
	if t := parseTime(meta.metaPublished); !t.IsZero() {
		return t
	}
	return parseTime(meta.timePublished)
}

// cleanLine folds the whitespace of a one-line field.
func cleanLine(s string) string { return strings.Join(strings.Fields(s), " ") }
