package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/text"
)

// TestHasWordsAsWords: hasWords, which counts the words of a prefix
// first, answers as text.Words counted on the whole text, also when the
// prefix ends inside a multi-byte character, a word or a joined pair.
func TestHasWordsAsWords(t *testing.T) {
	pieces := []string{"word", "کلمه", "слово", "x-ray", "۱۲۳", "3.14", "می‌شود", " ", "  ", "\n", ", ", "—", "e\u0301", "🙂"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		var b strings.Builder
		for b.Len() < 1800+rng.IntN(800) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		body := b.String()
		words := text.Words(body)
		for _, n := range []int{words - 1, words, words + 1, minFingerprintWords} {
			if got := hasWords(body, n); got != (words >= n) {
				t.Fatalf("hasWords(%d bytes, %d) = %v; text.Words = %d", len(body), n, got, words)
			}
		}
	}
}
