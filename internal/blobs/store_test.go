package blobs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/blobs/blobtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// instance is one pressreview process's blob store, with its spool
// served to the others as serve does.
type instance struct {
	*blobs.Store
	spool string
	srv   *httptest.Server
}

// newInstance opens a store over bucket with a fresh spool and the upload
// loop's times compressed (milliseconds for seconds and minutes).
func newInstance(t *testing.T, db *store.DB, bucket blobs.Bucket, name string) *instance {
	t.Helper()
	return openInstance(t, db, bucket, name, t.TempDir())
}

func openInstance(t *testing.T, db *store.DB, bucket blobs.Bucket, name, spool string) *instance {
	t.Helper()
	// The address is known before the store, the store before the
	// handler: the server starts once both are.
	srv := httptest.NewUnstartedServer(nil)
	s, err := blobs.New(bucket, blobs.Options{DB: db, SpoolDir: spool, Instance: name, Address: "http://" + srv.Listener.Addr().String(),
		PeerKey: peerKey, RetryMin: 5 * time.Millisecond, RetryMax: 50 * time.Millisecond, ScanEvery: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	srv.Config.Handler = s.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &instance{Store: s, spool: spool, srv: srv}
}

var peerKey = []byte("a key every instance of the test desk shares")

func openBucket(t *testing.T, raw string) blobs.Bucket {
	t.Helper()
	b, err := blobs.OpenBucket(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeExchanges archives n exchanges through w and returns their
// response locations and bodies.
func writeExchanges(t *testing.T, w *archive.Writer, n int, tag string) ([]archive.Location, []string) {
	t.Helper()
	var locs []archive.Location
	var bodies []string
	for i := range n {
		body := fmt.Sprintf("<html><p>%s page %d %s</p></html>", tag, i, strings.Repeat("x", i*37))
		_, loc, err := w.WriteExchange(archive.Exchange{
			URL:            fmt.Sprintf("http://news.example/%s/%d", tag, i),
			Date:           time.Date(2026, 12, 4, 21, 0, i, 0, time.UTC),
			Request:        []byte("GET / HTTP/1.1\r\nHost: news.example\r\n\r\n"),
			ResponseHeader: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"),
			ResponseBody:   []byte(body),
		})
		if err != nil {
			t.Fatalf("exchange %d: %v", i, err)
		}
		locs, bodies = append(locs, loc), append(bodies, body)
	}
	return locs, bodies
}

// checkRecords reads every record through files and compares its body.
func checkRecords(t *testing.T, files archive.Files, locs []archive.Location, bodies []string) {
	t.Helper()
	for i, loc := range locs {
		rec, err := archive.Read(context.Background(), files, loc)
		if err != nil {
			t.Fatalf("record %d (%s@%d): %v", i, loc.File, loc.Offset, err)
		}
		if string(rec.Body) != bodies[i] {
			t.Fatalf("record %d: body %q, want %q", i, rec.Body, bodies[i])
		}
	}
}

// waitFor polls cond until it holds; the deadline only keeps a broken
// build from hanging, it is no assertion on speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s after a minute", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// recorded says whether every file of locs has its row.
func recorded(t *testing.T, db *store.DB, locs []archive.Location) bool {
	st := states(t, db)
	for _, loc := range locs {
		if st[archive.Area+"/"+loc.File] == "" {
			return false
		}
	}
	return true
}

func states(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT key, state || ' ' || instance FROM blob_files`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

// TestArchiveThroughStore writes WARC files through one instance and reads
// every record back through another, on both backends: on the
// filesystem in place, on S3 after upload.
func TestArchiveThroughStore(t *testing.T) {
	blobtest.Each(t, func(t *testing.T, bucket blobs.Bucket) {
		db := storetest.SQLite(t)
		a := newInstance(t, db, bucket, "a")
		w, err := archive.NewWriter(archive.Config{Blobs: a.Store, MaxFileSize: 1}) // a file per exchange
		if err != nil {
			t.Fatal(err)
		}
		locs, bodies := writeExchanges(t, w, 6, "through")
		checkRecords(t, w.Files(), locs, bodies)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := a.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		b := newInstance(t, db, bucket, "b")
		checkRecords(t, archive.Blobs(b.Store), locs, bodies)
		if !a.Spooling() {
			if _, err := os.Stat(filepath.Join(bucket.(*blobs.FS).Root(), "warc", locs[0].File)); err != nil {
				t.Fatalf("the filesystem store keeps WARC files in DIR/warc: %v", err)
			}
			return
		}
		files := states(t, db)
		if st := a.Stats(); st.Spooled != 0 || st.Uploaded != int64(len(files)) || st.Uploaded < 6 || st.UploadLag != 0 {
			t.Errorf("after flush: %+v, want an empty spool and all of %d files uploaded", st, len(files))
		}
		for k, v := range files {
			if v != "uploaded a" {
				t.Errorf("%s is %q", k, v)
			}
		}
	})
}

// TestHolderServesUntilUploaded: while the store is cut off, the instance
// that wrote a file serves its records to the others; once uploaded they
// come from the store, with the holder gone.
func TestHolderServesUntilUploaded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		raw, outage := blobtest.S3Outage(t)
		direct := openBucket(t, raw) // relay or not, the same prefix
		outage.Block()
		a := newInstance(t, db, openBucket(t, raw), "a")
		w, err := archive.NewWriter(archive.Config{Blobs: a.Store, MaxFileSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		locs, bodies := writeExchanges(t, w, 3, "held")
		w.Close()
		b := newInstance(t, db, direct, "b")
		waitFor(t, "a to record its files", func() bool { return recorded(t, db, locs) })
		checkRecords(t, archive.Blobs(b.Store), locs, bodies) // from a, by ranged requests
		// Only instances with the desk's key are served.
		key := archive.Area + "/" + locs[0].File
		if resp, err := http.Get(a.srv.URL + blobs.SpoolPath + key); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("unsigned request for a spooled file: %v %v, want 403", resp.Status, err)
		}
		stranger, err := blobs.New(direct, blobs.Options{DB: db, SpoolDir: t.TempDir(), Instance: "stranger", PeerKey: []byte("another desk's key")})
		if err != nil {
			t.Fatal(err)
		}
		defer stranger.Close(context.Background())
		if _, err := archive.Read(context.Background(), archive.Blobs(stranger), locs[0]); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("reading with another key: %v, want a 403 from the holder", err)
		}
		if err := a.Ready(context.Background()); err == nil {
			t.Error("a is ready with its store cut off")
		}
		outage.Unblock()
		waitFor(t, "the upload", func() bool { return a.Stats().Waiting == 0 })
		if err := a.Flush(context.Background()); err != nil { // settles the last pass's error
			t.Fatal(err)
		}
		a.srv.Close()
		checkRecords(t, archive.Blobs(b.Store), locs, bodies) // from the store
		if err := a.Ready(context.Background()); err != nil {
			t.Errorf("a not ready after the upload: %v", err)
		}

		// A holder that cannot be reached is named in the error.
		outage.Block()
		c := newInstance(t, db, openBucket(t, raw), "c")
		wc, err := archive.NewWriter(archive.Config{Blobs: c.Store})
		if err != nil {
			t.Fatal(err)
		}
		defer wc.Close()
		clocs, _ := writeExchanges(t, wc, 1, "unreachable")
		waitFor(t, "c to record its file", func() bool { return recorded(t, db, clocs) })
		c.srv.Close()
		_, err = archive.Read(context.Background(), archive.Blobs(b.Store), clocs[0])
		if err == nil || !strings.Contains(err.Error(), "instance c holds it") {
			t.Errorf("reading a file held by an unreachable instance: %v", err)
		}
	})
}

// TestStoreUnreachable is the issue's "blob store unreachable for a
// minute", with the minute compressed: ingest keeps writing into the
// spool, readiness says why, and nothing is lost once the store returns.
func TestStoreUnreachable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		raw, outage := blobtest.S3Outage(t)
		a := newInstance(t, db, openBucket(t, raw), "a")
		w, err := archive.NewWriter(archive.Config{Blobs: a.Store, MaxFileSize: 4 << 10})
		if err != nil {
			t.Fatal(err)
		}
		before, beforeBodies := writeExchanges(t, w, 5, "before")
		outage.Block()
		during, duringBodies := writeExchanges(t, w, 60, "during")
		waitFor(t, "a failed upload", func() bool { return a.Stats().UploadFailures > 0 })
		st := a.Stats()
		if st.Waiting == 0 || st.LastError == "" {
			t.Fatalf("with the store cut off: %+v, want files waiting and the error", st)
		}
		err = a.Ready(context.Background())
		if err == nil || !strings.Contains(err.Error(), "not ready") || !strings.Contains(err.Error(), "writing continues into the spool") {
			t.Fatalf("Ready with the store cut off: %v", err)
		}
		t.Logf("readiness: %v", err)
		outage.Unblock()
		after, afterBodies := writeExchanges(t, w, 5, "after")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the spool to drain", func() bool { return a.Stats().Spooled == 0 })
		if err := a.Flush(context.Background()); err != nil { // settles the last pass's error
			t.Fatal(err)
		}
		if err := a.Ready(context.Background()); err != nil {
			t.Errorf("Ready once the store is back: %v", err)
		}
		// Another instance, with the writer's gone, reads everything.
		a.srv.Close()
		b := newInstance(t, db, openBucket(t, raw), "b")
		checkRecords(t, archive.Blobs(b.Store), before, beforeBodies)
		checkRecords(t, archive.Blobs(b.Store), during, duringBodies)
		checkRecords(t, archive.Blobs(b.Store), after, afterBodies)
	})
}

// TestCrashBeforeUpload: a process dies with files written but not
// uploaded (its store cut off, its writer never closed); the restarted
// instance, under a new name, uploads what the spool holds.
func TestCrashBeforeUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		raw, outage := blobtest.S3Outage(t)
		spool := t.TempDir()
		outage.Block()
		a := openInstance(t, db, openBucket(t, raw), "before-crash", spool)
		// One process per spool: a second would upload the first's open file.
		if _, err := blobs.New(openBucket(t, raw), blobs.Options{DB: db, SpoolDir: spool}); err == nil || !strings.Contains(err.Error(), "in use by another pressreview process") {
			t.Fatalf("a second store on the spool: %v", err)
		}
		w, err := archive.NewWriter(archive.Config{Blobs: a.Store, MaxFileSize: 2 << 10})
		if err != nil {
			t.Fatal(err)
		}
		locs, bodies := writeExchanges(t, w, 20, "crash")
		waitFor(t, "the files to be recorded", func() bool { return recorded(t, db, locs) })
		// The crash: the loop stops, nothing is flushed, the writer's last
		// file stays as it was, open.
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		_ = a.Close(cancelled)
		outage.Unblock()

		restarted := openInstance(t, db, openBucket(t, raw), "after-crash", spool)
		waitFor(t, "the restarted instance to upload the spool", func() bool { return restarted.Stats().Spooled == 0 })
		for k, v := range states(t, db) {
			if v != "uploaded after-crash" {
				t.Errorf("%s: %q", k, v)
			}
		}
		b := newInstance(t, db, openBucket(t, raw), "b")
		checkRecords(t, archive.Blobs(b.Store), locs, bodies)
	})
}

// TestQuietDeskUploads: a file is closed on age, not only on size, so a
// desk that archives one page and then nothing still uploads it.
func TestQuietDeskUploads(t *testing.T) {
	db := storetest.SQLite(t)
	a := newInstance(t, db, blobtest.S3(t), "a")
	w, err := archive.NewWriter(archive.Config{Blobs: a.Store, MaxFileAge: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	locs, bodies := writeExchanges(t, w, 1, "quiet")
	key := archive.Area + "/" + locs[0].File
	waitFor(t, "the aged file's upload", func() bool { return states(t, db)[key] == "uploaded a" })
	b := newInstance(t, db, a.Bucket(), "b")
	checkRecords(t, archive.Blobs(b.Store), locs, bodies)
	next, _ := writeExchanges(t, w, 1, "later")
	if next[0].File == locs[0].File {
		t.Errorf("a write after the age rotation went to the closed file %s", next[0].File)
	}
}
