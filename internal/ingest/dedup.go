package ingest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// minFingerprintWords is the shortest text given a simhash: below about a
// hundred words a one-sentence edit moves the hash as far as a different
// story would (see text.NearDuplicateDistance), so short items get a
// MinHash fingerprint instead (shortKeys, package shorttext).
const minFingerprintWords = 80

// contentHash identifies a text for exact deduplication: the SHA-256 of
// its matching form (text.Normalize), so keyboard variants and spacing do
// not make two copies of one text look different.
func contentHash(normalized string) string {
	if normalized == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(normalized))
	return hex.EncodeToString(sum[:])
}

// fingerprint is the simhash of body, given its tokens, or ok=false when
// it is too short. Its words are counted only up to the
// minFingerprintWords-th (text.HasWords): a page's text has hundreds or
// thousands.
func fingerprint(body string, tokens []string) (h uint64, ok bool) {
	if !text.HasWords(body, minFingerprintWords) {
		return 0, false
	}
	return text.SimhashOf(tokens), true
}

// bands splits a simhash into its four 16-bit quarters.
func bands(h uint64) [4]int64 {
	var b [4]int64
	for i := range b {
		b[i] = int64(h >> (16 * i) & 0xffff)
	}
	return b
}

// bandProbes lists, for each quarter of h, the values a stored quarter is
// looked up by: those within two bits of it (137) for the first three
// quarters, within one bit (17) for the last. Two hashes within
// text.NearDuplicateDistance (10) bits differ in at most 2 bits in one of
// their first three quarters or in at most 1 in the last: were it not so,
// they would differ in 3 + 3 + 3 + 2 = 11 or more (the pigeonhole argument
// of multi-index hashing, with the remainder of 10 / 4 given to the first
// quarters). So these 428 values find every near duplicate through the
// band indexes, as the 548 of radius 2 in every quarter did, and about 1
// in 150 unrelated rows instead of 1 in 120.
func bandProbes(h uint64) [4][]int64 {
	var out [4][]int64
	for i, v := range bands(h) {
		radius := 2
		if i == 3 {
			radius = 1
		}
		out[i] = nearBits(v, radius)
	}
	return out
}

// nearBits lists the 16-bit values within radius (1 or 2) bits of v.
func nearBits(v int64, radius int) []int64 {
	out := make([]int64, 0, 137)
	out = append(out, v)
	for i := range 16 {
		a := v ^ 1<<i
		out = append(out, a)
		for j := i + 1; j < 16 && radius > 1; j++ {
			out = append(out, a^1<<j)
		}
	}
	return out
}

// maxStoryCandidates bounds the near duplicates whose text is compared
// with a new article's (text.SameStory, a diff each). A daily report's
// earlier editions pile up within text.NearDuplicateDistance of each
// other; a reprint is nearer its original than they are, and follows it
// within days, so the nearest are tried first and, at one distance, the
// newest.
const maxStoryCandidates = 32

// storyQuery selects the articles with a band value among bandProbes of
// the article of the first parameter. On SQLite the values are
// parameters, not inlined: one text for every call, which SQLite then
// compiles once (see store's statement cache) instead of for each
// article. On PostgreSQL each quarter's values are one array parameter:
// given 549 scalar parameters its planner made a custom plan for every
// call, planning the values anew each time and free to choose a scan of
// the whole table (3.3 ms of the server's time a call at 20,000 rows);
// with the arrays it keeps one generic plan, a bitmap scan of the four
// band indexes (0.33 ms there).
var storyQuery = map[store.Dialect]string{
	store.SQLite: func() string {
		var where []string
		for i, p := range bandProbes(0) {
			where = append(where, fmt.Sprintf("sh_band%d IN (?%s)", i, strings.Repeat(", ?", len(p)-1)))
		}
		return storySelect + strings.Join(where, " OR ") + `)`
	}(),
	store.Postgres: storySelect + `sh_band0 = ANY(?) OR sh_band1 = ANY(?) OR sh_band2 = ANY(?) OR sh_band3 = ANY(?))`,
}

const storySelect = `SELECT id, simhash, COALESCE(story_id, id), content_hash FROM articles
		WHERE id <> ? AND (`

// findStory returns the story of the nearest other article within
// text.NearDuplicateDistance of a's simhash that text.SameStory takes for
// the same story, or 0 when there is none. Simhash alone would join two
// stories filled in from one template (weather, market reports), which
// share as much text as a reprint does. a is keyed; the candidates'
// tokens come from forms when kept there.
func findStory(ctx context.Context, q store.Querier, forms *storyForms, a *Article) (int64, error) {
	near, err := nearDuplicates(ctx, q, a.ID, []uint64{a.Simhash})
	if err != nil {
		return 0, fmt.Errorf("find near duplicates of article %d: %w", a.ID, err)
	}
	return pickStory(ctx, q, forms, a, near, nil)
}

// nearCandidate is an article a near-duplicate lookup found; in a
// group's lookup (groupCopies) with the publication date of its story's
// article, when rootKnown.
type nearCandidate struct {
	id, story     int64
	simhash       uint64
	hash          string
	rootPublished sql.NullTime
	rootKnown     bool
}

// nearDuplicates returns the articles but id that have a band value among
// bandProbes of any of simhashes; the caller measures their distance.
// On PostgreSQL several simhashes are looked up in one statement (each
// quarter's values of all of them one array: groupCopies); on SQLite, whose
// statement has one simhash's parameters, one.
func nearDuplicates(ctx context.Context, q store.Querier, id int64, simhashes []uint64) ([]nearCandidate, error) {
	args := make([]any, 0, 1+3*137+17)
	args = append(args, id)
	for _, p := range probeArrays(simhashes) {
		if q.Dialect() == store.Postgres {
			args = append(args, p)
			continue
		}
		for _, v := range p {
			args = append(args, v)
		}
	}
	rows, err := q.QueryContext(ctx, storyQuery[q.Dialect()], args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nearCandidate
	for rows.Next() {
		var c nearCandidate
		var sh int64
		if err := rows.Scan(&c.id, &sh, &c.story, &c.hash); err != nil {
			return nil, err
		}
		c.simhash = uint64(sh)
		out = append(out, c)
	}
	// Closed before the texts are read: SQLite runs a transaction on one
	// connection, which an open result set holds.
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return out, rows.Err()
}

// probeArrays are the bandProbes of simhashes, each quarter's values of
// all of them in one slice, each value once (one simhash's are distinct
// already; several are sorted and compacted).
func probeArrays(simhashes []uint64) [4][]int64 {
	var probes [4][]int64
	for _, h := range simhashes {
		for i, p := range bandProbes(h) {
			probes[i] = append(probes[i], p...)
		}
	}
	if len(simhashes) < 2 {
		return probes
	}
	for i, p := range probes {
		slices.Sort(p)
		probes[i] = slices.Compact(p)
	}
	return probes
}

// pickStory is findStory's choice among the candidates found. A
// candidate's text it reads writes g's rows waiting first (g may be
// nil): the candidate may be one of them.
func pickStory(ctx context.Context, q store.Querier, forms *storyForms, a *Article, found []nearCandidate, g *groupWrites) (int64, error) {
	type candidate struct {
		nearCandidate
		dist int
	}
	var near []candidate
	for _, c := range found {
		if d := text.Hamming(c.simhash, a.Simhash); d <= text.NearDuplicateDistance && c.id != a.ID {
			near = append(near, candidate{c, d})
		}
	}
	if len(near) == 0 {
		return 0, nil
	}
	slices.SortFunc(near, func(x, y candidate) int {
		return cmp.Or(cmp.Compare(x.dist, y.dist), cmp.Compare(y.id, x.id))
	})
	for _, c := range near[:min(len(near), maxStoryCandidates)] {
		toks, err := forms.tokens(c.hash, func() (string, error) {
			if err := g.flushPending(ctx, q); err != nil {
				return "", err
			}
			var body string
			err := q.QueryRowContext(ctx, `SELECT text FROM articles WHERE id = ?`, c.id).Scan(&body)
			return body, err
		})
		if err != nil {
			return 0, fmt.Errorf("read near duplicate %d of article %d: %w", c.id, a.ID, err)
		}
		if text.SameStory(a.story.tokens, toks) {
			return c.story, nil
		}
	}
	return 0, nil
}
