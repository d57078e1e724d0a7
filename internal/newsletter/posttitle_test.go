package newsletter

import (
	"strings"
	"testing"
)

// TestPersianTitleHasLangAndDir: a Persian title in the mail's head is
// marked so mail clients set it right to left; an English one is not.
func TestPersianTitleHasLangAndDir(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"روایت تهران از مذاکرات", `<h1 lang="fa" dir="rtl"`},
		{"Tehran Weighs the Talks", `<h1 style=`},
	} {
		var b strings.Builder
		if err := postHTML.Execute(&b, postView{Title: tc.title, URL: "https://example.org/a"}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%q: want %s in\n%s", tc.title, tc.want, b.String())
		}
	}
}
