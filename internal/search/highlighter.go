package search

// Highlighter marks, in text as written, the words that normalize to a set
// of index terms: the marking of search results, offered to other indexes
// (the public site's search) so that every page highlights alike.
type Highlighter struct{ m *marker }

// NewHighlighter marks the words whose index terms are in exact or start
// with one of prefixes (terms as text.IndexText writes them).
func NewHighlighter(exact map[string]bool, prefixes []string) *Highlighter {
	return &Highlighter{m: &marker{terms: &termSet{exact: exact, prefixes: prefixes}}}
}

// Highlight returns all of s, HTML-escaped, with matching words in <mark>.
func (h *Highlighter) Highlight(s string) string { return h.m.highlightAll(s) }

// Snippet returns the passage of s, about two lines long, with the most
// distinct matching words, HTML-escaped and marked, with an ellipsis
// where it cuts the text.
func (h *Highlighter) Snippet(s string) string { return h.m.snippet(s) }
