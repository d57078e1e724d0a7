package web

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestStylesheetServesItsFont checks that the stylesheet names the
// Persian/Arabic font by its hashed URL and that the URL serves the font.
func TestStylesheetServesItsFont(t *testing.T) {
	as, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	cssPath, err := as.path("site.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(as.files[strings.TrimPrefix(cssPath, "/static/")].body)
	m := regexp.MustCompile(`url\("(/static/vazirmatn-arabic\.[0-9a-f]{8}\.woff2)"\)`).FindStringSubmatch(css)
	if m == nil {
		t.Fatalf("site.css does not reference the hashed font:\n%.400s", css)
	}
	font, ok := as.files[strings.TrimPrefix(m[1], "/static/")]
	if !ok || font.ctype != "font/woff2" || len(font.body) < 10_000 {
		t.Fatalf("font %s: present %v, type %q", m[1], ok, font.ctype)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", m[1], nil)
	req.SetPathValue("name", strings.TrimPrefix(m[1], "/static/"))
	if !as.serve(rec, req) || rec.Code != 200 || rec.Header().Get("Content-Type") != "font/woff2" {
		t.Fatalf("GET %s: %d %q", m[1], rec.Code, rec.Header().Get("Content-Type"))
	}
}
