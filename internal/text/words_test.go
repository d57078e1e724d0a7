package text

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

func TestWords(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"  ،؛ «» — ", 0},
		{"می‌رود", 1},
		{"می رود", 2},
		{"کتاب‌ها و دفتر‌ها", 3},
		{"مُحَمَّد", 1},
		{"بـــزرگ", 1},
		{"قال المرصدُ السوريّ", 3},
		{"وقال المرصد السوري لحقوق الإنسان إن الاشتباكات استمرت", 8},
		{"state-run media", 2},
		{"Iran’s o'brien", 2},
		{"a - b", 2},
		{"'quoted'", 1},
		{"1,000,000 rials", 2},
		{"۳٫۵ درصد", 2},
		{"۱۴۰۲/۰۸/۱۰", 1},
		{"3.5", 1},
		{"in 2023. Next", 3},
		{"word.Next", 2},
		{"\u200Fتهران\u200F", 1},
		{"خبر\u200F\u200Cگزار", 1},
		{"Straße, ΣΟΦΙΑ, Иран", 3},
		{strings.Join(persianSentences, " "), 102},
	}
	for _, c := range cases {
		if got := Words(c.in); got != c.want {
			t.Errorf("Words(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

// TestWordsCorpus compares Words with a count of space-separated chunks
// on real Persian news: they differ only where punctuation without a space
// separates words (a/b, «a»b), so they must stay close.
func TestWordsCorpus(t *testing.T) {
	for _, a := range sharedtest.TargomanArticles(t) {
		body := a.Body()
		words, fields := Words(body), len(strings.Fields(body))
		if fields == 0 {
			continue
		}
		if r := float64(words) / float64(fields); r < 0.95 || r > 1.1 {
			t.Errorf("%s: Words = %d, space-separated chunks = %d", a.Rel, words, fields)
		}
	}
}

func TestReadingTime(t *testing.T) {
	cases := map[int]int{-5: 0, 0: 0, 1: 1, 199: 1, 200: 1, 201: 2, 1000: 5, 1001: 6}
	for words, want := range cases {
		if got := ReadingTime(words); got != want {
			t.Errorf("ReadingTime(%d) = %d, want %d", words, got, want)
		}
	}
	if got := ReadingTime(Words(strings.Repeat(persianSentences[0]+" ", 30))); got != 3 {
		t.Errorf("ReadingTime of 600 Persian words = %d, want 3", got)
	}
}

// TestHasWords: HasWords, which stops at the nth word, answers as Words
// counted on the whole text, also when that word is a joined pair or
// starts with a multi-byte character.
func TestHasWords(t *testing.T) {
	pieces := []string{"word", "کلمه", "слово", "x-ray", "۱۲۳", "3.14", "می‌شود", " ", "  ", "\n", ", ", "—", "e\u0301", "🙂"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		var b strings.Builder
		for b.Len() < 1800+rng.IntN(800) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		body := b.String()
		words := Words(body)
		for _, n := range []int{-1, 0, 1, words - 1, words, words + 1, 80} {
			if got := HasWords(body, n); got != (words >= n) {
				t.Fatalf("HasWords(%d bytes, %d) = %v; Words = %d", len(body), n, got, words)
			}
		}
	}
}
