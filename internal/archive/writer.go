// Package archive keeps WARC evidence of every fetch: each request and
// response is appended as a WARC/1.1 record to gzip WARC files in one
// directory, and can be read back byte for byte from its Location, so the
// desk can show what a page said when it was quoted.
//
// With a blob store (Config.Blobs) the directory is the store's: on the
// embedded desk the WARC directory itself, as always; with object storage
// a local spool. A file is announced to the store before it is created
// and handed over when closed on rotation (by size, or by age so that a
// quiet desk still uploads within minutes); the store uploads it and only
// then marks it durable. Records are read back through Files, by one
// ranged read of their file wherever it is.
//
// Records are written with gowarc (github.com/internetarchive/gowarc). Two
// things are written here by hand, because gowarc v0.8.96 lacks them:
//
//   - Rotation with offsets. gowarc's rotator (RotatorSettings) reports no
//     file offsets, panics on I/O errors, and keeps its digest algorithm
//     in an unexported field that defaults to SHA-1. So this package
//     rotates files itself and uses gowarc's Writer for each record.
//   - WARC-Payload-Digest. gowarc's Writer computes WARC-Block-Digest (here
//     SHA-256, lowercase base16); it computes payload digests only inside
//     its own recording HTTP client, which we do not use (fetch is the
//     polite client). We compute the SHA-256 payload digest, in gowarc's
//     format, with warc.GetDigest.
package archive

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	warc "github.com/internetarchive/gowarc"

	"github.com/pressreview/pressreview/internal/blobs"
)

// Config says where and how to write.
type Config struct {
	// Dir holds the WARC files; it is created if missing.
	Dir string
	// Prefix starts every file name: Prefix-20060102150405000-00001-host.warc.gz.
	Prefix string
	// MaxFileSize rotates to a new file once the current one has reached
	// this many (compressed) bytes. Default 1 GB, the WARC convention.
	MaxFileSize int64
	// NoSync skips the fsync after each exchange. By default a Location is
	// handed out only once its bytes are on disk, so a database row that
	// points at it survives a power cut. Concurrent writers share fsyncs
	// (group commit): one fsync makes every record appended before it
	// durable, and each WriteExchange returns once its own records are.
	NoSync bool
	// Blobs, when set, is the blob store the files go to: Dir is then
	// ignored for the store's directory for Area.
	Blobs *blobs.Store
	// MaxFileAge, when positive, also closes a file this long after it
	// was opened, written to or not, so that it can be uploaded; the next
	// exchange opens a new one.
	MaxFileAge time.Duration
}

// Location addresses one record: File (a name inside the archive
// directory), the byte Offset and Length of its gzip member, its
// WARC-Record-ID, and SHA256, the hex SHA-256 of the record block (the
// HTTP message), equal to its WARC-Block-Digest.
type Location struct {
	File     string
	Offset   int64
	Length   int64
	RecordID string
	SHA256   string
}

// Exchange is one HTTP request and its response, as fetch.Response keeps
// them (RawRequest, RawHeader, RawBody).
type Exchange struct {
	URL            string    // WARC-Target-URI
	Date           time.Time // capture time, WARC-Date
	IP             string    // WARC-IP-Address, optional
	Request        []byte    // request line and headers, as sent
	ResponseHeader []byte    // status line and headers, ending with an empty line
	ResponseBody   []byte    // entity body as received: the WARC payload
	// PayloadSHA256, when the caller has already hashed ResponseBody, is
	// its hex SHA-256; the writer then does not hash the body a second
	// time for WARC-Payload-Digest.
	PayloadSHA256 string
	// Revisit, for a 304 Not Modified answer, names the stored response
	// it confirms. The answer is then written as a revisit record of the
	// WARC 1.1 server-not-modified profile: its block is the 304's
	// headers, its payload digest the stored response's, so a replay
	// shows the stored page rather than an empty one.
	Revisit *Original
}

// ProfileServerNotModified is the WARC-Profile of revisit records for
// 304 answers (WARC 1.1 §6.7.2).
const ProfileServerNotModified = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"

// Original is the stored response a revisit record refers to.
type Original struct {
	RecordID      string    // WARC-Refers-To
	TargetURI     string    // WARC-Refers-To-Target-URI
	Date          time.Time // WARC-Refers-To-Date
	PayloadDigest string    // its WARC-Payload-Digest, "sha256:<hex>"
}

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("archive: writer closed")

// Writer appends exchanges to rotating gzip WARC files. It is safe for
// concurrent use: records are compressed in the caller's goroutine and
// only the append to the file is serialised; the fsync that makes them
// durable runs outside the lock and is shared by every exchange appended
// before it started (group commit), so concurrent fetches do not queue
// one disk sync each. A new Writer always starts a new file, so a file
// left with a torn last record by a crash is never appended to.
type Writer struct {
	cfg Config

	mu     sync.Mutex
	synced *sync.Cond // on mu: a segment's durable size or error changed
	file   *os.File
	seg    *segment // the current file's sync state
	name   string
	size   int64
	aging  *time.Timer // closes the current file at MaxFileAge
	serial int
	torn   bool // a write failed midway: the next exchange starts a new file
	closed bool

	// sync makes a file durable (f.Sync; tests slow it down), and syncs
	// counts its calls.
	sync  func(f *os.File) error
	syncs int
}

// segment is the sync state of one WARC file. Callers hold Writer.mu.
type segment struct {
	file    *os.File
	durable int64 // bytes known to be on disk
	syncing bool  // an fsync is running (outside the lock)
	err     error // an fsync failed: nothing unsynced in this file is durable
}

// NewWriter opens a new WARC file in cfg.Dir.
func NewWriter(cfg Config) (*Writer, error) {
	if cfg.Blobs != nil {
		dir, err := cfg.Blobs.Dir(Area)
		if err != nil {
			return nil, fmt.Errorf("archive: %w", err)
		}
		cfg.Dir = dir
	}
	if cfg.Dir == "" {
		return nil, errors.New("archive: no directory")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "pressreview"
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = 1 << 30
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	w := &Writer{cfg: cfg, sync: (*os.File).Sync}
	w.synced = sync.NewCond(&w.mu)
	// The lock, though nobody else has w yet: rotate arms the age timer
	// before it writes the warcinfo record, and with a short MaxFileAge
	// the timer's closeAged can run while rotate still writes.
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.rotate(); err != nil {
		return nil, err
	}
	return w, nil
}

// WriteExchange appends a response record (a revisit record when
// ex.Revisit is set) and its request record, linked by
// WARC-Concurrent-To, to the same file and returns their locations.
func (w *Writer) WriteExchange(ex Exchange) (request, response Location, err error) {
	reqID, respID := newRecordID(), newRecordID()
	date := ex.Date.UTC().Format(time.RFC3339Nano)
	respHeader := warc.Header{
		"WARC-Type":          "response",
		"WARC-Record-ID":     respID,
		"WARC-Date":          date,
		"WARC-Target-URI":    ex.URL,
		"WARC-Concurrent-To": reqID,
		"Content-Type":       "application/http; msgtype=response",
	}
	body := ex.ResponseBody
	if o := ex.Revisit; o != nil {
		if o.RecordID == "" || o.TargetURI == "" || o.Date.IsZero() || !strings.HasPrefix(o.PayloadDigest, "sha256:") {
			return request, response, fmt.Errorf("archive: revisit of %s names an incomplete original %+v", ex.URL, *o)
		}
		respHeader["WARC-Type"] = "revisit"
		respHeader["WARC-Profile"] = ProfileServerNotModified
		respHeader["WARC-Refers-To"] = o.RecordID
		respHeader["WARC-Refers-To-Target-URI"] = o.TargetURI
		respHeader["WARC-Refers-To-Date"] = o.Date.UTC().Format(time.RFC3339Nano)
		respHeader["WARC-Payload-Digest"] = o.PayloadDigest
		body = nil // a 304 has none; the block is its headers
	} else {
		payloadDigest := "sha256:" + ex.PayloadSHA256
		if ex.PayloadSHA256 == "" {
			if payloadDigest, err = warc.GetDigest(bytes.NewReader(ex.ResponseBody), warc.SHA256Base16); err != nil {
				return request, response, err
			}
		}
		respHeader["WARC-Payload-Digest"] = payloadDigest
	}
	reqHeader := warc.Header{
		"WARC-Type":          "request",
		"WARC-Record-ID":     reqID,
		"WARC-Date":          date,
		"WARC-Target-URI":    ex.URL,
		"WARC-Concurrent-To": respID,
		"Content-Type":       "application/http; msgtype=request",
	}
	if ex.IP != "" {
		respHeader["WARC-IP-Address"] = ex.IP
	}
	respMember, respDigest, err := gzipRecord(respHeader, ex.ResponseHeader, body)
	if err != nil {
		return request, response, err
	}
	reqMember, reqDigest, err := gzipRecord(reqHeader, ex.Request, nil)
	if err != nil {
		return request, response, err
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return request, response, ErrClosed
	}
	if w.file == nil || w.torn || w.size >= w.cfg.MaxFileSize {
		if err := w.rotate(); err != nil {
			return request, response, err
		}
	}
	response, err = w.append(respMember, respID, respDigest)
	if err != nil {
		return request, response, err
	}
	request, err = w.append(reqMember, reqID, reqDigest)
	if err != nil {
		return request, response, err
	}
	if !w.cfg.NoSync {
		if err := w.waitDurable(w.seg, w.name, w.size); err != nil {
			return Location{}, Location{}, err
		}
	}
	return request, response, nil
}

// waitDurable returns once the first end bytes of seg are on disk. The
// first waiter to find no fsync running starts one, outside the lock, for
// everything appended so far; the others wait for it and, if it did not
// cover them, start the next. Callers hold w.mu.
func (w *Writer) waitDurable(seg *segment, name string, end int64) error {
	for {
		switch {
		case seg.durable >= end:
			return nil
		case seg.err != nil:
			return fmt.Errorf("archive: sync %s: %w", name, seg.err)
		case seg.syncing:
			w.synced.Wait()
			continue
		}
		seg.syncing = true
		target := w.size
		if seg != w.seg {
			target = end // rotate syncs a file before closing it, so this is not reached
		}
		w.syncs++
		w.mu.Unlock()
		err := w.sync(seg.file)
		w.mu.Lock()
		seg.syncing = false
		if err != nil {
			seg.err = err
			if seg == w.seg {
				w.torn = true // what follows the failed sync goes to a new file
			}
		} else {
			seg.durable = max(seg.durable, target)
		}
		w.synced.Broadcast()
	}
}

// finish waits for a running fsync of the current file, syncs what is
// still unsynced (unless NoSync), and closes the file. Callers hold w.mu.
func (w *Writer) finish() error {
	seg := w.seg
	for seg.syncing {
		w.synced.Wait()
	}
	var syncErr error
	if !w.cfg.NoSync && seg.err == nil && seg.durable < w.size {
		w.syncs++
		if syncErr = w.sync(seg.file); syncErr != nil {
			seg.err = syncErr
		} else {
			seg.durable = w.size
		}
		w.synced.Broadcast()
	}
	err := w.file.Close()
	w.file = nil
	if w.aging != nil {
		w.aging.Stop()
		w.aging = nil
	}
	// Torn or not, the file is complete: nothing more is appended to it.
	w.release(w.name)
	if syncErr != nil {
		return fmt.Errorf("archive: sync %s: %w", w.name, syncErr)
	}
	if err != nil {
		return fmt.Errorf("archive: close %s: %w", w.name, err)
	}
	return nil
}

// Close closes the current file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if w.file == nil {
		return nil
	}
	return w.finish()
}

// Files reads back what this writer wrote (and, with a blob store, what
// every other writer did).
func (w *Writer) Files() Files {
	if w.cfg.Blobs != nil {
		return Blobs(w.cfg.Blobs)
	}
	return Dir(w.cfg.Dir)
}

// claim tells the blob store, if any, that name is about to be written;
// release that its writer is done with it.
func (w *Writer) claim(name string) {
	if w.cfg.Blobs != nil {
		w.cfg.Blobs.Opened(Area + "/" + name)
	}
}

func (w *Writer) release(name string) {
	if w.cfg.Blobs != nil {
		w.cfg.Blobs.Closed(Area + "/" + name)
	}
}

// closeAged closes seg's file if it is still the current one. An error
// here concerns no caller: every record handed out is already durable
// (or NoSync was asked for), and the next exchange opens a new file.
func (w *Writer) closeAged(seg *segment) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.file == nil || w.seg != seg {
		return
	}
	_ = w.finish()
}

// append writes one gzip member at the end of the current file. Callers
// hold w.mu.
func (w *Writer) append(member []byte, id, sha string) (Location, error) {
	loc := Location{File: w.name, Offset: w.size, Length: int64(len(member)), RecordID: id, SHA256: sha}
	n, err := w.file.Write(member)
	w.size += int64(n)
	if err != nil {
		w.torn = true // keep sequential readers of this file from meeting more after the tear
		return Location{}, fmt.Errorf("archive: write %s: %w", w.name, err)
	}
	return loc, nil
}

// rotate closes the current file, if any, and starts the next one with a
// warcinfo record. Callers hold w.mu.
func (w *Writer) rotate() error {
	if w.file != nil {
		if err := w.finish(); err != nil {
			return err
		}
	}
	host, _ := os.Hostname()
	for {
		w.serial++
		stamp := strings.Replace(time.Now().UTC().Format("20060102150405.000"), ".", "", 1)
		name := fmt.Sprintf("%s-%s-%05d-%s.warc.gz", w.cfg.Prefix, stamp, w.serial, host)
		w.claim(name)
		f, err := os.OpenFile(filepath.Join(w.cfg.Dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			w.release(name)
		}
		if errors.Is(err, os.ErrExist) {
			continue // another writer, or a restart within the same millisecond
		}
		if err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		w.file, w.name, w.size, w.torn = f, name, 0, false
		seg := &segment{file: f}
		w.seg = seg
		if w.cfg.MaxFileAge > 0 {
			w.aging = time.AfterFunc(w.cfg.MaxFileAge, func() { w.closeAged(seg) })
		}
		break
	}
	if !w.cfg.NoSync {
		// The new file's directory entry must be durable too, or a power cut
		// could lose a file whose records were all synced.
		if err := syncDir(w.cfg.Dir); err != nil {
			return err
		}
	}
	info, err := gzipInfo(w.name)
	if err != nil {
		return err
	}
	_, err = w.append(info, "", "")
	return err
}

// syncDir makes the directory's entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("archive: sync directory %s: %w", dir, err)
	}
	return nil
}

func newRecordID() string { return "<urn:uuid:" + uuid.NewString() + ">" }
