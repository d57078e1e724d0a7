package ingest

import (
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/text"
)

func TestFailureDelayIsLinearAndCapped(t *testing.T) {
	day := 24 * time.Hour
	weight := 0
	var prev time.Duration
	for i := range 40 {
		weight += failureWeight(fetch.Hard)
		d := failureDelay(weight, 0, day)
		if d > day || (d < day && d != time.Duration(weight)*backoffUnit) || d < prev {
			t.Fatalf("failure %d: delay %s", i+1, d)
		}
		prev = d
	}
	if prev != day {
		t.Errorf("after 40 hard failures the delay is %s, want the 24 h cap", prev)
	}
	if failureWeight(fetch.Temporary) >= failureWeight(fetch.Soft) || failureWeight(fetch.Soft) >= failureWeight(fetch.Hard) {
		t.Error("weights must grow from temporary to soft to hard")
	}
	if d := failureDelay(1, 3*time.Hour, day); d != 3*time.Hour {
		t.Errorf("Retry-After 3h gave %s", d)
	}
	if d := failureDelay(1, 72*time.Hour, day); d != day {
		t.Errorf("Retry-After 72h gave %s, want the cap", d)
	}
}

func TestNextInterval(t *testing.T) {
	lo, hi, cap := 10*time.Minute, 12*time.Hour, 24*time.Hour
	now := time.Date(2024, 3, 7, 12, 0, 0, 0, time.UTC)
	if d := adaptiveInterval(7*24*6, lo, hi); d != lo {
		t.Errorf("six items an hour: %s, want %s", d, lo)
	}
	if d := adaptiveInterval(14, lo, hi); d != 12*time.Hour {
		t.Errorf("two items a day: %s", d)
	}
	if d := adaptiveInterval(84, lo, hi); d != 2*time.Hour {
		t.Errorf("twelve items a day: %s", d)
	}
	if d := adaptiveInterval(0, lo, hi); d != hi {
		t.Errorf("silent feed: %s", d)
	}
	h := cacheHints{maxAge: 3 * time.Hour, ttl: time.Hour, expires: now.Add(5 * time.Hour)}
	for _, tc := range []struct {
		name   string
		h      cacheHints
		ignore bool
		want   time.Duration
	}{
		{"expires wins", h, false, 5 * time.Hour},
		{"ignoring caching", h, true, lo},
		{"retry-after counts even when ignoring caching", cacheHints{retryAfter: 2 * time.Hour}, true, 2 * time.Hour},
		{"ttl", cacheHints{ttl: 90 * time.Minute}, false, 90 * time.Minute},
		{"capped", cacheHints{maxAge: 30 * 24 * time.Hour}, false, cap},
	} {
		if d := nextInterval(lo, tc.h, tc.ignore, now, cap); d != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, d, tc.want)
		}
	}
}

func TestNearBandsFindEveryNearDuplicate(t *testing.T) {
	// Any hash within NearDuplicateDistance of h must share, in some
	// quarter, one of the 137 neighbours of h's quarter.
	h := uint64(0x9e3779b97f4a7c15)
	for flips := range 2000 {
		o := h
		seed := uint64(flips)*0x2545F4914F6CDD1D + 1
		for range text.NearDuplicateDistance {
			seed ^= seed << 13
			seed ^= seed >> 7
			seed ^= seed << 17
			o ^= 1 << (seed % 64)
		}
		found := false
		for i, b := range bands(h) {
			ob := bands(o)[i]
			for _, v := range near16(b) {
				if v == ob {
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("%016x is %d bits from %016x but shares no band neighbour", o, text.Hamming(h, o), h)
		}
	}
	if n := len(near16(0)); n != 137 {
		t.Errorf("near16: %d values, want 137", n)
	}
}

func TestTextDiff(t *testing.T) {
	before := "First paragraph.\n\nThe minister said talks would continue.\n\nLast paragraph."
	after := "First paragraph.\n\nThe minister said talks had collapsed.\n\nLast paragraph."
	want := "- The minister said talks would continue.\n+ The minister said talks had collapsed.\n"
	if got := textDiff(before, after); got != want {
		t.Errorf("textDiff:\n%s\nwant:\n%s", got, want)
	}
}
