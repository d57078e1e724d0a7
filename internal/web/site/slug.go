package site

import "github.com/pressreview/pressreview/internal/valid"

// categoryPath is the listing of a category, "" when there is none.
func categoryPath(category string) string {
	if s := valid.Slugify(category); s != "" {
		return "/category/" + s
	}
	return ""
}
