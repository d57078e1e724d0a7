package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
)

const seedPath = "/analysis/" + demo.SeedSlug

// testNow is after every demo publish time, so the demo is all public.
var testNow = time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)

// demoServer serves the demo desk on a fresh database of each store.
func demoServer(t *testing.T, fn func(t *testing.T, db *store.DB, ts *httptest.Server)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		loadSite(t, db)
		fn(t, db, newTestServer(t, db, web.Options{}))
	})
}

// loadSite imports the demo desk and testdata/site.json, whose images get
// generated pictures (the file holds their captions, not their bytes).
func loadSite(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/site.json")
	if err != nil {
		t.Fatal(err)
	}
	// The pictures are generated, so the file leaves "data" empty and the
	// bundle is filled in before it is validated.
	var b exchange.Bundle
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	for i := range b.Images {
		b.Images[i].Data = testJPEG(t, 1600, 900, uint8(60*i))
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Import(ctx, db, "site.json", &b); err != nil {
		t.Fatal(err)
	}
}

// testJPEG is a w×h picture with a gradient, so resizing has work to do.
func testJPEG(t testing.TB, w, h int, hue uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), hue, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newTestServer(t *testing.T, db *store.DB, opts web.Options) *httptest.Server {
	t.Helper()
	if opts.SiteURL == "" {
		opts.SiteURL = "https://desk.example"
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	opts.Logger = discard()
	srv, err := web.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// get fetches path and returns the response with its body read.
func get(t *testing.T, ts *httptest.Server, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A bare transport: the default one would ask for gzip and hide it.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// mustContain fails for each want that body lacks.
func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
