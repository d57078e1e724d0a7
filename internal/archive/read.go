package archive

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	warc "github.com/internetarchive/gowarc"
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
}

// Read returns the response record at loc in the archive directory dir,
// after checking that it is the record loc names and that its block and
// payload digests match its content.
func Read(dir string, loc Location) (*Response, error) {
	if filepath.Base(loc.File) != loc.File || loc.File == "" {
		return nil, fmt.Errorf("archive: bad file name %q in location", loc.File)
	}
	f, err := os.Open(filepath.Join(dir, loc.File))
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s@%d: %s", ErrCorrupt, loc.File, loc.Offset, fmt.Sprintf(format, args...))
	}

	r, err := warc.NewReader(io.NewSectionReader(f, loc.Offset, loc.Length))
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	defer r.Close()
	rec, err := r.ReadRecord()
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
	switch {
	case h.Get("WARC-Record-ID") != loc.RecordID:
		return nil, fail("record %s, location names %s", h.Get("WARC-Record-ID"), loc.RecordID)
	case h.Get("WARC-Type") != "response":
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
	if err := checkDigest(h.Get("WARC-Payload-Digest"), body); err != nil {
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
	}, nil
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
