package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// doc is what the index holds for one article.
type doc struct {
	articleID int64
	outletID  int64
	lang      string
	published time.Time
	title     []string // index terms of the title
	body      []string // index terms of the text
}

// articleRow is the part of an article the index is built from.
type articleRow struct {
	id, outletID int64
	lang         string
	published    sql.NullTime
	fetched      time.Time
	title, text  string
}

const articleRowColumns = `id, outlet_id, lang, published_at, fetched_at, title, text`

func scanArticleRow(row interface{ Scan(...any) error }) (articleRow, error) {
	var a articleRow
	err := row.Scan(&a.id, &a.outletID, &a.lang, &a.published, &a.fetched, &a.title, &a.text)
	return a, err
}

// makeDoc normalizes an article; it is the expensive, pure part of indexing.
func makeDoc(a articleRow) doc {
	src := Source{ArticleID: a.id, OutletID: a.outletID, Lang: a.lang, Fetched: a.fetched,
		Title: a.title, BodyTerms: text.IndexTerms(a.text)}
	if a.published.Valid {
		src.Published = &a.published.Time
	}
	return src.doc()
}

// Source is what an article's index entry is made of, for a caller that
// has the article in hand and its text's terms already computed: ingest
// tokenizes each page once, in its fetch workers, for its dedup keys and
// for these terms, and writes the entries with IndexSources.
type Source struct {
	ArticleID, OutletID int64
	Lang                string
	Published           *time.Time // nil when unknown: Fetched stands in
	Fetched             time.Time
	Title               string
	BodyTerms           []string // text.TermsOf the text's tokens
}

func (s Source) doc() doc {
	published := s.Fetched
	if s.Published != nil {
		published = *s.Published
	}
	return doc{
		articleID: s.ArticleID,
		outletID:  s.OutletID,
		lang:      strings.ToLower(s.Lang),
		published: published.UTC(),
		title:     text.IndexTerms(s.Title),
		body:      s.BodyTerms,
	}
}

// IndexArticle brings the index entry of one article up to date: ingest
// calls it, in the same transaction, after inserting or updating an
// article. It is idempotent, and removes the entry of an article that no
// longer exists.
func IndexArticle(ctx context.Context, q store.Querier, articleID int64) error {
	a, err := scanArticleRow(q.QueryRowContext(ctx, `SELECT `+articleRowColumns+` FROM articles WHERE id = ?`, articleID))
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := q.ExecContext(ctx, `DELETE FROM search_docs WHERE article_id = ?`, articleID); err != nil {
			return fmt.Errorf("unindex article %d: %w", articleID, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("index article %d: %w", articleID, err)
	}
	return writeDocs(ctx, q, []doc{makeDoc(a)})
}

// logChanges records, on SQLite, that the search attributes of articles
// changed, for the docCache of every instance (migration 00026). Triggers
// log deletions and listings; the writes of this package are logged here.
func logChanges(ctx context.Context, q store.Querier, ids []any) error {
	_, err := q.ExecContext(ctx, `INSERT INTO search_changes (article_id) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?), ", len(ids)), ", "), ids...)
	return err
}

// PostgreSQL keeps positions up to 16383 and at most 256 of them per
// lexeme; beyond that phrases can no longer be located exactly (words are
// still found). Articles that long are rare in news.
const (
	maxPosition      = 16383
	maxLexemePosting = 256
)

// tsvectorOf is the tsvector of a document: the title terms with weight
// A at positions 1…n and the body terms with weight B from n+2 on; the gap
// keeps phrases from spanning the two, as separate FTS5 columns do. It is
// sent in the binary format, lexemes sorted as PostgreSQL keeps them
// (bytewise, as Go compares strings) and each one's positions ascending,
// so that the server only copies it (tsvectorrecv), where the text form
// was parsed character by character and sorted (tsvectorin: 8% of the
// server's CPU in BenchmarkIngestOverhead).
func tsvectorOf(title, body []string) pgtype.TSVector {
	// First each lexeme's number of positions, then the positions in one
	// array that the lexemes share.
	index := make(map[string]int32, (len(title)+len(body))/2)
	var words []string
	var counts []int32
	total := 0
	count := func(tok string, pos int) {
		if pos > maxPosition {
			return
		}
		i, ok := index[tok]
		if !ok {
			i = int32(len(words))
			index[tok] = i
			words, counts = append(words, tok), append(counts, 0)
		}
		if counts[i] < maxLexemePosting {
			counts[i]++
			total++
		}
	}
	for i, t := range title {
		count(t, i+1)
	}
	for i, t := range body {
		count(t, len(title)+2+i)
	}
	// The lexemes in order, by their index in words: sorting the indexes
	// moves less than sorting the lexemes.
	order := make([]int32, len(words))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(words[a], words[b]) })
	all := make([]pgtype.TSVectorPosition, total)
	lexemes := make([]pgtype.TSVectorLexeme, len(words))
	off := 0
	for i, w := range order {
		lexemes[i] = pgtype.TSVectorLexeme{Word: words[w], Positions: all[off : off : off+int(counts[w])]}
		off += int(counts[w])
		counts[w] = int32(i) // now w's place in lexemes
	}
	add := func(tok string, pos int, weight pgtype.TSVectorWeight) {
		if pos > maxPosition {
			return
		}
		l := &lexemes[counts[index[tok]]]
		if len(l.Positions) < cap(l.Positions) {
			l.Positions = append(l.Positions, pgtype.TSVectorPosition{Position: uint16(pos), Weight: weight})
		}
	}
	for i, t := range title {
		add(t, i+1, pgtype.TSVectorWeightA)
	}
	for i, t := range body {
		add(t, len(title)+2+i, pgtype.TSVectorWeightB)
	}
	return pgtype.TSVector{Lexemes: lexemes, Valid: true}
}

// reindexBatch is how many articles Reindex normalizes and writes per
// transaction: large enough to amortize commits, small enough to keep the
// write lock briefly.
const reindexBatch = 500

// Reindex rebuilds the index entry of every article, for a new index or
// after the normalization rules changed. It returns the number of
// articles indexed. Normalization runs on all CPUs; writes go in
// transactions of reindexBatch articles.
func Reindex(ctx context.Context, db *store.DB) (int, error) {
	var after int64
	n := 0
	for {
		rows, err := loadArticleRows(ctx, db, after)
		if err != nil {
			return n, err
		}
		if len(rows) == 0 {
			return n, finishReindex(ctx, db)
		}
		docs := makeDocs(rows)
		err = db.InTx(ctx, func(tx *store.Tx) error {
			for _, d := range docs {
				if err := writeDocs(ctx, tx, []doc{d}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(docs)
		after = rows[len(rows)-1].id
	}
}

// finishReindex records that the index was built with the running
// program's spelling rules (UpgradeIndex reads it: without it, the next
// start after a reindex by `migrate-store` or by the search benchmark
// reindexed the whole archive once more), and leaves the index in its
// fastest state after a bulk write: FTS5 merges its segments into one
// b-tree, and PostgreSQL gets fresh statistics for the planner.
func finishReindex(ctx context.Context, db *store.DB) error {
	if _, err := db.ExecContext(ctx, `UPDATE search_state SET analyzer = ? WHERE id = 1`, text.AnalyzerVersion); err != nil {
		return fmt.Errorf("reindex: search index state: %w", err)
	}
	stmt := `ANALYZE search_docs`
	if db.Dialect() == store.SQLite {
		stmt = `INSERT INTO search_fts (search_fts) VALUES ('optimize')`
	}
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	// Every article was logged as changed: caches reload instead.
	return PruneChanges(ctx, db, 0)
}

// PruneChanges keeps the newest keep entries of SQLite's log of changed
// search attributes (search_changes, which each instance's docCache
// follows) and at least the last, so that the sequence goes on. An
// instance whose cache is older than what is left reloads it whole (about
// 0.13 s at 100,000 articles). Without pruning the log grows by a row per
// indexed article. It does nothing on PostgreSQL.
func PruneChanges(ctx context.Context, db store.Querier, keep int) error {
	if db.Dialect() != store.SQLite {
		return nil
	}
	_, err := db.ExecContext(ctx, `DELETE FROM search_changes WHERE seq < (SELECT max(seq) FROM search_changes) - ?`, keep)
	if err != nil {
		return fmt.Errorf("search: prune changes: %w", err)
	}
	return nil
}

func loadArticleRows(ctx context.Context, db *store.DB, after int64) ([]articleRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+articleRowColumns+` FROM articles WHERE id > ? ORDER BY id LIMIT ?`, after, reindexBatch)
	if err != nil {
		return nil, fmt.Errorf("reindex: %w", err)
	}
	defer rows.Close()
	var out []articleRow
	for rows.Next() {
		a, err := scanArticleRow(rows)
		if err != nil {
			return nil, fmt.Errorf("reindex: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// makeDocs normalizes articles in parallel, keeping their order.
func makeDocs(rows []articleRow) []doc {
	docs := make([]doc, len(rows))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(rows); i += workers {
				docs[i] = makeDoc(rows[i])
			}
		})
	}
	wg.Wait()
	return docs
}
