package site

import "strings"

// slugify turns a label such as a category ("Analysis", "Policy Papers")
// into its URL form ("analysis", "policy-papers"): ASCII letters and digits,
// hyphens between words.
func slugify(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// categoryPath is the listing of a category, "" when there is none.
func categoryPath(category string) string {
	if s := slugify(category); s != "" {
		return "/category/" + s
	}
	return ""
}
