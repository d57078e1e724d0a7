package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/pressreview/pressreview/internal/store"
)

// indexBatchRows is how many articles IndexArticles loads and writes per
// statement: SQLite's 5 parameters a row stay far below its limit.
const indexBatchRows = 200

// IndexArticles brings the index entries of several articles up to date,
// leaving the index as calling IndexArticle for each would: ingest calls
// it once per stored group, in the same transaction. The articles are
// loaded in one query, normalized in parallel, and written in multi-row
// statements. Entries of articles that no longer exist are removed; ids
// may repeat.
func IndexArticles(ctx context.Context, q store.Querier, ids []int64) error {
	seen := make(map[int64]bool, len(ids))
	uniq := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for len(uniq) > 0 {
		n := min(len(uniq), indexBatchRows)
		if err := indexArticleBatch(ctx, q, uniq[:n]); err != nil {
			return err
		}
		uniq = uniq[n:]
	}
	return nil
}

func indexArticleBatch(ctx context.Context, q store.Querier, ids []int64) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := placeholders(len(ids))
	rows, err := q.QueryContext(ctx, `SELECT `+articleRowColumns+` FROM articles WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("index articles: %w", err)
	}
	var found []articleRow
	for rows.Next() {
		a, err := scanArticleRow(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("index articles: %w", err)
		}
		found = append(found, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index articles: %w", err)
	}

	if len(found) < len(ids) {
		present := make(map[int64]bool, len(found))
		for _, a := range found {
			present[a.id] = true
		}
		var gone []any
		for _, id := range ids {
			if !present[id] {
				gone = append(gone, id)
			}
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM search_docs WHERE article_id IN (`+placeholders(len(gone))+`)`, gone...); err != nil {
			return fmt.Errorf("unindex articles: %w", err)
		}
	}
	if len(found) == 0 {
		return nil
	}
	var docs []doc
	if len(found) == 1 {
		docs = []doc{makeDoc(found[0])}
	} else {
		docs = makeDocs(found)
	}
	return writeDocs(ctx, q, docs)
}

// IndexSources writes the index entries of articles just stored in the
// same transaction, built from sources instead of read back: the equal of
// IndexArticles on their ids. The article ids must be distinct.
func IndexSources(ctx context.Context, q store.Querier, sources []Source) error {
	for len(sources) > 0 {
		n := min(len(sources), indexBatchRows)
		docs := make([]doc, n)
		for i, src := range sources[:n] {
			docs[i] = src.doc()
		}
		if err := writeDocs(ctx, q, docs); err != nil {
			return err
		}
		sources = sources[n:]
	}
	return nil
}

// writeDocs writes the index entries of docs, one statement per table;
// the ids of docs must be distinct.
func writeDocs(ctx context.Context, q store.Querier, docs []doc) error {
	if err := writeDocRows(ctx, q, docs); err != nil {
		if len(docs) == 1 {
			return fmt.Errorf("index article %d: %w", docs[0].articleID, err)
		}
		return fmt.Errorf("index %d articles from %d: %w", len(docs), docs[0].articleID, err)
	}
	return nil
}

func writeDocRows(ctx context.Context, q store.Querier, docs []doc) error {
	if q.Dialect() == store.Postgres {
		_, err := q.ExecContext(ctx, writeDocsPostgres, docArrays(docs)...)
		return err
	}
	var vals strings.Builder
	args := make([]any, 0, len(docs)*5)
	for i, d := range docs {
		if i > 0 {
			vals.WriteString(", ")
		}
		vals.WriteString(`(?, ?, ?, ?, ?)`)
		args = append(args, d.articleID, d.outletID, d.lang, d.published.Unix(), d.published.Format(dayLayout))
	}
	_, err := q.ExecContext(ctx, `INSERT INTO search_docs (article_id, outlet_id, lang, published_unix, day)
		VALUES `+vals.String()+`
		ON CONFLICT (article_id) DO UPDATE SET outlet_id = excluded.outlet_id, lang = excluded.lang,
			published_unix = excluded.published_unix, day = excluded.day, indexed_at = CURRENT_TIMESTAMP`, args...)
	if err == nil {
		vals.Reset()
		args = args[:0]
		for i, d := range docs {
			if i > 0 {
				vals.WriteString(", ")
			}
			vals.WriteString(`(?, ?, ?)`)
			args = append(args, d.articleID, strings.Join(d.title, " "), strings.Join(d.body, " "))
		}
		_, err = q.ExecContext(ctx, `INSERT OR REPLACE INTO search_fts (rowid, title, body) VALUES `+vals.String(), args...)
		if err == nil {
			ids := make([]any, len(docs))
			for i, d := range docs {
				ids[i] = d.articleID
			}
			err = logChanges(ctx, q, ids)
		}
	}
	return err
}

// writeDocsPostgres is writeDocs' statement on PostgreSQL: the documents
// as arrays (docArrays), one text whatever their number, so that it is
// parsed and prepared once, where a VALUES list of each length was a
// statement of its own (38 of an ingest benchmark's 95 inserts were
// prepared anew, one round trip more each).
const writeDocsPostgres = `
	INSERT INTO search_docs (article_id, outlet_id, lang, published_unix, day, tsv)
	SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[]),
		CAST(? AS text[]), CAST(? AS tsvector[]))
	ON CONFLICT (article_id) DO UPDATE SET outlet_id = excluded.outlet_id, lang = excluded.lang,
		published_unix = excluded.published_unix, day = excluded.day, indexed_at = CURRENT_TIMESTAMP,
		tsv = excluded.tsv`

// docArrays are writeDocsPostgres' parameters for docs.
func docArrays(docs []doc) []any {
	n := len(docs)
	ids, outlets, unix := make([]int64, n), make([]int64, n), make([]int64, n)
	langs, days, tsvs := make([]string, n), make([]string, n), make([]pgtype.TSVector, n)
	for i, d := range docs {
		ids[i], outlets[i], langs[i], unix[i] = d.articleID, d.outletID, d.lang, d.published.Unix()
		days[i], tsvs[i] = d.published.Format(dayLayout), withBuckets(tsvectorOf(d.title, d.body), d.articleID)
	}
	return []any{ids, outlets, langs, unix, days, tsvs}
}
