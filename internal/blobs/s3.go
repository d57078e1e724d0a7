package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 keeps blobs in a bucket of an S3-compatible object store.
//
// minio-go rather than gocloud.dev/blob: we need exactly put, ranged get
// and a bucket check against any S3-compatible endpoint (versitygw, MinIO,
// Ceph, AWS), which minio-go does directly with a small module graph;
// gocloud's s3blob brings the whole AWS SDK v2 for the same three calls,
// and its portability across clouds is not something the desk uses.
type S3 struct {
	client *minio.Client
	core   minio.Core
	bucket string
	prefix string // put before every key: desks (or tests) may share a bucket
	name   string // for messages: s3://bucket/prefix at endpoint
}

func newS3(u *url.URL) (*S3, error) {
	bucket := u.Host
	if bucket == "" || strings.Trim(u.Path, "/") != "" {
		return nil, fmt.Errorf("PRESSREVIEW_BLOBS: %q: an s3 URL is s3://BUCKET?endpoint=URL&region=REGION", u.Redacted())
	}
	q := u.Query()
	region, prefix := q.Get("region"), q.Get("prefix")
	if prefix != "" && (CheckKey(strings.TrimSuffix(prefix, "/")) != nil || !strings.HasSuffix(prefix, "/")) {
		return nil, fmt.Errorf("PRESSREVIEW_BLOBS: prefix %q must be a relative path ending in /", prefix)
	}
	endpoint := q.Get("endpoint")
	if endpoint == "" {
		if region == "" {
			return nil, fmt.Errorf("PRESSREVIEW_BLOBS: %q: name an endpoint or a region", u.Redacted())
		}
		endpoint = "https://s3." + region + ".amazonaws.com"
	}
	ep, err := url.Parse(endpoint)
	if err != nil || (ep.Scheme != "http" && ep.Scheme != "https") || ep.Host == "" || strings.Trim(ep.Path, "/") != "" {
		return nil, fmt.Errorf("PRESSREVIEW_BLOBS: endpoint %q is not an http(s)://host[:port] URL", endpoint)
	}
	creds := credentials.NewEnvAWS()
	if v, err := creds.GetWithContext(nil); err != nil || v.AccessKeyID == "" || v.SecretAccessKey == "" {
		return nil, errors.New("PRESSREVIEW_BLOBS: an s3 store needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
	}
	client, err := minio.New(ep.Host, &minio.Options{
		Creds:  creds,
		Secure: ep.Scheme == "https",
		Region: region,
		// Path-style requests (endpoint/bucket/key) work on every
		// S3-compatible server without DNS for bucket names.
		BucketLookup: minio.BucketLookupPath,
		// The upload loop retries with its own backoff, and readiness must
		// answer promptly; minio-go's default is ten retries per call.
		MaxRetries: 2,
	})
	if err != nil {
		return nil, fmt.Errorf("PRESSREVIEW_BLOBS: %w", err)
	}
	return &S3{client: client, core: minio.Core{Client: client}, bucket: bucket, prefix: prefix,
		name: "s3://" + bucket + "/" + prefix + " at " + ep.Scheme + "://" + ep.Host}, nil
}

func (b *S3) String() string { return b.name }

func (b *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	_, err := b.client.PutObject(ctx, b.bucket, b.prefix+key, r, size, minio.PutObjectOptions{ContentType: contentType(key)})
	if err != nil {
		return fmt.Errorf("blobs: put %s in %s: %w", key, b.name, err)
	}
	return nil
}

// ReadRange asks for exactly the bytes wanted (an HTTP Range request), so
// reading one record of a 1 GB WARC file moves only that record.
func (b *S3) ReadRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	var opts minio.GetObjectOptions
	switch {
	case n == 0:
		return io.NopCloser(strings.NewReader("")), nil
	case n > 0:
		if err := opts.SetRange(off, off+n-1); err != nil {
			return nil, err
		}
	case off > 0:
		if err := opts.SetRange(off, 0); err != nil {
			return nil, err
		}
	}
	// Core.GetObject sends the request now, so a missing key or an
	// unreachable store is reported here rather than on the first Read.
	rc, _, _, err := b.core.GetObject(ctx, b.bucket, b.prefix+key, opts)
	if err != nil {
		if minio.ToErrorResponse(err).StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("%w: %s in %s", ErrNotExist, key, b.name)
		}
		return nil, fmt.Errorf("blobs: read %s in %s: %w", key, b.name, err)
	}
	return rc, nil
}

func (b *S3) Ping(ctx context.Context) error {
	ok, err := b.client.BucketExists(ctx, b.bucket)
	if err != nil {
		return fmt.Errorf("blobs: %s: %w", b.name, err)
	}
	if !ok {
		return fmt.Errorf("blobs: %s: no such bucket", b.name)
	}
	return nil
}

func contentType(key string) string {
	if strings.HasSuffix(key, ".warc.gz") {
		return "application/warc"
	}
	return "application/octet-stream"
}
