package blobs_test

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"testing"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/blobs/blobtest"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// backends runs a benchmark on the filesystem and, when configured, S3.
func backends(b *testing.B, fn func(b *testing.B, bucket blobs.Bucket)) {
	b.Run("fs", func(b *testing.B) { fn(b, blobtest.FS(b)) })
	b.Run("s3", func(b *testing.B) { fn(b, blobtest.S3(b)) })
}

// BenchmarkPut is the upload of one closed WARC file (8 MiB) to the
// store: bytes/s is the spool's drain rate.
func BenchmarkPut(b *testing.B) {
	data := make([]byte, 8<<20)
	_, _ = crand.Read(data)
	backends(b, func(b *testing.B, bucket blobs.Bucket) {
		b.SetBytes(int64(len(data)))
		i := 0
		for b.Loop() {
			i++
			if err := bucket.Put(context.Background(), fmt.Sprintf("warc/bench-%d.warc.gz", i), bytes.NewReader(data), int64(len(data))); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// writeRecords archives 500 pages of about 20 KB through w.
func writeRecords(b *testing.B, w *archive.Writer) []archive.Location {
	var locs []archive.Location
	for i := range 500 {
		_, loc, err := w.WriteExchange(archive.Exchange{URL: fmt.Sprintf("http://news.example/%d", i),
			Request:        []byte("GET / HTTP/1.1\r\n\r\n"),
			ResponseHeader: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"),
			ResponseBody:   bytes.Repeat([]byte(fmt.Sprintf("<p>paragraph %d of a news page</p>\n", i)), 600)})
		if err != nil {
			b.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return locs
}

// BenchmarkReadHeldRecord reads records of a file another instance still
// holds in its spool (its store cut off): one authenticated range request
// to that instance.
func BenchmarkReadHeldRecord(b *testing.B) {
	raw, outage := blobtest.S3Outage(b)
	outage.Block()
	db := storetest.SQLite(b)
	bucket, err := blobs.OpenBucket(raw, "")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	holder, err := blobs.New(bucket, blobs.Options{DB: db, SpoolDir: b.TempDir(), Instance: "holder",
		Address: "http://" + srv.Listener.Addr().String(), PeerKey: peerKey})
	if err != nil {
		b.Fatal(err)
	}
	defer holder.Close(context.Background())
	srv.Config.Handler = holder.Handler()
	srv.Start()
	defer srv.Close()
	w, err := archive.NewWriter(archive.Config{Blobs: holder, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	locs := writeRecords(b, w)
	if err := holder.Flush(context.Background()); err == nil {
		b.Fatal("uploaded through a blocked relay")
	}
	reader, err := blobs.New(bucket, blobs.Options{DB: db, SpoolDir: b.TempDir(), Instance: "reader", PeerKey: peerKey})
	if err != nil {
		b.Fatal(err)
	}
	defer reader.Close(context.Background())
	files := archive.Blobs(reader)
	for b.Loop() {
		if _, err := archive.Read(context.Background(), files, locs[rand.IntN(len(locs))]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadRecord is what /archive/{capture} costs in storage: one
// record, verified, from a file of 500 uploaded records, by one ranged
// read, through another instance's Store than the writer's.
func BenchmarkReadRecord(b *testing.B) {
	backends(b, func(b *testing.B, bucket blobs.Bucket) {
		db := storetest.SQLite(b)
		writer, err := blobs.New(bucket, blobs.Options{DB: db, SpoolDir: b.TempDir(), Instance: "writer"})
		if err != nil {
			b.Fatal(err)
		}
		w, err := archive.NewWriter(archive.Config{Blobs: writer, NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		locs := writeRecords(b, w)
		if err := writer.Close(context.Background()); err != nil {
			b.Fatal(err)
		}
		reader, err := blobs.New(bucket, blobs.Options{DB: db, SpoolDir: b.TempDir(), Instance: "reader"})
		if err != nil {
			b.Fatal(err)
		}
		defer reader.Close(context.Background())
		files := archive.Blobs(reader)
		for b.Loop() {
			if _, err := archive.Read(context.Background(), files, locs[rand.IntN(len(locs))]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
