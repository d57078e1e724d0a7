package text

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// indexSamples returns texts whose IndexText the database tokenizers must
// split exactly at the spaces: short samples of every script and rule,
// plus the real Persian, Arabic and English news of the shared test data
// when it is there.
func indexSamples(t *testing.T) []string {
	t.Helper()
	samples := []string{
		"او هر روز به مدرسه می‌رود و کتاب‌های تازه را می خواند.",
		"وقال المرصد السوري إن الاشتباكات استمرت في ريف دمشق.",
		"Iran's foreign minister didn't rule out talks in Vienna; sanctions remain.",
		"Rōḥānī, Zarīf, café, Müller, São Paulo, İstanbul, Straße, ＩＲＮＡ",
		"۱۴۰۲/۰۸/۱۰ ساعت ۱۸:۳۰ — نرخ ۳٫۵٪ و 1,250,000 ریال؛ v2.0 x86_64 user@example.com https://irna.ir/news?id=7",
		"«مُحَمَّد» رئيس الجمهورية؟ ﻛﺘﺎﺏ ﷲ",
		"state-of-the-art al-Quds o'brien rock'n'roll",
	}
	arts, err := sharedtest.LoadTargoman()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		samples = append(samples, a.Title+"\n"+a.Body())
	}
	if p, ok := sharedtest.Path("testdata/extraction/arabic-news/cnn-arabic-syria-clashes/expected.txt"); ok {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, string(data))
	}
	return samples
}

// TestIndexTextSQLiteFTS5 stores IndexText in an FTS5 table with the
// unicode61 tokenizer, as the SQLite store does, and reads the terms back:
// they must be exactly the space-separated words of IndexText.
func TestIndexTextSQLiteFTS5(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	for _, q := range []string{
		`CREATE VIRTUAL TABLE doc USING fts5(body, tokenize = 'unicode61')`,
		`CREATE VIRTUAL TABLE term USING fts5vocab(doc, 'instance')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range indexSamples(t) {
		want := strings.Fields(IndexText(s))
		if _, err := db.Exec(`INSERT INTO doc(rowid, body) VALUES (?, ?)`, i+1, IndexText(s)); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(`SELECT term FROM term WHERE doc = ? ORDER BY offset`, i+1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var term string
			if err := rows.Scan(&term); err != nil {
				t.Fatal(err)
			}
			got = append(got, term)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("sample %d: unicode61 terms differ from IndexText\n got %q\nwant %q", i, firstDiff(got, want), firstDiff(want, got))
		}
	}

	// A query spelled differently from the stored text finds it.
	for query, want := range map[string]int64{
		"کتاب ها":       0, // the plural alone is another word than کتاب‌های
		"کتاب های":      1,
		"میرود":         1,
		"المرصد السوري": 2,
		"sanction":      3,
		"rohani":        4,
	} {
		var got int64
		err := db.QueryRow(`SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rowid LIMIT 1`, `"`+IndexText(query)+`"`).Scan(&got)
		if err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("MATCH IndexText(%q) = row %d, want %d", query, got, want)
		}
	}
}

// TestIndexTextPostgresSimple parses IndexText with PostgreSQL's "simple"
// text search configuration, as the PostgreSQL store does: every token
// must be one lexeme equal to itself. It needs PRESSREVIEW_TEST_POSTGRES
// (see internal/store/storetest); under CI its absence fails the test.
func TestIndexTextPostgresSimple(t *testing.T) {
	const env = "PRESSREVIEW_TEST_POSTGRES"
	url := os.Getenv(env)
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal(env + " is not set")
		}
		t.Skip(env + " is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer conn.Close(ctx)
	for i, s := range indexSamples(t) {
		want := strings.Fields(IndexText(s))
		rows, err := conn.Query(ctx, `SELECT token, lexemes FROM ts_debug('simple', $1) WHERE alias <> 'blank'`, IndexText(s))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var token string
			var lexemes []string
			if err := rows.Scan(&token, &lexemes); err != nil {
				t.Fatal(err)
			}
			if len(lexemes) != 1 || lexemes[0] != token {
				t.Errorf("sample %d: token %q has lexemes %q", i, token, lexemes)
			}
			got = append(got, token)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("sample %d: PostgreSQL tokens differ from IndexText\n got %q\nwant %q", i, firstDiff(got, want), firstDiff(want, got))
		}
	}
}

// firstDiff returns a few elements of a around the first place where it
// differs from b, to keep failure messages short.
func firstDiff(a, b []string) []string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(i-2, 0):min(i+3, len(a))]
}
