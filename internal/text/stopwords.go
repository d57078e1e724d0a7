package text

import (
	"embed"
	"strings"
)

// The lists are plain text, one word a line, written as people type them
// (with ZWNJ, hamza seats, Arabic or Persian yeh): editors can extend them
// without knowing the folding rules, and they are normalized at load.
//
//go:embed stopwords/*.txt
var stopwordFiles embed.FS

// stopWords maps a language code to its set of normalized stop words.
var stopWords = map[string]map[string]bool{
	Persian: loadStopWords(Persian),
	Arabic:  loadStopWords(Arabic),
	English: loadStopWords(English),
}

func loadStopWords(lang string) map[string]bool {
	data, err := stopwordFiles.ReadFile("stopwords/" + lang + ".txt")
	if err != nil {
		panic("text: missing embedded stop-word list: " + err.Error())
	}
	set := make(map[string]bool)
	for line := range strings.Lines(string(data)) {
		if w := Normalize(line); w != "" {
			set[w] = true
		}
	}
	return set
}

// IsStopWord reports whether a normalized, unstemmed token (as returned
// by Tokens) is a stop word of the language "fa", "ar" or "en"; for any
// other language it reports false. The lists hold the 170–210 most
// frequent function words, pronouns, prepositions and auxiliaries of each
// language's news prose. They are meant for query building, term
// highlighting and keyword extraction; the index itself keeps stop words
// so that phrase queries still match.
func IsStopWord(lang, normalizedToken string) bool {
	return stopWords[lang][normalizedToken]
}
