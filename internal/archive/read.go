package archive

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	warc "github.com/internetarchive/gowarc"

	"github.com/pressreview/pressreview/internal/blobs"
)

// ErrCorrupt reports a record that cannot be trusted: truncated, not where
// its Location says, or failing its digests.
var ErrCorrupt = errors.New("archive: corrupt record")

// Response is an archived HTTP response, ready to be served back.
type Response struct {
	RecordID  string
	TargetURI string
	Date      time.Time
	Status    int
	Header    http.Header
	// Body is the payload exactly as received, Content-Encoding included,
	// so serving it with Header reproduces what the server sent.
	Body []byte
	// PayloadDigest and BlockDigest are the verified WARC digests
	// ("sha256:<hex>").
	PayloadDigest, BlockDigest string
	// Revisit is set when the record is a revisit (a 304 answer): it names
	// the stored response whose payload the record stands for, and Body
	// is empty until Resolve fills it from that response.
	Revisit *Original
}

// Files is where WARC files are read from: a local directory (Dir) or the
// blob store (Blobs). Only the record's own bytes are asked for, so a
// record is one ranged read wherever its file is.
type Files interface {
	// ReadRange returns n bytes of the named file from offset off.
	ReadRange(ctx context.Context, name string, off, n int64) (io.ReadCloser, error)
}

// Dir reads WARC files from a local directory.
type Dir string

func (d Dir) ReadRange(_ context.Context, name string, off, n int64) (io.ReadCloser, error) {
	f, err := os.Open(filepath.Join(string(d), name))
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, off, n), f}, nil
}

// Area is the blob store area (key prefix) of WARC files.
const Area = "warc"

// Blobs reads WARC files from the blob store, wherever each one is: in
// this instance's spool, uploaded, or still held by another instance.
func Blobs(s *blobs.Store) Files { return blobFiles{s} }

type blobFiles struct{ s *blobs.Store }

func (b blobFiles) ReadRange(ctx context.Context, name string, off, n int64) (io.ReadCloser, error) {
	return b.s.ReadRange(ctx, Area+"/"+name, off, n)
}

// readRecordMu lets one gowarc ReadRecord run at a time in the process.
// gowarc v0.8.96 (the only version served) reads each header line into a
// buffer of a sync.Pool and returns a slice of it after putting the
// buffer back (readUntilDelim, read.go:145–166), so a ReadRecord running
// beside another can find its WARC version or a header line overwritten:
// the race detector caught it (TestFeedSimulation), and it is the likely
// cause of the rare capture that one of three instances could not read
// (TestThreeInstances). A record's read is short: its bytes are already
// in memory (readRange).
var readRecordMu sync.Mutex

// Read returns the response record at loc in files, after checking that
// it is the record loc names and that its block and payload digests match
// its content.
func Read(ctx context.Context, files Files, loc Location) (*Response, error) {
	if filepath.Base(loc.File) != loc.File || loc.File == "" || loc.File == "." || loc.File == ".." {
		return nil, fmt.Errorf("archive: bad file name %q in location", loc.File)
	}
	if loc.Offset < 0 || loc.Length <= 0 {
		return nil, fmt.Errorf("archive: bad range %d+%d in location of %s", loc.Offset, loc.Length, loc.File)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s@%d: %s", ErrCorrupt, loc.File, loc.Offset, fmt.Sprintf(format, args...))
	}
	member, err := readRange(ctx, files, loc)
	if err != nil && !errors.Is(err, blobs.ErrNotExist) && ctx.Err() == nil {
		// Once more: a record is small, and a read cut off on the way (a
		// connection to the object store or to the instance holding the
		// file, dropped under load) is worth another try before the
		// reader gets an error.
		member, err = readRange(ctx, files, loc)
	}
	if err != nil {
		return nil, err
	}

	r, err := warc.NewReader(bytes.NewReader(member))
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	defer r.Close()
	readRecordMu.Lock()
	rec, err := r.ReadRecord()
	readRecordMu.Unlock()
	if err != nil {
		return nil, fail("%v", err)
	}
	defer rec.Content.Close()
	if _, err := rec.Content.Seek(0, io.SeekStart); err != nil {
		return nil, fail("%v", err)
	}
	block, err := io.ReadAll(rec.Content)
	if err != nil {
		return nil, fail("%v", err)
	}

	h := rec.Header
	revisit := h.Get("WARC-Type") == "revisit"
	switch {
	case h.Get("WARC-Record-ID") != loc.RecordID:
		return nil, fail("record %s, location names %s", h.Get("WARC-Record-ID"), loc.RecordID)
	case h.Get("WARC-Type") != "response" && !revisit:
		return nil, fail("a %s record, not a response", h.Get("WARC-Type"))
	}
	if err := checkDigest(h.Get("WARC-Block-Digest"), block); err != nil {
		return nil, fail("block: %v", err)
	}

	end := bytes.Index(block, []byte("\r\n\r\n"))
	if end < 0 {
		return nil, fail("no end of HTTP headers")
	}
	head, body := block[:end+4], block[end+4:]
	var original *Original
	if revisit {
		// The payload is in the record referred to; Resolve checks it.
		refDate, err := time.Parse(time.RFC3339Nano, h.Get("WARC-Refers-To-Date"))
		if err != nil || h.Get("WARC-Refers-To") == "" || h.Get("WARC-Payload-Digest") == "" {
			return nil, fail("revisit without WARC-Refers-To, a readable WARC-Refers-To-Date and WARC-Payload-Digest")
		}
		original = &Original{RecordID: h.Get("WARC-Refers-To"), TargetURI: h.Get("WARC-Refers-To-Target-URI"),
			Date: refDate, PayloadDigest: h.Get("WARC-Payload-Digest")}
	} else if err := checkDigest(h.Get("WARC-Payload-Digest"), body); err != nil {
		return nil, fail("payload: %v", err)
	}
	httpResp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil)
	if err != nil {
		return nil, fail("HTTP headers: %v", err)
	}
	httpResp.Body.Close()
	date, _ := time.Parse(time.RFC3339Nano, h.Get("WARC-Date"))
	return &Response{
		RecordID:      loc.RecordID,
		TargetURI:     h.Get("WARC-Target-URI"),
		Date:          date,
		Status:        httpResp.StatusCode,
		Header:        httpResp.Header,
		Body:          body,
		PayloadDigest: h.Get("WARC-Payload-Digest"),
		BlockDigest:   h.Get("WARC-Block-Digest"),
		Revisit:       original,
	}, nil
}

// Resolve completes a revisit record read by Read with the response it
// refers to, stored at original in files: what a replay shows. The result
// has the stored response's status and body, its headers updated with the
// 304's (as a cache does, RFC 9111 §4.3.4), and the revisit's date. The
// original must be the record the revisit names, with the payload digest
// it names. A response record is returned as it is.
func Resolve(ctx context.Context, files Files, rev *Response, original Location) (*Response, error) {
	if rev.Revisit == nil {
		return rev, nil
	}
	orig, err := Read(ctx, files, original)
	if err != nil {
		return nil, err
	}
	switch {
	case orig.RecordID != rev.Revisit.RecordID:
		return nil, fmt.Errorf("%w: revisit %s refers to %s, not to %s", ErrCorrupt, rev.RecordID, rev.Revisit.RecordID, orig.RecordID)
	case orig.PayloadDigest != rev.Revisit.PayloadDigest:
		return nil, fmt.Errorf("%w: revisit %s names payload %s, %s holds %s", ErrCorrupt, rev.RecordID,
			rev.Revisit.PayloadDigest, orig.RecordID, orig.PayloadDigest)
	}
	out := *orig
	out.RecordID, out.Date, out.BlockDigest, out.Revisit = rev.RecordID, rev.Date, rev.BlockDigest, rev.Revisit
	out.Header = orig.Header.Clone()
	for k, v := range rev.Header {
		if k != "Content-Length" { // the stored body's length stands (RFC 9111 §3.2)
			out.Header[k] = v
		}
	}
	return &out, nil
}

// checkDigest verifies a "sha256:…" (or other gowarc-supported) digest.
func checkDigest(digest string, data []byte) error {
	if digest == "" {
		return errors.New("no digest")
	}
	prefix, _, _ := strings.Cut(digest, ":")
	algo := warc.GetDigestFromPrefix(prefix)
	if algo == warc.SHA256Base16 && len(digest) != len("sha256:")+64 {
		algo = warc.SHA256Base32
	}
	got, err := warc.GetDigest(bytes.NewReader(data), algo)
	if err != nil {
		return err
	}
	if got != digest {
		return fmt.Errorf("digest %s, content hashes to %s", digest, got)
	}
	return nil
}

// readRange reads the bytes of loc.
func readRange(ctx context.Context, files Files, loc Location) ([]byte, error) {
	rc, err := files.ReadRange(ctx, loc.File, loc.Offset, loc.Length)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	member, err := io.ReadAll(io.LimitReader(rc, loc.Length))
	if err != nil {
		return nil, fmt.Errorf("archive: read %s@%d: %w", loc.File, loc.Offset, err)
	}
	return member, nil
}
