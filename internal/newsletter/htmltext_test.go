package newsletter

import (
	"net/url"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/posts"
)

// An analysis body becomes a mail body: links and images absolute in the
// HTML, and a plain-text part that keeps paragraphs, quotations, lists and
// link targets.
func TestAnalysisBodyAsMail(t *testing.T) {
	md := "Kayhan *warned* against [Russian mediation](/analysis/russia) and\n" +
		"<span lang=\"fa\" dir=\"rtl\">میانجی‌گری</span>.\n\n" +
		"> Shargh Daily called it \"a mistake\".\n>\n> Second line.\n\n" +
		"1. first\n2. second\n   - nested\n\n" +
		"![Protest in Tehran](/images/tehran.jpg)\n\n<script>alert(1)</script>\n\nSee https://example.org/x.\n"
	body, err := posts.RenderMarkdown(md)
	if err != nil {
		t.Fatal(err)
	}
	frag, err := parseFragment(string(body))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://press.example/analysis/kayhan")
	absolutize(frag, base)
	html, err := renderFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="https://press.example/analysis/russia"`, `src="https://press.example/images/tehran.jpg"`,
		`<span lang="fa" dir="rtl">میانجی‌گری</span>`, `href="https://example.org/x"`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "script") {
		t.Errorf("HTML kept a script:\n%s", html)
	}
	want := "Kayhan warned against Russian mediation (https://press.example/analysis/russia) and میانجی‌گری.\n\n" +
		"> Shargh Daily called it “a mistake”.\n>\n> Second line.\n\n" +
		"1. first\n2. second\n   - nested\n\n" +
		"[Protest in Tehran]\n\n" +
		"See https://example.org/x."
	if got := fragmentText(frag); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
}
