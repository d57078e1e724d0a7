package subscribe_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/subscribe"
	"github.com/pressreview/pressreview/internal/web/webtest"
)

// browser starts headless Chromium (webtest.Browser) at the width of the
// docs' pictures.
func browser(t *testing.T) context.Context {
	t.Helper()
	return webtest.Browser(t, chromedp.WindowSize(1200, 900))
}

// TestBrowserSubscribeToUnsubscribe walks a reader through the whole loop
// in headless Chromium: the form, the link in the captured confirmation
// email, the settings page, and unsubscribing.
func TestBrowserSubscribeToUnsubscribe(t *testing.T) {
	db := storetest.SQLite(t)
	s := newSite(t, db, func(d *subscribe.Deps) { d.MinFillTime = 300 * time.Millisecond })
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.srv.URL+newsletter.PathSubscribe)); err != nil {
		t.Fatal(err)
	}
	step, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	heading := func(want string) {
		t.Helper()
		got, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("h1")))
		if err != nil || !strings.Contains(got, want) {
			t.Fatalf("page heading %q (%v), want %q", got, err, want)
		}
	}
	submit := func(sel chromedp.Search) {
		t.Helper()
		if _, err := chromedp.RunResponse(step, chromedp.Click(sel)); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}

	if err := chromedp.Do(step,
		chromedp.SendKeys(chromedp.CSS("#email"), "browser@example.org"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Browsing Reader"),
		chromedp.Click(chromedp.CSS("#list-imr")),
	); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // a person takes longer than MinFillTime
	submit(`//form[@class="newsletter-form"]//button[text()="Subscribe"]`)
	heading("Please check your inbox")

	_, text := s.waitMail("browser@example.org", 1)
	if _, err := chromedp.RunResponse(step, chromedp.Navigate(linkIn(t, text, newsletter.PathConfirm))); err != nil {
		t.Fatal(err)
	}
	heading("Confirm your subscription")
	if st := status(t, db, "browser@example.org"); st != newsletter.Pending {
		t.Fatalf("opening the link confirmed already (%s)", st)
	}
	submit(`//button[text()="Confirm my subscription"]`)
	heading("Subscription confirmed")
	submit(`//a[text()="Subscription settings"]`)
	heading("Subscription settings")

	if err := chromedp.Do(step,
		chromedp.Click(chromedp.CSS("#list-analysis")),
		chromedp.SetValue(chromedp.CSS("#name"), "B. Reader"),
	); err != nil {
		t.Fatal(err)
	}
	submit(`//button[text()="Save settings"]`)
	if got, err := chromedp.Run(step, chromedp.Text(chromedp.CSS(`[role="status"]`))); err != nil || !strings.Contains(got, "saved") {
		t.Fatalf("notice %q, %v", got, err)
	}
	sub, err := newsletter.SubscriberByEmail(context.Background(), db, "browser@example.org")
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := newsletter.Memberships(context.Background(), db, sub.ID)
	if sub.Name != "B. Reader" || len(ms) != 2 || ms[0].Status != "confirmed" || ms[1].Status != "confirmed" {
		t.Fatalf("after saving: %+v %+v", sub, ms)
	}

	submit(`//button[text()="Unsubscribe from everything"]`)
	heading("You are unsubscribed")
	if st := status(t, db, "browser@example.org"); st != newsletter.Unsubscribed {
		t.Fatalf("after unsubscribing the reader is %s", st)
	}
}

// The honeypots — on the subscribe page and in the box at the foot of
// every page — are invisible to a reader in Chromium, with the site's CSP
// in force: hidden by the stylesheet, out of the tab order, and labelled
// "Leave this field empty" for whoever meets them anyway. The page's own
// inline style used to be blocked by the CSP, so the field showed.
func TestBrowserHoneypotIsHidden(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	step, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for path, id := range map[string]string{newsletter.PathSubscribe: "website", "/": "subscribe-website"} {
		if err := chromedp.Do(step, chromedp.Navigate(s.srv.URL+path)); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(step, chromedp.Evaluate[map[string]any](`(() => {
			const i = document.getElementById(`+"`"+id+"`"+`);
			const box = i.closest(".hp"), r = i.getBoundingClientRect();
			return {
				visible: i.checkVisibility({visibilityProperty: true, opacityProperty: true}),
				area: r.width * r.height,
				display: getComputedStyle(box).display,
				label: document.querySelector("label[for=" + i.id + "]").textContent,
				tabIndex: i.tabIndex,
				ariaHidden: box.getAttribute("aria-hidden"),
				stylesheets: document.styleSheets.length,
				inlineStyles: document.querySelectorAll("style, [style]").length,
			};
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want := map[string]any{"visible": false, "area": 0.0, "display": "none", "label": "Leave this field empty",
			"tabIndex": -1.0, "ariaHidden": "true", "stylesheets": 1.0, "inlineStyles": 0.0}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: honeypot %s = %v, want %v", path, k, got[k], v)
			}
		}
		// Tabbing through the page never lands on it.
		for range 30 {
			if err := chromedp.Do(step, chromedp.KeyEvent("\t")); err != nil {
				t.Fatal(err)
			}
			focused, err := chromedp.Run(step, chromedp.Evaluate[string](`document.activeElement.id`))
			if err != nil {
				t.Fatal(err)
			}
			if focused == id {
				t.Fatalf("%s: the honeypot took the focus", path)
			}
		}
	}
}

// shotPages are the pages the walk below photographs for the docs.
var shotPages = map[string]bool{"subscribe": true, "subscribe-error": true, "check-inbox": true,
	"confirm": true, "settings": true, "unsubscribe": true}

// The newsletter pages are pages of the site: its header with the way
// home, its navigation, stylesheet and footer, and no accessibility
// violations axe-core can find. They used to be bare HTML. With
// PRESSREVIEW_SCREENSHOTS=DIR the walk also saves a screenshot of each
// page there, and one of the seed edition (docs/screenshots/newsletter-*.png
// and edition.png come from it).
func TestBrowserNewsletterPagesLookLikeTheSite(t *testing.T) {
	db := storetest.SQLite(t)
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	s := newSite(t, db, func(d *subscribe.Deps) { d.MinFillTime = 300 * time.Millisecond })
	// The demo's lists only, as a reader of the demo sees them.
	if _, err := db.ExecContext(context.Background(), `DELETE FROM newsletter_lists WHERE key IN ('imr', 'staff')`); err != nil {
		t.Fatal(err)
	}
	axe := webtest.OptionalAxe(t)
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.srv.URL+"/analysis/"+demo.SeedSlug)); err != nil {
		t.Fatal(err)
	}
	step, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	// The README's picture of the seed edition, with the box at its foot.
	webtest.Screenshot(t, step, "edition")
	if err := chromedp.Do(step, chromedp.Navigate(s.srv.URL+newsletter.PathSubscribe)); err != nil {
		t.Fatal(err)
	}
	check := func(name, heading string) {
		t.Helper()
		got, err := chromedp.Run(step, chromedp.Evaluate[map[string]any](`({
			h1: document.querySelector("main h1")?.textContent,
			home: document.querySelector(".site-header a.brand")?.getAttribute("href"),
			nav: document.querySelectorAll(".site-nav a").length,
			footer: !!document.querySelector("footer.site-footer"),
			styled: getComputedStyle(document.querySelector(".site-header")).borderBottomStyle,
		})`))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got["h1"] != heading || got["home"] != "/" || got["nav"].(float64) < 3 || got["footer"] != true || got["styled"] != "solid" {
			t.Errorf("%s: not in the site's layout: %v", name, got)
		}
		if axe != nil {
			axe.Check(t, step, name)
		}
		if shotPages[name] {
			webtest.Screenshot(t, step, "newsletter-"+name)
		}
	}
	submit := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(step, chromedp.Click(sel)); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	check("subscribe", "Subscribe to our newsletters")

	if err := chromedp.Do(step,
		chromedp.SendKeys(chromedp.CSS("#email"), strings.Repeat("x", 65)+"@example.org"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Shirin Reader"),
		chromedp.Click(chromedp.CSS("#list-iran-media-review")),
	); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // a person takes longer than MinFillTime
	submit(`//form[@class="newsletter-form"]//button[text()="Subscribe"]`)
	check("subscribe-error", "Subscribe to our newsletters")

	if err := chromedp.Do(step, chromedp.SetValue(chromedp.CSS("#email"), "shirin@example.org")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	submit(`//form[@class="newsletter-form"]//button[text()="Subscribe"]`)
	check("check-inbox", "Please check your inbox")

	_, text := s.waitMail("shirin@example.org", 1)
	if _, err := chromedp.RunResponse(step, chromedp.Navigate(linkIn(t, text, newsletter.PathConfirm))); err != nil {
		t.Fatal(err)
	}
	check("confirm", "Confirm your subscription")
	submit(`//button[text()="Confirm my subscription"]`)
	check("confirmed", "Subscription confirmed")
	submit(`//main//a[text()="Subscription settings"]`)
	check("settings", "Subscription settings")

	sub, err := newsletter.SubscriberByEmail(context.Background(), db, "shirin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	unsub := s.svc.Links().Unsubscribe(sub.UID, 0, time.Now())
	if _, err := chromedp.RunResponse(step, chromedp.Navigate(unsub)); err != nil {
		t.Fatal(err)
	}
	check("unsubscribe", "Unsubscribe")
	submit(`//main//button[text()="Unsubscribe"]`)
	check("unsubscribed", "You are unsubscribed")
}
