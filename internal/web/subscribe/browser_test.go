package subscribe_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/subscribe"
)

const chromiumPath = "/usr/bin/chromium"

// TestBrowserSubscribeToUnsubscribe walks a reader through the whole loop
// in headless Chromium: the form, the link in the captured confirmation
// email, the settings page, and unsubscribing.
func TestBrowserSubscribeToUnsubscribe(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set, so the browser test must run: %v", err)
		}
		t.Skipf("no browser: %v", err)
	}
	db := storetest.SQLite(t)
	s := newSite(t, db, func(d *subscribe.Deps) { d.MinFillTime = 300 * time.Millisecond })

	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
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
	submit(`//button[text()="Subscribe"]`)
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
