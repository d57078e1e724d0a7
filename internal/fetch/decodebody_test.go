package fetch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestDecodeBody decodes a gzip windows-1256 page as the fetcher would.
func TestDecodeBody(t *testing.T) {
	page := `<html><head><meta charset="windows-1256"></head><body><p>سلام مرحبا</p></body></html>`
	legacy, err := charmap.Windows1256.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(legacy))
	zw.Close()
	h := http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}
	got, err := DecodeBody(h, gz.Bytes())
	if err != nil || got != string(DecodeText([]byte(legacy), "text/html").Text) || !bytes.Contains([]byte(got), []byte("سلام مرحبا")) {
		t.Errorf("DecodeBody = %q, %v", got, err)
	}
	if _, err := DecodeBody(http.Header{"Content-Encoding": {"br"}}, []byte("x")); !errors.Is(err, ErrMalformed) {
		t.Errorf("unsupported encoding: %v", err)
	}
	if _, err := DecodeBody(http.Header{"Content-Type": {"image/png"}}, []byte("\x89PNG\r\n\x1a\n")); !errors.Is(err, ErrMalformed) {
		t.Errorf("image: %v", err)
	}
}
