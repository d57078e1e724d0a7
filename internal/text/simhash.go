package text

import "math/bits"

// NearDuplicateDistance is the largest Hamming distance between two
// Simhash values at which two stories count as the same story, such as
// one agency report reprinted by several outlets.
//
// A simhash bit flips with probability θ/π, θ being the angle between the
// shingle vectors of the two texts, so the distance grows with the share
// of the text that was edited, not with the size of the edit: a sentence
// added to a 2,000-word report flips a bit or two, the same sentence added
// to a 150-word item up to nine. Different stories are 32 ± 4 bits apart,
// as random hashes are. On the real Persian news of the shared test data
// (simhash_test.go), every lightly edited reprint of a story of 150 words
// or more (a sentence or an agency credit added; punctuation, digits,
// keyboard and half-spaces respelled) is within 9 bits, and no two
// different stories are closer than 20. Ten sits between the two; by the
// binomial tail, two unrelated stories come that close about once in 10⁸
// pairs. The 3 bits used for web pages (Manku et al. 2007) would miss most
// reprints of news-length text.
//
// Different stories written from one template (weather and market
// reports) are not unrelated: they share all but their figures and names,
// and come within this distance as often as reprints do. SameStory tells
// them apart; a distance alone cannot.
const NearDuplicateDistance = 10

// shingleSize is the number of consecutive tokens hashed together: three
// words keep word order (reprints share it, stories on the same topic do
// not) while one edited word still changes only three shingles.
const shingleSize = 3

// Simhash returns the 64-bit simhash (Charikar 2002) of s over
// overlapping word 3-shingles of Tokens(s): each shingle is hashed, each
// hash votes +1 or −1 on every bit, and a bit of the result is set when
// its votes are positive. Texts that share most shingles get values a
// small Hamming distance apart; see NearDuplicateDistance. A text of
// fewer than three tokens is one shingle; an empty text hashes to 0.
//
// It is written here rather than taken from a library: it is twenty lines
// over the tokens this package already produces, and a simhash package
// would add only its own feature extraction, which would have to be
// bypassed anyway to shingle tokens in which Normalize has already folded
// the Persian half-space and keyboard variants.
func Simhash(s string) uint64 { return SimhashOf(Tokens(s)) }

// SimhashOf is Simhash for text already split by Tokens or Analyze.
//
// A bit's votes are positive when more than half the shingles' hashes set
// it, so it counts, for each of the 64 bits, the hashes that set it, all
// at once: counts[k] holds bit k of every bit's count, and adding a hash
// is a ripple-carry addition of 64 one-bit numbers, about two steps a
// shingle where adding ±1 to each of 64 votes took 64 (a tenth of an
// article's dedup keys at ingest).
//
// Each token is in three shingles, whose hashes (shingleHash) are made
// together as the tokens are read once: an FNV step waits for the one
// before (a multiplication), and three independent ones run side by side,
// where one shingle after another took three times as long.
func SimhashOf(toks []string) uint64 {
	if len(toks) == 0 {
		return 0
	}
	var counts [64]uint64
	add := func(carry uint64) {
		for k := 0; carry != 0; k++ {
			counts[k], carry = counts[k]^carry, counts[k]&carry
		}
	}
	n := len(toks) - shingleSize + 1
	if n < 1 {
		n = 1
		add(shingleHash(toks))
	} else {
		// h0 is the FNV state of the shingle that token t ends, h1 of the
		// one t is the middle of, h2 of the one t starts (those of the
		// first two tokens start before the text, and are never added).
		var h0, h1, h2 uint64
		for t, tok := range toks {
			h2 = fnvOffset
			for j := 0; j < len(tok); j++ {
				c := uint64(tok[j])
				h0, h1, h2 = (h0^c)*fnvPrime, (h1^c)*fnvPrime, (h2^c)*fnvPrime
			}
			if t >= shingleSize-1 {
				add(fmix(h0))
			}
			h0, h1 = (h1^0x1F)*fnvPrime, (h2^0x1F)*fnvPrime
		}
	}
	var out uint64
	for b := range 64 {
		var count uint64
		for k := bits.Len(uint(n)); k >= 0; k-- {
			count = count<<1 | counts[k]>>b&1
		}
		if 2*count > uint64(n) {
			out |= 1 << b
		}
	}
	return out
}

// The constants of 64-bit FNV-1a.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// shingleHash hashes a shingle with 64-bit FNV-1a, inlined so that no
// hasher or joined string is allocated per shingle, over the tokens with a
// 0x1F separator (which no token contains), and then mixes the result with
// the MurmurHash3 finalizer: FNV-1a alone spreads the last bytes poorly
// into the high bits, and simhash needs every bit to be an even coin.
func shingleHash(toks []string) uint64 {
	h := uint64(fnvOffset)
	for i, t := range toks {
		if i > 0 {
			h ^= 0x1F
			h *= fnvPrime
		}
		for j := 0; j < len(t); j++ {
			h ^= uint64(t[j])
			h *= fnvPrime
		}
	}
	return fmix(h)
}

// fmix is the MurmurHash3 finalizer.
func fmix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// Hamming returns the number of bits in which a and b differ.
func Hamming(a, b uint64) int {
	return bits.OnesCount64(a ^ b)
}
