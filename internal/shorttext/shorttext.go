// Package shorttext finds near duplicates among short texts (Telegram
// posts, statements, news flashes) where a word simhash cannot: under a
// hundred words, one added signature or dropped sentence moves a simhash
// as far as another story would.
//
// A text is cut into overlapping character shingles of its matching form
// (text.Normalize: keyboard variants, diacritics and spacing folded), and
// two texts are the same post when their shingle sets overlap enough
// (Resemblance). To find candidates without comparing every pair, each
// text gets a MinHash signature whose bands are stored and looked up by
// equality (locality-sensitive hashing): two texts with resemblance J
// share a band with probability 1 − (1 − J^Rows)^Bands, 0.999 at J = 0.8,
// 0.91 at J = 0.6, 0.74 at J = 0.5, 0.24 at J = 0.3, and candidates are
// then checked exactly. Ten bands of three were chosen on the Persian
// corpus (see docs/benchmarks.md): eight of four missed 1.5% of the
// reposts above the threshold, ten of three miss 0.2%.
package shorttext

import (
	"encoding/binary"
	"hash/fnv"
	"slices"
	"unicode"
)

// Shingle is the length of a shingle in runes: Persian words average four
// to five letters, so a shingle spans a word boundary and keeps some
// order, while an edited word changes only the shingles that cross it.
const Shingle = 5

// Bands and Rows shape the signature: Bands × Rows MinHash values, one
// lookup key per band.
const (
	Bands = 10
	Rows  = 3
)

// Threshold is the resemblance at which two short texts are one post;
// docs/benchmarks.md ("Short texts") gives the false merges and recall it
// was chosen from.
const Threshold = 0.5

// MinWords is the fewest words fingerprinted: below it ("Breaking:",
// "Photo", a bare link) texts that share little but boilerplate would
// resemble each other.
const MinWords = 8

// Set is a set of hashed shingles: sorted, each value once. A slice
// rather than a map: Resemblance counts the shared values by merging two
// sets, Keys reads each value once, and building one is a sort (a map
// was most of the time of a short article's story grouping at ingest,
// where each is compared with up to maxStoryCandidates others).
type Set []uint64

// Shingles returns the set of hashed character shingles of a text already
// in matching form (text.Normalize); runs of non-letters count as one
// space, so punctuation and emoji do not separate two copies.
func Shingles(normalized string) Set {
	rs := make([]rune, 0, len(normalized))
	space := true
	for _, r := range normalized {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			rs = append(rs, r)
			space = false
		} else if !space {
			rs = append(rs, ' ')
			space = true
		}
	}
	if n := len(rs); n > 0 && rs[n-1] == ' ' {
		rs = rs[:n-1]
	}
	if len(rs) == 0 {
		return Set{}
	}
	if len(rs) < Shingle {
		return Set{hashRunes(rs)}
	}
	set := make(Set, 0, len(rs)-Shingle+1)
	for i := 0; i+Shingle <= len(rs); i++ {
		set = append(set, hashRunes(rs[i:i+Shingle]))
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// hashRunes is 64-bit FNV-1a over the runes' four little-endian bytes
// each, then mixed: hash/fnv's New64a written out, so that its loop is
// inline rather than a call of its Write a rune.
func hashRunes(rs []rune) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for _, r := range rs {
		for k := range 4 {
			h ^= uint64(byte(uint32(r) >> (8 * k)))
			h *= prime64
		}
	}
	return mix(h)
}

// mix is splitmix64's finalizer: FNV's low bits are weak, and MinHash
// needs every bit of the permuted values.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// seeds are the Bands × Rows hash functions, fixed so that keys stored by
// one process are found by another.
var seeds = func() [Bands * Rows]uint64 {
	var s [Bands * Rows]uint64
	x := uint64(0x5eed5eed)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix(x)
	}
	return s
}()

// Keys returns a text's band keys (Bands of them), or nil when the set is
// empty. Two texts sharing a key are candidates.
func Keys(set Set) []int64 {
	if len(set) == 0 {
		return nil
	}
	var sig [Bands * Rows]uint64
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, v := range set {
		for i, s := range seeds {
			if h := mix(v ^ s); h < sig[i] {
				sig[i] = h
			}
		}
	}
	keys := make([]int64, Bands)
	var b [8]byte
	for band := range Bands {
		h := fnv.New64a()
		b[0] = byte(band) // the same values in two bands are different keys
		h.Write(b[:1])
		for _, v := range sig[band*Rows : (band+1)*Rows] {
			binary.LittleEndian.PutUint64(b[:], v)
			h.Write(b[:])
		}
		keys[band] = int64(h.Sum64())
	}
	return keys
}

// Resemblance is the Jaccard similarity of two shingle sets: shared
// shingles over all shingles.
func Resemblance(a, b Set) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			shared++
			i++
			j++
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}

// Eligible says whether a text of this many words is fingerprinted here:
// from MinWords up to (not including) longWords, where the simhash takes
// over.
func Eligible(words, longWords int) bool { return words >= MinWords && words < longWords }
