package blobs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/blobs/blobtest"
)

func readAll(t *testing.T, rc io.ReadCloser, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBucket(t *testing.T) {
	blobtest.Each(t, func(t *testing.T, b blobs.Bucket) {
		ctx := context.Background()
		if err := b.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		data := "0123456789abcdefghij"
		if err := b.Put(ctx, "warc/a.warc.gz", strings.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
		rc, err := b.ReadRange(ctx, "warc/a.warc.gz", 5, 7)
		if got := readAll(t, rc, err); got != "56789ab" {
			t.Errorf("range 5+7 = %q", got)
		}
		rc, err = b.ReadRange(ctx, "warc/a.warc.gz", 15, -1)
		if got := readAll(t, rc, err); got != "fghij" {
			t.Errorf("range 15- = %q", got)
		}
		// A put replaces the blob whole.
		if err := b.Put(ctx, "warc/a.warc.gz", strings.NewReader("new"), 3); err != nil {
			t.Fatal(err)
		}
		rc, err = b.ReadRange(ctx, "warc/a.warc.gz", 0, -1)
		if got := readAll(t, rc, err); got != "new" {
			t.Errorf("after replacing: %q", got)
		}
		if _, err := b.ReadRange(ctx, "warc/missing.warc.gz", 0, 10); !errors.Is(err, blobs.ErrNotExist) {
			t.Errorf("missing blob: %v, want ErrNotExist", err)
		}
		for _, key := range []string{"", "/abs", "../up", "a/../../b", "a//b", `a\b`} {
			if err := b.Put(ctx, key, bytes.NewReader(nil), 0); err == nil {
				t.Errorf("put %q: no error", key)
			}
			if _, err := b.ReadRange(ctx, key, 0, 1); err == nil {
				t.Errorf("read %q: no error", key)
			}
		}
	})
}

func TestOpenBucketURLs(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	for raw, want := range map[string]string{
		"ftp://x":                      "scheme must be file or s3",
		"file://host/dir":              "absolute directory",
		"s3://":                        "s3://BUCKET",
		"s3://b":                       "name an endpoint or a region",
		"s3://b?endpoint=ftp://h":      "is not an http(s)",
		"s3://b?region=us-east-1":      "AWS_ACCESS_KEY_ID",
		"s3://b?region=r&prefix=../x/": "prefix",
	} {
		if err := blobs.CheckURL(raw); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckURL(%q) = %v, want an error with %q", raw, err, want)
		}
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "k")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	for _, raw := range []string{"", "file:", "file:///srv/blobs", "s3://b?endpoint=http://127.0.0.1:9000&region=us-east-1", "s3://b?region=eu-west-1&prefix=desk/"} {
		if err := blobs.CheckURL(raw); err != nil {
			t.Errorf("CheckURL(%q): %v", raw, err)
		}
	}
}
