package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

// systemPython returns Debian's python3 when it can import every module
// named (a python3 earlier on PATH, pyenv or a venv, may not see the
// system's packages). The test is skipped when there is none, except
// under CI, which installs them (.ci/run).
func systemPython(t *testing.T, pkg string, modules ...string) string {
	t.Helper()
	imp := "import " + strings.Join(modules, ", ")
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", imp).Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so python3 must have %s (apt install %s)", strings.Join(modules, ", "), pkg)
	}
	t.Skipf("no python3 with %s (apt install %s)", strings.Join(modules, ", "), pkg)
	return ""
}

// feedparserEntry is what feedparser makes of one feed entry.
type feedparserEntry struct {
	ID, Link, Title, Summary, SummaryType, Published, Updated string
	GUIDIsLink                                                bool
}

// feedparserReport is what feedparser makes of one feed.
type feedparserReport struct {
	Version, BozoException string
	Bozo                   bool
	Entries                []feedparserEntry
}

// runFeedparser parses body with feedparser, the Universal Feed Parser
// many readers are built on (Debian's python3-feedparser).
func runFeedparser(t *testing.T, python, body, ctype string) feedparserReport {
	t.Helper()
	const script = `
import sys, json, feedparser
d = feedparser.parse(sys.stdin.buffer.read(), response_headers={"content-type": sys.argv[1]})
print(json.dumps({"Version": d.version, "Bozo": bool(d.bozo), "BozoException": str(d.get("bozo_exception") or ""),
  "Entries": [{"ID": e.get("id", ""), "Link": e.get("link", ""), "Title": e.get("title", ""),
    "Summary": e.get("summary", ""), "SummaryType": e.get("summary_detail", {}).get("type", ""),
    "Published": e.get("published", ""), "Updated": e.get("updated", ""),
    "GUIDIsLink": bool(e.get("guidislink"))} for e in d.entries]}))
`
	cmd := exec.Command(python, "-c", script, ctype)
	cmd.Stdin = strings.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var rep feedparserReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("feedparser's report %q: %v", out, err)
	}
	return rep
}

// TestFeedsUnderFeedparser reads the site's RSS and Atom feeds with
// feedparser, as a reader would: no bozo flag (feedparser's "this feed
// is broken"), the tricky title and dek come out exactly, after its HTML
// sanitizer, and each entry has a stable id, the post's URL, and dates.
func TestFeedsUnderFeedparser(t *testing.T) {
	python := systemPython(t, "python3-feedparser", "feedparser")
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		pub := testNow.Add(-time.Minute)
		a := posts.Analysis{Slug: "tricky-text", Title: trickyTitle, Dek: trickyDek, Body: "Body.",
			Status: "published", PublishAt: &pub}
		if err := posts.SaveAnalysis(context.Background(), db, &a); err != nil {
			t.Fatal(err)
		}
		link := "https://desk.example/analysis/tricky-text"
		for _, f := range []struct{ path, version string }{{"/feed.xml", "rss20"}, {"/atom.xml", "atom10"}} {
			resp, body := get(t, ts, f.path)
			rep := runFeedparser(t, python, body, resp.Header.Get("Content-Type"))
			if rep.Bozo || rep.Version != f.version {
				t.Errorf("%s: feedparser reads version %q, bozo %v: %s", f.path, rep.Version, rep.Bozo, rep.BozoException)
			}
			if len(rep.Entries) == 0 {
				t.Fatalf("%s: no entries", f.path)
			}
			for _, e := range rep.Entries {
				if e.ID == "" || e.ID != e.Link || e.Published == "" || e.Updated == "" {
					t.Errorf("%s: entry id %q, link %q, published %q, updated %q", f.path, e.ID, e.Link, e.Published, e.Updated)
				}
			}
			e := rep.Entries[0]
			if e.Link != link {
				t.Fatalf("%s: first entry is %s, want the tricky post", f.path, e.Link)
			}
			if e.Title != trickyTitle {
				t.Errorf("%s: feedparser reads the title %q, want %q", f.path, e.Title, trickyTitle)
			}
			summary := e.Summary
			if e.SummaryType == "text/html" {
				summary = htmlText(t, summary)
			}
			if summary != trickyDek {
				t.Errorf("%s: feedparser reads the summary (%s) %q, want %q", f.path, e.SummaryType, summary, trickyDek)
			}
		}
	})
}

// TestSitemapValidates checks /sitemap.xml against the sitemaps.org
// schema with xmllint (Debian's libxml2-utils), and that an event's page
// carries a lastmod that moves when the event is rescheduled: it had none,
// so crawlers had no sign that a rescheduled event's page had changed.
func TestSitemapValidates(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set, so xmllint must validate the sitemap (apt install libxml2-utils)")
		}
		t.Skip("xmllint not installed (apt install libxml2-utils)")
	}
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		ctx := context.Background()
		ts := newTestServer(t, db, web.Options{CachePages: -1})
		const slug = "the-week-in-the-iranian-press"
		loc := "https://desk.example/events/" + slug
		lastmod := func() time.Time {
			t.Helper()
			_, body := get(t, ts, "/sitemap.xml")
			file := filepath.Join(t.TempDir(), "sitemap.xml")
			if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/sitemap.xsd", file).CombinedOutput(); err != nil {
				t.Fatalf("xmllint: the sitemap does not validate: %v\n%s", err, out)
			}
			var doc struct {
				URLs []struct {
					Loc     string `xml:"loc"`
					LastMod string `xml:"lastmod"`
				} `xml:"url"`
			}
			if err := xml.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			for _, u := range doc.URLs {
				if u.Loc == loc {
					at, err := time.Parse(time.RFC3339, u.LastMod)
					if err != nil {
						t.Fatalf("%s: lastmod %q is not a W3C date and time: %v", loc, u.LastMod, err)
					}
					return at
				}
			}
			t.Fatalf("%s is not in the sitemap", loc)
			return time.Time{}
		}
		before := lastmod()
		e, err := posts.EventBySlug(ctx, db, slug)
		if err != nil {
			t.Fatal(err)
		}
		e.Event.StartsAt, e.Event.EndsAt = e.StartsAt.Add(24*time.Hour), e.EndsAt.Add(24*time.Hour)
		if err := posts.SaveEvent(ctx, db, &e.Event); err != nil {
			t.Fatal(err)
		}
		e, err = posts.EventBySlug(ctx, db, slug)
		if err != nil {
			t.Fatal(err)
		}
		if after := lastmod(); !after.Equal(e.UpdatedAt.Truncate(time.Second)) || after.Before(before) {
			t.Errorf("lastmod %s after the reschedule (%s before), want the event's last change %s", after, before, e.UpdatedAt)
		}
	})
}

// icalEvent is what python3-icalendar reads from one VEVENT, checked
// with vobject's parser as well.
type icalEvent struct {
	UID, Start, End, Stamp, Modified, Summary, Location, URL, Conference string
	Sequence                                                             int
}

// runICalendar parses ics with icalendar and with vobject (Debian's
// python3-icalendar and python3-vobject), as calendar programs built on
// them do, and returns its one event.
func runICalendar(t *testing.T, python string, ics []byte) icalEvent {
	t.Helper()
	const script = `
import sys, json, icalendar, vobject
raw = sys.stdin.buffer.read()
vobject.readOne(raw.decode("utf-8"), validate=True)
evs = icalendar.Calendar.from_ical(raw).walk("VEVENT")
assert len(evs) == 1, "%d events" % len(evs)
e = evs[0]
iso = lambda k: e.decoded(k).isoformat() if k in e else ""
print(json.dumps({"UID": str(e.get("UID", "")), "Start": iso("DTSTART"), "End": iso("DTEND"),
  "Stamp": iso("DTSTAMP"), "Modified": iso("LAST-MODIFIED"), "Summary": str(e.get("SUMMARY", "")),
  "Location": str(e.get("LOCATION", "")), "URL": str(e.get("URL", "")),
  "Conference": str(e.get("CONFERENCE", "")), "Sequence": int(e.get("SEQUENCE", 0))}))
`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = strings.NewReader(string(ics))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("icalendar/vobject cannot read the file: %v\n%s\n%s", err, stderr.String(), ics)
	}
	var ev icalEvent
	if err := json.Unmarshal(out, &ev); err != nil {
		t.Fatalf("icalendar's report %q: %v", out, err)
	}
	return ev
}

// TestICSUnderCalendarParsers reads every event's .ics — upcoming and
// past, online, hybrid and rescheduled — with icalendar and vobject: each
// parses, has its times, a stable UID, content lines of at most 75 octets
// ending in CRLF, and the join link of an online event. A hybrid event's
// link was in no property, since LOCATION holds its place.
func TestICSUnderCalendarParsers(t *testing.T) {
	python := systemPython(t, "python3-icalendar python3-vobject", "icalendar", "vobject")
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		ctx := context.Background()
		ts := newTestServer(t, db, web.Options{CachePages: -1})
		// One event becomes hybrid, and is rescheduled.
		hybrid, err := posts.EventBySlug(ctx, db, "the-week-in-the-iranian-press")
		if err != nil {
			t.Fatal(err)
		}
		if hybrid.Place == "" {
			t.Fatal("the test needs an event with a place")
		}
		hybrid.Event.OnlineURL = "https://events.example/the-week?room=1&lang=fa"
		hybrid.Event.StartsAt, hybrid.Event.EndsAt = hybrid.StartsAt.Add(48*time.Hour), hybrid.EndsAt.Add(48*time.Hour)
		if err := posts.SaveEvent(ctx, db, &hybrid.Event); err != nil {
			t.Fatal(err)
		}
		var all []*posts.EventPage
		for _, upcoming := range []bool{true, false} {
			evs, _, err := posts.ListEvents(ctx, db, testNow, upcoming, 1000, 0)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, evs...)
		}
		kinds := map[string]bool{}
		for _, e := range all {
			_, body := get(t, ts, "/events/"+e.Slug+"/event.ics")
			for _, l := range strings.SplitAfter(body, "\n") {
				if l != "" && (!strings.HasSuffix(l, "\r\n") || len(l) > 75+2) {
					t.Errorf("%s: content line %q: not CRLF-ended or longer than 75 octets", e.Slug, l)
				}
			}
			got := runICalendar(t, python, []byte(body))
			if got.UID != e.Slug+"@desk.example" || got.Summary != e.Title || got.URL != "https://desk.example/events/"+e.Slug {
				t.Errorf("%s: UID %q, SUMMARY %q, URL %q", e.Slug, got.UID, got.Summary, got.URL)
			}
			if start, _ := time.Parse(time.RFC3339, got.Start); !start.Equal(e.StartsAt) {
				t.Errorf("%s: DTSTART %s, want %s", e.Slug, got.Start, e.StartsAt)
			}
			if end, _ := time.Parse(time.RFC3339, got.End); !end.Equal(e.EndsAt) {
				t.Errorf("%s: DTEND %s, want %s", e.Slug, got.End, e.EndsAt)
			}
			if got.Stamp == "" || got.Stamp != got.Modified || got.Sequence != e.Sequence {
				t.Errorf("%s: DTSTAMP %q, LAST-MODIFIED %q, SEQUENCE %d (the event's is %d)", e.Slug, got.Stamp, got.Modified, got.Sequence, e.Sequence)
			}
			switch {
			case e.OnlineURL != "" && e.Place != "":
				kinds["hybrid"] = true
				if got.Location != e.Place || got.Conference != e.OnlineURL {
					t.Errorf("%s (hybrid): LOCATION %q, CONFERENCE %q; want the place and the link %s", e.Slug, got.Location, got.Conference, e.OnlineURL)
				}
			case e.OnlineURL != "":
				kinds["online"] = true
				if got.Conference != e.OnlineURL {
					t.Errorf("%s (online): CONFERENCE %q, want %s", e.Slug, got.Conference, e.OnlineURL)
				}
			}
			if e.Sequence > 0 {
				kinds["rescheduled"] = true
			}
			if e.EndsAt.Before(testNow) {
				kinds["past"] = true
			} else {
				kinds["upcoming"] = true
			}
		}
		for _, k := range []string{"hybrid", "online", "rescheduled", "past", "upcoming"} {
			if !kinds[k] {
				t.Errorf("no %s event was read (%v)", k, kinds)
			}
		}
	})
}

// TestEmptyFeedsUnderFeedparser reads the feeds of an author with no
// public post yet: feedparser must take them without the bozo flag, and
// Atom's required updated must be a real time, not year 1.
func TestEmptyFeedsUnderFeedparser(t *testing.T) {
	python := systemPython(t, "python3-feedparser", "feedparser")
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		if err := posts.SaveAuthor(context.Background(), db, &posts.Author{Key: "new-writer", Name: "New Writer"}); err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct{ path, version string }{{"/author/new-writer/feed.xml", "rss20"}, {"/author/new-writer/atom.xml", "atom10"}} {
			resp, body := get(t, ts, f.path)
			rep := runFeedparser(t, python, body, resp.Header.Get("Content-Type"))
			if rep.Bozo || rep.Version != f.version || len(rep.Entries) != 0 {
				t.Errorf("%s: feedparser reads version %q, bozo %v (%s), %d entries", f.path, rep.Version, rep.Bozo, rep.BozoException, len(rep.Entries))
			}
		}
		_, body := get(t, ts, "/author/new-writer/atom.xml")
		var feed struct {
			Updated string `xml:"updated"`
		}
		if err := xml.Unmarshal([]byte(body), &feed); err != nil {
			t.Fatal(err)
		}
		if at, err := time.Parse(time.RFC3339, feed.Updated); err != nil || at.Year() < 2000 {
			t.Errorf("the empty Atom feed's updated is %q (%v)", feed.Updated, err)
		}
	})
}
