package newsletter_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/valid"
)

func saveAnalysis(t *testing.T, db *store.DB, a posts.Analysis) {
	t.Helper()
	if err := posts.SaveAnalysis(context.Background(), db, &a); err != nil {
		t.Fatal(err)
	}
}

// A published analysis becomes a campaign whose mail shows the analysis
// as the site does — sanitized, links absolute — in both parts, and
// reaches the list.
func TestCampaignFromAnalysis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sink := startSink(t)
		svc, _ := newService(t, db, testConfig(sink), true)
		seedList(t, svc, "analysis", 2)
		for _, a := range []posts.Author{{Key: "ali-alfoneh", Name: "Ali Alfoneh"}, {Key: "jane-doe", Name: "Jane Doe"}} {
			if err := posts.SaveAuthor(ctx, db, &a); err != nil {
				t.Fatal(err)
			}
		}
		past, future := time.Now().Add(-time.Hour), time.Now().Add(48*time.Hour)
		saveAnalysis(t, db, posts.Analysis{Slug: "kayhan-and-mediation", Title: "Kayhan and Russian mediation",
			Dek: "Hard-liners reject a role for Moscow.", Authors: []string{"ali-alfoneh", "jane-doe"},
			Body: "Kayhan {{warned}} against [mediation](/analysis/russia) in <span lang=\"fa\" dir=\"rtl\">کیهان</span>.\n\n" +
				"<script>alert(1)</script>\n\n> Shargh disagreed.\n",
			Status: "published", PublishAt: &past})
		saveAnalysis(t, db, posts.Analysis{Slug: "draft-one", Title: "Draft", Status: "draft"})
		saveAnalysis(t, db, posts.Analysis{Slug: "later", Title: "Later", Status: "scheduled", PublishAt: &future})

		for slug, want := range map[string]string{
			"draft-one": `"draft-one" is draft`,
			"later":     `"later" is scheduled for `,
			"missing":   `there is no analysis "missing"`,
		} {
			_, err := svc.CampaignFromAnalysis(ctx, "analysis", slug)
			var ve *valid.Error
			if !errors.As(err, &ve) || ve.Path != "analysis" || !strings.Contains(err.Error(), want) {
				t.Errorf("from analysis %q: %v; want %q", slug, err, want)
			}
		}
		if _, err := svc.CampaignFromAnalysis(ctx, "no-such-list", "kayhan-and-mediation"); err == nil || !strings.Contains(err.Error(), "list") {
			t.Errorf("unknown list: %v", err)
		}

		c, err := svc.CampaignFromAnalysis(ctx, "analysis", "kayhan-and-mediation")
		if err != nil {
			t.Fatal(err)
		}
		if c.Subject != "Kayhan and Russian mediation" || c.Source != "analysis:kayhan-and-mediation" || c.Status != newsletter.Draft {
			t.Errorf("campaign: %+v", c)
		}
		if _, err := svc.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if p := waitDone(t, db, c.ID, 30*time.Second); p.Sent != 2 {
			t.Fatalf("progress: %s", p)
		}
		ms := sink.To("r1@example.org")
		if len(ms) != 1 {
			t.Fatalf("r1 got %d messages", len(ms))
		}
		text, html, err := ms[0].Parts()
		if err != nil {
			t.Fatal(err)
		}
		text = strings.ReplaceAll(text, "\r\n", "\n") // SMTP's line ends
		page := "http://127.0.0.1:9/analysis/kayhan-and-mediation"
		if miss, ok := hasAll(html, "Kayhan and Russian mediation", "Hard-liners reject", "By Ali Alfoneh and Jane Doe",
			"Kayhan {{warned}} against", `href="http://127.0.0.1:9/analysis/russia"`, `<span lang="fa" dir="rtl">کیهان</span>`,
			"<blockquote>", `href="`+page+`"`, "Unsubscribe</a>"); !ok {
			t.Errorf("HTML part lacks %q:\n%s", miss, html)
		}
		if strings.Contains(html, "<script") {
			t.Errorf("HTML part kept the script:\n%s", html)
		}
		if miss, ok := hasAll(text, "Kayhan and Russian mediation\nHard-liners reject", "By Ali Alfoneh and Jane Doe",
			"Kayhan {{warned}} against mediation (http://127.0.0.1:9/analysis/russia) in کیهان.", "> Shargh disagreed.",
			"Read it on the site: "+page, "Unsubscribe: http"); !ok {
			t.Errorf("text part lacks %q:\n%s", miss, text)
		}
		if strings.Contains(text, "<") {
			t.Errorf("text part has markup:\n%s", text)
		}
	})
}

// The CLI drafts campaigns from the demo's published edition and from an
// analysis.
func TestCLIDraftsFromEditionAndAnalysis(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc, _ := newService(t, db, testConfig(startSink(t)), false)
	past := time.Now().Add(-time.Hour)
	saveAnalysis(t, db, posts.Analysis{Slug: "note", Title: "A note on Shargh", Body: "Shargh *Daily*.", Status: "published", PublishAt: &past})
	for _, args := range [][]string{
		{"campaigns", "from-edition", "iran-media-review", demo.SeedSlug},
		{"campaigns", "from-analysis", "analysis", "note"},
	} {
		var out strings.Builder
		if err := newsletter.RunCLI(ctx, svc, args, &out); err != nil || !strings.Contains(out.String(), "drafted") {
			t.Errorf("%v: %q, %v", args, out.String(), err)
		}
	}
	cs, err := newsletter.Campaigns(ctx, db)
	if err != nil || len(cs) != 2 {
		t.Fatalf("%d campaigns, %v", len(cs), err)
	}
	if cs[0].Source != "analysis:note" || cs[1].Source != "edition:"+demo.SeedSlug {
		t.Errorf("sources %q, %q", cs[0].Source, cs[1].Source)
	}
	p, err := svc.PreviewCampaign(ctx, cs[0].ID)
	if err != nil || !strings.Contains(p.Text, "Shargh Daily.") || !strings.Contains(p.HTML, "<em>Daily</em>") {
		t.Errorf("preview: %+v, %v", p, err)
	}
	var out strings.Builder
	err = newsletter.RunCLI(ctx, svc, []string{"campaigns", "from-analysis", "analysis"}, &out)
	if err == nil || !strings.Contains(err.Error(), "accepts 2 arg(s), received 1") {
		t.Errorf("missing slug: %v", err)
	}
}
