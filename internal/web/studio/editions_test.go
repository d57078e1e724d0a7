package studio_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestEditionsTable: the table showed series keys ("imr") and let dates
// break over two lines. It shows the series' name, and no date wraps. The
// desk home links it; it lists every edition with its workflow state.
func TestEditionsTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		c := newClient(t, newSite(t, db).URL)
		c.login("ana@example.org", password, "/studio/")
		_, page := c.do("GET", "/studio/editions", nil)
		for _, want := range []string{
			`<td>Iran Media Review</td>`,
			`<td class="nowrap"><time datetime="2025-03-07">2025-03-07</time></td>`,
			`<a href="/studio/editions/imr-2025-03-07">Responses to the Ukraine talks</a> (<a href="/analysis/imr-2025-03-07">public page</a>)`,
			`<td>published</td>`, `<td>draft</td>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the editions table lacks %s:\n%s", want, page)
			}
		}
		if strings.Contains(page, "<td>imr</td>") {
			t.Error("the editions table shows the series key")
		}
		// Filtered by state, as the desk's counts link it.
		_, page = c.do("GET", "/studio/editions?state=draft", nil)
		if !strings.Contains(page, "Draft &lt;b&gt;week&lt;/b&gt;") || strings.Contains(page, "Responses to the Ukraine talks") {
			t.Errorf("editions?state=draft:\n%s", page)
		}
		if resp, _ := c.do("GET", "/studio/editions?state=lost", nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("editions?state=lost: %s", resp.Status)
		}
	})
}
