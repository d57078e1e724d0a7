// Package blobtest gives tests the blob stores pressreview supports: a
// directory under t.TempDir always, and an S3-compatible bucket when
// PRESSREVIEW_TEST_S3 holds its URL (s3://BUCKET?endpoint=URL&region=R,
// with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set). With CI set, a
// missing or unreachable S3 server fails the test instead of skipping it,
// so a green CI run always means both backends were exercised; .ci/run
// starts versitygw for it.
//
// Each S3 bucket handed out has a fresh random key prefix, so tests share
// the server's bucket without meeting each other's keys.
package blobtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/blobs"
)

// EnvS3 names the variable that holds the S3 test bucket's URL.
const EnvS3 = "PRESSREVIEW_TEST_S3"

// Each calls fn in a subtest named after the backend, with an empty bucket
// of that backend.
func Each(t *testing.T, fn func(t *testing.T, b blobs.Bucket)) {
	t.Helper()
	t.Run("fs", func(t *testing.T) { fn(t, FS(t)) })
	t.Run("s3", func(t *testing.T) { fn(t, S3(t)) })
}

// FS returns a bucket in a fresh directory.
func FS(t testing.TB) *blobs.FS {
	t.Helper()
	b, err := blobs.NewFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// S3 returns the test bucket under a fresh prefix; it skips the test (or
// fails it under CI) when no S3 server is configured or reachable.
func S3(t testing.TB) blobs.Bucket {
	t.Helper()
	return open(t, S3URL(t))
}

// S3URL returns the test bucket's URL with a fresh prefix, after checking
// that the server answers.
func S3URL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(EnvS3)
	if raw == "" {
		unavailable(t, EnvS3+" is not set")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", EnvS3, err)
	}
	q := u.Query()
	q.Set("prefix", q.Get("prefix")+"test-"+randomHex(6)+"/")
	u.RawQuery = q.Encode()
	b, err := blobs.OpenBucket(u.String(), "")
	if err != nil {
		t.Fatalf("%s: %v", EnvS3, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Ping(ctx); err != nil {
		unavailable(t, "the S3 server at "+EnvS3+" cannot be reached: "+err.Error())
	}
	return u.String()
}

func open(t testing.TB, raw string) blobs.Bucket {
	t.Helper()
	b, err := blobs.OpenBucket(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so the S3 blob tests must run: %s", why)
	}
	t.Skip(why)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Outage puts a TCP relay in front of the S3 server, so that a test can
// cut the store off (Block) and bring it back (Unblock) while the server
// itself runs on: the "blob store unreachable" of a network failure.
type Outage struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	blocked bool
	conns   map[net.Conn]bool
}

// S3Outage returns the URL of the test bucket (fresh prefix) reached
// through a relay, and the relay. It is closed when the test ends.
func S3Outage(t testing.TB) (string, *Outage) {
	t.Helper()
	u, err := url.Parse(S3URL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	ep, err := url.Parse(q.Get("endpoint"))
	if err != nil || ep.Host == "" || ep.Scheme != "http" {
		t.Fatalf("%s: the outage relay needs a plain http endpoint, not %q", EnvS3, q.Get("endpoint"))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o := &Outage{ln: ln, target: ep.Host, conns: map[net.Conn]bool{}}
	go o.serve()
	t.Cleanup(func() {
		ln.Close()
		o.Block()
	})
	ep.Host = ln.Addr().String()
	q.Set("endpoint", ep.String())
	u.RawQuery = q.Encode()
	return u.String(), o
}

// Block cuts every open connection and refuses new ones until Unblock.
func (o *Outage) Block() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.blocked = true
	for c := range o.conns {
		c.Close()
	}
	clear(o.conns)
}

// Unblock lets connections through again.
func (o *Outage) Unblock() {
	o.mu.Lock()
	o.blocked = false
	o.mu.Unlock()
}

func (o *Outage) serve() {
	for {
		c, err := o.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		go o.relay(c)
	}
}

func (o *Outage) relay(c net.Conn) {
	o.mu.Lock()
	if o.blocked {
		o.mu.Unlock()
		c.Close()
		return
	}
	o.mu.Unlock()
	up, err := net.Dial("tcp", o.target)
	if err != nil {
		c.Close()
		return
	}
	o.mu.Lock()
	if o.blocked { // blocked while we dialled
		o.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	o.conns[c], o.conns[up] = true, true
	o.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
	c.Close()
	up.Close()
	o.mu.Lock()
	delete(o.conns, c)
	delete(o.conns, up)
	o.mu.Unlock()
}
