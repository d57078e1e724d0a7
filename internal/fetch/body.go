package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
)

// readLimited reads up to limit bytes and reports whether more were
// available, reading at most one byte past the limit. sizeHint, the
// expected size (a Content-Length, or 0 when unknown), sizes the buffer
// up front: news pages run to hundreds of kilobytes, and growing a buffer
// from io.ReadAll's 512 bytes copies each page about ten times.
func readLimited(r io.Reader, limit, sizeHint int64) (data []byte, tooLarge bool, err error) {
	var buf bytes.Buffer
	if sizeHint > 0 {
		// MinRead spare: ReadFrom grows (copies) the buffer whenever less
		// than that is left, including for the final read that sees EOF.
		buf.Grow(int(min(sizeHint, limit)) + 1 + bytes.MinRead)
	}
	_, err = buf.ReadFrom(io.LimitReader(r, limit+1))
	data = buf.Bytes()
	if int64(len(data)) > limit {
		return data[:limit], true, err
	}
	return data, false, err
}

// decodeContent removes a Content-Encoding. The decompressed size is capped
// at limit: reading stops one byte past it, so a gzip bomb costs limit bytes
// of memory, not the gigabytes it expands to. tooLarge reports the cut.
func decodeContent(raw []byte, contentEncoding string, limit int64) (data []byte, tooLarge bool, err error) {
	var zr io.Reader
	switch enc := strings.ToLower(strings.TrimSpace(contentEncoding)); enc {
	case "", "identity":
		return raw, false, nil
	case "gzip", "x-gzip":
		r, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, false, fmt.Errorf("%w: corrupt gzip body: %v", ErrMalformed, err)
		}
		zr = r
	case "deflate":
		zr = newDeflateReader(raw)
	default:
		return nil, false, fmt.Errorf("%w: unsupported Content-Encoding %q", ErrMalformed, enc)
	}
	// News pages compress about four to one.
	data, tooLarge, err = readLimited(zr, limit, 4*int64(len(raw)))
	if tooLarge {
		return data, true, nil
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, false, fmt.Errorf("%w: truncated %s body", ErrMalformed, contentEncoding)
		}
		return nil, false, fmt.Errorf("%w: corrupt %s body: %v", ErrMalformed, contentEncoding, err)
	}
	return data, false, nil
}

// newDeflateReader reads "deflate" bodies, which RFC 9110 defines as zlib
// but some servers send as raw DEFLATE; the zlib header decides.
func newDeflateReader(raw []byte) io.Reader {
	if len(raw) >= 2 && raw[0]&0x0f == 8 && (uint16(raw[0])<<8|uint16(raw[1]))%31 == 0 {
		if r, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			return r
		}
	}
	return flate.NewReader(bytes.NewReader(raw))
}
