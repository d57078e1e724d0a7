package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestTsvectorOf sends documents' tsvectors in the binary form and checks
// that PostgreSQL holds exactly what it makes of the same terms written in
// its text form: lexemes, positions, weights, and the bounds on both.
func TestTsvectorOf(t *testing.T) {
	db := storetest.Postgres(t)
	words := strings.Fields("مذاکرات هسته‌ای ایران ۱۴۰۳ 2024 talks talk talks' a z ب ئ ي")
	long := make([]string, 0, maxPosition+300)
	for i := range cap(long) {
		long = append(long, words[i%len(words)])
	}
	for _, tc := range []struct {
		name        string
		title, body []string
	}{
		{"title and body share words", strings.Fields("ایران talks"), strings.Fields("talks with ایران and talks again")},
		{"no title", nil, words},
		{"title only", words, nil},
		{"a word more than 256 times, positions past 16383", words[:2], long},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got, want string
			err := db.QueryRowContext(context.Background(), `SELECT CAST(? AS tsvector)::text, CAST(? AS tsvector)::text`,
				tsvectorOf(tc.title, tc.body), tsvectorText(tc.title, tc.body)).Scan(&got, &want)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("binary tsvector differs from the text form:\n got %.300s\nwant %.300s", got, want)
			}
		})
	}
}

// tsvectorText is the document's tsvector in PostgreSQL's text syntax,
// which the server parses and sorts itself: the reference the binary form
// must match.
func tsvectorText(title, body []string) string {
	postings := map[string][]string{}
	var order []string
	add := func(tok string, pos int, weight string) {
		if pos > maxPosition || len(postings[tok]) >= maxLexemePosting {
			return
		}
		if postings[tok] == nil {
			order = append(order, tok)
		}
		postings[tok] = append(postings[tok], strconv.Itoa(pos)+weight)
	}
	for i, tok := range title {
		add(tok, i+1, "A")
	}
	for i, tok := range body {
		add(tok, len(title)+2+i, "B")
	}
	var b strings.Builder
	for _, tok := range order {
		fmt.Fprintf(&b, "'%s':%s ", strings.ReplaceAll(tok, "'", "''"), strings.Join(postings[tok], ","))
	}
	return b.String()
}
