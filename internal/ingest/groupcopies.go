package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/pressreview/pressreview/internal/store"
)

// groupCopies are the stored copies of a group's articles, looked up for
// the whole group in one statement once it holds the story lock, on
// PostgreSQL: there existingArticle, one an article, was a round trip a
// page made while the group holds the lock, which the other groups wait
// for. With each copy comes, when an article of the group met under its
// URL has another text, the stored row an edit needs (its text for the
// diff, its dates for the index), which ArticleByID read for each edit.
//
// What the group's earlier articles wrote can change what an article's
// lookup finds: an article saved under one of its URLs or with its
// outlet and content hash, a row edited (its hash changed) or a story
// taken over. The lookup's answers are therefore kept as the rows the
// lookups read — article_urls, the articles' canonical URLs, their
// outlets and content hashes, and each row found — and brought up to date
// with each article the group saves (touch), so that copyOf answers every
// article as existingArticle would at that point of the group, without
// the round trip of looking it up again (28% of the pages of
// BenchmarkIngestOverhead, whose groups meet one article several times).
//
// The near duplicates of the articles that have a simhash and no stored
// copy — those that will be new — are looked up at once too (findStory
// was a round trip a new article), and kept up to date with the group's
// own writes: an article inserted is a candidate for the later ones, an
// edited row has its new simhash, a story taken over its new root. So
// every candidate within text.NearDuplicateDistance that findStory would
// find at that point of the group is among them.
type groupCopies struct {
	loaded    bool
	urlRows   map[string]int64  // article_urls: URL → article
	canonical map[string]int64  // the articles' canonical URLs
	byHash    map[hashKey]int64 // the articles' outlets and content hashes
	rows      map[int64]*groupRow

	near       []nearCandidate
	nearLoaded map[uint64]bool // the simhashes whose candidates are in near
	// freeIDs are article ids taken from the sequence with the near
	// duplicates, one for each article that looked new, for the inserts
	// left to the group's end (groupWrites.reserve).
	freeIDs []int64
}

type hashKey struct {
	outlet int64
	hash   string
}

// groupRow is an article row as the group's lookups find it: what
// storedCopy carries, and the row as an edit reads it (nil when not
// read).
type groupRow struct {
	outletID, storyID int64
	contentHash       string
	old               *Article
}

// load looks up the stored copies of arts, met under aliases[i] besides
// their canonical URL, on PostgreSQL; on SQLite, where a statement is no
// round trip, each article keeps its own lookup.
func (g *groupCopies) load(ctx context.Context, tx *store.Tx, arts []*Article, aliases [][]string) error {
	if tx.Dialect() != store.Postgres || len(arts) == 0 {
		return nil
	}
	var urls, hashes, metURLs, metHashes []string
	var outlets []int64
	for i, a := range arts {
		for _, u := range lookupURLs(a.CanonicalURL, aliases[i]) {
			urls, metURLs, metHashes = append(urls, u), append(metURLs, u), append(metHashes, a.ContentHash)
		}
		if a.ContentHash != "" {
			hashes = append(hashes, a.ContentHash)
			outlets = append(outlets, a.OutletID)
		}
	}
	slices.Sort(urls)
	urls = slices.Compact(urls)
	// Each match's row by primary key in a subquery that cannot be pulled
	// up into a join (OFFSET 0): a join could be planned as a scan on an
	// unanalyzed table. A row found by URL comes with its text when an
	// article of the group met under that URL has another text (an edit:
	// a copy found unchanged needs none).
	rows, err := tx.QueryContext(ctx, `
		SELECT m.url, m.kind, a.id, a.outlet_id, COALESCE(a.story_id, a.id), a.content_hash,
			CASE WHEN m.kind < 2 AND EXISTS (SELECT 1 FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS p(url, hash)
				WHERE p.url = m.url AND p.hash <> a.content_hash) THEN a.text END,
			a.title, a.lang, a.published_at, a.fetched_at
		FROM (SELECT url, 0 AS kind, article_id AS id FROM article_urls WHERE url = ANY(CAST(? AS text[]))
			UNION ALL SELECT canonical_url, 1, id FROM articles
			WHERE canonical_url = ANY(CAST(? AS text[])) AND canonical_url <> ''
			UNION ALL SELECT '', 2, id FROM articles
			WHERE outlet_id = ANY(CAST(? AS bigint[])) AND content_hash = ANY(CAST(? AS text[])) AND content_hash <> '') m
		CROSS JOIN LATERAL (SELECT * FROM articles a WHERE a.id = m.id OFFSET 0) a`,
		metURLs, metHashes, urls, urls, outlets, hashes)
	if err != nil {
		return fmt.Errorf("look up stored copies of %d articles: %w", len(arts), err)
	}
	defer rows.Close()
	g.urlRows, g.canonical, g.byHash, g.rows = map[string]int64{}, map[string]int64{}, map[hashKey]int64{}, map[int64]*groupRow{}
	for rows.Next() {
		var m copyMatch
		var old Article
		var body sql.NullString
		var published sql.NullTime
		if err := rows.Scan(&m.url, &m.kind, &m.c.id, &m.c.outletID, &m.c.storyID, &m.c.contentHash,
			&body, &old.Title, &old.Lang, &published, &old.FetchedAt); err != nil {
			return fmt.Errorf("look up stored copies of %d articles: %w", len(arts), err)
		}
		switch m.kind {
		case 0:
			g.urlRows[m.url] = m.c.id
		case 1:
			g.canonical[m.url] = m.c.id
		default:
			g.byHash[hashKey{m.c.outletID, m.c.contentHash}] = m.c.id
		}
		r := g.rows[m.c.id]
		if r == nil {
			r = &groupRow{outletID: m.c.outletID, storyID: m.c.storyID, contentHash: m.c.contentHash}
			g.rows[m.c.id] = r
		}
		if body.Valid && r.old == nil {
			old.ID, old.OutletID, old.ContentHash, old.Text = m.c.id, m.c.outletID, m.c.contentHash, body.String
			old.Published, old.FetchedAt = nullTime(published), old.FetchedAt.UTC()
			r.old = &old
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("look up stored copies of %d articles: %w", len(arts), err)
	}
	g.loaded = true
	var simhashes []uint64
	for i, a := range arts {
		if found, _, _ := g.copyOf(a, lookupURLs(a.CanonicalURL, aliases[i])); a.fingerprinted && found.id == 0 {
			simhashes = append(simhashes, a.Simhash)
		}
	}
	if len(simhashes) == 0 {
		return nil
	}
	// With the candidates come their story's publication date, which
	// assignStory compares with the new article's, and an id for each
	// article that looks new, so that the insert can wait for the
	// group's end (groupWrites.reserve).
	args := make([]any, 0, 5)
	for _, p := range probeArrays(simhashes) {
		args = append(args, p)
	}
	rows, err = tx.QueryContext(ctx, `
		SELECT 0, id, simhash, COALESCE(story_id, id), content_hash,
			(SELECT r.published_at FROM articles r WHERE r.id = COALESCE(a.story_id, a.id))
		FROM articles a WHERE sh_band0 = ANY(?) OR sh_band1 = ANY(?) OR sh_band2 = ANY(?) OR sh_band3 = ANY(?)
		UNION ALL SELECT 1, nextval(pg_get_serial_sequence('articles', 'id')), 0, 0, '', NULL
		FROM generate_series(1, ?)`, append(args, len(simhashes))...)
	if err != nil {
		return fmt.Errorf("find near duplicates of %d articles: %w", len(simhashes), err)
	}
	defer rows.Close()
	g.nearLoaded = map[uint64]bool{}
	for rows.Next() {
		var kind int
		var c nearCandidate
		var sh int64
		if err := rows.Scan(&kind, &c.id, &sh, &c.story, &c.hash, &c.rootPublished); err != nil {
			return fmt.Errorf("find near duplicates of %d articles: %w", len(simhashes), err)
		}
		if kind == 1 {
			g.freeIDs = append(g.freeIDs, c.id)
			continue
		}
		c.simhash, c.rootKnown = uint64(sh), true
		g.near = append(g.near, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find near duplicates of %d articles: %w", len(simhashes), err)
	}
	for _, h := range simhashes {
		g.nearLoaded[h] = true
	}
	return nil
}

// rootPublished is the publication date of story's article, when one of
// the candidates in near is in that story and its date is known.
func (g *groupCopies) rootPublished(story int64) (sql.NullTime, bool) {
	for _, c := range g.near {
		if c.story == story && c.rootKnown {
			return c.rootPublished, true
		}
	}
	return sql.NullTime{}, false
}

// nearOf is nearDuplicates' answer for a as the group stands, or ok false
// when a's candidates were not looked up.
func (g *groupCopies) nearOf(a *Article) (near []nearCandidate, ok bool) {
	if g == nil || !g.nearLoaded[a.Simhash] {
		return nil, false
	}
	return g.near, true
}

// copyOf is existingArticle's answer for a, met under urls, from the
// group's lookup as the group's writes so far left it, with the stored
// row when an edit needs it (nil if not read); ok is false when a must be
// looked up: nothing was loaded.
func (g *groupCopies) copyOf(a *Article, urls []string) (found storedCopy, old *Article, ok bool) {
	if g == nil || !g.loaded {
		return found, nil, false
	}
	var matches []copyMatch
	add := func(url string, kind int, id int64) {
		r := g.rows[id]
		matches = append(matches, copyMatch{url: url, kind: kind,
			c: storedCopy{id: id, outletID: r.outletID, storyID: r.storyID, contentHash: r.contentHash}})
	}
	for _, u := range urls {
		if id, ok := g.urlRows[u]; ok {
			add(u, 0, id)
		}
		if id, ok := g.canonical[u]; ok {
			add(u, 1, id)
		}
	}
	if a.ContentHash != "" {
		if id, ok := g.byHash[hashKey{a.OutletID, a.ContentHash}]; ok {
			add("", 2, id)
		}
	}
	found, best := bestCopy(urls, matches)
	if best >= 0 {
		old = g.rows[found.id].old
	}
	return found, old, true
}

// touch records what saving a, met under urls, changed for the lookups
// of the group's later articles: the URLs recorded for a.ID (finishArticle:
// those not recorded yet, for any article); the row it inserted or
// edited, a.ID with how, as an edit of it would read it (an edit's a.edited
// is set); and the story it took over (moved, 0 if none).
func (g *groupCopies) touch(a *Article, urls []string, how saved, moved int64) {
	if g == nil || !g.loaded {
		return
	}
	for _, u := range urls {
		if _, ok := g.urlRows[u]; !ok {
			g.urlRows[u] = a.ID
		}
	}
	switch how {
	case savedNew:
		g.rows[a.ID] = &groupRow{outletID: a.OutletID, storyID: a.StoryID, contentHash: a.ContentHash,
			old: &Article{ID: a.ID, OutletID: a.OutletID, Title: a.Title, Text: a.Text, ContentHash: a.ContentHash,
				Lang: a.Lang, Published: a.Published, FetchedAt: a.FetchedAt}}
		if a.CanonicalURL != "" {
			g.canonical[a.CanonicalURL] = a.ID
		}
		if a.ContentHash != "" {
			g.byHash[hashKey{a.OutletID, a.ContentHash}] = a.ID
		}
	case savedEdit:
		r := g.rows[a.ID]
		if r == nil { // found by a lookup of its own
			r = &groupRow{outletID: a.OutletID, storyID: a.StoryID}
			g.rows[a.ID] = r
		}
		if k := (hashKey{r.outletID, r.contentHash}); r.contentHash != "" && g.byHash[k] == a.ID {
			delete(g.byHash, k)
		}
		r.contentHash = a.ContentHash
		g.byHash[hashKey{r.outletID, a.ContentHash}] = a.ID
		e := a.edited
		r.old = &Article{ID: a.ID, OutletID: r.outletID, Title: a.Title, Text: a.Text, ContentHash: a.ContentHash,
			Lang: e.Lang, Published: e.Published, FetchedAt: e.Fetched}
		g.near = slices.DeleteFunc(g.near, func(c nearCandidate) bool { return c.id == a.ID })
	}
	published := sql.NullTime{Valid: a.Published != nil}
	if a.Published != nil {
		published.Time = *a.Published
	}
	if moved != 0 {
		for _, r := range g.rows {
			if r.storyID == moved {
				r.storyID = a.ID
			}
		}
		for i := range g.near {
			if g.near[i].story == moved {
				g.near[i].story, g.near[i].rootPublished, g.near[i].rootKnown = a.ID, published, true
			}
		}
	}
	// A row without a simhash has no band keys, which findStory looks up.
	if (how == savedNew || how == savedEdit) && a.fingerprinted {
		c := nearCandidate{id: a.ID, story: a.StoryID, simhash: a.Simhash, hash: a.ContentHash}
		if a.StoryID == a.ID {
			c.rootPublished, c.rootKnown = published, true
		} else {
			c.rootPublished, c.rootKnown = g.rootPublished(a.StoryID)
		}
		g.near = append(g.near, c)
	}
}
