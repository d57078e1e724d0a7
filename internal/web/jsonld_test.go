package web_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
)

var (
	jsonLDRE    = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	alternateRE = regexp.MustCompile(`<link rel="alternate" type="([^"]+)"[^>]* href="([^"]+)">`)
)

// TestEventJSONLDLeavesOutEmptyFields: an online event without a summary
// carried "description": "".
func TestEventJSONLDLeavesOutEmptyFields(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		start := testNow.Add(72 * time.Hour)
		pub := testNow.Add(-time.Hour)
		e := posts.Event{Slug: "online-only", Title: "Online Only", StartsAt: start, EndsAt: start.Add(time.Hour),
			TimeZone: "UTC", OnlineURL: "https://events.example/online", Status: "published", PublishAt: &pub}
		if err := posts.SaveEvent(context.Background(), db, &e); err != nil {
			t.Fatal(err)
		}
		_, page := get(t, ts, "/events/online-only")
		var found bool
		for _, m := range jsonLDRE.FindAllStringSubmatch(page, -1) {
			var ld map[string]any
			if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
				t.Fatal(err)
			}
			if ld["@type"] != "Event" {
				continue
			}
			found = true
			for k, v := range ld {
				if v == "" {
					t.Errorf("JSON-LD %q is empty", k)
				}
			}
			if ld["eventAttendanceMode"] != "https://schema.org/OnlineEventAttendanceMode" {
				t.Errorf("attendance mode %v", ld["eventAttendanceMode"])
			}
		}
		if !found {
			t.Fatal("no Event JSON-LD on the event page")
		}
	})
}

// TestHomeLinksEachFeedOnce: the home page linked the RSS feed twice.
func TestHomeLinksEachFeedOnce(t *testing.T) {
	demoServer(t, func(t *testing.T, _ *store.DB, ts *httptest.Server) {
		for _, path := range []string{"/", "/analysis", "/series/iran-media-review"} {
			_, page := get(t, ts, path)
			seen := map[string]int{}
			for _, m := range alternateRE.FindAllStringSubmatch(page, -1) {
				seen[m[2]]++
			}
			for href, n := range seen {
				if n != 1 {
					t.Errorf("%s links %s %d times", path, href, n)
				}
			}
			if path == "/" && (seen["/feed.xml"] != 1 || seen["/atom.xml"] != 1 || seen["/feed.json"] != 1) {
				t.Errorf("the home page links %v, want each site feed once", seen)
			}
		}
	})
}
