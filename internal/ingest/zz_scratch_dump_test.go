package ingest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
)

// Scratch (not for the repository): dump the extracted texts and candidates of the bench pages.
func BenchmarkZZDump(b *testing.B) {
	out := os.Getenv("DUMP")
	svc, err := New(nil, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	bp := loadBenchPages(b)
	var pages [][]byte
	for i := range bp.sources {
		pages = append(pages, bp.appendPage(nil, i))
	}
	for _, s := range persianStories(b) {
		pages = append(pages, []byte(articleHTML("fa", "utf-8", "", s.Title, "", time.Time{}, append([]string{s.Lead}, s.Paras...))))
	}
	for i, page := range pages {
		art, err := svc.extract.Extract(fetch.DecodeText(page, "text/html").Text, bp.url("https://bench.example", i))
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(out, fmt.Sprintf("%02d.txt", i)), []byte(art.Language+"\n"+art.Text), 0o644)
		f := candidates.Find(art.Text, art.Language)
		j, _ := json.MarshalIndent(f, "", " ")
		os.WriteFile(filepath.Join(out, fmt.Sprintf("%02d.json", i)), j, 0o644)
	}
}
