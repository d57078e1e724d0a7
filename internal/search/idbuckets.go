package search

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// On PostgreSQL each article's tsvector also holds six lexemes that name
// the blocks of article IDs that hold it: of 2^20, 2^18, … 2^10 IDs. A
// search that estimates its total (postgresWindow) reads the newest
// matches and a sample of ranges of older IDs; it asks the GIN index for
// the query AND the blocks that make up those ranges, a tsquery for each
// part (idSample.tsqueries). The index then starts from the blocks'
// short posting lists (or a rarer word's, newestBlocks) and skips
// through the word's long one, instead of decoding all of it into a
// bitmap and ANDing that with a bitmap of the primary key's ranges: the
// matches of ایران in the newest and sampled IDs of a million articles
// took 70–85 ms that way and take 25 ms this way (docs/benchmarks.md,
// "PostgreSQL: ID blocks in the tsvector"). A phrase's word order is then
// tested only on rows in the ranges, since only they leave the index.
//
// No query can name these lexemes: § is not a letter or digit, and the
// analyzer drops it from every term (TestBucketLexemesUnsearchable).
const bucketMark = "§"

// bucketLevels are the blocks' sizes in bits, largest first, and the
// names of their lexemes: § + a letter + the ID shifted right by the
// size. Each is four times the next, so that a range is a few blocks
// and a sample's range one block of about the size it wants. The
// finest, 1,024 IDs, is the grain of a sample's ranges.
var bucketLevels = [...]struct {
	shift uint
	name  string
}{{20, bucketMark + "f"}, {18, bucketMark + "e"}, {16, bucketMark + "d"}, {14, bucketMark + "c"}, {12, bucketMark + "b"}, {10, bucketMark + "a"}}

// bucketGrain is the finest block's size (tests of small archives make
// the blocks smaller).
func bucketGrain() int64 { return int64(1) << bucketLevels[len(bucketLevels)-1].shift }

// bucketLexeme names the block of level i that holds ID id.
func bucketLexeme(i int, id int64) string {
	return bucketLevels[i].name + strconv.FormatInt(id>>bucketLevels[i].shift, 10)
}

// withBuckets adds to v, the tsvector of article id, the lexemes of its
// blocks, without positions, each at its place in the sorted lexemes
// (tsvectorOf's order, which the server keeps).
func withBuckets(v pgtype.TSVector, id int64) pgtype.TSVector {
	for i := range bucketLevels {
		w := bucketLexeme(i, id)
		at, _ := slices.BinarySearchFunc(v.Lexemes, w, func(l pgtype.TSVectorLexeme, w string) int {
			return strings.Compare(l.Word, w)
		})
		v.Lexemes = slices.Insert(v.Lexemes, at, pgtype.TSVectorLexeme{Word: w})
	}
	return v
}

// bucketQuery is the tsquery that matches the IDs in ranges: the
// disjunction of the fewest blocks of minSize to maxSize IDs that cover
// each [from, to), its ends taken out to multiples of minSize.
func bucketQuery(ranges [][2]int64, minSize, maxSize int64) string {
	var terms []string
	for _, r := range ranges {
		to := alignUp(r[1], minSize)
		for from := alignDown(r[0], minSize); from < to; {
			for i, l := range bucketLevels {
				size := int64(1) << l.shift
				if size <= maxSize && from%size == 0 && from+size <= to {
					terms = append(terms, "'"+bucketLexeme(i, from)+"'")
					from += size
					break
				}
			}
		}
	}
	return "(" + strings.Join(terms, " | ") + ")"
}

// bucketLargest is the largest block's size.
func bucketLargest() int64 { return int64(1) << bucketLevels[0].shift }

// blockNear is the block size nearest to width IDs (by ratio), at least
// bucketGrain.
func blockNear(width float64) int64 {
	best := bucketGrain()
	for _, l := range bucketLevels {
		size := float64(int64(1) << l.shift)
		if size <= 2*width {
			return max(best, int64(size))
		}
	}
	return best
}

// alignDown and alignUp round an ID to a multiple of size, a power of 2.
func alignDown(id, size int64) int64 { return id &^ (size - 1) }
func alignUp(id, size int64) int64   { return alignDown(id+size-1, size) }
