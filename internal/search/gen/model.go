package gen

import (
	"math/rand/v2"
	"strings"
)

// model is a word-bigram model: for each word, the words seen after it.
// It produces text with the vocabulary, word frequencies and common
// collocations of what it was trained on, which is what an index and its
// posting lists are sensitive to, without repeating the training text.
type model struct {
	starts []string
	next   map[string][]string
}

func train(sentences []string) *model {
	m := &model{next: map[string][]string{}}
	for _, s := range sentences {
		words := strings.Fields(s)
		if len(words) < 3 {
			continue
		}
		m.starts = append(m.starts, words[0])
		for i := 0; i+1 < len(words); i++ {
			m.next[words[i]] = append(m.next[words[i]], words[i+1])
		}
	}
	return m
}

// sentence returns about n words ending with a full stop.
func (m *model) sentence(r *rand.Rand, n int) string {
	words := make([]string, 0, n)
	w := m.starts[r.IntN(len(m.starts))]
	for len(words) < n {
		words = append(words, w)
		next := m.next[w]
		if len(next) == 0 {
			w = m.starts[r.IntN(len(m.starts))]
			continue
		}
		w = next[r.IntN(len(next))]
	}
	return strings.Join(words, " ") + "."
}
