package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	warc "github.com/internetarchive/gowarc"
	nlwarc "github.com/nlnwa/gowarc/v3"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// Paragraphs written for these tests.
var replayParas = []string{
	"The provincial council met on Tuesday to discuss the new bus lines that will link the northern suburbs to the city centre.",
	"Council members said the first two lines would open in the spring, once the depot on the eastern ring road is finished.",
	"A spokesman for the transport company told reporters that fares would stay at last year's level until the end of the year.",
	"Residents of the northern districts have asked for a direct connection for a decade, according to a petition sent to the council.",
}

// smallDesk is a service on an empty database whose fetcher may reach
// only the given prefixes.
func smallDesk(t *testing.T, db *store.DB, allow ...string) *Service {
	t.Helper()
	var prefixes []netip.Prefix
	for _, a := range allow {
		prefixes = append(prefixes, netip.MustParsePrefix(a))
	}
	svc, err := New(db, Config{DataDir: t.TempDir(), UserAgent: "pressreview-test/1.0", Concurrency: 2,
		Timeout: 2 * time.Second, ArchiveNoSync: true, Fetch: fetch.Config{Allow: prefixes}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc
}

// subscribe adds an outlet and its feed at feedURL.
func subscribe(t *testing.T, db *store.DB, svc *Service, feedURL string) outlets.Feed {
	t.Helper()
	ctx := context.Background()
	o := outlets.Outlet{Key: "council", Name: "Council Daily", Kind: outlets.Newspaper, Language: "en"}
	if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
		t.Fatal(err)
	}
	fs, err := svc.AddFeeds(ctx, "council", feedURL, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return fs[0]
}

// fetchAll fetches the articles of every pending entry.
func fetchAll(t *testing.T, db *store.DB, svc *Service) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT id FROM feed_entries WHERE state = 'pending' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := store.Column[int64](rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.FetchEntries(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
}

// TestWARCReplaysRedirectsAndRevisits polls a feed whose URL redirects,
// fetches an article behind a redirect, and polls the feed again for a 304.
// Then it reads the WARC files as a replay tool does (gowarc's reader, an
// index of target URIs, the latest capture of each, redirects followed
// inside the archive, revisits resolved by WARC-Refers-To) and checks that
// every archived URL — the feed's and the article's first URLs included —
// gives its bytes, and that the revisit refers to a stored payload with
// the digest it names.
func TestWARCReplaysRedirectsAndRevisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateQueue(t, db)
		var srvURL string
		var rss []byte
		page := []byte(articleHTML("en", "utf-8", "", "New bus lines for the northern suburbs", "Staff", time.Date(2024, 3, 7, 8, 0, 0, 0, time.UTC), replayParas))
		var notModified atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/feed": // the address the desk subscribed to has moved
				http.Redirect(w, r, "/rss.xml", http.StatusMovedPermanently)
			case "/rss.xml":
				w.Header().Set("ETag", `"v1"`)
				if r.Header.Get("If-None-Match") == `"v1"` {
					notModified.Add(1)
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				zw.Write(rss)
				zw.Close()
			case "/go/1": // the feed links through a redirector
				http.Redirect(w, r, "/news/1", http.StatusFound)
			case "/news/1":
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(page)
			default:
				http.NotFound(w, r)
			}
		}))
		defer srv.Close()
		srvURL = srv.URL
		rss = []byte(rssFeed("Council Daily", srvURL+"/", []feedItem{{"New bus lines", srvURL + "/go/1", time.Date(2024, 3, 7, 8, 0, 0, 0, time.UTC)}}))

		svc := smallDesk(t, db, "127.0.0.1/32")
		f := subscribe(t, db, svc, srvURL+"/feed")
		if res, err := svc.PollFeed(ctx, f.ID); err != nil || res.Err != nil || res.NotModified {
			t.Fatalf("first poll: %+v %v", res, err)
		}
		fetchAll(t, db, svc)
		res, err := svc.PollFeed(ctx, f.ID)
		if err != nil || res.Err != nil || !res.NotModified || notModified.Load() != 1 {
			t.Fatalf("second poll: %+v %v (304s: %d)", res, err, notModified.Load())
		}
		svc.Close()

		validateWARC(t, svc.cfg.ArchiveDir())
		rp := readReplay(t, svc.cfg.ArchiveDir())
		for _, u := range rp.urls() {
			if _, _, err := rp.resolve(u); err != nil {
				t.Errorf("replay %s: %v", u, err)
			}
		}
		for u, want := range map[string][]byte{srvURL + "/feed": rss, srvURL + "/rss.xml": rss, srvURL + "/go/1": page, srvURL + "/news/1": page} {
			h, payload, err := rp.resolve(u)
			if err != nil {
				t.Errorf("replay %s: %v", u, err)
				continue
			}
			if got := decoded(t, h, payload); !bytes.Equal(got, want) {
				t.Errorf("replay %s: %d bytes %.80q, want %d bytes", u, len(got), got, len(want))
			}
		}

		// The latest capture of the feed is the revisit, and names the
		// payload of the response it refers to.
		latest := rp.latest(srvURL + "/rss.xml")
		if latest.h.Get("WARC-Type") != "revisit" || latest.h.Get("WARC-Profile") != "http://netpreserve.org/warc/1.1/revisit/server-not-modified" {
			t.Fatalf("latest capture of the feed: %v", latest.h)
		}
		orig, ok := rp.byID[latest.h.Get("WARC-Refers-To")]
		if !ok {
			t.Fatalf("revisit refers to %s, which is not in the archive", latest.h.Get("WARC-Refers-To"))
		}
		_, origPayload := orig.split(t)
		if d := latest.h.Get("WARC-Payload-Digest"); d != orig.h.Get("WARC-Payload-Digest") || d != "sha256:"+hexSHA(origPayload) ||
			latest.h.Get("WARC-Refers-To-Target-URI") != orig.h.Get("WARC-Target-URI") ||
			latest.h.Get("WARC-Refers-To-Date") != orig.h.Get("WARC-Date") {
			t.Errorf("revisit %v does not match the record it refers to %v", latest.h, orig.h)
		}
		if head, body := latest.split(t); len(body) != 0 || !bytes.HasPrefix(head, []byte("HTTP/1.1 304 ")) {
			t.Errorf("revisit block: %q %q, want the 304's headers only", head, body)
		}

		// The desk serves the 304's capture as the stored feed, and the
		// article's capture as its page.
		api := httptest.NewServer(Handler(db, svc.cfg))
		defer api.Close()
		var revisitCapture, articleCapture int64
		if err := db.QueryRowContext(ctx, `SELECT id FROM captures WHERE status = 304`).Scan(&revisitCapture); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, `SELECT capture_id FROM articles`).Scan(&articleCapture); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[int64][]byte{revisitCapture: rss, articleCapture: page} {
			resp, err := http.Get(fmt.Sprintf("%s/archive/%d", api.URL, id))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.Equal(decoded(t, resp.Header, body), want) {
				t.Errorf("/archive/%d: %d %.80q", id, resp.StatusCode, body)
			}
		}
	})
}

// TestRefusedAddressIsNeitherStoredNorArchived: a feed on an allowed
// host links to another loopback address; the desk records the refusal
// on the entry and keeps nothing of it.
func TestRefusedAddressIsNeitherStoredNorArchived(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateQueue(t, db)
		ln, err := net.Listen("tcp", "127.0.0.2:0")
		if err != nil {
			t.Skipf("cannot listen on 127.0.0.2: %v", err)
		}
		var secretHits atomic.Int32
		secret := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			secretHits.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(articleHTML("en", "utf-8", "", "Internal payroll", "", time.Time{}, replayParas)))
		}))
		secret.Listener.Close()
		secret.Listener = ln
		secret.Start()
		defer secret.Close()
		secretURL := secret.URL + "/secret.html"

		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/rss.xml":
				w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
				fmt.Fprint(w, rssFeed("Council Daily", "http://"+r.Host+"/", []feedItem{{"Payroll", secretURL, time.Now()}}))
			default:
				http.NotFound(w, r)
			}
		}))
		defer feed.Close()

		svc := smallDesk(t, db, "127.0.0.1/32")
		f := subscribe(t, db, svc, feed.URL+"/rss.xml")
		if res, err := svc.PollFeed(ctx, f.ID); err != nil || res.Err != nil || len(res.NewEntries) != 1 {
			t.Fatalf("poll: %+v %v", res, err)
		}
		fetchAll(t, db, svc)
		var state, lastErr string
		if err := db.QueryRowContext(ctx, `SELECT state, last_error FROM feed_entries WHERE url = ?`, secretURL).Scan(&state, &lastErr); err != nil {
			t.Fatal(err)
		}
		if state == "done" || !strings.Contains(lastErr, "refused to connect to 127.0.0.2: loopback address") {
			t.Errorf("entry %s, error %q", state, lastErr)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM articles`); n != 0 {
			t.Errorf("%d articles stored", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM captures WHERE url = ? OR final_url = ?`, secretURL, secretURL); n != 0 {
			t.Errorf("%d captures of the refused address", n)
		}
		if n := secretHits.Load(); n != 0 {
			t.Errorf("the refused address got %d requests", n)
		}
		svc.Close()
		if u := readReplay(t, svc.cfg.ArchiveDir()).urls(); strings.Contains(strings.Join(u, " "), "127.0.0.2") {
			t.Errorf("archived: %v", u)
		}
	})
}

// validateWARC reads every WARC file in dir with a second, independent
// implementation, nlnwa's gowarc, which checks each record against the
// WARC 1.1 specification (mandatory and per-type fields, revisit profiles,
// syntax) and its digests.
func validateWARC(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	types := map[nlwarc.RecordType]int{}
	for _, name := range files {
		r, err := nlwarc.NewWarcFileReader(name, 0, nlwarc.WithStrictValidation())
		if err != nil {
			t.Fatal(err)
		}
		for rec, err := range r.Records() {
			if err != nil {
				t.Fatalf("%s@%d: %v", filepath.Base(name), rec.Offset, err)
			}
			w := rec.WarcRecord
			types[w.Type()]++
			if w.Type() == nlwarc.Revisit {
				ref, err := w.RevisitRef()
				if err != nil || ref.Profile != nlwarc.ProfileServerNotModifiedV1_1 || ref.TargetRecordId == "" ||
					ref.TargetUri == "" || ref.TargetDate == "" {
					t.Errorf("%s@%d revisit: %+v %v", filepath.Base(name), rec.Offset, ref, err)
				}
			}
			findings, err := w.ValidateDigest()
			if err != nil || len(findings) > 0 || len(rec.Validation) > 0 {
				t.Errorf("%s@%d %s %s: %v %v %v", filepath.Base(name), rec.Offset, w.Type(),
					w.WarcHeader().Get(nlwarc.WarcTargetURI), rec.Validation, findings, err)
			}
			rec.Close()
		}
		r.Close()
	}
	if types[nlwarc.Response] == 0 || types[nlwarc.Revisit] == 0 {
		t.Errorf("record types read: %v", types)
	}
}

// record is one WARC record as a reader returns it.
type record struct {
	h     warc.Header
	block []byte
}

// split parses the HTTP message of a response or revisit record.
func (r record) split(t *testing.T) (head, payload []byte) {
	t.Helper()
	end := bytes.Index(r.block, []byte("\r\n\r\n"))
	if end < 0 {
		t.Fatalf("record %s: no HTTP headers", r.h.Get("WARC-Record-ID"))
	}
	return r.block[:end+4], r.block[end+4:]
}

// replay is an index of WARC files by target URI, as a replay tool keeps.
type replay struct {
	byURL map[string][]record // response and revisit records
	byID  map[string]record
	t     *testing.T
}

func readReplay(t *testing.T, dir string) replay {
	t.Helper()
	rp := replay{byURL: map[string][]record{}, byID: map[string]record{}, t: t}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	sort.Strings(files)
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		r, err := warc.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.ReadRecord()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			rec.Content.Seek(0, io.SeekStart)
			block, _ := io.ReadAll(rec.Content)
			rec.Content.Close()
			got := record{h: rec.Header, block: block}
			if d := rec.Header.Get("WARC-Block-Digest"); d != "sha256:"+hexSHA(block) {
				t.Errorf("%s: block digest %s", rec.Header.Get("WARC-Record-ID"), d)
			}
			rp.byID[rec.Header.Get("WARC-Record-ID")] = got
			switch rec.Header.Get("WARC-Type") {
			case "response", "revisit":
				u := rec.Header.Get("WARC-Target-URI")
				rp.byURL[u] = append(rp.byURL[u], got)
			}
		}
		r.Close()
		f.Close()
	}
	return rp
}

func (rp replay) urls() []string {
	var out []string
	for u := range rp.byURL {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// latest is the newest capture of u.
func (rp replay) latest(u string) record {
	recs := rp.byURL[u]
	date := func(r record) time.Time {
		d, err := time.Parse(time.RFC3339Nano, r.h.Get("WARC-Date"))
		if err != nil {
			rp.t.Fatalf("%s: WARC-Date %q", r.h.Get("WARC-Record-ID"), r.h.Get("WARC-Date"))
		}
		return d
	}
	sort.SliceStable(recs, func(i, j int) bool { return date(recs[i]).Before(date(recs[j])) })
	if len(recs) == 0 {
		return record{}
	}
	return recs[len(recs)-1]
}

// resolve replays u at its latest capture: a revisit gives the payload of
// the record it refers to (whose digest must be the one it names), a
// redirect is followed to its target's capture.
func (rp replay) resolve(u string) (http.Header, []byte, error) {
	for range 10 {
		rec := rp.latest(u)
		if rec.h == nil {
			return nil, nil, fmt.Errorf("%s is not in the archive", u)
		}
		head, payload := rec.split(rp.t)
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil)
		if err != nil {
			return nil, nil, err
		}
		header := resp.Header
		status := resp.StatusCode
		if rec.h.Get("WARC-Type") == "revisit" {
			orig, ok := rp.byID[rec.h.Get("WARC-Refers-To")]
			if !ok {
				return nil, nil, fmt.Errorf("%s: revisit refers to a record not in the archive", u)
			}
			origHead, origPayload := orig.split(rp.t)
			if d := rec.h.Get("WARC-Payload-Digest"); d != "sha256:"+hexSHA(origPayload) {
				return nil, nil, fmt.Errorf("%s: revisit names payload %s, the record it refers to holds another", u, d)
			}
			o, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(origHead)), nil)
			if err != nil {
				return nil, nil, err
			}
			header, status, payload = o.Header, o.StatusCode, origPayload
		}
		switch status {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			next, err := url.Parse(u)
			if err == nil {
				next, err = next.Parse(header.Get("Location"))
			}
			if err != nil {
				return nil, nil, err
			}
			u = next.String()
			continue
		}
		if status != http.StatusOK || len(payload) == 0 {
			return nil, nil, fmt.Errorf("%s: status %d with %d bytes", u, status, len(payload))
		}
		return header, payload, nil
	}
	return nil, nil, fmt.Errorf("%s: too many redirects", u)
}

// decoded removes a gzip Content-Encoding.
func decoded(t *testing.T, h http.Header, b []byte) []byte {
	t.Helper()
	if h.Get("Content-Encoding") != "gzip" {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
