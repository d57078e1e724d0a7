package ingest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
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
	// Any hash within NearDuplicateDistance of h must have, in some
	// quarter, one of the values bandProbes looks that quarter up by;
	// the flips are spread as evenly as they can be over the quarters
	// (3, 3, 2, 2 bits, in every order) and at random.
	h := uint64(0x9e3779b97f4a7c15)
	found := func(o uint64) bool {
		for i, p := range bandProbes(h) {
			if slices.Contains(p, bands(o)[i]) {
				return true
			}
		}
		return false
	}
	for _, counts := range [][4]int{{3, 3, 2, 2}, {3, 2, 3, 2}, {3, 2, 2, 3}, {2, 3, 3, 2}, {2, 3, 2, 3}, {2, 2, 3, 3}, {3, 3, 3, 1}} {
		o := h
		for q, n := range counts {
			for b := range n {
				o ^= 1 << (16*q + 5*b)
			}
		}
		if !found(o) {
			t.Errorf("%016x is %d bits from %016x but shares no band probe", o, text.Hamming(h, o), h)
		}
	}
	for flips := range 2000 {
		o := h
		seed := uint64(flips)*0x2545F4914F6CDD1D + 1
		for range text.NearDuplicateDistance {
			seed ^= seed << 13
			seed ^= seed >> 7
			seed ^= seed << 17
			o ^= 1 << (seed % 64)
		}
		if !found(o) {
			t.Fatalf("%016x is %d bits from %016x but shares no band probe", o, text.Hamming(h, o), h)
		}
	}
	// 3 + 3 + 3 + 2 = 11 bits apart is beyond every probe: the probes are
	// no wider than they need to be.
	if o := h ^ 0x0003_0007_0007_0007; found(o) {
		t.Errorf("%016x, 11 bits from %016x, shares a band probe", o, h)
	}
	n := 0
	for _, p := range bandProbes(h) {
		n += len(p)
	}
	if n != 3*137+17 {
		t.Errorf("bandProbes: %d values, want %d", n, 3*137+17)
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

// TestLeaseDueSpreadsHosts: due entries are handed out round-robin over
// their hosts, each host only up to what it can serve before the next
// scheduler run (with the entries it has at work), a leased entry is not
// handed out twice, and a finished one frees its host's turn.
func TestLeaseDueSpreadsHosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// A run every second, a host delay of a second: two entries of
		// a host at work at once.
		svc, err := New(db, Config{DataDir: t.TempDir(), HostDelay: time.Second, PollEvery: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Close() })
		if got := svc.perHostLease(); got != 2 {
			t.Fatalf("perHostLease %d, want 2", got)
		}
		o := outlets.Outlet{Key: "spread", Name: "Spread", Kind: outlets.Website}
		if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
			t.Fatal(err)
		}
		f := outlets.Feed{OutletID: o.ID, URL: "http://feeds.example/rss.xml"}
		if err := outlets.SaveFeed(ctx, db, &f); err != nil {
			t.Fatal(err)
		}
		now := svc.now()
		var items []feeds.Item
		for host, n := range map[string]int{"a": 4, "b": 2, "c": 1} {
			for i := range n {
				items = append(items, feeds.Item{URL: fmt.Sprintf("http://%s.example/%d", host, i)})
			}
		}
		byURL := map[int64]string{}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			for i, it := range items { // one at a time: their order is their age
				ids, err := insertEntries(ctx, tx, f.ID, []feeds.Item{it}, now.Add(time.Duration(i-len(items))*time.Second))
				if err != nil {
					return err
				}
				byURL[ids[0]] = it.URL
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		lease := func() []string {
			t.Helper()
			jobs, _, err := svc.leaseDue(ctx, now, "", nil, "")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, j := range jobs {
				for _, id := range j.Args.(ArticleArgs).EntryIDs {
					got = append(got, byURL[id])
				}
			}
			return got
		}
		hostsOf := func(urls []string) []string {
			var hs []string
			for _, u := range urls {
				hs = append(hs, fetch.HostKey(u))
			}
			return hs
		}
		first := lease()
		hs := hostsOf(first)
		if len(hs) != 5 || !slices.Equal(slices.Sorted(slices.Values(hs[:3])), []string{"a.example", "b.example", "c.example"}) {
			t.Errorf("leased %v, want one entry of each host before any second one, five in all", first)
		}
		if slices.Sort(hs); !slices.Equal(hs, []string{"a.example", "a.example", "b.example", "b.example", "c.example"}) {
			t.Errorf("leased %v, want two of a (its turns until the next run), both of b, c's one", first)
		}
		// What a host's limit held back is reported, so that `fetch --once`
		// leases again when one of its jobs ends.
		if _, held, err := svc.leaseDue(ctx, now, "", nil, ""); err != nil || !held {
			t.Errorf("with a's entries held back: held %v (error %v), want true", held, err)
		}
		if again := lease(); len(again) != 0 {
			t.Errorf("leased again %v: a host's turns are at work, the others have nothing left", again)
		}
		// One of a's entries is stored: its host may take the next.
		var aID int64
		for id, u := range byURL {
			if fetch.HostKey(u) == "a.example" && slices.Contains(first, u) {
				aID = id
			}
		}
		if _, err := db.ExecContext(ctx, `UPDATE feed_entries SET state = 'done' WHERE id = ?`, aID); err != nil {
			t.Fatal(err)
		}
		if next := lease(); len(next) != 1 || fetch.HostKey(next[0]) != "a.example" {
			t.Errorf("after one of a's entries is done: leased %v, want one more of a", next)
		}
		// A process that died held its entries: they come back after the lease.
		later := now.Add(svc.wall(entryLease) + time.Second)
		jobs, held, err := svc.leaseDue(ctx, later, "", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if held {
			t.Error("every pending entry leased, yet held reported")
		}
		if len(jobs) != 1 || len(jobs[0].Args.(ArticleArgs).EntryIDs) != 5 {
			t.Errorf("after the lease: %d batches %v, want the 5 entries still pending (two of a)", len(jobs), jobs)
		}
	})
}
