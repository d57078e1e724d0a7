package web_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

// TestICSRescheduleRaisesSequence: a rescheduled event kept its DTSTAMP
// and had no SEQUENCE or LAST-MODIFIED, so calendars could ignore the
// change. The file is read with a calendar parser before and after a
// reschedule: SEQUENCE grows, the new time is there, and DTSTAMP equals
// LAST-MODIFIED, the time of the last change.
func TestICSRescheduleRaisesSequence(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		ctx := context.Background()
		ts := newTestServer(t, db, web.Options{CachePages: -1})
		const slug = "the-week-in-the-iranian-press"
		path := "/events/" + slug + "/event.ics"
		before := parseEvent(t, get2(t, ts, path))
		e, err := posts.EventBySlug(ctx, db, slug)
		if err != nil {
			t.Fatal(err)
		}
		e.Event.StartsAt, e.Event.EndsAt = e.StartsAt.Add(24*time.Hour), e.EndsAt.Add(24*time.Hour)
		if err := posts.SaveEvent(ctx, db, &e.Event); err != nil {
			t.Fatal(err)
		}
		after := parseEvent(t, get2(t, ts, path))
		if after.seq <= before.seq {
			t.Errorf("SEQUENCE %d after the reschedule, %d before: it must grow", after.seq, before.seq)
		}
		if !after.start.Equal(before.start.Add(24 * time.Hour)) {
			t.Errorf("DTSTART %v after the reschedule, %v before", after.start, before.start)
		}
		for _, v := range []calEvent{before, after} {
			if v.stamp.IsZero() || !v.stamp.Equal(v.modified) {
				t.Errorf("DTSTAMP %v, LAST-MODIFIED %v: both must be the time of the last change", v.stamp, v.modified)
			}
		}
		if after.modified.Before(before.modified) {
			t.Errorf("LAST-MODIFIED went back from %v to %v", before.modified, after.modified)
		}
	})
}

type calEvent struct {
	seq                    int
	start, stamp, modified time.Time
}

func get2(t *testing.T, ts *httptest.Server, path string) string {
	t.Helper()
	_, body := get(t, ts, path)
	return body
}

func parseEvent(t *testing.T, body string) calEvent {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse .ics: %v\n%s", err, body)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events in the file", len(evs))
	}
	ev := evs[0]
	var c calEvent
	seq := ev.GetProperty(ics.ComponentPropertySequence)
	if seq == nil {
		t.Fatalf("no SEQUENCE:\n%s", body)
	}
	if c.seq, err = strconv.Atoi(seq.Value); err != nil {
		t.Fatalf("SEQUENCE %q: %v", seq.Value, err)
	}
	if c.start, err = ev.GetStartAt(); err != nil {
		t.Fatal(err)
	}
	if c.stamp, err = ev.GetDtStampTime(); err != nil {
		t.Fatal(err)
	}
	if c.modified, err = ev.GetLastModifiedAt(); err != nil {
		t.Fatalf("LAST-MODIFIED: %v\n%s", err, body)
	}
	return c
}
