package fetch

import (
	"fmt"
	"net/http"
)

// DecodeBody turns an archived response body back into the text the
// fetcher gave: Content-Encoding removed (gzip, deflate), then decoded
// to UTF-8 by the rules of DecodeText from the Content-Type header and
// the bytes, as Response.Text is. A body that is not textual (by its
// type or, failing that, by sniffing) is an ErrMalformed error.
func DecodeBody(header http.Header, body []byte) (text string, err error) {
	// An archived body was within the fetcher's cap when it was fetched;
	// this one only bounds what a corrupt or hostile record can cost.
	const limit = maxDecodeBodyBytes
	data, tooLarge, err := decodeContent(body, header.Get("Content-Encoding"), limit)
	if err != nil {
		return "", err
	}
	if tooLarge {
		return "", fmt.Errorf("%w (over %d bytes once decompressed)", ErrTooLarge, limit)
	}
	ctype := header.Get("Content-Type")
	if !isTextual(ctype, data) {
		return "", fmt.Errorf("%w: %q is not text", ErrMalformed, ctype)
	}
	return string(DecodeText(data, ctype).Text), nil
}

// maxDecodeBodyBytes caps what DecodeBody decompresses.
const maxDecodeBodyBytes = 256 << 20
