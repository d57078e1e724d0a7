package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	warc "github.com/internetarchive/gowarc"
	"github.com/pressreview/pressreview/internal/fetch"
)

func exchange(i int, body []byte, extraHeader string) Exchange {
	u := fmt.Sprintf("https://news.example.ir/fa/news/%d", i)
	return Exchange{
		URL:            u,
		Date:           time.Date(2024, 3, 7, 9, 0, i, 0, time.UTC),
		IP:             "127.0.0.1",
		Request:        []byte(fmt.Sprintf("GET /fa/news/%d HTTP/1.1\r\nHost: news.example.ir\r\nUser-Agent: pressreview/1.0\r\n\r\n", i)),
		ResponseHeader: []byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n%sContent-Length: %d\r\n\r\n", extraHeader, len(body))),
		ResponseBody:   body,
	}
}

func newTestWriter(t *testing.T, dir string, maxSize int64) *Writer {
	t.Helper()
	w, err := NewWriter(Config{Dir: dir, MaxFileSize: maxSize})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func gzipped(t *testing.T, s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

func TestWriteAndReadBack(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 0)
	bodies := [][]byte{
		[]byte("<html lang=\"fa\"><body><p>وزیر امور خارجه گفت: «مذاکرات ادامه دارد.»</p></body></html>"),
		gzipped(t, "<rss><channel><title>خبر</title></channel></rss>"), // stored still compressed
		{0, 1, 2, 0xff, '\r', '\n', '\r', '\n', 0xfe},                  // binary, with a CRLFCRLF inside
		{}, // empty body
	}
	var exchanges []Exchange
	var locs []Location
	for i, body := range bodies {
		extra := ""
		if i == 1 {
			extra = "Content-Encoding: gzip\r\n"
		}
		ex := exchange(i, body, extra)
		req, resp, err := w.WriteExchange(ex)
		if err != nil {
			t.Fatal(err)
		}
		if req.File != resp.File || req.Offset != resp.Offset+resp.Length || !strings.HasPrefix(resp.RecordID, "<urn:uuid:") {
			t.Errorf("locations %+v %+v", req, resp)
		}
		exchanges, locs = append(exchanges, ex), append(locs, resp)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	for i, loc := range locs {
		got, err := Read(t.Context(), Dir(dir), loc)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		ex := exchanges[i]
		if !bytes.Equal(got.Body, ex.ResponseBody) || got.Status != 200 || got.TargetURI != ex.URL || !got.Date.Equal(ex.Date) {
			t.Errorf("record %d: status %d uri %q date %v body %q", i, got.Status, got.TargetURI, got.Date, got.Body)
		}
		if got.PayloadDigest != "sha256:"+sha(ex.ResponseBody) {
			t.Errorf("record %d: payload digest %s", i, got.PayloadDigest)
		}
		block := append(append([]byte(nil), ex.ResponseHeader...), ex.ResponseBody...)
		if loc.SHA256 != sha(block) || got.BlockDigest != "sha256:"+loc.SHA256 {
			t.Errorf("record %d: block digest %s / location %s, want %s", i, got.BlockDigest, loc.SHA256, sha(block))
		}
	}
	if got, _ := Read(t.Context(), Dir(dir), locs[1]); got.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("archived headers lost Content-Encoding: %v", got.Header)
	}
}

// The whole file read front to back with gowarc: WARC/1.1 records, a
// warcinfo first, and every block digest right.
func TestFileIsValidWARC(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 0)
	for i := range 3 {
		if _, _, err := w.WriteExchange(exchange(i, []byte(fmt.Sprintf("<p>خبر %d</p>", i)), "")); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	f, _ := os.Open(files[0])
	defer f.Close()
	r, err := warc.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for {
		rec, err := r.ReadRecord()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rec.Content.Seek(0, io.SeekStart)
		block, _ := io.ReadAll(rec.Content)
		rec.Content.Close()
		if rec.Version != "WARC/1.1" || rec.Header.Get("WARC-Block-Digest") != "sha256:"+sha(block) {
			t.Errorf("%s record: version %s, digest %s", rec.Header.Get("WARC-Type"), rec.Version, rec.Header.Get("WARC-Block-Digest"))
		}
		types = append(types, rec.Header.Get("WARC-Type"))
	}
	if strings.Join(types, ",") != "warcinfo,response,request,response,request,response,request" {
		t.Errorf("record types %v", types)
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 2000)
	body := bytes.Repeat([]byte("متن خبر "), 300) // compresses to a few hundred bytes
	var locs []Location
	for i := range 12 {
		_, resp, err := w.WriteExchange(exchange(i, append(body, byte('0'+i%10)), ""))
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, resp)
	}
	w.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) < 3 {
		t.Errorf("want several files at a 2000-byte limit, got %d", len(files))
	}
	for i, loc := range locs {
		if _, err := Read(t.Context(), Dir(dir), loc); err != nil {
			t.Errorf("record %d in %s: %v", i, loc.File, err)
		}
	}
}

// TestAgeRotation: a file closed on age while a writer is being opened or
// written to leaves no torn record; every write lands in some file and
// reads back. With a MaxFileAge shorter than a directory sync, the age
// timer fires while NewWriter is still writing the warcinfo record (CI
// caught NewWriter writing to the file the timer had just closed).
func TestAgeRotation(t *testing.T) {
	dir := t.TempDir()
	for i := range 30 {
		w, err := NewWriter(Config{Dir: dir, MaxFileAge: time.Nanosecond})
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
		_, resp, err := w.WriteExchange(exchange(i, []byte(fmt.Sprintf("خبر %d", i)), ""))
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("writer %d: close: %v", i, err)
		}
		if _, err := Read(t.Context(), Dir(dir), resp); err != nil {
			t.Errorf("writer %d: record in %s: %v", i, resp.File, err)
		}
	}
}

func TestConcurrentWrites(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 50_000)
	var wg sync.WaitGroup
	locs := make([]Location, 40)
	for i := range locs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, resp, err := w.WriteExchange(exchange(i, []byte(fmt.Sprintf("<p>body %d %s</p>", i, strings.Repeat("x", i*50))), ""))
			if err != nil {
				t.Error(err)
			}
			locs[i] = resp
		}()
	}
	wg.Wait()
	w.Close()
	for i, loc := range locs {
		got, err := Read(t.Context(), Dir(dir), loc)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if want := fmt.Sprintf("<p>body %d %s</p>", i, strings.Repeat("x", i*50)); string(got.Body) != want {
			t.Errorf("record %d: body %q", i, got.Body)
		}
	}
	if _, _, err := w.WriteExchange(exchange(0, nil, "")); !errors.Is(err, ErrClosed) {
		t.Errorf("write after close: %v", err)
	}
}

// Records read at once by several goroutines come back whole: gowarc's
// header reader shares pooled buffers between its calls (readRecordMu),
// which -race reports and which could swap header lines between reads.
func TestConcurrentReads(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 0)
	locs := make([]Location, 20)
	for i := range locs {
		_, resp, err := w.WriteExchange(exchange(i, []byte(fmt.Sprintf("<p>body %d</p>", i)), ""))
		if err != nil {
			t.Fatal(err)
		}
		locs[i] = resp
	}
	w.Close()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 50 {
				i := (g*7 + n) % len(locs)
				got, err := Read(t.Context(), Dir(dir), locs[i])
				if err != nil {
					t.Errorf("record %d: %v", i, err)
					return
				}
				if want := fmt.Sprintf("<p>body %d</p>", i); string(got.Body) != want {
					t.Errorf("record %d: body %q", i, got.Body)
					return
				}
			}
		})
	}
	wg.Wait()
}

// Concurrent writers share fsyncs: while one runs, the exchanges
// appended meanwhile wait for the next, which covers them all; each
// WriteExchange returns only after an fsync that began after its append,
// across file rotations too.
func TestGroupCommit(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 60_000)
	var mu sync.Mutex
	synced := map[*os.File]int64{} // bytes on disk per file, as the fake fsync saw them
	w.sync = func(f *os.File) error {
		time.Sleep(50 * time.Millisecond) // a slow disk
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		mu.Lock()
		synced[f] = fi.Size()
		mu.Unlock()
		return f.Sync()
	}
	const n = 48
	var wg sync.WaitGroup
	locs := make([]Location, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, resp, err := w.WriteExchange(exchange(i, []byte(fmt.Sprintf("<p>body %d %s</p>", i, strings.Repeat("y", 300))), ""))
			if err != nil {
				t.Error(err)
				return
			}
			locs[i] = resp
			mu.Lock()
			defer mu.Unlock()
			var durable int64 = -1
			for f, size := range synced {
				if filepath.Base(f.Name()) == resp.File {
					durable = size
				}
			}
			if durable < resp.Offset+resp.Length {
				t.Errorf("exchange %d returned before its record was synced (%d of %d bytes)", i, durable, resp.Offset+resp.Length)
			}
		}()
	}
	wg.Wait()
	if w.syncs >= n {
		t.Errorf("%d fsyncs for %d concurrent exchanges: not grouped", w.syncs, n)
	}
	t.Logf("%d fsyncs for %d exchanges", w.syncs, n)
	w.Close()
	for i, loc := range locs {
		if _, err := Read(t.Context(), Dir(dir), loc); err != nil {
			t.Errorf("record %d: %v", i, err)
		}
	}
}

// A crash in the middle of writing the last record: earlier records still
// read, the torn one is reported corrupt, and a restarted writer leaves
// the damaged file alone and starts a new one.
func TestTruncatedLastRecord(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 0)
	var locs []Location
	for i := range 3 {
		_, resp, err := w.WriteExchange(exchange(i, bytes.Repeat([]byte(fmt.Sprintf("بند %d ", i)), 200), ""))
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, resp)
	}
	w.Close()
	last := locs[2]
	path := filepath.Join(dir, last.File)
	if err := os.Truncate(path, last.Offset+last.Length/2); err != nil {
		t.Fatal(err)
	}
	for _, loc := range locs[:2] {
		if _, err := Read(t.Context(), Dir(dir), loc); err != nil {
			t.Errorf("earlier record unreadable after truncation: %v", err)
		}
	}
	if _, err := Read(t.Context(), Dir(dir), last); !errors.Is(err, ErrCorrupt) {
		t.Errorf("torn record: got %v, want ErrCorrupt", err)
	} else {
		t.Logf("torn record reported: %v", err)
	}

	before, _ := os.Stat(path)
	w2 := newTestWriter(t, dir, 0)
	_, resp, err := w2.WriteExchange(exchange(9, []byte("after restart"), ""))
	if err != nil {
		t.Fatal(err)
	}
	w2.Close()
	after, _ := os.Stat(path)
	if resp.File == last.File || after.Size() != before.Size() {
		t.Errorf("restart wrote into the damaged file %s", last.File)
	}
	if got, err := Read(t.Context(), Dir(dir), resp); err != nil || string(got.Body) != "after restart" {
		t.Errorf("record after restart: %v", err)
	}
}

func TestReadRejectsWrongLocations(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 0)
	req, resp, err := w.WriteExchange(exchange(1, []byte("x"), ""))
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	wrongID := resp
	wrongID.RecordID = "<urn:uuid:00000000-0000-0000-0000-000000000000>"
	shifted := resp
	shifted.Offset++
	for name, loc := range map[string]Location{"request record": req, "other record ID": wrongID, "shifted offset": shifted} {
		if _, err := Read(t.Context(), Dir(dir), loc); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
	escape := resp
	escape.File = "../" + resp.File
	if _, err := Read(t.Context(), Dir(dir), escape); err == nil {
		t.Error("a location outside the directory was read")
	}
}

// End to end with fetch: what the fetcher recorded is what comes back.
func TestArchiveFetchedResponse(t *testing.T) {
	page := gzipped(t, "<html><body><p>روزنامه</p></body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Content-Encoding", "gzip")
		rw.Write(page)
	}))
	defer srv.Close()
	cfg := fetch.DefaultConfig()
	cfg.HostDelay = 0
	cfg.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	resp, err := fetch.New(cfg).Fetch(context.Background(), fetch.Request{URL: srv.URL + "/page"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	w := newTestWriter(t, dir, 0)
	defer w.Close()
	_, loc, err := w.WriteExchange(Exchange{URL: resp.FinalURL, Date: resp.FetchedAt, IP: resp.RemoteIP,
		Request: resp.RawRequest, ResponseHeader: resp.RawHeader, ResponseBody: resp.RawBody})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(t.Context(), w.Files(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, page) || got.Header.Get("Content-Encoding") != "gzip" || got.TargetURI != resp.FinalURL {
		t.Errorf("archived %q %v", got.Body, got.Header)
	}
}

// A 304 is archived as a revisit record (WARC 1.1, server-not-modified)
// that names the stored response and its payload; Resolve gives the
// stored page back with the 304's headers and date.
func TestRevisitRecord(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, 0)
	body := gzipped(t, "<rss><channel><title>خبر</title></channel></rss>")
	first := exchange(1, body, "Content-Encoding: gzip\r\nETag: \"v1\"\r\n")
	_, origLoc, err := w.WriteExchange(first)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := Read(t.Context(), w.Files(), origLoc)
	if err != nil {
		t.Fatal(err)
	}
	notModified := first
	notModified.Date = first.Date.Add(time.Hour)
	notModified.ResponseHeader = []byte("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nCache-Control: max-age=60\r\n\r\n")
	notModified.ResponseBody = nil
	notModified.Revisit = &Original{RecordID: orig.RecordID, TargetURI: orig.TargetURI, Date: orig.Date, PayloadDigest: orig.PayloadDigest}
	_, revLoc, err := w.WriteExchange(notModified)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()

	// The record as a WARC reader sees it.
	f, _ := os.Open(filepath.Join(dir, revLoc.File))
	defer f.Close()
	r, _ := warc.NewReader(io.NewSectionReader(f, revLoc.Offset, revLoc.Length))
	rec, err := r.ReadRecord()
	if err != nil {
		t.Fatal(err)
	}
	rec.Content.Seek(0, io.SeekStart)
	block, _ := io.ReadAll(rec.Content)
	h := rec.Header
	for k, want := range map[string]string{
		"WARC-Type":                 "revisit",
		"WARC-Profile":              "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
		"WARC-Refers-To":            orig.RecordID,
		"WARC-Refers-To-Target-URI": first.URL,
		"WARC-Refers-To-Date":       "2024-03-07T09:00:01Z",
		"WARC-Payload-Digest":       "sha256:" + sha(body),
		"WARC-Target-URI":           first.URL,
		"Content-Type":              "application/http; msgtype=response",
		"WARC-Block-Digest":         "sha256:" + sha(notModified.ResponseHeader),
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if rec.Version != "WARC/1.1" || !bytes.Equal(block, notModified.ResponseHeader) {
		t.Errorf("%s block %q: want only the 304's headers", rec.Version, block)
	}

	rev, err := Read(t.Context(), Dir(dir), revLoc)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Status != 304 || len(rev.Body) != 0 || rev.Revisit == nil || rev.Revisit.RecordID != orig.RecordID {
		t.Fatalf("revisit read as %+v", rev)
	}
	page, err := Resolve(t.Context(), Dir(dir), rev, origLoc)
	if err != nil {
		t.Fatal(err)
	}
	if page.Status != 200 || !bytes.Equal(page.Body, body) || !page.Date.Equal(notModified.Date) || page.RecordID != revLoc.RecordID ||
		page.Header.Get("Content-Encoding") != "gzip" || page.Header.Get("Cache-Control") != "max-age=60" {
		t.Errorf("resolved: %d %v %v %q", page.Status, page.Date, page.Header, page.Body)
	}
	// Pointed at another record, Resolve refuses.
	if _, err := Resolve(t.Context(), Dir(dir), rev, revLoc); !errors.Is(err, ErrCorrupt) {
		t.Errorf("resolved against the wrong record: %v", err)
	}
	// An original without its payload digest is refused at write time.
	bad := notModified
	bad.Revisit = &Original{RecordID: orig.RecordID, TargetURI: first.URL, Date: first.Date}
	w2 := newTestWriter(t, t.TempDir(), 0)
	defer w2.Close()
	if _, _, err := w2.WriteExchange(bad); err == nil || !strings.Contains(err.Error(), "incomplete original") {
		t.Errorf("incomplete original: %v", err)
	}
}
