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
// for. With each copy comes, when its content hash is none of the
// group's, the stored row an edit needs (its text for the diff, its dates
// for the index), which ArticleByID read for each edit.
//
// What the group's earlier articles wrote can change what an article's
// lookup finds: an article saved under one of its URLs or with its
// outlet and content hash, a row edited (its hash changed) or a story
// taken over. An article touching any of those (see touch) is looked up
// again by existingArticle, which sees the group's writes; the others
// find what existingArticle would.
//
// The near duplicates of the articles that have a simhash and no stored
// copy — those that will be new — are looked up at once too (findStory
// was a round trip a new article), and kept up to date with the group's
// own writes: an article inserted is a candidate for the later ones, an
// edited row has its new simhash, a story taken over its new root. So
// every candidate within text.NearDuplicateDistance that findStory would
// find at that point of the group is among them.
type groupCopies struct {
	loaded  bool
	matches []copyMatch
	urls    map[string]bool // URLs of the articles saved so far
	hashes  map[hashKey]bool
	ids     map[int64]bool // rows edited so far
	stories map[int64]bool // stories taken over so far

	near       []nearCandidate
	nearLoaded map[uint64]bool // the simhashes whose candidates are in near
}

type hashKey struct {
	outlet int64
	hash   string
}

// load looks up the stored copies of arts, met under aliases[i] besides
// their canonical URL, on PostgreSQL; on SQLite, where a statement is no
// round trip, each article keeps its own lookup.
func (g *groupCopies) load(ctx context.Context, tx *store.Tx, arts []*Article, aliases [][]string) error {
	if tx.Dialect() != store.Postgres || len(arts) == 0 {
		return nil
	}
	var urls, hashes []string
	var outlets []int64
	for i, a := range arts {
		urls = append(urls, lookupURLs(a.CanonicalURL, aliases[i])...)
		if a.ContentHash != "" {
			hashes = append(hashes, a.ContentHash)
			outlets = append(outlets, a.OutletID)
		}
	}
	slices.Sort(urls)
	urls = slices.Compact(urls)
	// Each match's row by primary key in a subquery that cannot be pulled
	// up into a join (OFFSET 0): a join could be planned as a scan on an
	// unanalyzed table. An edit's stored row comes whole but for its text
	// when the row's content hash is one of the group's (a copy found
	// unchanged needs no text).
	rows, err := tx.QueryContext(ctx, `
		SELECT m.url, m.kind, a.id, a.outlet_id, COALESCE(a.story_id, a.id), a.content_hash,
			CASE WHEN a.content_hash <> ALL(CAST(? AS text[])) THEN a.text END, a.title, a.lang, a.published_at, a.fetched_at
		FROM (SELECT url, 0 AS kind, article_id AS id FROM article_urls WHERE url = ANY(CAST(? AS text[]))
			UNION ALL SELECT canonical_url, 1, id FROM articles
			WHERE canonical_url = ANY(CAST(? AS text[])) AND canonical_url <> ''
			UNION ALL SELECT '', 2, id FROM articles
			WHERE outlet_id = ANY(CAST(? AS bigint[])) AND content_hash = ANY(CAST(? AS text[])) AND content_hash <> '') m
		CROSS JOIN LATERAL (SELECT * FROM articles a WHERE a.id = m.id OFFSET 0) a`,
		hashes, urls, urls, outlets, hashes)
	if err != nil {
		return fmt.Errorf("look up stored copies of %d articles: %w", len(arts), err)
	}
	defer rows.Close()
	for rows.Next() {
		var m copyMatch
		var old Article
		var body sql.NullString
		var published sql.NullTime
		if err := rows.Scan(&m.url, &m.kind, &m.c.id, &m.c.outletID, &m.c.storyID, &m.c.contentHash,
			&body, &old.Title, &old.Lang, &published, &old.FetchedAt); err != nil {
			return fmt.Errorf("look up stored copies of %d articles: %w", len(arts), err)
		}
		if body.Valid {
			old.ID, old.OutletID, old.ContentHash, old.Text = m.c.id, m.c.outletID, m.c.contentHash, body.String
			old.Published, old.FetchedAt = nullTime(published), old.FetchedAt.UTC()
			m.old = &old
		}
		g.matches = append(g.matches, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("look up stored copies of %d articles: %w", len(arts), err)
	}
	g.loaded = true
	g.urls, g.hashes, g.ids, g.stories = map[string]bool{}, map[hashKey]bool{}, map[int64]bool{}, map[int64]bool{}
	var simhashes []uint64
	for i, a := range arts {
		if found, _, _ := g.copyOf(a, lookupURLs(a.CanonicalURL, aliases[i])); a.fingerprinted && found.id == 0 {
			simhashes = append(simhashes, a.Simhash)
		}
	}
	if len(simhashes) == 0 {
		return nil
	}
	near, err := nearDuplicates(ctx, tx, 0, simhashes)
	if err != nil {
		return fmt.Errorf("find near duplicates of %d articles: %w", len(simhashes), err)
	}
	g.near, g.nearLoaded = near, map[uint64]bool{}
	for _, h := range simhashes {
		g.nearLoaded[h] = true
	}
	return nil
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
// group's lookup, with the stored row when an edit needs it (nil if not
// read); ok is false when a must be looked up again: nothing was loaded,
// or an earlier article of the group touched what a's lookup finds.
func (g *groupCopies) copyOf(a *Article, urls []string) (found storedCopy, old *Article, ok bool) {
	if g == nil || !g.loaded {
		return found, nil, false
	}
	if slices.ContainsFunc(urls, func(u string) bool { return g.urls[u] }) || g.hashes[hashKey{a.OutletID, a.ContentHash}] {
		return found, nil, false
	}
	var mine []copyMatch
	for _, m := range g.matches {
		if m.kind < 2 && slices.Contains(urls, m.url) ||
			m.kind == 2 && a.ContentHash != "" && m.c.outletID == a.OutletID && m.c.contentHash == a.ContentHash {
			if g.ids[m.c.id] || g.stories[m.c.storyID] {
				return found, nil, false
			}
			mine = append(mine, m)
		}
	}
	found, best := bestCopy(urls, mine)
	if best >= 0 {
		old = mine[best].old
	}
	return found, old, true
}

// touch records what saving a, met under urls, changed for the lookups
// of the group's later articles: the URLs and its outlet and content hash
// always (a copy's URLs are recorded for it); the row it inserted or
// edited, a.ID with how; and the story it took over (moved, 0 if none).
func (g *groupCopies) touch(a *Article, urls []string, how saved, moved int64) {
	if g == nil || !g.loaded {
		return
	}
	for _, u := range urls {
		g.urls[u] = true
	}
	g.hashes[hashKey{a.OutletID, a.ContentHash}] = true
	if how == savedEdit {
		g.ids[a.ID] = true
		g.near = slices.DeleteFunc(g.near, func(c nearCandidate) bool { return c.id == a.ID })
	}
	if moved != 0 {
		g.stories[moved] = true
		for i := range g.near {
			if g.near[i].story == moved {
				g.near[i].story = a.ID
			}
		}
	}
	// A row without a simhash has no band keys, which findStory looks up.
	if (how == savedNew || how == savedEdit) && a.fingerprinted {
		g.near = append(g.near, nearCandidate{id: a.ID, story: a.StoryID, simhash: a.Simhash, hash: a.ContentHash})
	}
}
