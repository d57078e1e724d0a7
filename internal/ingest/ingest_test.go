package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/text"
)

func migrateQueue(t testing.TB, db *store.DB) {
	t.Helper()
	if err := jobs.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

// TestFetchOnce runs the whole intake over the test press: real and
// Persian feeds in UTF-8 and windows-1256, duplicates, reprints, and every
// kind of broken feed; then runs it again and checks nothing was stored
// twice.
func TestFetchOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateQueue(t, db)
		d := newDesk(t, db)
		p, err := d.svc.RunOnce(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Done() || p.Feeds != len(d.feeds) {
			t.Fatalf("run not done: %s", p)
		}
		t.Logf("first run: %s", p)
		// A group marks its entries done in one statement: each with its
		// own article, met under the entry's URL.
		if n := count(t, db, `SELECT COUNT(*) FROM feed_entries e JOIN articles a ON a.id = e.article_id
			WHERE e.state = 'done' AND a.url <> e.url AND a.canonical_url <> e.url
				AND NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.url = e.url AND u.article_id = a.id)`); n != 0 {
			t.Errorf("%d feed items done with an article not met under their URL", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM feed_entries WHERE state = 'done'`); n < 10 {
			t.Errorf("%d feed items done, want the test press's", n)
		}

		t.Run("persian", func(t *testing.T) {
			for i := range 6 {
				a := d.articleAt(t, fmt.Sprintf("/fa/news/%d", i))
				s := d.stories[i]
				if a.Lang != "fa" || a.OutletKey != "hamshahri" || a.Source != "feed" || a.FeedID == nil {
					t.Errorf("article %d: lang %q outlet %q source %q feed %v", i, a.Lang, a.OutletKey, a.Source, a.FeedID)
				}
				if !strings.Contains(folded(a.Text), folded(s.longest())) || a.Title != s.Title {
					t.Errorf("article %d: text or title not extracted: %q", i, a.Title)
				}
				if a.HTML != "" {
					t.Errorf("article %d: fetched page copied into articles.html (the WARC capture is the copy)", i)
				}
				if page, err := d.svc.ArticleHTML(ctx, a); err != nil || !strings.Contains(page, "<nav>") || !strings.Contains(page, s.Title) {
					t.Errorf("article %d: raw page not read back from its capture (%d bytes): %v", i, len(page), err)
				}
				want := d.feedDate.Add(time.Duration(i) * time.Hour)
				if a.Published == nil || !a.Published.Equal(want) {
					t.Errorf("article %d published %v, want %v (page, else feed date)", i, a.Published, want)
				}
			}
		})
		t.Run("windows-1256", func(t *testing.T) {
			for i, s := range d.stories[6:min(len(d.stories), 9)] {
				a := d.articleAt(t, fmt.Sprintf("/fa1256/news/%d", i))
				// Compared in matching form: the legacy page spells yeh the Arabic way.
				last := text.Normalize(firstWords(s.longest(), 8))
				if a.Charset != "windows-1256" || a.Lang != "fa" || !strings.Contains(text.Normalize(a.Text), last) {
					t.Errorf("windows-1256 article %d: charset %q lang %q text %.80q", i, a.Charset, a.Lang, a.Text)
				}
				if page, err := d.svc.ArticleHTML(ctx, a); err != nil || !strings.Contains(text.Normalize(page), last) {
					t.Errorf("windows-1256 article %d: page not decoded back from its capture: %v", i, err)
				}
			}
		})
		t.Run("exact duplicates", func(t *testing.T) {
			orig := d.articleAt(t, "/fa/news/0")
			copyID, _ := articleIDByURL(ctx, db, d.url("/fa/copy/0"))
			if copyID != orig.ID {
				t.Errorf("the same text under /fa/copy/0 is article %d, want %d", copyID, orig.ID)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM articles WHERE outlet_id = ? AND content_hash = ?`, orig.OutletID, orig.ContentHash); n != 1 {
				t.Errorf("%d copies of one text stored", n)
			}
		})
		t.Run("reprints", func(t *testing.T) {
			for _, i := range []int{1, 2} {
				orig := d.articleAt(t, fmt.Sprintf("/fa/news/%d", i))
				rep := d.articleAt(t, fmt.Sprintf("/agency/news/%d", i))
				if rep.ID == orig.ID || rep.StoryID != orig.ID || orig.StoryID != orig.ID {
					t.Errorf("reprint %d: article %d story %d, original %d story %d", i, rep.ID, rep.StoryID, orig.ID, orig.StoryID)
				}
				story, err := Story(ctx, db, rep.ID)
				if err != nil || len(story) != 2 || story[0].ID != orig.ID {
					t.Errorf("story of reprint %d: %d articles, %v", i, len(story), err)
				}
			}
			other := d.articleAt(t, "/fa/news/3")
			if other.StoryID != other.ID {
				t.Errorf("a different story was grouped into %d", other.StoryID)
			}
		})
		t.Run("real feeds", func(t *testing.T) {
			n := count(t, db, `SELECT COUNT(*) FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE o.key = 'df'`)
			entries := count(t, db, `SELECT COUNT(DISTINCT e.url) FROM feed_entries e WHERE e.feed_id IN (?, ?)`, d.feeds["df.json"], d.feeds["df.atom"])
			if n == 0 || n != entries {
				t.Errorf("Daring Fireball: %d articles for %d distinct items in two feeds", n, entries)
			}
		})
		t.Run("faults", func(t *testing.T) { checkFaults(t, d) })
		t.Run("evidence", func(t *testing.T) {
			a := d.articleAt(t, "/fa1256/news/0")
			c, err := loadCapture(ctx, db, *a.CaptureID)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := archive.Read(t.Context(), d.svc.cfg.Archive(), c.Loc)
			if err != nil {
				t.Fatal(err)
			}
			want := d.press.pages["/fa1256/news/0"].body
			if !bytes.Equal(rec.Body, want) || rec.BlockDigest != "sha256:"+c.Loc.SHA256 {
				t.Errorf("archived copy differs from what was served (%d vs %d bytes), digest %s", len(rec.Body), len(want), rec.BlockDigest)
			}
			// All feeds but three answered: the hanging one, the one robots.txt
			// forbids, and the gzip bomb, cut off before its headers were kept.
			if n := count(t, db, `SELECT COUNT(*) FROM captures WHERE feed_id IS NOT NULL`); n < len(d.feeds)-3 {
				t.Errorf("only %d feed fetches archived", n)
			}
		})
		t.Run("api", func(t *testing.T) { checkAPI(t, d) })
		t.Run("edited through a feed", func(t *testing.T) {
			// The outlet republishes story 5, corrected, at a new address
			// that names the first as canonical: the stored article takes
			// the new text and records the edit, and its search entry
			// follows (the next subtest checks the whole index).
			orig := d.articleAt(t, "/fa/news/5")
			st := d.stories[5]
			paras := append([]string{st.Lead}, st.Paras...)
			paras = append(paras, "این خبر پس از انتشار اصلاح شد و نام سخنگو تصحیح شد.")
			d.press.set("/fa/news/5-corrected", page{ctype: "text/html; charset=utf-8",
				body: []byte(articleHTML("fa", "utf-8", d.url("/fa/news/5"), st.Title, "همشهری آنلاین", d.feedDate.Add(5*time.Hour), paras))})
			d.press.set("/fa/corrections.xml", page{ctype: "application/rss+xml; charset=utf-8",
				body: []byte(rssFeed("اصلاحیه", d.url("/fa/"), []feedItem{{st.Title, d.url("/fa/news/5-corrected"), d.feedDate.Add(6 * time.Hour)}}))})
			fs, err := d.svc.AddFeeds(ctx, "hamshahri", d.url("/fa/corrections.xml"), false, false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.svc.RunOnce(ctx, []int64{fs[0].ID}, nil); err != nil {
				t.Fatal(err)
			}
			a := d.articleAt(t, "/fa/news/5-corrected")
			if a.ID != orig.ID || !strings.Contains(a.Text, "تصحیح") {
				t.Errorf("corrected page stored as article %d (want %d), text %.80q", a.ID, orig.ID, a.Text)
			}
			if revs, err := Revisions(ctx, db, a.ID); err != nil || len(revs) != 1 {
				t.Errorf("the correction recorded %d revisions, want 1 (%v)", len(revs), err)
			}
		})
		t.Run("search index", func(t *testing.T) {
			// The intake writes the entries of the articles it creates from
			// terms computed in its fetch workers; rebuilding the index from
			// the stored articles must give the same index.
			stored := searchIndex(t, db)
			if len(stored) < 20 {
				t.Fatalf("only %d index rows after the run", len(stored))
			}
			if _, err := search.Reindex(ctx, db); err != nil {
				t.Fatal(err)
			}
			rebuilt := searchIndex(t, db)
			if strings.Join(stored, "\n") != strings.Join(rebuilt, "\n") {
				for i := range max(len(stored), len(rebuilt)) {
					if i >= len(stored) || i >= len(rebuilt) || stored[i] != rebuilt[i] {
						t.Fatalf("index written by the intake differs from the rebuilt one at row %d:\n%.300s\n%.300s", i, at(stored, i), at(rebuilt, i))
					}
				}
			}
		})

		before := count(t, db, `SELECT COUNT(*) FROM articles`)
		p, err = d.svc.RunOnce(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if after := count(t, db, `SELECT COUNT(*) FROM articles`); after != before {
			t.Errorf("second run: %d articles, first %d", after, before)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM (SELECT canonical_url FROM articles WHERE canonical_url <> ''
			GROUP BY canonical_url HAVING COUNT(*) > 1) x`); n != 0 {
			t.Errorf("%d canonical URLs stored twice", n)
		}
		t.Logf("second run: %s", p)
	})
}

// searchIndex lists the search index's rows as text: search_docs, and
// the terms with their positions (the tsvector on PostgreSQL; on SQLite,
// whose search_fts keeps no copy of its text, every term instance).
func searchIndex(t *testing.T, db *store.DB) []string {
	t.Helper()
	queries := []string{`SELECT article_id, outlet_id, lang, published_unix, day FROM search_docs ORDER BY article_id`}
	if db.Dialect() == store.Postgres {
		queries = append(queries, `SELECT article_id, CAST(tsv AS text) FROM search_docs ORDER BY article_id`)
	} else {
		if _, err := db.ExecContext(context.Background(), `CREATE VIRTUAL TABLE IF NOT EXISTS search_terms USING fts5vocab(search_fts, instance)`); err != nil {
			t.Fatal(err)
		}
		queries = append(queries, `SELECT doc, col, "offset", term FROM search_terms ORDER BY doc, col, "offset"`)
	}
	var out []string
	for _, q := range queries {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%v", vals))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func at(rows []string, i int) string {
	if i < len(rows) {
		return rows[i]
	}
	return "(none)"
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(n, len(w))], " ")
}

// checkFaults: every broken feed carries a readable error, a failure
// count and a next check within the cap; the item whose page is gone is
// recorded as failed on its entry.
func checkFaults(t *testing.T, d *desk) {
	ctx := context.Background()
	want := map[string]string{
		"404":       "404 Not Found",
		"410":       "410 Gone",
		"500":       "500 Internal Server Error",
		"hang":      "no complete answer within",
		"malformed": "",
		"bomb":      "",
		"loop":      "redirect loop",
		"robots":    "robots.txt disallows",
	}
	for name, words := range want {
		f, err := outlets.FeedByID(ctx, d.db, d.feeds[name])
		if err != nil {
			t.Fatal(err)
		}
		if f.Status() != "failing" || f.ConsecutiveFailures != 1 || f.LastError == "" || !strings.Contains(f.LastError, words) {
			t.Errorf("feed %s: status %s, %d failures, error %q (want %q)", name, f.Status(), f.ConsecutiveFailures, f.LastError, words)
		}
		if wait := time.Until(f.NextCheckAt); wait <= 0 || wait > 24*time.Hour {
			t.Errorf("feed %s: next check in %s", name, wait)
		}
		t.Logf("%-9s %-9s %s", name, f.LastErrorKind, f.LastError)
	}
	f, _ := outlets.FeedByID(ctx, d.db, d.feeds["charset"])
	if f.Status() != "ok" {
		t.Errorf("mislabelled feed: %s", f.LastError)
	}
	var title string
	if err := d.db.QueryRowContext(ctx, `SELECT title FROM feed_entries WHERE feed_id = ? ORDER BY id LIMIT 1`, f.ID).Scan(&title); err != nil || title != d.stories[0].Title {
		t.Errorf("mislabelled feed's item title %q, want %q (%v)", title, d.stories[0].Title, err)
	}
	var state, lastErr string
	if err := d.db.QueryRowContext(ctx, `SELECT state, last_error FROM feed_entries WHERE url = ?`, d.url("/fa/news/missing")).Scan(&state, &lastErr); err != nil {
		t.Fatal(err)
	}
	if state == "done" || !strings.Contains(lastErr, "404") {
		t.Errorf("missing page: entry %s, error %q", state, lastErr)
	}
}

func checkAPI(t *testing.T, d *desk) {
	srv := httptest.NewServer(Handler(d.db, d.svc.cfg))
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("/api/feeds")
	var fl struct {
		Feeds []struct {
			URL, Status string
			LastError   string `json:"last_error"`
			Failures    int    `json:"consecutive_failures"`
			NextCheck   string `json:"next_check_at"`
		}
	}
	if err := json.Unmarshal(body, &fl); err != nil || resp.StatusCode != 200 || len(fl.Feeds) != len(d.feeds) {
		t.Fatalf("GET /api/feeds: %d %v %s", resp.StatusCode, err, body)
	}
	failing := 0
	for _, f := range fl.Feeds {
		if f.Failures > 0 && f.LastError != "" && f.NextCheck != "" {
			failing++
		}
	}
	if failing != 8 {
		t.Errorf("GET /api/feeds shows %d failing feeds with errors, want 8", failing)
	}
	orig := d.articleAt(t, "/fa/news/1")
	resp, body = get(fmt.Sprintf("/api/articles/%d", orig.ID))
	var ar struct {
		Article Article
		Story   struct{ Reprints []struct{ Outlet string } }
		Archive string
	}
	if err := json.Unmarshal(body, &ar); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/articles: %d %v", resp.StatusCode, err)
	}
	if ar.Article.Title != orig.Title || len(ar.Story.Reprints) != 1 || ar.Story.Reprints[0].Outlet != "agency" || ar.Archive == "" {
		t.Errorf("GET /api/articles/%d: %s", orig.ID, body)
	}
	resp, body = get(ar.Archive)
	if resp.StatusCode != 200 || !bytes.Equal(body, d.press.pages["/fa/news/1"].body) || resp.Header.Get("Content-Security-Policy") != "sandbox" {
		t.Errorf("GET %s: %d, %d bytes, CSP %q", ar.Archive, resp.StatusCode, len(body), resp.Header.Get("Content-Security-Policy"))
	}
	if resp, _ := get("/api/articles/999999"); resp.StatusCode != 404 {
		t.Errorf("unknown article: %d", resp.StatusCode)
	}
}

// folded is s with its whitespace folded, as extractors render it.
func folded(s string) string { return strings.Join(strings.Fields(s), " ") }
