package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestMigrateStore moves an embedded desk that fetched articles (with
// their WARC captures), holds the seed edition and its versions, and has
// subscribers with their consent records, to PostgreSQL; every row and
// every WARC file arrives, the edition exports byte for byte as before,
// new rows get fresh ids, and a second run is refused.
func TestMigrateStore(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches from a loopback press and needs PostgreSQL")
	}
	target := storetest.NewPostgresURL(t)
	ctx := context.Background()
	dir := t.TempDir()
	src := "sqlite:" + filepath.Join(dir, "desk.db")
	srcData := filepath.Join(dir, "data")

	if _, err := run(t, "import", "--database", src, seedFile(t)); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	press := startClusterPress(t, 2, 10)
	wire := outlets.Outlet{Key: "wire", Name: "The Wire", Kind: outlets.Newspaper}
	if err := outlets.SaveOutlet(ctx, db, &wire); err != nil {
		t.Fatal(err)
	}
	for f := range 2 {
		fd := outlets.Feed{OutletID: wire.ID, URL: fmt.Sprintf("%s/f/%d/rss.xml", press.URL, f)}
		if err := outlets.SaveFeed(ctx, db, &fd); err != nil {
			t.Fatal(err)
		}
	}
	l := &newsletter.List{Key: "readers", Name: "Readers", Public: true}
	if err := newsletter.SaveList(ctx, db, l); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := run(t, "fetch", "--once", "--database", src, "--data-dir", srcData, "--fetch-allow", "127.0.0.0/8"); err != nil {
		t.Fatal(err)
	}
	// A clip of a fetched article and a draft edition with a version.
	db, err = store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	var first int64
	if err := db.QueryRowContext(ctx, `SELECT MIN(id) FROM articles`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	var speaker string
	if err := db.QueryRowContext(ctx, `SELECT MIN(key) FROM people`).Scan(&speaker); err != nil {
		t.Fatal(err)
	}
	start, end := 0, 30
	if _, err := clips.New(db, archive.Dir(filepath.Join(srcData, "warc"))).Save(ctx,
		clips.NewClip{Article: first, Start: &start, End: &end, Translation: "The minister said.", Speaker: clips.SpeakerRef{Key: speaker}}); err != nil {
		t.Fatalf("clip: %v", err)
	}
	var draft reviews.Edition
	if err := json.Unmarshal([]byte(`{"series": "iran-media-review", "date": "2026-12-04", "title": "Tehran Weighs the Talks Again",
		"authors": ["ali-alfoneh"], "entries": [{"date": "2026-12-01",
		"outlets": [{"key": "kayhan", "label": "hard-line Kayhan", "role": "source"}], "lead_in": "Hard-line Kayhan warned:",
		"items": [{"parts": [{"kind": "quote", "text": "Talks are a trap."}]}]}]}`), &draft); err != nil {
		t.Fatal(err)
	}
	if _, err := editorial.Create(ctx, db, accounts.Actor{Name: "test", Role: accounts.Editor}, draft); err != nil {
		t.Fatalf("draft edition: %v", err)
	}
	db.Close()
	csv := filepath.Join(dir, "readers.csv")
	if err := os.WriteFile(csv, []byte("email,name\nana@example.org,Ana\nbo@example.org,Bo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PRESSREVIEW_NEWSLETTER_KEY", "migrate-store-test-key-of-at-least-32-bytes")
	if _, err := run(t, "subscribers", "import", "readers", csv, "--database", src); err != nil {
		t.Fatal(err)
	}
	before, err := exportSeed(t, src)
	if err != nil {
		t.Fatal(err)
	}

	blobDir := t.TempDir()
	out, err := run(t, "migrate-store", "--from", src, "--from-data-dir", srcData, "--database", target, "--data-dir", blobDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out)

	from, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	to, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	for _, table := range []string{"outlets", "people", "authors", "series", "editions", "entries", "edition_versions",
		"edition_publications", "articles", "captures", "feeds", "feed_entries", "subscribers", "subscriptions",
		"consent_events", "newsletter_lists", "images", "analyses", "events", "clips"} {
		q := `SELECT COUNT(*) FROM ` + table
		want, got := count(t, from, q), count(t, to, q)
		if want != got {
			t.Errorf("%s: %d rows moved of %d", table, got, want)
		}
		if table == "articles" && want == 0 || table == "consent_events" && want == 0 || table == "edition_versions" && want == 0 || table == "clips" && want == 0 {
			t.Errorf("the source desk has no %s: the test proves nothing about them", table)
		}
	}
	if n := count(t, to, `SELECT COUNT(*) FROM search_docs`); n != count(t, from, `SELECT COUNT(*) FROM articles`) {
		t.Errorf("search index holds %d articles after the move", n)
	}

	// Every WARC file, byte for byte, under the key the archive reads.
	files, _ := filepath.Glob(filepath.Join(srcData, "warc", "*.warc*"))
	if len(files) == 0 {
		t.Fatal("the source desk wrote no WARC file")
	}
	for _, f := range files {
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(blobDir, "warc", filepath.Base(f)))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s not moved intact: %v", filepath.Base(f), err)
		}
	}

	after, err := exportSeed(t, target)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the seed edition exports differently after the move")
	}

	// Ids go on after the copied ones.
	o := outlets.Outlet{Key: "newcomer", Name: "Newcomer", Kind: outlets.Newspaper}
	if err := outlets.SaveOutlet(ctx, to, &o); err != nil {
		t.Fatalf("a new outlet after the move: %v", err)
	}

	_, err = run(t, "migrate-store", "--from", src, "--from-data-dir", srcData, "--database", target, "--data-dir", blobDir)
	if err == nil || !strings.Contains(err.Error(), "already holds a desk") {
		t.Errorf("a second run: %v", err)
	}
	// The SQLite desk still holds everything (the move only reads it).
	if n := count(t, from, `SELECT COUNT(*) FROM subscribers`); n != 2 {
		t.Errorf("source has %d subscribers after the move", n)
	}
}

func exportSeed(t *testing.T, dsn string) ([]byte, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if _, err := run(t, "export", demo.SeedSlug, "-o", path, "--database", dsn); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}
