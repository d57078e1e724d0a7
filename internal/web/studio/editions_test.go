package studio_test

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestEditionsTable: the table showed series keys ("imr") and let dates
// break over two lines. It shows the series' name, and no date wraps.
func TestEditionsTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		c := newClient(t, newSite(t, db).URL)
		c.login("ana@example.org", password, "/studio/")
		_, page := c.do("GET", "/studio/", nil)
		for _, want := range []string{
			`<td>Iran Media Review</td>`,
			`<td class="nowrap"><time datetime="2025-03-07">2025-03-07</time></td>`,
			`<time datetime="2025-03-07T14:00:00Z"><span class="nowrap">7 Mar 2025 14:00 UTC</span></time>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the editions table lacks %s:\n%s", want, page)
			}
		}
		if strings.Contains(page, "<td>imr</td>") {
			t.Error("the editions table shows the series key")
		}
	})
}
