package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want Kind
	}{
		{nil, None},
		{&Error{Kind: Hard}, Hard},
		{fmt.Errorf("wrapped: %w", &Error{Kind: Temporary}), Temporary},
		{fmt.Errorf("feed: %w", ErrMalformed), Hard},
		{ErrRobotsDisallowed, Hard},
		{ErrTooLarge, Soft},
		{context.DeadlineExceeded, Temporary},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, Temporary},
		{&net.DNSError{Name: "x.invalid", IsNotFound: true}, Hard},
		{&net.DNSError{Name: "x", IsTemporary: true}, Temporary},
		{errors.New("something odd"), Soft},
	} {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("Classify(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
}

func TestStatusKind(t *testing.T) {
	for status, want := range map[int]Kind{404: Hard, 410: Hard, 403: Hard, 408: Temporary, 429: Temporary,
		500: Soft, 502: Soft, 503: Temporary, 504: Temporary} {
		if got := statusKind(status); got != want {
			t.Errorf("statusKind(%d) = %s, want %s", status, got, want)
		}
	}
}

func TestCacheHeaders(t *testing.T) {
	now := time.Date(2024, 3, 7, 12, 0, 0, 0, time.UTC)
	if got := parseRetryAfter("120", now); got != 2*time.Minute {
		t.Errorf("seconds: %v", got)
	}
	if got := parseRetryAfter("Thu, 07 Mar 2024 12:05:00 GMT", now); got != 5*time.Minute {
		t.Errorf("HTTP-date: %v", got)
	}
	if got := parseRetryAfter("Thu, 07 Mar 2024 11:00:00 GMT", now); got != 0 {
		t.Errorf("past date: %v", got)
	}
	if got := parseRetryAfter("soon", now); got != 0 {
		t.Errorf("garbage: %v", got)
	}
	if got := parseMaxAge("no-cache, max-age=600, s-maxage=60"); got != 10*time.Minute {
		t.Errorf("max-age: %v", got)
	}
	if got := parseMaxAge("no-store"); got != -1 {
		t.Errorf("absent max-age: %v", got)
	}
	if !parseHTTPDate("0").IsZero() {
		t.Error(`Expires: "0" should read as absent`)
	}
}
