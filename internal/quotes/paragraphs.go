package quotes

import "strings"

// Paragraphs splits plain or stored article text into the paragraphs Find
// takes: one per line, each trimmed of surrounding white space, blank lines
// skipped (they do not count when paragraphs are numbered). The CLI and
// ingest both split with it, so a candidate's paragraph number means the
// same thing everywhere.
func Paragraphs(text string) []string {
	var out []string // nil for none
	for line := range strings.Lines(text) {
		if p := strings.TrimSpace(line); p != "" {
			if out == nil {
				// Sized for every line at once: ingest splits every
				// article's text.
				out = make([]string, 0, strings.Count(text, "\n")+1)
			}
			out = append(out, p)
		}
	}
	return out
}
