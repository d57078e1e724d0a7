package text

import (
	"unicode"
	"unicode/utf8"
)

// WordsPerMinute is the reading rate ReadingTime assumes for every script.
//
// Adult silent reading of English non-fiction averages about 238 words a
// minute (Brysbaert 2019, a meta-analysis of 190 studies; most readers fall
// between 175 and 300). News read on a monitoring desk, often in a second
// language, sits at the low end, hence the round 200. The same meta-analysis
// finds that rates in other languages follow the number of words a language
// needs for the same message: Persian separates words much like English,
// while Arabic attaches conjunctions, prepositions and pronouns to its words
// and so reads fewer, longer words a minute. One rate for all three keeps
// the estimate simple and errs on the long side for Arabic by well under a
// minute on a typical story.
const WordsPerMinute = 200

// Words counts the words of s in any script: maximal runs of letters,
// digits and combining marks, as written (no normalization). Harakat and
// tatweel are part of their word. These do not split a word when they
// stand between two word characters:
//
//   - the ZWNJ half-space and ZWJ (می‌روند, کتاب‌ها are one word each),
//     and other invisible format characters (bidi marks, soft hyphen);
//   - hyphens and apostrophes (state-run, Iran's, al-Quds);
//   - between two digits, the separators . , / ٫ ٬ (1,000, ۳٫۵, ۱۴۰۲/۰۸/۱۰).
//
// The count is of the words a reader sees, so «می رود» written with a full
// space counts two, unlike its normalized index form.
func Words(s string) int { return words(s, -1) }

// HasWords reports whether s has n words or more, as Words counts them:
// it reads s only up to the start of its nth word (ingest asks whether a
// page's text of thousands of words has 80).
func HasWords(s string, n int) bool { return n <= 0 || words(s, n) >= n }

// words is Words, stopping at the start of word limit (-1 for none).
func words(s string, limit int) int {
	n := 0
	inWord := false // the last word character has not been closed yet
	joined := false // a joiner follows the last word character
	lastDigit := false
	for _, r := range s {
		switch {
		case isWordRune(r):
			if !inWord {
				n++
				if n == limit {
					return n
				}
			}
			inWord, joined = true, false
			lastDigit = unicode.IsDigit(r)
		case inWord && !joined && isWordJoiner(r, lastDigit):
			joined = true
		case inWord && joined && unicode.Is(unicode.Cf, r):
			// Several invisible characters in a row still join.
		default:
			inWord, joined = false, false
		}
	}
	return n
}

// isWordJoiner reports whether r joins two word characters into one word;
// afterDigit says whether the character before r was a digit.
func isWordJoiner(r rune, afterDigit bool) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\'', '\u2019', '\u02BC':
		return true
	case '.', ',', '/', '\u066B', '\u066C':
		return afterDigit
	}
	return r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r)
}

// ReadingTime returns the minutes needed to read a text of the given word
// count: words divided by WordsPerMinute (200), rounded up, so any
// non-empty text takes at least one minute; zero or fewer words take 0.
func ReadingTime(words int) int {
	if words <= 0 {
		return 0
	}
	return (words + WordsPerMinute - 1) / WordsPerMinute
}
