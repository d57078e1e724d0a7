package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"
)

// Kind says how a caller should react to a failed fetch. The scheduler uses it
// to pick a back-off: a Temporary failure is retried soon, a Soft one later,
// a Hard one much later (feeds are never given up for dead, see DESIGN.md).
type Kind int

const (
	// None is the kind of a nil error.
	None Kind = iota
	// Temporary failures go away by themselves: timeouts, refused or reset
	// connections, 429 Too Many Requests, 503 Service Unavailable, 504.
	Temporary
	// Soft failures are server-side faults that may or may not persist:
	// other 5xx answers, oversized bodies, redirect loops.
	Soft
	// Hard failures will not change without a human: 404, 410 and other 4xx,
	// unknown hosts, invalid URLs, robots.txt disallows, malformed content,
	// addresses outside Config.Allow.
	Hard
)

// String names the kind for logs and the source-health screen.
func (k Kind) String() string {
	switch k {
	case None:
		return "none"
	case Temporary:
		return "temporary"
	case Soft:
		return "soft"
	case Hard:
		return "hard"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Sentinel causes, wrapped by *Error so callers can test them with errors.Is.
var (
	// ErrRobotsDisallowed: robots.txt forbids our user agent this URL.
	ErrRobotsDisallowed = errors.New("disallowed by robots.txt")
	// ErrTooLarge: the (decompressed) body exceeds Config.MaxBodyBytes.
	ErrTooLarge = errors.New("body too large")
	// ErrRedirectLoop: a redirect led back to a URL already visited.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrTooManyRedirects: more than Config.MaxRedirects hops.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrInvalidURL: the URL cannot be fetched (bad syntax, scheme or host).
	ErrInvalidURL = errors.New("invalid URL")
	// ErrMalformed: the content cannot be decoded or parsed. Other packages
	// (feeds, extract) wrap it so Classify reports their parse errors as Hard.
	ErrMalformed = errors.New("malformed content")
	// ErrHostPaused: the host asked us to slow down (429/503 with
	// Retry-After) and the pause outlasts Config.MaxHostDelay, so no request
	// was sent; Error.RetryAfter says when to try again.
	ErrHostPaused = errors.New("host paused")
	// ErrHostBusy: Request.NoWait was set and the host's turn has not come
	// (a request in flight, or the delay since the last one not over); no
	// request was sent. Error.RetryAfter says when to try again.
	ErrHostBusy = errors.New("host busy")
)

// Error is the error returned by Fetch. Its message names the request and
// the outcome in words an analyst can read on the source-health screen, e.g.
// "GET http://example.com/feed: server answered 410 Gone".
type Error struct {
	Kind       Kind
	Method     string
	URL        string
	Status     int           // HTTP status, 0 when no response was received
	RetryAfter time.Duration // from Retry-After or a host pause, 0 if none
	Msg        string        // what happened, without the method and URL
	Err        error         // underlying cause, may be nil
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: %s", e.Method, e.URL, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Classify returns the Kind of err. It understands *Error, this package's
// sentinels, context and network errors, so errors from feeds and extract
// (which wrap ErrMalformed) classify too. Unknown errors are Soft: we do not
// know they are permanent, nor that they will pass quickly.
func Classify(err error) Kind {
	if err == nil {
		return None
	}
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	kind, _ := classifyCause(err)
	return kind
}

// classifyCause classifies an error that is not (yet) an *Error and describes
// it briefly for Error.Msg.
func classifyCause(err error) (Kind, string) {
	var dnsErr *net.DNSError
	var addrErr *AddressError
	switch {
	case errors.As(err, &addrErr):
		return Hard, addrErr.Error()
	case errors.Is(err, ErrForbiddenAddress):
		return Hard, err.Error()
	case errors.Is(err, ErrMalformed):
		return Hard, err.Error()
	case errors.Is(err, ErrRobotsDisallowed), errors.Is(err, ErrInvalidURL):
		return Hard, err.Error()
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrRedirectLoop), errors.Is(err, ErrTooManyRedirects):
		return Soft, err.Error()
	case errors.Is(err, ErrHostPaused):
		return Temporary, err.Error()
	case isTimeout(err):
		return Temporary, "timed out"
	case errors.Is(err, context.Canceled):
		return Temporary, "canceled"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return Hard, "host not found (DNS): " + dnsErr.Name
		}
		return Temporary, "DNS lookup failed: " + dnsErr.Err
	case errors.Is(err, syscall.ECONNREFUSED):
		return Temporary, "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return Temporary, "connection reset"
	}
	return Soft, err.Error()
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()
}

// statusKind classifies an HTTP error status. 504 joins 503 as Temporary
// because a gateway timeout is a timeout; 408 is the server timing us out.
func statusKind(status int) Kind {
	switch {
	case status == 429, status == 503, status == 504, status == 408:
		return Temporary
	case status >= 500:
		return Soft
	case status >= 400:
		return Hard
	}
	return Soft
}
