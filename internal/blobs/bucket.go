package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
)

// ErrNotExist reports a key the store does not hold.
var ErrNotExist = errors.New("blobs: no such blob")

// Bucket is where blobs end up: a directory or an S3-compatible bucket.
// Keys are slash-separated relative paths ("warc/NAME.warc.gz"). A blob is
// written once, whole, and never changed; readers read byte ranges of it.
type Bucket interface {
	// Put stores size bytes from r under key, replacing any blob there,
	// and returns once they are durable.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// ReadRange returns n bytes of the blob at key from offset off (n < 0:
	// to its end). A missing blob is ErrNotExist.
	ReadRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error)
	// Ping says whether the store answers and the bucket exists.
	Ping(ctx context.Context) error
	// String names the store for messages, without credentials.
	String() string
}

// OpenBucket opens the bucket PRESSREVIEW_BLOBS names:
//
//	""  or "file:"                 the directory dataDir (the embedded default)
//	file:///srv/pressreview        that directory
//	s3://BUCKET?endpoint=URL&region=R[&prefix=P/]
//	                               an S3-compatible bucket (keys under P/ if
//	                               given); the access key comes from
//	                               AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
//
// An s3 URL without endpoint talks to AWS (https://s3.REGION.amazonaws.com).
func OpenBucket(rawURL, dataDir string) (Bucket, error) {
	if rawURL == "" || rawURL == "file:" {
		return NewFS(dataDir)
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "file" {
		return NewFS(u.Path)
	}
	return newS3(u)
}

// CheckURL reports what is wrong with a PRESSREVIEW_BLOBS value (and, for
// s3, missing credentials) without touching any store.
func CheckURL(rawURL string) error {
	if rawURL == "" || rawURL == "file:" {
		return nil
	}
	u, err := parseURL(rawURL)
	if err == nil && u.Scheme == "s3" {
		_, err = newS3(u)
	}
	return err
}

func parseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("PRESSREVIEW_BLOBS: %q is not a URL: %v", rawURL, err)
	}
	switch u.Scheme {
	case "file":
		if u.Path == "" || u.Host != "" {
			return nil, fmt.Errorf("PRESSREVIEW_BLOBS: %q: a file URL names an absolute directory, file:///srv/blobs", rawURL)
		}
		return u, nil
	case "s3":
		return u, nil
	}
	return nil, fmt.Errorf("PRESSREVIEW_BLOBS: %q: the scheme must be file or s3", u.Redacted())
}

// CheckKey rejects keys that could leave the bucket's namespace or that
// S3 and file systems would read differently.
func CheckKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || path.Clean(key) != key || strings.HasPrefix(key, "../") || key == ".." ||
		strings.ContainsAny(key, "\\\x00") {
		return fmt.Errorf("blobs: bad key %q", key)
	}
	return nil
}
