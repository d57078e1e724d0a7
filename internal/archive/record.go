package archive

import (
	"bytes"
	"fmt"
	"strings"

	warc "github.com/internetarchive/gowarc"
)

// gzipRecord renders one WARC record as its own gzip member (the layout
// that lets a reader seek straight to a record) and returns the member and
// the hex SHA-256 block digest gowarc computed for it.
func gzipRecord(header warc.Header, block []byte) (member []byte, sha string, err error) {
	var buf bytes.Buffer
	w, err := warc.NewWriter(&buf, "", warc.SHA256Base16, "gzip", "", false, nil)
	if err != nil {
		return nil, "", fmt.Errorf("archive: %w", err)
	}
	rec := warc.NewRecord("", false)
	rec.Header = header
	if _, err := rec.Content.Write(block); err != nil {
		rec.Content.Close()
		return nil, "", fmt.Errorf("archive: %w", err)
	}
	if _, err := w.WriteRecord(rec); err != nil { // closes rec.Content
		return nil, "", fmt.Errorf("archive: %w", err)
	}
	if err := w.CloseCompressedWriter(); err != nil {
		return nil, "", fmt.Errorf("archive: %w", err)
	}
	digest := rec.Header.Get("WARC-Block-Digest")
	return buf.Bytes(), strings.TrimPrefix(digest, "sha256:"), nil
}

// gzipInfo renders the warcinfo record that opens each file.
func gzipInfo(fileName string) ([]byte, error) {
	var buf bytes.Buffer
	w, err := warc.NewWriter(&buf, fileName, warc.SHA256Base16, "gzip", "", false, nil)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	_, err = w.WriteInfoRecord(map[string]string{
		"software":   "pressreview",
		"format":     "WARC File Format 1.1",
		"conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
	})
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if err := w.CloseCompressedWriter(); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return buf.Bytes(), nil
}
