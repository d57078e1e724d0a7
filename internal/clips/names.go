package clips

import (
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/pressreview/pressreview/internal/text"
)

// sameName reports whether two spellings of a name match as the roster
// lookup compares them.
func sameName(a, b string) bool { return text.Normalize(a) == text.Normalize(b) }

// foldAccents drops the combining marks of the canonical decomposition:
// "Ḥasan Rūḥānī" → "Hasan Ruhani".
func foldAccents(s string) []rune {
	var out []rune
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			out = append(out, r)
		}
	}
	return out
}
