package newsletter_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// An edition's mail opens as its page does — category, title, dek, byline
// and date — with a link to the page, in the HTML part as in the text
// part; the HTML part used to start at the intro.
func TestEditionMailHasItsHead(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	sink := startSink(t)
	cfg := testConfig(sink)
	cfg.SiteURL = "https://review.example.org"
	svc, _ := newService(t, db, cfg, true)
	if err := newsletter.SaveList(ctx, db, &newsletter.List{Key: "iran-media-review", Name: "Iran Media Review", Public: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Import(ctx, "iran-media-review", []newsletter.ImportRow{{Email: "reader@example.org"}}, newsletter.Consent{Form: "import:test"}); err != nil {
		t.Fatal(err)
	}
	c, err := svc.CampaignFromEdition(ctx, "iran-media-review", demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	waitDone(t, db, c.ID, 30*time.Second)
	ms := sink.To("reader@example.org")
	if len(ms) != 1 {
		t.Fatalf("%d messages", len(ms))
	}
	text, html, err := ms[0].Parts()
	if err != nil {
		t.Fatal(err)
	}
	web := "https://review.example.org/analysis/" + demo.SeedSlug
	head := []string{
		"Analysis",
		"Russian Nuclear Mediation a Nonstarter",
		"The March 7 edition of the Iran Media Review analyzes Iranian media responses",
		"By Ali Alfoneh · March 7, 2025",
	}
	const intro = "Iranian analysts are reacting to a Bloomberg News report"
	for part, body := range map[string]string{"HTML": strings.ReplaceAll(html, "&#39;", "'"), "text": text} {
		at := 0
		for _, want := range append(head, intro) {
			i := strings.Index(body[at:], want)
			if i < 0 {
				t.Errorf("%s part: %q missing, or out of order", part, want)
				continue
			}
			at += i
		}
		if !strings.Contains(body, web) {
			t.Errorf("%s part: no link to %s", part, web)
		}
	}
	if !strings.Contains(html, `<a href="`+web+`">Read it on the web</a>`) {
		t.Errorf("HTML part: no \"Read it on the web\" link:\n%s", html)
	}
	if i, j := strings.Index(html, "Read it on the web"), strings.Index(html, intro); i < 0 || i > j {
		t.Error("HTML part: the web link comes after the intro")
	}
}
