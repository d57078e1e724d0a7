package site

import "github.com/pressreview/pressreview/internal/text"

// langDir returns the lang and dir attributes for text in Persian or
// Arabic, and nothing for the rest, which the page's lang="en" covers.
func langDir(s string) (lang, dir string) {
	switch l := text.Language(s); l {
	case text.Persian, text.Arabic:
		return l, "rtl"
	}
	return "", ""
}
