package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// minFingerprintWords is the shortest text given a simhash: below about a
// hundred words a one-sentence edit moves the hash as far as a different
// story would (see text.NearDuplicateDistance), so short items are only
// deduplicated exactly.
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
// it is too short.
func fingerprint(body string, tokens []string) (h uint64, ok bool) {
	if text.Words(body) < minFingerprintWords {
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

// near16 lists the 16-bit values within Hamming distance 2 of v (137 of
// them). Two hashes within text.NearDuplicateDistance (10) bits differ in
// at most 2 bits in at least one of their four quarters (4 × 3 > 10), so
// looking up each quarter's neighbours finds every near duplicate through
// the band indexes, and only about 1 in 120 unrelated rows.
func near16(v int64) []int64 {
	out := make([]int64, 0, 137)
	out = append(out, v)
	for i := range 16 {
		a := v ^ 1<<i
		out = append(out, a)
		for j := i + 1; j < 16; j++ {
			out = append(out, a^1<<j)
		}
	}
	return out
}

// findStory returns the story of the nearest earlier article within
// text.NearDuplicateDistance of h, or 0 when there is none.
func findStory(ctx context.Context, q store.Querier, articleID int64, h uint64) (int64, error) {
	var where []string
	for i, b := range bands(h) {
		vals := near16(b)
		s := make([]string, len(vals))
		for k, v := range vals {
			s[k] = strconv.FormatInt(v, 10)
		}
		// The values are integers computed here, so inlining them is safe
		// and keeps the statement under every driver's parameter limit.
		where = append(where, fmt.Sprintf("sh_band%d IN (%s)", i, strings.Join(s, ",")))
	}
	rows, err := q.QueryContext(ctx, `SELECT id, simhash, COALESCE(story_id, id) FROM articles
		WHERE id <> ? AND (`+strings.Join(where, " OR ")+`)`, articleID)
	if err != nil {
		return 0, fmt.Errorf("find near duplicates of article %d: %w", articleID, err)
	}
	defer rows.Close()
	best, bestDist := int64(0), text.NearDuplicateDistance+1
	for rows.Next() {
		var id, sh, story int64
		if err := rows.Scan(&id, &sh, &story); err != nil {
			return 0, err
		}
		d := text.Hamming(uint64(sh), h)
		if d < bestDist || (d == bestDist && story < best) {
			best, bestDist = story, d
		}
	}
	return best, rows.Err()
}
