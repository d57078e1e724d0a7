package text

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

func TestHamming(t *testing.T) {
	cases := []struct {
		a, b uint64
		want int
	}{
		{0, 0, 0},
		{0, 1, 1},
		{0xFF, 0x0F, 4},
		{0, ^uint64(0), 64},
		{0x8000000000000001, 1, 1},
	}
	for _, c := range cases {
		if got := Hamming(c.a, c.b); got != c.want {
			t.Errorf("Hamming(%#x, %#x) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSimhashBasics(t *testing.T) {
	if got := Simhash(""); got != 0 {
		t.Errorf("Simhash(\"\") = %#x, want 0", got)
	}
	if got := Simhash(" ،«» "); got != 0 {
		t.Errorf("Simhash of punctuation = %#x, want 0", got)
	}
	if Simhash("ایران") == 0 || Simhash("ایران") == Simhash("عراق") {
		t.Error("one-word texts do not get distinct fingerprints")
	}
	// Spellings that normalize alike fingerprint alike.
	a := Simhash("كتاب‌ها مي‌روند؛ ۱۴۰۲ «مدرسة»")
	b := Simhash("کتاب ها می روند, 1402 \"مدرسه\"")
	if a != b {
		t.Errorf("respelled text: Hamming = %d, want 0", Hamming(a, b))
	}
}

// respell rewrites Persian text the way another outlet might publish the
// same copy: Western punctuation, ASCII digits, an Arabic keyboard, and
// full spaces instead of half-spaces after می/نمی and before ها/های.
func respell(s string) string {
	s = strings.NewReplacer(
		"،", ",", "؛", ";", "؟", "?", "«", `"`, "»", `"`, ".", "!",
		"ی", "ي", "ک", "ك",
		"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4",
		"۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
	).Replace(s)
	words := strings.Split(s, " ")
	for i, w := range words {
		for _, p := range []string{"مي\u200C", "نمي\u200C"} {
			if rest, ok := strings.CutPrefix(w, p); ok {
				w = strings.TrimSuffix(p, "\u200C") + " " + rest
			}
		}
		for _, suf := range []string{"\u200Cها", "\u200Cهاي"} {
			if stem, ok := strings.CutSuffix(w, suf); ok {
				w = stem + " " + strings.TrimPrefix(suf, "\u200C")
			}
		}
		words[i] = w
	}
	return strings.Join(words, " ")
}

// reprints returns lightly edited copies of a story, by kind of edit.
func reprints(body string) map[string]string {
	const added = "خبرنگار ما در پایان افزود که این موضوع در روزهای آینده نیز در جلسه علنی مجلس بررسی خواهد شد."
	return map[string]string{
		"sentence added":               body + "\n\n" + added,
		"agency credit added":          "به گزارش خبرگزاری ما، " + body,
		"respelled":                    respell(body),
		"sentence added and respelled": respell(body + " " + added),
	}
}

// TestSimhashSynthetic needs no shared data: stories are random sequences
// of the words of persianSentences.
func TestSimhashSynthetic(t *testing.T) {
	vocab := Tokens(strings.Join(persianSentences, " "))
	rng := rand.New(rand.NewPCG(7, 11))
	story := func(words int) string {
		var b strings.Builder
		for i := range words {
			b.WriteString(vocab[rng.IntN(len(vocab))])
			if i%15 == 14 {
				b.WriteString(". ")
			} else {
				b.WriteString(" ")
			}
		}
		return b.String()
	}
	var stories []string
	for range 20 {
		stories = append(stories, story(250))
	}
	for i, s := range stories {
		for kind, r := range reprints(s) {
			if d := Hamming(Simhash(s), Simhash(r)); d > NearDuplicateDistance {
				t.Errorf("story %d, %s: distance %d > %d", i, kind, d, NearDuplicateDistance)
			}
		}
		for j := range i {
			if d := Hamming(Simhash(s), Simhash(stories[j])); d <= NearDuplicateDistance {
				t.Errorf("unrelated stories %d and %d: distance %d", j, i, d)
			}
		}
	}
}

// corpusStories returns the bodies of the real Persian articles of at
// least minWords words.
func corpusStories(t *testing.T, minWords int) []string {
	var bodies []string
	for _, a := range sharedtest.TargomanArticles(t) {
		if b := a.Body(); Words(b) >= minWords {
			bodies = append(bodies, b)
		}
	}
	return bodies
}

// TestSimhashReprints checks NearDuplicateDistance from below on real
// Persian news of 150 words or more: every lightly edited reprint stays
// within it. (A sentence added to a 100-word item changes a sixth of its
// shingles and may flip 11 bits; such short items are not covered.)
func TestSimhashReprints(t *testing.T) {
	worst := map[string]int{}
	for i, body := range corpusStories(t, 150) {
		h := Simhash(body)
		for kind, r := range reprints(body) {
			d := Hamming(h, Simhash(r))
			worst[kind] = max(worst[kind], d)
			if d > NearDuplicateDistance {
				t.Errorf("story %d, %s: distance %d > %d", i, kind, d, NearDuplicateDistance)
			}
		}
	}
	t.Logf("largest distance by kind of edit: %v", worst)
}

// TestSimhashUnrelated checks NearDuplicateDistance from above: different
// stories of the real Persian news are farther apart.
func TestSimhashUnrelated(t *testing.T) {
	bodies := corpusStories(t, 100)
	var dists []int
	for i := range bodies {
		for j := range i {
			d := Hamming(Simhash(bodies[i]), Simhash(bodies[j]))
			dists = append(dists, d)
			if d <= NearDuplicateDistance {
				t.Errorf("different stories %d and %d: distance %d <= %d", j, i, d, NearDuplicateDistance)
			}
		}
	}
	if len(dists) > 0 {
		slices.Sort(dists)
		t.Logf("%d pairs of different stories: distance min %d, median %d", len(dists), dists[0], dists[len(dists)/2])
	}
}

// TestSimhashOfCountsAsVotes checks SimhashOf's bit-sliced counting
// against the ±1 votes the simhash is defined by, on random texts of 0 to
// 3,000 tokens over a small vocabulary (so that shingles repeat and votes
// tie) and a large one.
func TestSimhashOfCountsAsVotes(t *testing.T) {
	votes := func(toks []string) uint64 {
		if len(toks) == 0 {
			return 0
		}
		var v [64]int
		for i := range max(len(toks)-shingleSize+1, 1) {
			h := shingleHash(toks[i:min(i+shingleSize, len(toks))])
			for b := range v {
				v[b] += int(h>>b&1)*2 - 1
			}
		}
		var out uint64
		for b, x := range v {
			if x > 0 {
				out |= 1 << b
			}
		}
		return out
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		vocab := 3 + rng.IntN(2)*1000
		toks := make([]string, []int{0, 1, 2, 3, 4}[i%5]+rng.IntN(1+(i%4)*1000))
		for j := range toks {
			toks[j] = "w" + strings.Repeat("x", rng.IntN(vocab)%7) + string(rune('a'+rng.IntN(vocab)%26))
		}
		if got, want := SimhashOf(toks), votes(toks); got != want {
			t.Fatalf("%d tokens: SimhashOf = %#x, votes give %#x", len(toks), got, want)
		}
	}
}
