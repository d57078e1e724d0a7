package subscribe_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

var (
	footerFormRE = regexp.MustCompile(`(?s)<aside class="subscribe".*?<form action="([^"]+)" method="post">(.*?)</form>`)
	inputRE      = regexp.MustCompile(`<input [^>]*name="([^"]+)"[^>]*>`)
	valueRE      = regexp.MustCompile(`value="([^"]*)"`)
	checkedRE    = regexp.MustCompile(`<input type="checkbox" id="list-[^"]+" name="list" value="([^"]+)" checked>`)
)

// footerForm returns the action and the fields (with their values) of the
// site-wide subscribe box on a page, as a browser would submit them.
func footerForm(t *testing.T, page string) (string, url.Values) {
	t.Helper()
	m := footerFormRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no subscribe box on the page:\n%s", page)
	}
	f := url.Values{}
	for _, in := range inputRE.FindAllStringSubmatch(m[2], -1) {
		v := ""
		if vm := valueRE.FindStringSubmatch(in[0]); vm != nil {
			v = html.UnescapeString(vm[1])
		}
		f.Set(in[1], v)
	}
	return m[1], f
}

// A reader who uses the subscribe box at the foot of an edition ends with
// the confirmation mail: the box leads to the form with the edition's
// series ticked and a word on what is left to do, and pressing Subscribe
// there — at once, the box's typing counts as the fill time — sends it.
// The box used to send no list and show the bare form again.
func TestFooterBoxEndsWithTheConfirmationMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := demo.Load(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		s := newSite(t, db, nil)
		for path, list := range map[string]string{
			"/analysis/" + demo.SeedSlug: "iran-media-review", // the edition's series
			"/events":                    "events",
			"/search":                    "", // no list fits: the reader chooses
		} {
			_, page := s.get(path)
			action, f := footerForm(t, page)
			if action != newsletter.PathSubscribe || f.Get("context") != path {
				t.Fatalf("%s: the box posts to %s with context %q", path, action, f.Get("context"))
			}
			email := "reader" + strings.ReplaceAll(path, "/", "-") + "@example.org"
			f.Set("email", email)
			f.Set("name", "Footer Reader")
			resp, next := s.post(action, f)
			if resp.StatusCode != 200 || !strings.Contains(next, `class="notice" role="status">One more step`) {
				t.Fatalf("%s: after the box: %d, no next step:\n%s", path, resp.StatusCode, next)
			}
			var ticked []string
			for _, m := range checkedRE.FindAllStringSubmatch(next, -1) {
				ticked = append(ticked, m[1])
			}
			if list == "" {
				if len(ticked) != 0 {
					t.Errorf("%s: %v ticked, want none", path, ticked)
				}
				continue
			}
			if len(ticked) != 1 || ticked[0] != list {
				t.Fatalf("%s: %v ticked, want [%s]", path, ticked, list)
			}
			m := formTokenRE.FindStringSubmatch(next)
			if m == nil || !strings.Contains(next, `value="`+email+`"`) || !strings.Contains(next, `value="Footer Reader"`) {
				t.Fatalf("%s: the next step is not the prefilled form:\n%s", path, next)
			}
			// Subscribe pressed at once: no clock advance.
			resp, body := s.post(newsletter.PathSubscribe, url.Values{"email": {email}, "name": {"Footer Reader"},
				"list": ticked, "website": {""}, "ft": {htmlUnescape(m[1])}})
			if resp.StatusCode != 200 || !strings.Contains(body, "check your inbox") {
				t.Fatalf("%s: subscribe: %d\n%s", path, resp.StatusCode, body)
			}
			confirmation, text := s.waitMail(email, 1)
			if confirmation.Header.Get("Subject") != "Please confirm your subscription" || !strings.Contains(text, "Hello Footer Reader") {
				t.Errorf("%s: mail %q:\n%s", path, confirmation.Header.Get("Subject"), text)
			}
		}
	})
}

// The form says what is wrong next to the field: a 2,002-character address
// and a name with a line break used to get "check your inbox" and a
// cancelled mail job.
func TestFormRefusesLongAddressesAndMultilineNames(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	for _, c := range []struct {
		email, name, field, want string
	}{
		{strings.Repeat("x", 1990) + "@example.org", "", "email", "2002 characters is too long; an address has at most 254"},
		{strings.Repeat("x", 65) + "@example.org", "", "email", "the part before @ has 65 characters; at most 64 are allowed"},
		{"reader@example.org", "Sara\r\nBcc: everyone@example.org", "name", "must not contain line breaks"},
		{"reader@example.org", strings.Repeat("n", 201), "name", "has 201 characters; at most 200 are allowed"},
	} {
		resp, body := s.post(newsletter.PathSubscribe, s.fillForm(c.email, c.name, "imr"))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %.20q: %d, want 422", c.field, c.email+c.name, resp.StatusCode)
			continue
		}
		next := `<p class="field-error" id="` + c.field + `-error">`
		i := strings.Index(body, next)
		if i < 0 || !strings.Contains(body[i:i+len(next)+200], c.want) {
			t.Errorf("%s: no message %q next to the field:\n%s", c.field, c.want, body)
		}
		if !strings.Contains(body, `aria-describedby="`+c.field+`-error"`) {
			t.Errorf("%s: the field does not point at its message", c.field)
		}
	}
	if n := count(t, s.db, `SELECT COUNT(*) FROM subscribers`); n != 0 {
		t.Errorf("%d subscribers stored", n)
	}
}

// Without a key the bounce webhook is off: 404, and no ERROR in the log
// for each request (it used to be 500 and an ERROR line a request).
func TestWebhookOffIsAQuiet404(t *testing.T) {
	s := newSiteWith(t, storetest.SQLite(t), func(c *newsletter.Config) { c.WebhookKey = nil }, nil)
	for range 3 {
		req, _ := http.NewRequest("POST", s.srv.URL+newsletter.PathWebhook, strings.NewReader(`{"events":[]}`))
		req.Header.Set(newsletter.WebhookSignatureHeader, "t=1,v1=00")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("webhook off: %d, want 404", resp.StatusCode)
		}
	}
	if logs := s.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("the switched-off webhook logged errors:\n%s", logs)
	}
}
