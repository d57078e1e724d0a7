package blobs

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// lockName is the lock file in the spool's top directory.
const lockName = ".lock"

// SpoolPath is the path under which Handler serves this instance's
// spooled files to the other instances: GET SpoolPath+KEY with a Range.
const SpoolPath = "/_blobs/spool/"

// Defaults of the zero fields of Options.
const (
	DefaultRetryMin      = time.Second
	DefaultRetryMax      = time.Minute
	DefaultScanEvery     = 10 * time.Second
	DefaultUploadTimeout = 10 * time.Minute
)

// Options configure a Store.
type Options struct {
	// DB records which spooled file is where (table blob_files). Required
	// when the bucket is not a local directory.
	DB *store.DB
	// SpoolDir is the local directory files are written to before upload.
	// Unused when the bucket is a local directory: files are written in
	// place, as the embedded desk always did.
	SpoolDir string
	// Instance names this process in blob_files; default host name and a
	// random suffix. A restart may take a new name: the spool, not the
	// name, says what is left to upload.
	Instance string
	// Address is the base URL at which the other instances reach this
	// one's Handler (mounted at SpoolPath), e.g. http://10.0.0.5:9090.
	// Empty: other instances cannot read this one's files before upload,
	// and say so.
	Address string
	// PeerKey authenticates the instances to each other: a request for a
	// spooled file carries an HMAC of the key and an expiry under this
	// key, so Handler may sit on a public listener. Every instance needs
	// the same one; without it Handler serves no one.
	PeerKey []byte
	// RetryMin and RetryMax bound the upload loop's backoff after a
	// failure (doubling from RetryMin); ScanEvery is how often it looks
	// at the spool when nothing wakes it; UploadTimeout bounds one upload.
	RetryMin, RetryMax, ScanEvery, UploadTimeout time.Duration
	Log                                          *slog.Logger
}

// Store is one instance's view of the blob storage. See the package doc.
type Store struct {
	bucket Bucket
	db     *store.DB
	spool  string // "" when the bucket is a local directory
	root   string // the local directory files of an area are written to, spool or bucket
	opts   Options
	peers  *http.Client

	passMu sync.Mutex // one upload pass at a time (loop, Flush)
	lock   *os.File   // holds the spool for this process (lockSpool)

	mu         sync.Mutex
	open       map[string]int  // keys being written, by writer count
	registered map[string]bool // keys this instance has recorded as spooled
	lastErr    error           // of the last pass; nil after a clean one
	lastErrAt  time.Time
	uploaded   int64
	upBytes    int64
	failures   int64

	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

// Stats are the spool's figures, for metrics.
type Stats struct {
	// Spooled and SpooledBytes count the files in the spool, the one being
	// written included; Waiting counts those closed and not yet uploaded.
	Spooled      int
	SpooledBytes int64
	Waiting      int
	// UploadLag is how long the oldest closed, un-uploaded file has
	// waited since its last write (0: nothing waits). This is "blob
	// upload lag": a quiet desk rotates on age, so it stays near the
	// rotation age plus one scan while the store is reachable.
	UploadLag time.Duration
	// Uploaded, UploadedBytes and UploadFailures count since start.
	Uploaded, UploadedBytes, UploadFailures int64
	// LastError is the last upload pass's error, "" after a clean one.
	LastError string
}

// New returns the store over bucket. With a bucket other than a local
// directory it starts the upload loop, which first uploads whatever the
// spool still holds from before (a crash between writing and uploading);
// Close stops it.
func New(bucket Bucket, opts Options) (*Store, error) {
	if opts.RetryMin <= 0 {
		opts.RetryMin = DefaultRetryMin
	}
	if opts.RetryMax < opts.RetryMin {
		opts.RetryMax = max(DefaultRetryMax, opts.RetryMin)
	}
	if opts.ScanEvery <= 0 {
		opts.ScanEvery = DefaultScanEvery
	}
	if opts.UploadTimeout <= 0 {
		opts.UploadTimeout = DefaultUploadTimeout
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Instance == "" {
		host, _ := os.Hostname()
		b := make([]byte, 3)
		_, _ = rand.Read(b)
		opts.Instance = host + "-" + hex.EncodeToString(b)
	}
	opts.Address = strings.TrimRight(opts.Address, "/")
	s := &Store{bucket: bucket, db: opts.DB, opts: opts, peers: &http.Client{Timeout: time.Minute},
		open: map[string]int{}, registered: map[string]bool{}}
	if dir, ok := bucket.(*FS); ok {
		s.root = dir.Root()
		return s, nil
	}
	if opts.DB == nil {
		return nil, errors.New("blobs: a spooling store needs the database")
	}
	if opts.SpoolDir == "" {
		return nil, errors.New("blobs: a spooling store needs a spool directory")
	}
	if err := os.MkdirAll(opts.SpoolDir, 0o755); err != nil {
		return nil, fmt.Errorf("blobs: spool: %w", err)
	}
	lock, err := lockSpool(opts.SpoolDir)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	s.spool, s.root = opts.SpoolDir, opts.SpoolDir
	s.wake, s.stop, s.done = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	go s.run()
	return s, nil
}

// Bucket is the store's bucket.
func (s *Store) Bucket() Bucket { return s.bucket }

// Instance is this process's name in blob_files.
func (s *Store) Instance() string { return s.opts.Instance }

// Spooling says whether files pass through a local spool before upload
// (false for a local-directory bucket, where they are written in place).
func (s *Store) Spooling() bool { return s.spool != "" }

// Dir returns the local directory in which a writer creates the files of
// area (keys area/NAME), creating it if missing. A writer announces each
// file with Opened before writing and Closed once it is complete.
func (s *Store) Dir(area string) (string, error) {
	if err := CheckKey(area); err != nil {
		return "", err
	}
	dir := filepath.Join(s.root, filepath.FromSlash(area))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("blobs: %w", err)
	}
	return dir, nil
}

// Opened says that key is about to be written in the spool. Call it
// before creating the file, so that the upload loop never takes a file
// being written; the loop then records the file as held here within
// moments. Every Opened is matched by one Closed.
func (s *Store) Opened(key string) {
	if s.spool == "" {
		return
	}
	s.mu.Lock()
	s.open[key]++
	s.mu.Unlock()
	s.nudge()
}

// Closed says that the writer of key is done with it (the file is
// complete, or was never created): the upload loop takes it now.
func (s *Store) Closed(key string) {
	if s.spool == "" {
		return
	}
	s.mu.Lock()
	if s.open[key]--; s.open[key] <= 0 {
		delete(s.open, key)
	}
	s.mu.Unlock()
	s.nudge()
}

func (s *Store) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Close stops the upload loop and makes one last attempt to upload what is
// closed, within ctx. What it cannot upload stays in the spool for the
// next start.
func (s *Store) Close(ctx context.Context) error {
	if s.spool == "" || s.stop == nil {
		return nil
	}
	select {
	case <-s.stop:
		return nil
	default:
	}
	close(s.stop)
	<-s.done
	err := s.Flush(ctx)
	s.lock.Close() // releases the lock
	return err
}

// Flush records and uploads every closed file in the spool now, and
// returns the first error.
func (s *Store) Flush(ctx context.Context) error {
	if s.spool == "" {
		return nil
	}
	return s.pass(ctx)
}

// run is the upload loop: a pass on every nudge and every ScanEvery, and
// after a failure the next pass after a doubling delay.
func (s *Store) run() {
	defer close(s.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.stop
		cancel()
	}()
	retry := s.opts.RetryMin
	for {
		delay := s.opts.ScanEvery
		if err := s.pass(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.opts.Log.Warn("blob upload failed; the files stay in the spool", "retry_in", retry, "err", err)
			delay, retry = retry, min(2*retry, s.opts.RetryMax)
		} else {
			retry = s.opts.RetryMin
		}
		t := time.NewTimer(delay)
		select {
		case <-s.stop:
			t.Stop()
			return
		case <-s.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// spooled lists the spool's files as keys with their info.
func (s *Store) spooled() (map[string]fs.FileInfo, error) {
	out := map[string]fs.FileInfo{}
	err := filepath.WalkDir(s.spool, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == filepath.Join(s.spool, lockName) {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // uploaded and removed while we walked
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(s.spool, p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = info
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blobs: spool: %w", err)
	}
	return out, nil
}

// pass records every spooled file as held here, then uploads the closed
// ones, oldest first, stopping at the first failure (the store is most
// likely unreachable, and the rest would fail the same way).
func (s *Store) pass(ctx context.Context) (err error) {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	defer func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if err != nil && ctx.Err() == nil {
			s.lastErr, s.lastErrAt = err, time.Now()
			s.failures++
		} else if err == nil {
			s.lastErr = nil
		}
	}()
	files, err := s.spooled()
	if err != nil {
		return err
	}
	var closed []string
	for key := range files {
		s.mu.Lock()
		registered, open := s.registered[key], s.open[key] > 0
		s.mu.Unlock()
		if !registered {
			if err := s.register(ctx, key); err != nil {
				return err
			}
		}
		if !open {
			closed = append(closed, key)
		}
	}
	slices.SortFunc(closed, func(a, b string) int { return files[a].ModTime().Compare(files[b].ModTime()) })
	for _, key := range closed {
		if err := s.upload(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

// register records key as spooled here. A row left by an earlier run of
// this instance (under another name) is taken over; an uploaded one stays
// uploaded (the crash fell between marking and removing the file).
func (s *Store) register(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO blob_files (key, state, instance, address) VALUES (?, 'spooled', ?, ?)
		ON CONFLICT (key) DO UPDATE SET instance = excluded.instance, address = excluded.address,
			updated_at = CURRENT_TIMESTAMP
		WHERE blob_files.state = 'spooled'`, key, s.opts.Instance, s.opts.Address)
	if err != nil {
		return fmt.Errorf("blobs: record %s as spooled: %w", key, err)
	}
	s.mu.Lock()
	s.registered[key] = true
	s.mu.Unlock()
	return nil
}

// upload puts one closed file, marks it uploaded, and only then removes
// it from the spool: until the mark, this instance serves it.
func (s *Store) upload(ctx context.Context, key string) error {
	name := filepath.Join(s.spool, filepath.FromSlash(key))
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("blobs: spool: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("blobs: spool: %w", err)
	}
	putCtx, cancel := context.WithTimeout(ctx, s.opts.UploadTimeout)
	defer cancel()
	if err := s.bucket.Put(putCtx, key, f, fi.Size()); err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE blob_files SET state = 'uploaded', size = ?, updated_at = CURRENT_TIMESTAMP WHERE key = ?`,
		fi.Size(), key)
	if err != nil {
		return fmt.Errorf("blobs: record %s as uploaded: %w", key, err)
	}
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("blobs: spool: %w", err)
	}
	s.mu.Lock()
	delete(s.registered, key)
	s.uploaded++
	s.upBytes += fi.Size()
	s.mu.Unlock()
	return nil
}

// peerAuth is the Authorization scheme of requests between instances.
const peerAuth = "Pressreview-Peer "

// peerTokenTTL bounds how long a captured request could be replayed.
const peerTokenTTL = 5 * time.Minute

func (s *Store) peerMAC(key string, expiry int64) string {
	m := hmac.New(sha256.New, s.opts.PeerKey)
	fmt.Fprintf(m, "pressreview blobs spool\n%s\n%d", key, expiry)
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Store) peerToken(key string) string {
	expiry := time.Now().Add(peerTokenTTL).Unix()
	return peerAuth + strconv.FormatInt(expiry, 10) + "." + s.peerMAC(key, expiry)
}

// peerAllowed checks a request's token for key.
func (s *Store) peerAllowed(r *http.Request, key string) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), peerAuth)
	exp, mac, ok2 := strings.Cut(tok, ".")
	expiry, err := strconv.ParseInt(exp, 10, 64)
	if !ok || !ok2 || err != nil || len(s.opts.PeerKey) == 0 {
		return false
	}
	now := time.Now()
	if now.Unix() > expiry || time.Unix(expiry, 0).Sub(now) > peerTokenTTL {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(s.peerMAC(key, expiry)))
}

// HeldError reports a file not yet uploaded whose holder could not serve
// it.
type HeldError struct {
	Key, Instance, Address string
	Err                    error
}

func (e *HeldError) Error() string {
	if e.Address == "" {
		return fmt.Sprintf("blobs: %s is not uploaded yet; instance %s holds it and has no address for the others", e.Key, e.Instance)
	}
	return fmt.Sprintf("blobs: %s is not uploaded yet; instance %s holds it at %s: %v", e.Key, e.Instance, e.Address, e.Err)
}

func (e *HeldError) Unwrap() error { return e.Err }

// ReadRange returns n bytes of key from offset off (n < 0: to the end),
// wherever the file is: in this instance's spool, in the bucket once
// uploaded, or, while another instance still holds it, from that one.
func (s *Store) ReadRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if s.spool == "" {
		return s.bucket.ReadRange(ctx, key, off, n)
	}
	// The spool first: the uploader removes a file only after marking it
	// uploaded, so a file missing here is in the bucket or elsewhere.
	rc, err := openRange(filepath.Join(s.spool, filepath.FromSlash(key)), key, off, n)
	if !errors.Is(err, ErrNotExist) {
		return rc, err
	}
	var state, instance, address string
	err = s.db.QueryRowContext(ctx, `SELECT state, instance, address FROM blob_files WHERE key = ?`, key).
		Scan(&state, &instance, &address)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && (state == "uploaded" || instance == s.opts.Instance):
		return s.bucket.ReadRange(ctx, key, off, n)
	case err != nil:
		return nil, fmt.Errorf("blobs: where is %s: %w", key, err)
	}
	rc, err = s.readPeer(ctx, key, address, off, n)
	if errors.Is(err, ErrNotExist) {
		// The holder uploaded it between our look at the table and our
		// request.
		return s.bucket.ReadRange(ctx, key, off, n)
	}
	if err != nil {
		return nil, &HeldError{Key: key, Instance: instance, Address: address, Err: err}
	}
	return rc, nil
}

func (s *Store) readPeer(ctx context.Context, key, address string, off, n int64) (io.ReadCloser, error) {
	if address == "" {
		return nil, errors.New("no address")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, address+SpoolPath+key, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", s.peerToken(key))
	if n >= 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-"+strconv.FormatInt(off+n-1, 10))
	} else {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-")
	}
	resp, err := s.peers.Do(req)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		return resp.Body, nil
	case http.StatusNotFound:
		resp.Body.Close()
		return nil, ErrNotExist
	}
	resp.Body.Close()
	return nil, fmt.Errorf("%s answered %s", address, resp.Status)
}

// Handler serves this instance's spooled files, with Range, at
// SpoolPath+KEY, to the other instances, which prove themselves with a
// token made with the shared Options.PeerKey; anyone else gets 403. A
// file not (or no longer) in the spool is 404.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.URL.Path, SpoolPath)
		if !ok || s.spool == "" || CheckKey(key) != nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		if !s.peerAllowed(r, key) {
			http.Error(w, "spooled WARC files are served only to pressreview instances with the same key", http.StatusForbidden)
			return
		}
		f, err := os.Open(filepath.Join(s.spool, filepath.FromSlash(key)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || fi.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, "", fi.ModTime(), f)
	})
}

// Stats returns the spool's figures now. A store without spool has none.
func (s *Store) Stats() Stats {
	var st Stats
	s.mu.Lock()
	st.Uploaded, st.UploadedBytes, st.UploadFailures = s.uploaded, s.upBytes, s.failures
	if s.lastErr != nil {
		st.LastError = s.lastErr.Error()
	}
	s.mu.Unlock()
	if s.spool == "" {
		return st
	}
	files, err := s.spooled()
	if err != nil {
		st.LastError = err.Error()
		return st
	}
	now := time.Now()
	for key, fi := range files {
		st.Spooled++
		st.SpooledBytes += fi.Size()
		s.mu.Lock()
		open := s.open[key] > 0
		s.mu.Unlock()
		if !open {
			st.Waiting++
			st.UploadLag = max(st.UploadLag, now.Sub(fi.ModTime()))
		}
	}
	return st
}

// Ready returns nil when the blob store answers and uploads succeed, and
// otherwise says why not and what waits in the spool meanwhile.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := s.bucket.Ping(ctx)
	if err == nil && s.spool != "" {
		s.mu.Lock()
		if s.lastErr != nil {
			err = fmt.Errorf("uploads to %s failing since %s: %w", s.bucket, s.lastErrAt.UTC().Format(time.RFC3339), s.lastErr)
		}
		s.mu.Unlock()
		if err != nil {
			// The store answers again: retry now rather than at the end of
			// the backoff, which may be a minute away.
			s.nudge()
		}
	}
	if err == nil || s.spool == "" {
		return err // the errors name the store
	}
	st := s.Stats()
	return fmt.Errorf("not ready: %w; writing continues into the spool %s: %d files waiting for upload, the oldest for %s (%d bytes spooled)",
		err, s.spool, st.Waiting, st.UploadLag.Round(time.Second), st.SpooledBytes)
}
