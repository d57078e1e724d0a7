package fetch

import (
	"net/http"
	"time"
)

// Request is one URL to fetch, with the validators remembered from the last
// successful fetch so the server can answer 304 Not Modified.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since, verbatim as received
	Accept       string // Accept header; empty means "*/*"
	// NoWait returns ErrHostBusy at once, with Error.RetryAfter saying
	// when the host's turn comes, instead of waiting for it, when the
	// first request's host has a request in flight or its politeness
	// delay has not passed: a worker with other hosts' pages to fetch
	// takes one of those meanwhile. Redirect hops and a robots.txt fetch
	// still wait for their host's turn.
	NoWait bool
}

// Response is the outcome of a fetch that reached a server. Fetch also
// returns it, beside an *Error, for HTTP error statuses, so error pages can
// be archived and their headers (Retry-After) read.
type Response struct {
	URL       string   // as requested
	FinalURL  string   // after redirects
	Redirects []string // URLs that answered with a redirect, in order
	// Hops are those redirect answers (URL = FinalURL = the URL that
	// answered), each with its raw exchange, so the whole chain can be
	// archived and a replay of the first URL follows it to this answer.
	Hops        []*Response
	Status      int
	NotModified bool // 304: Body is empty, keep the previous copy
	FetchedAt   time.Time
	RemoteIP    string // address of the server that answered, for WARC-IP-Address

	Header       http.Header
	ContentType  string
	ETag         string
	LastModified string
	// MaxAge is Cache-Control max-age, or -1 when absent.
	MaxAge time.Duration
	// Expires is the Expires header, zero when absent or invalid.
	Expires time.Time
	// RetryAfter is the Retry-After header (seconds or HTTP-date) as a
	// duration from FetchedAt; 0 when absent.
	RetryAfter time.Duration

	// Body is the content with Content-Encoding (gzip, deflate) removed, in
	// the charset the server sent.
	Body []byte
	// SHA256 is the hex SHA-256 of Body: the identity of the content,
	// independent of transfer compression.
	SHA256 string
	// Text is Body decoded to UTF-8 for textual types (HTML, XML, JSON,
	// text/*); nil for others. See DecodeText for the charset rules.
	Text          []byte
	Charset       string        // charset Text was decoded from
	CharsetSource CharsetSource // which rule chose it

	// The exchange as it crossed the wire, for WARC archiving.
	// RawRequest is the request line and headers as sent.
	RawRequest []byte
	// RawHeader is the status line and headers as received. Go removes
	// Transfer-Encoding while de-chunking, so it is absent here, and header
	// order is canonical (sorted), not the server's.
	RawHeader []byte
	// RawBody is the entity body as received: still content-encoded,
	// de-chunked. It is the WARC payload.
	RawBody []byte
	// RawSHA256 is the hex SHA-256 of RawBody (the WARC payload digest),
	// set with SHA256; without a Content-Encoding the two are one hash.
	RawSHA256 string
}
