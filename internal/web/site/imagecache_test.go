package site

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestImageCacheIsBoundedAndEvictsLeastRecentlyUsed(t *testing.T) {
	c := newImageCache(10)
	made := 0
	get := func(key string, size int) {
		t.Helper()
		if _, err := c.get(key, func() (sizedImage, error) { made++; return sizedImage{data: make([]byte, size)}, nil }); err != nil {
			t.Fatal(err)
		}
	}
	get("a", 4)
	get("b", 4)
	get("a", 4) // a is now the most recent
	get("c", 4) // evicts b
	if made != 3 || c.size != 8 {
		t.Fatalf("made %d, size %d", made, c.size)
	}
	get("a", 4)
	if made != 3 {
		t.Error("a was evicted instead of b")
	}
	get("b", 4)
	if made != 4 {
		t.Error("b was not evicted")
	}
	get("huge", 11) // larger than the cache: served, not kept
	if _, ok := c.byKey["huge"]; ok || c.size > 10 {
		t.Errorf("kept an image larger than the bound (size %d)", c.size)
	}
}

func TestImageCacheResizesOncePerKey(t *testing.T) {
	c := newImageCache(1 << 20)
	var made atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.get("k", func() (sizedImage, error) { made.Add(1); <-release; return sizedImage{data: []byte("x")}, nil })
		}()
	}
	close(release)
	wg.Wait()
	// Callers either wait for the one resize in flight or, after it,
	// find its result cached (it is stored before the flight ends).
	if n := made.Load(); n != 1 {
		t.Fatalf("resized %d times", n)
	}
	// Failures are not cached.
	boom := errors.New("boom")
	if _, err := c.get("bad", func() (sizedImage, error) { return sizedImage{}, boom }); !errors.Is(err, boom) {
		t.Errorf("err %v", err)
	}
	if _, ok := c.byKey["bad"]; ok {
		t.Error("a failure was cached")
	}
}
