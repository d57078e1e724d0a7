package ingest

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// Article is a stored article as the intake writes and the API shows it.
type Article struct {
	ID           int64      `json:"id"`
	OutletID     int64      `json:"-"`
	OutletKey    string     `json:"outlet"`
	FeedID       *int64     `json:"feed_id,omitempty"`
	URL          string     `json:"url,omitempty"`
	CanonicalURL string     `json:"canonical_url,omitempty"`
	Title        string     `json:"title"`
	Byline       string     `json:"byline,omitempty"`
	Lang         string     `json:"lang,omitempty"`
	Published    *time.Time `json:"published_at"`
	FetchedAt    time.Time  `json:"fetched_at"`
	Text         string     `json:"text"`
	// HTML is pasted HTML (manual intake), which has no WARC capture. A
	// fetched page is kept only in its WARC capture, byte for byte, and
	// HTML is "" for it: ArticleHTML reads it back, decoded to UTF-8.
	HTML         string     `json:"-"`
	LeadImage    string     `json:"lead_image,omitempty"`
	Source       string     `json:"source"` // feed, url, paste or import
	SourceDetail string     `json:"source_detail,omitempty"`
	Charset      string     `json:"charset,omitempty"`
	ContentHash  string     `json:"content_hash,omitempty"`
	Simhash      uint64     `json:"-"`
	StoryID      int64      `json:"story_id,omitempty"`
	CaptureID    *int64     `json:"-"`
	GoneAt       *time.Time `json:"gone_at,omitempty"`

	// keyed says ContentHash and Simhash are computed from Text, and
	// fingerprinted whether Text was long enough for a simhash; see keys.
	keyed, fingerprinted bool
	tokens               []string         // the text's tokens (text.Analyze), which indexTerms makes its terms of
	bodyTerms            []string         // the text's search index terms (indexTerms)
	termsFound           bool             // bodyTerms holds them
	shortKeys            []int64          // MinHash band keys of a short text (shortKeys)
	quotes               candidates.Found // the quotations found in the text
	quotesFound          bool             // quotes holds the finder's result (see findQuotes)
	// edited is the search index entry of the stored copy saveArticle gave
	// this text (savedEdit): its row as recordEdit left it, with this
	// title and these terms.
	edited *search.Source
	// analyzed is text.Analyze of Text when language detection computed
	// it (detectAnalyzed), for dedupKeys; nil otherwise.
	analyzed *textForm
	// story is what story grouping compares the text by: its tokens
	// (text.SameStory) when it has a simhash, its shingles
	// (shorttext.Resemblance) when it has short-text keys; kept from the
	// one normalization keys makes, so grouping does not normalize again.
	story storyForm
}

// keys computes the dedup keys of a's text (its content hash and
// simhash) and its search index terms, all from one normalization of the
// text, and finds its quotations. The intake computes them in its fetch
// workers, in parallel, so the transaction that stores the article does
// not — unless the text is one the service has stored unchanged, which
// needs neither (fetchEntry).
func (a *Article) keys() {
	a.dedupKeys()
	a.indexTerms()
	a.findQuotes()
}

// dedupKeys is keys without the index terms and the quotations, which an
// unchanged copy does not need: a re-fetch, or a page found stored
// already, needs them only if the text changed (indexTerms and
// findQuotes compute them then).
func (a *Article) dedupKeys() {
	var normalized string
	var tokens []string
	if f := a.analyzed; f != nil && f.text == a.Text {
		normalized, tokens = f.normalized, f.tokens
	} else {
		normalized, tokens = text.Analyze(a.Text)
	}
	a.analyzed = nil
	a.ContentHash = contentHash(normalized)
	a.Simhash, a.fingerprinted = fingerprint(a.Text, tokens)
	a.shortKeys, a.story = shortKeys(a.Text, normalized, a.fingerprinted)
	if a.fingerprinted {
		a.story.tokens = tokens
	}
	a.tokens, a.bodyTerms, a.termsFound = tokens, nil, false
	a.keyed = true
}

// indexTerms returns the search index terms of a's text, keyed
// (dedupKeys), computing them on first use.
func (a *Article) indexTerms() []string {
	if !a.termsFound {
		a.bodyTerms, a.termsFound = text.TermsOf(a.tokens), true
	}
	return a.bodyTerms
}

// searchSource is what the search index entry of a, once stored and
// keyed, is made of (see search.IndexSources).
func (a *Article) searchSource() search.Source {
	if a.edited != nil {
		return *a.edited
	}
	return search.Source{ArticleID: a.ID, OutletID: a.OutletID, Lang: a.Lang, Published: a.Published,
		Fetched: a.FetchedAt, Title: a.Title, BodyTerms: a.indexTerms()}
}

// lockStories serializes the transactions that store articles. Two
// reprints stored at once must see each other to join one story; SQLite
// serializes writing transactions anyway, and on PostgreSQL a
// transaction-scoped advisory lock does. It is taken first in the
// transaction: taken later, a transaction holding it could wait for a row
// that one waiting for it has just inserted, a deadlock.
func lockStories(ctx context.Context, tx *store.Tx) error {
	if tx.Dialect() != store.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, storyLockKey); err != nil {
		return fmt.Errorf("lock stories: %w", err)
	}
	return nil
}

// lockGroupStories is lockStories for a group of entries (storeGroup),
// which also sets two planner settings for the rest of the transaction,
// in the lock's statement (no round trip more). The group's statements
// look rows up by key, or through arrays of keys, and have an index for
// each; what PostgreSQL does with them left to itself costs more:
//
//   - plan_cache_mode = force_generic_plan: it plans a prepared statement
//     anew with its parameters' values five times on each connection
//     before it weighs the generic plan, and keeps planning anew one whose
//     generic plan it costs higher for its arrays of unknown length; in
//     BenchmarkIngestOverhead, on four connections, the copies lookup,
//     the near duplicates, the final statement, the quotations and the
//     search index's insert were planned anew in a fifth to all of their
//     binds, 0.3–5 ms each;
//   - enable_seqscan = off: a generic plan is kept for the connection's
//     life, and one made while the tables were small (a new database, or
//     before autovacuum's first analyze of them) scanned articles, their
//     short-text keys and quotations whole for every group as they grew
//     (the copies lookup, the near duplicates, the edits), some 6% of the
//     server's CPU in that benchmark.
func lockGroupStories(ctx context.Context, tx *store.Tx) error {
	if tx.Dialect() != store.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?),
		set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true)`,
		storyLockKey); err != nil {
		return fmt.Errorf("lock stories: %w", err)
	}
	return nil
}

// storyLockKey names the PostgreSQL advisory lock that serializes story
// grouping (an arbitrary constant: "stories" in ASCII).
const storyLockKey int64 = 0x73746f72696573

const articleColumns = `a.id, a.outlet_id, o.key, a.feed_id, a.url, a.canonical_url, a.title, a.byline, a.lang,
	a.published_at, a.fetched_at, a.text, a.html, a.lead_image, a.source, a.source_detail, a.charset,
	a.content_hash, a.simhash, COALESCE(a.story_id, a.id), a.capture_id, a.gone_at`

const articleTables = ` FROM articles a JOIN outlets o ON o.id = a.outlet_id`

func scanArticle(row interface{ Scan(...any) error }) (Article, error) {
	var a Article
	var feed, capID sql.NullInt64
	var published, gone sql.NullTime
	var sh int64
	err := row.Scan(&a.ID, &a.OutletID, &a.OutletKey, &feed, &a.URL, &a.CanonicalURL, &a.Title, &a.Byline,
		&a.Lang, &published, &a.FetchedAt, &a.Text, &a.HTML, &a.LeadImage, &a.Source, &a.SourceDetail,
		&a.Charset, &a.ContentHash, &sh, &a.StoryID, &capID, &gone)
	if err != nil {
		return a, err
	}
	a.Simhash = uint64(sh)
	a.FeedID, a.CaptureID = nullInt(feed), nullInt(capID)
	a.Published, a.GoneAt = nullTime(published), nullTime(gone)
	a.FetchedAt = a.FetchedAt.UTC()
	return a, nil
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// ArticleByID loads an article; store.ErrNotFound when there is none.
func ArticleByID(ctx context.Context, q store.Querier, id int64) (Article, error) {
	a, err := scanArticle(q.QueryRowContext(ctx, `SELECT `+articleColumns+articleTables+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// articleIDByURL finds the article met under a canonical URL; 0 if none.
// The queries repeat the predicates of the partial unique indexes
// (canonical_url <> ”, content_hash <> ”): without them SQLite cannot
// prove a parameter non-empty and scans the table instead.
func articleIDByURL(ctx context.Context, q store.Querier, u string) (int64, error) {
	if u == "" {
		return 0, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT article_id FROM article_urls WHERE url = ?`, u).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, `SELECT id FROM articles WHERE canonical_url = ? AND canonical_url <> ''`, u).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up article by URL %s: %w", u, err)
	}
	return id, nil
}

// storedCopy is what existingArticle finds: the stored copy's id (0 when
// there is none) with the columns saveArticle decides by, and which of
// the URLs looked up are recorded in article_urls already (for any
// article), which finishArticle need not insert again.
type storedCopy struct {
	id, outletID, storyID int64
	contentHash           string
	recorded              []string
}

// existingArticle finds the stored copy of a: same canonical URL (a's
// own, then its aliases, each in article_urls before the articles'
// canonical_url, as articleIDByURL looks), else same text from the same
// outlet. It asks in one statement — every article stored pays for it,
// inside the transaction that holds the story lock — and ranks what it
// finds as that sequence of lookups would. Each match comes with its
// article's outlet, story and content hash, so that a copy found
// unchanged needs no other read; an article_urls match gets them by
// primary key, per row, which no table statistics can turn into a scan
// (a join could be planned as one on an unanalyzed table).
func existingArticle(ctx context.Context, q store.Querier, a *Article, aliases []string) (storedCopy, error) {
	var found storedCopy
	urls := lookupURLs(a.CanonicalURL, aliases)
	var query strings.Builder
	args := make([]any, 0, 2*len(urls)+2)
	if len(urls) > 0 {
		in := "?" + strings.Repeat(", ?", len(urls)-1)
		query.WriteString(`SELECT u.url, 0, u.article_id,
				(SELECT a.outlet_id FROM articles a WHERE a.id = u.article_id),
				(SELECT COALESCE(a.story_id, a.id) FROM articles a WHERE a.id = u.article_id),
				(SELECT a.content_hash FROM articles a WHERE a.id = u.article_id)
			FROM article_urls u WHERE u.url IN (` + in + `)
			UNION ALL SELECT canonical_url, 1, id, outlet_id, COALESCE(story_id, id), content_hash
			FROM articles WHERE canonical_url IN (` + in + `) AND canonical_url <> ''`)
		for range 2 {
			for _, u := range urls {
				args = append(args, u)
			}
		}
	}
	if a.ContentHash != "" {
		if query.Len() > 0 {
			query.WriteString("\n\t\t\tUNION ALL ")
		}
		query.WriteString(`SELECT '', 2, id, outlet_id, COALESCE(story_id, id), content_hash
			FROM articles WHERE outlet_id = ? AND content_hash = ? AND content_hash <> ''`)
		args = append(args, a.OutletID, a.ContentHash)
	}
	if query.Len() == 0 {
		return found, nil
	}
	rows, err := q.QueryContext(ctx, query.String(), args...)
	if err != nil {
		return found, fmt.Errorf("look up stored copy of %s: %w", a.URL, err)
	}
	defer rows.Close()
	var matches []copyMatch
	for rows.Next() {
		var m copyMatch
		if err := rows.Scan(&m.url, &m.kind, &m.c.id, &m.c.outletID, &m.c.storyID, &m.c.contentHash); err != nil {
			return found, fmt.Errorf("look up stored copy of %s: %w", a.URL, err)
		}
		matches = append(matches, m)
	}
	if err := rows.Err(); err != nil {
		return found, fmt.Errorf("look up stored copy of %s: %w", a.URL, err)
	}
	found, _ = bestCopy(urls, matches)
	return found, nil
}

// copyMatch is a row existingArticle's lookups found: by one of the URLs
// in article_urls (kind 0) or as an article's canonical URL (1), or by
// outlet and content hash (2, url "").
type copyMatch struct {
	url  string
	kind int
	c    storedCopy
}

// bestCopy ranks matches as existingArticle's sequence of lookups would —
// urls in their order, each in article_urls before the articles'
// canonical URLs, the content hash last — and returns the first, with
// the URLs found recorded in article_urls, and its index in matches (-1
// when there is none).
func bestCopy(urls []string, matches []copyMatch) (storedCopy, int) {
	var found storedCopy
	var recorded []string
	best, bestRank := -1, -1
	for i, m := range matches {
		if m.kind == 0 {
			recorded = append(recorded, m.url)
		}
		rank := 2 * len(urls)
		if m.kind < 2 {
			rank = 2*slices.Index(urls, m.url) + m.kind
		}
		if bestRank < 0 || rank < bestRank {
			found, best, bestRank = m.c, i, rank
		}
	}
	found.recorded = recorded
	return found, best
}

// lookupURLs are the distinct non-empty URLs among canonical and aliases,
// in their order.
func lookupURLs(canonical string, aliases []string) []string {
	out := make([]string, 0, 1+len(aliases))
	for _, u := range append([]string{canonical}, aliases...) {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// saved says what saveArticle did.
type saved int

const (
	savedCopy saved = iota // found a stored copy with the same text
	savedNew               // created the article's row
	savedEdit              // found a stored copy and gave it a's new text
)

// saveArticle stores a, or finds its stored copy, in tx; it sets a.ID and
// a.StoryID and says which it did. A stored copy whose text differs gets
// the new text, and the edit is recorded with a diff. aliases are other
// canonical URLs under which a was met.
//
// The caller brings a's search index entry up to date in the same
// transaction, after saveArticle, from a.searchSource() when it created
// or edited the article (indexSaved, once for a stored group); a copy
// found unchanged is indexed already.
//
// g, when not nil, takes the URLs to record for a (article_urls) and its
// quotations, and on PostgreSQL its row or its edit, to be written with
// the rest of its group's (see groupWrites); nil writes them at once.
func (s *Service) saveArticle(ctx context.Context, tx *store.Tx, a *Article, aliases []string, capt *capture, g *groupWrites) (saved, error) {
	if !a.keyed {
		a.keys()
	}
	a.edited = nil
	fingerprinted := a.fingerprinted
	urls := lookupURLs(a.CanonicalURL, aliases)
	var copies *groupCopies
	if g != nil {
		copies = &g.copies
	}
	found, old, ok := copies.copyOf(a, urls)
	if !ok {
		// The group's rows and URLs left to its end are written first
		// when the lookup reads them.
		if err := g.flushFor(ctx, tx, urls); err != nil {
			return 0, err
		}
		var err error
		if found, err = existingArticle(ctx, tx, a, aliases); err != nil {
			return 0, err
		}
	}
	if found.id == 0 {
		// The story is found before the row is inserted, so that the row
		// is written once, with its story (a.ID is 0: no candidate is
		// excluded that exists yet).
		root, err := nearStory(ctx, tx, s.forms, a, fingerprinted, g)
		if err != nil {
			return 0, err
		}
		id, rootPublished, later := g.reserve(a, fingerprinted, root)
		if !later {
			// The row may name a waiting one as its story.
			if err := g.flushBeforeInsert(ctx, tx, fingerprinted, root); err != nil {
				return 0, err
			}
			if id, rootPublished, err = insertArticle(ctx, tx, a, fingerprinted, capt.id(), root); err != nil {
				return 0, err
			}
		}
		if id != 0 {
			a.ID = id
			if later {
				g.inserts = append(g.inserts, pendingInsertOf(a, capt.id(), root))
			}
			if err := finishArticle(ctx, tx, a, aliases, found.recorded, g); err != nil {
				return 0, err
			}
			if err := s.saveQuotes(ctx, tx, a.ID, a, g); err != nil {
				return 0, err
			}
			s.forms.put(a.ContentHash, a.story)
			if err := assignStory(ctx, tx, a, root, rootPublished, g); err != nil {
				return 0, err
			}
			var moved int64
			if root != 0 && a.StoryID == a.ID {
				moved = root // taken over by a
			}
			copies.touch(a, urls, savedNew, moved)
			return savedNew, nil
		}
		// Another worker stored it between our lookup and our insert.
		old = nil
		if err := g.flushFor(ctx, tx, urls); err != nil {
			return 0, err
		}
		if found, err = existingArticle(ctx, tx, a, aliases); err != nil {
			return 0, err
		}
		if found.id == 0 {
			return 0, fmt.Errorf("store article %s: insert conflicted, but no copy is stored", a.URL)
		}
	}
	id := found.id
	a.ID, a.StoryID = id, found.storyID
	if a.OutletID != found.outletID {
		// The statement reads the article's row, whose insert may wait.
		if g != nil && g.inserting(id) {
			if err := g.flushPending(ctx, tx); err != nil {
				return 0, err
			}
		}
		if err := recordOtherOutlet(ctx, tx, id, a.OutletID, a.FeedID); err != nil {
			return 0, err
		}
	}
	how := savedCopy
	if a.ContentHash != "" && found.contentHash != a.ContentHash && a.OutletID == found.outletID {
		// Only an edit needs the stored row itself (its text for the
		// diff, its dates for the index), which the group's lookup may
		// have brought.
		if old == nil {
			row, err := ArticleByID(ctx, tx, id)
			if err != nil {
				return 0, err
			}
			old = &row
		}
		if err := s.recordEdit(ctx, tx, *old, a, capt, s.now(), g); err != nil {
			return 0, err
		}
		s.forms.put(a.ContentHash, a.story)
		// recordEdit changes the row's title and text, not its outlet,
		// language or dates.
		a.edited = &search.Source{ArticleID: id, OutletID: old.OutletID, Lang: old.Lang, Published: old.Published,
			Fetched: old.FetchedAt, Title: a.Title, BodyTerms: a.indexTerms()}
		how = savedEdit
	}
	copies.touch(a, urls, how, 0)
	return how, finishArticle(ctx, tx, a, aliases, found.recorded, g)
}

// indexSaved writes the search index entries of the articles a group
// created or edited, from their searchSource: an article saved more than
// once in the group (created, then edited by a later entry) is indexed as
// it was saved last. It reads nothing back and normalizes nothing again.
func indexSaved(ctx context.Context, tx *store.Tx, saved []search.Source) error {
	last := make(map[int64]int, len(saved))
	for i, src := range saved {
		last[src.ArticleID] = i
	}
	docs := make([]search.Source, 0, len(last))
	for i, src := range saved {
		if last[src.ArticleID] == i {
			docs = append(docs, src)
		}
	}
	return search.IndexSources(ctx, tx, docs)
}

// insertArticle adds the row, in story (its nearest near duplicate's,
// from nearStory) or, for 0, in a story of its own (migration 00031 sets
// story_id = id), and returns its id with the publication date of the
// story's article (for assignStory, in the same round trip); it returns 0
// when a unique index (canonical URL, or outlet and content hash) says a
// concurrent writer was first.
//
// A short text's keys (a.shortKeys, when not fingerprinted) are recorded
// with the row (insertShortKeys): on PostgreSQL in the same statement.
func insertArticle(ctx context.Context, tx *store.Tx, a *Article, fingerprinted bool, captureID *int64, story int64) (int64, sql.NullTime, error) {
	var b [4]any
	var keys []int64
	if fingerprinted {
		for i, v := range bands(a.Simhash) {
			b[i] = v
		}
	} else {
		keys = a.shortKeys
	}
	var storyID *int64
	if story != 0 {
		storyID = &story
	}
	args := []any{a.OutletID, a.FeedID, a.URL, a.CanonicalURL, a.Title, a.Byline, a.Lang, a.Published, a.FetchedAt,
		a.Text, a.HTML, a.LeadImage, a.Source, a.SourceDetail, a.Charset, a.ContentHash, int64(a.Simhash),
		b[0], b[1], b[2], b[3], captureID, storyID}
	q := insertArticleSQL + ` RETURNING id, (SELECT r.published_at FROM articles r WHERE r.id = ?)`
	keysWith := len(keys) > 0 && tx.Dialect() == store.Postgres
	if keysWith {
		// The keys' insert reads the new id from the row's: one round
		// trip, in the story lock, instead of two.
		q = `WITH ins AS (` + insertArticleSQL + ` RETURNING id),
			short_keys AS (INSERT INTO article_short_keys (band_key, article_id)
				SELECT k, ins.id FROM ins, unnest(CAST(? AS bigint[])) k ON CONFLICT DO NOTHING)
			SELECT id, (SELECT r.published_at FROM articles r WHERE r.id = ?) FROM ins`
		args = append(args, keys)
	}
	rows, err := tx.QueryContext(ctx, q, append(args, story)...)
	var rootPublished sql.NullTime
	if err != nil {
		return 0, rootPublished, fmt.Errorf("store article %s: %w", a.URL, err)
	}
	defer rows.Close()
	var id int64
	if rows.Next() {
		if err := rows.Scan(&id, &rootPublished); err != nil {
			return 0, rootPublished, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, rootPublished, err
	}
	if id != 0 && !keysWith {
		// Closed first: one connection per transaction.
		rows.Close()
		if err := insertShortKeys(ctx, tx, id, keys); err != nil {
			return 0, rootPublished, err
		}
	}
	return id, rootPublished, nil
}

// insertArticleSQL inserts an article's row (insertArticle's parameters).
const insertArticleSQL = `INSERT INTO articles (outlet_id, feed_id, url, canonical_url, title, byline, lang, published_at,
			fetched_at, text, html, lead_image, source, source_detail, charset, content_hash, simhash,
			sh_band0, sh_band1, sh_band2, sh_band3, capture_id, story_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`

// pendingInsert is a new article's row left to its group's end on
// PostgreSQL (groupWrites.inserts), with its id and story.
type pendingInsert struct {
	a         Article
	captureID *int64
	story     int64
}

// pendingInsertOf is a's row, a.ID reserved, in root's story (0: its
// own).
func pendingInsertOf(a *Article, captureID *int64, root int64) pendingInsert {
	return pendingInsert{a: *a, captureID: captureID, story: cmp.Or(root, a.ID)}
}

// reserve takes an id for a, a new article with a simhash whose story
// (root, 0 for its own) was chosen among its group's near duplicates, so
// that its insert can wait for the group's end; it returns the id and
// the publication date of root's article (for assignStory), as
// insertArticle does, or ok false when the insert must be made now: no
// group, no id left (an article found new only when looked up again), a
// story found by a lookup of its own, or the story's date unknown.
func (g *groupWrites) reserve(a *Article, fingerprinted bool, root int64) (id int64, rootPublished sql.NullTime, ok bool) {
	if g == nil || !fingerprinted || len(g.copies.freeIDs) == 0 {
		return 0, rootPublished, false
	}
	if _, loaded := g.copies.nearOf(a); !loaded {
		return 0, rootPublished, false
	}
	if root != 0 {
		if rootPublished, ok = g.copies.rootPublished(root); !ok {
			return 0, rootPublished, false
		}
	}
	id, g.copies.freeIDs = g.copies.freeIDs[0], g.copies.freeIDs[1:]
	return id, rootPublished, true
}

// insertsCTE is the common table expression that inserts a group's
// waiting rows (groupWrites.pendingCTEs), from arrays (insertArgs): one
// text whatever their number. No ON CONFLICT, unlike insertArticle's: a
// writer of articles holds the story lock, as the group does, so no other
// can have stored the same URL or text since the group's lookup; were
// one to, the group would fail, and its job try again.
const insertsCTE = `
	inserted AS (
		INSERT INTO articles (id, outlet_id, feed_id, url, canonical_url, title, byline, lang, published_at,
			fetched_at, text, html, lead_image, source, source_detail, charset, content_hash, simhash,
			sh_band0, sh_band1, sh_band2, sh_band3, capture_id, story_id)
		SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]),
			CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS timestamptz[]),
			CAST(? AS timestamptz[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
			CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS integer[]),
			CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS bigint[])))`

// insertArgs are insertsCTE's parameters for rows.
func insertArgs(rows []pendingInsert) []any {
	n := len(rows)
	ids, outlets, feeds, capts, stories := make([]int64, n), make([]int64, n), make([]*int64, n), make([]*int64, n), make([]int64, n)
	published, fetched, simhashes := make([]*time.Time, n), make([]time.Time, n), make([]int64, n)
	var strs [12][]string
	for i := range strs {
		strs[i] = make([]string, n)
	}
	var b [4][]int32
	for i := range b {
		b[i] = make([]int32, n)
	}
	for i, r := range rows {
		a := &r.a
		ids[i], outlets[i], feeds[i], capts[i], stories[i] = a.ID, a.OutletID, a.FeedID, r.captureID, r.story
		published[i], fetched[i], simhashes[i] = a.Published, a.FetchedAt, int64(a.Simhash)
		for j, v := range []string{a.URL, a.CanonicalURL, a.Title, a.Byline, a.Lang, a.Text, a.HTML, a.LeadImage,
			a.Source, a.SourceDetail, a.Charset, a.ContentHash} {
			strs[j][i] = v
		}
		for j, v := range bands(a.Simhash) {
			b[j][i] = int32(v)
		}
	}
	return []any{ids, outlets, feeds, strs[0], strs[1], strs[2], strs[3], strs[4], published, fetched,
		strs[5], strs[6], strs[7], strs[8], strs[9], strs[10], strs[11], simhashes, b[0], b[1], b[2], b[3], capts, stories}
}

// assignStory sets a.StoryID for a new article, inserted in root's story
// (0: its own), whose article was published at rootPublished. A story is
// named after its earliest published article: when a reprint arrives
// before the original (feeds are polled in any order), the original takes
// the story over: the story's rows waiting in g (may be nil) are written
// first. The caller holds lockStories.
func assignStory(ctx context.Context, tx *store.Tx, a *Article, root int64, rootPublished sql.NullTime, g *groupWrites) error {
	a.StoryID = a.ID
	if root == 0 {
		return nil
	}
	a.StoryID = root
	if a.Published != nil && rootPublished.Valid && a.Published.Before(rootPublished.Time) {
		if err := g.flushPending(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET story_id = ? WHERE story_id = ?`, a.ID, root); err != nil {
			return fmt.Errorf("move story %d to article %d: %w", root, a.ID, err)
		}
		a.StoryID = a.ID
	}
	return nil
}

// finishArticle records the URLs the article was met under, in one
// statement, but for those existingArticle found recorded already (for
// this article or another: the insert would leave them as they are). The
// search index entry is the caller's to bring up to date (see
// saveArticle).
func finishArticle(ctx context.Context, tx *store.Tx, a *Article, aliases, recorded []string, group *groupWrites) error {
	urls := slices.DeleteFunc(lookupURLs(a.CanonicalURL, aliases), func(u string) bool { return slices.Contains(recorded, u) })
	if group != nil {
		group.addURLs(urls, a.ID)
		return nil
	}
	return recordURLs(ctx, tx, urls, slices.Repeat([]int64{a.ID}, len(urls)))
}

// recordURLs records urls[i] as a URL of article ids[i], each unless
// recorded already: on PostgreSQL as two arrays, so that the statement's
// text is the same whatever their length and it is planned once.
func recordURLs(ctx context.Context, tx *store.Tx, urls []string, ids []int64) error {
	if len(urls) == 0 {
		return nil
	}
	var err error
	if tx.Dialect() == store.Postgres {
		_, err = tx.ExecContext(ctx, recordURLsPostgres, urls, ids)
	} else {
		args := make([]any, 0, 2*len(urls))
		for i, u := range urls {
			args = append(args, u, ids[i])
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO article_urls (url, article_id) VALUES (?, ?)`+
			strings.Repeat(", (?, ?)", len(urls)-1)+` ON CONFLICT (url) DO NOTHING`, args...)
	}
	if err != nil {
		return fmt.Errorf("record URLs %s of articles %v: %w", strings.Join(urls, " "), slices.Compact(slices.Clone(ids)), err)
	}
	return nil
}

const recordURLsPostgres = `INSERT INTO article_urls (url, article_id)
	SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[])) ON CONFLICT (url) DO NOTHING`

// groupWrites are the writes of a group's articles that nothing else in
// its transaction reads, made in one statement each at the group's end
// (flush) instead of one or two a page: on PostgreSQL every statement is
// a round trip made while the group holds the story lock, which the
// other groups wait for.
//
// The URLs the articles were met under (article_urls) are read by the
// articles' own lookups (existingArticle) alone, so an article's lookup
// first writes what is waiting if it looks for one of those URLs
// (flushFor), and finds what it found before. The quotations
// (quote_candidates and quote_scans) are read by nothing in the
// transaction; an article saved twice in the group keeps the last
// save's, as when each was written at once.
//
// On PostgreSQL the new articles' rows (their ids taken from the
// sequence with the group's lookup: reserve) and the edits of stored
// ones (recordEdit) wait too, and are written with the URLs and the
// entries done in one statement; the group's lookup (groupCopies) answers
// its later articles as those writes leave the rows. What else reads or
// refers to the rows they write in the transaction first writes them
// (flushPending): a stored copy looked up on its own (saveArticle), a
// near duplicate's text (pickStory), a near-duplicate lookup not made
// for the group (nearStory), an article inserted or edited at once (its
// story may be waiting, or its row), an edit of a row whose insert waits
// (recordEdit), another outlet listed for a waiting row, a story taken
// over (assignStory), the URLs written before the end (flushURLs). An
// article edited twice in the group waits with both revisions
// (editArgs).
//
// It also carries the group's lookup of stored copies (groupCopies).
type groupWrites struct {
	urls    []string
	ids     []int64
	set     map[string]bool
	scans   []candidates.Scanned
	edits   []pendingEdit
	inserts []pendingInsert
	copies  groupCopies
}

func (g *groupWrites) addURLs(urls []string, id int64) {
	if g.set == nil {
		g.set = map[string]bool{}
	}
	for _, u := range urls {
		g.urls = append(g.urls, u)
		g.ids = append(g.ids, id)
		g.set[u] = true
	}
}

// addScan takes an article's quotations, replacing those it was given
// earlier in the group.
func (g *groupWrites) addScan(s candidates.Scanned) {
	if i := slices.IndexFunc(g.scans, func(t candidates.Scanned) bool { return t.ArticleID == s.ArticleID }); i >= 0 {
		g.scans[i] = s
		return
	}
	g.scans = append(g.scans, s)
}

// flushFor writes, before a stored-copy lookup of an article met under
// urls (existingArticle), the rows waiting and the waiting URLs when one
// of urls is among them.
func (g *groupWrites) flushFor(ctx context.Context, tx *store.Tx, urls []string) error {
	if err := g.flushPending(ctx, tx); err != nil {
		return err
	}
	if g == nil || !slices.ContainsFunc(urls, func(u string) bool { return g.set[u] }) {
		return nil
	}
	return g.flushURLs(ctx, tx)
}

// flushURLs writes the waiting URLs, after the waiting rows they name.
func (g *groupWrites) flushURLs(ctx context.Context, tx *store.Tx) error {
	if len(g.urls) == 0 {
		return nil
	}
	// The URLs' articles may be waiting inserts.
	if err := g.flushPending(ctx, tx); err != nil {
		return err
	}
	err := recordURLs(ctx, tx, g.urls, g.ids)
	g.urlsWritten()
	return err
}

// urlsWritten empties the waiting URLs once a statement has written them.
func (g *groupWrites) urlsWritten() {
	g.urls, g.ids = g.urls[:0], g.ids[:0]
	clear(g.set)
}

// flush writes what is waiting, scanned at now.
func (g *groupWrites) flush(ctx context.Context, tx *store.Tx, now time.Time) error {
	if g == nil {
		return nil
	}
	return g.flushWith(ctx, tx, nil, now)
}

// flushPending writes the inserts and edits waiting (see groupWrites),
// in one statement.
func (g *groupWrites) flushPending(ctx context.Context, q store.Querier) error {
	if g == nil || len(g.inserts)+len(g.edits) == 0 {
		return nil
	}
	ctes, args := g.pendingCTEs()
	if _, err := q.ExecContext(ctx, `WITH `+ctes+` SELECT 1`, args...); err != nil {
		return fmt.Errorf("insert %d articles and update %d edited ones: %w", len(g.inserts), len(g.edits), err)
	}
	g.pendingWritten()
	return nil
}

// flushBeforeInsert writes the rows waiting before a new article's row is
// inserted now (insertArticle), as far as the insert reads them: its
// story's row (root, 0 for its own), for the story's date and the row's
// reference to it. A fingerprinted article's story was found by a lookup
// of its own (reserve), among rows that may wait: then all are written. A
// short text's story is a stored short text's, never a waiting row (only
// fingerprinted articles' inserts wait), so a group's waiting rows are
// not written for its short texts one by one but at its end, unless an
// edit waiting reads as one (shortTextsRead).
func (g *groupWrites) flushBeforeInsert(ctx context.Context, q store.Querier, fingerprinted bool, root int64) error {
	if g == nil || !fingerprinted && !g.shortTextsRead() && (root == 0 || !g.inserting(root)) {
		return nil
	}
	return g.flushPending(ctx, q)
}

// shortTextsRead reports whether what a short text's lookup and insert
// read differs while the group's writes wait: an edit waiting of a row
// whose text was too short for a simhash, whose short-text keys the edit
// deletes and whose old content hash (a short text's, the same in its
// outlet as a reprint's) it replaces. The edits waiting give rows long texts (a short
// text's new keys are written at once, recordEdit), so no other edit
// does.
func (g *groupWrites) shortTextsRead() bool {
	return g != nil && slices.ContainsFunc(g.edits, func(e pendingEdit) bool { return e.oldShort })
}

// inserting reports whether the insert of article id waits.
func (g *groupWrites) inserting(id int64) bool {
	return slices.ContainsFunc(g.inserts, func(p pendingInsert) bool { return p.a.ID == id })
}

// pendingCTEs are the common table expressions of a WITH clause that
// write the inserts and edits waiting, and their parameters; "" when
// none is.
func (g *groupWrites) pendingCTEs() (string, []any) {
	var ctes []string
	var args []any
	if len(g.inserts) > 0 {
		ctes, args = append(ctes, insertsCTE), append(args, insertArgs(g.inserts)...)
	}
	if len(g.edits) > 0 {
		ctes, args = append(ctes, editsCTEs), append(args, editArgs(g.edits)...)
	}
	return strings.Join(ctes, ","), args
}

// pendingWritten empties the inserts and edits waiting once a statement
// has written them.
func (g *groupWrites) pendingWritten() {
	g.inserts, g.edits = g.inserts[:0], g.edits[:0]
}

// flushWith is flush that also marks entries done (markEntriesDone), on
// PostgreSQL in the statement that records the URLs and writes the
// waiting rows: one or two round trips less while the group holds the
// story lock.
func (g *groupWrites) flushWith(ctx context.Context, tx *store.Tx, done []entryDone, now time.Time) error {
	if tx.Dialect() == store.Postgres && len(done) > 0 {
		ids, articles := entriesDoneArrays(done)
		ctes, args := g.pendingCTEs()
		if len(g.urls) > 0 {
			if ctes != "" {
				ctes += ","
			}
			ctes += ` urls AS (` + recordURLsPostgres + `)`
			args = append(args, g.urls, g.ids)
		}
		if ctes != "" {
			ctes = `WITH ` + ctes + ` `
		}
		args = append(args, now, ids, articles)
		if _, err := tx.ExecContext(ctx, ctes+markEntriesDonePostgres, args...); err != nil {
			return fmt.Errorf("insert %d articles, update %d edited ones, record %d URLs and mark %d feed entries done: %w",
				len(g.inserts), len(g.edits), len(g.urls), len(done), err)
		}
		g.pendingWritten()
		g.urlsWritten()
	} else {
		if err := g.flushPending(ctx, tx); err != nil {
			return err
		}
		if err := g.flushURLs(ctx, tx); err != nil {
			return err
		}
		if err := markEntriesDone(ctx, tx, done, now); err != nil {
			return err
		}
	}
	err := candidates.SaveScans(ctx, tx, g.scans, now)
	g.scans = g.scans[:0]
	return err
}

// Story lists the articles grouped with id: the original first, then its
// reprints in the order they were fetched.
func Story(ctx context.Context, q store.Querier, id int64) ([]Article, error) {
	var root int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(story_id, id) FROM articles WHERE id = ?`, id).Scan(&root)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("article %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("story of article %d: %w", id, err)
	}
	// The members are looked up by id from the story_id index: PostgreSQL's
	// generic plan for "story_id = $1 OR id = $2", which a prepared
	// statement gets after five runs, scans the whole table (100 ms at a
	// million articles).
	rows, err := q.QueryContext(ctx, `SELECT `+articleColumns+articleTables+`
		WHERE a.id IN (SELECT m.id FROM articles m WHERE m.story_id = ? UNION SELECT ?)
		ORDER BY CASE WHEN a.id = ? THEN 0 ELSE 1 END, a.fetched_at, a.id`, root, root, root)
	if err != nil {
		return nil, fmt.Errorf("story of article %d: %w", id, err)
	}
	defer rows.Close()
	var out []Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
