// Package migratestore moves an embedded desk — its SQLite database and
// the WARC files in its data directory — to PostgreSQL and a blob store,
// where several instances can share it (`pressreview migrate-store`).
//
// Every table both schemas have is copied row for row, ids included, in
// one PostgreSQL transaction: articles, captures, clips, editions and
// their versions, subscribers and the consent ledger, staff and tokens,
// campaigns and their delivery ledger alike. What is derived is not
// copied but rebuilt: the search index (search.Reindex) and the index of
// published pages (rebuilt on the site's next change). The job queue's
// tables stay behind: jobs queued in the old desk are not carried over
// (the scheduler queues feed checks again; a campaign that was sending
// resumes when an instance starts, from its delivery ledger).
//
// WARC files are uploaded first, each under the key the archive reads
// (warc/NAME), so a failure there leaves the database untouched and a
// second run uploads them again. A target that already holds a desk is
// refused: the command fills an empty database, it does not merge.
package migratestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// Options say what moves where. From and To are migrated to the same
// schema version before the call.
type Options struct {
	From *store.DB // the embedded desk (SQLite)
	To   *store.DB // the new database (PostgreSQL)
	// FromDataDir is the embedded desk's data directory (its WARC files
	// are in FromDataDir/warc).
	FromDataDir string
	// Blobs is where the WARC files go.
	Blobs blobs.Bucket
	// Progress receives a line per table and per hundred files.
	Progress io.Writer
}

// Report is what was moved.
type Report struct {
	Tables map[string]int64
	Files  int
	Bytes  int64
	// Indexed is the number of articles the search index was rebuilt for.
	Indexed int
}

// skipped are tables not copied: migration bookkeeping, the job queue,
// what is rebuilt, and the state of running instances. site_version is
// kept as the target has it: the copy itself bumps it.
var skipped = []string{"goose_db_version", "search_docs", "published_docs", "search_state",
	"site_version", "job_instances", "blob_files"}

func skip(table string) bool {
	return slices.Contains(skipped, table) || strings.HasPrefix(table, "river_") ||
		strings.HasPrefix(table, "sqlite_") || strings.HasSuffix(table, "_fts") || strings.Contains(table, "_fts_")
}

// desk tables: any row in one of them means the target holds a desk.
var desk = []string{"outlets", "articles", "captures", "editions", "analyses", "subscribers", "users", "campaigns"}

// Run moves the desk.
func Run(ctx context.Context, o Options) (Report, error) {
	rep := Report{Tables: map[string]int64{}}
	if o.From.Dialect() != store.SQLite || o.To.Dialect() != store.Postgres || o.To.Pool == nil {
		return rep, errors.New("migrate-store moves a SQLite desk to PostgreSQL")
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	for _, t := range desk {
		var n int64
		if err := o.To.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return rep, fmt.Errorf("target database: %w", err)
		}
		if n > 0 {
			return rep, fmt.Errorf("the target database already holds a desk (%s in %s); migrate-store fills an empty database and merges nothing", cli.Count(n, "row", "rows"), t)
		}
	}
	tables, err := plan(ctx, o.From, o.To)
	if err != nil {
		return rep, err
	}
	if err := uploadWARCs(ctx, o, &rep); err != nil {
		return rep, err
	}
	if err := copyTables(ctx, o, tables, &rep); err != nil {
		return rep, err
	}
	fmt.Fprintln(o.Progress, "rebuilding the search index")
	if rep.Indexed, err = search.Reindex(ctx, o.To); err != nil {
		return rep, fmt.Errorf("search index: %w (the data is copied; `pressreview migrate` on the target rebuilds it)", err)
	}
	return rep, nil
}

// table is one table to copy: the columns both stores have, with the
// target's type of each.
type table struct {
	name  string
	cols  []string
	types []string
}

// plan lists the tables to copy in an order that inserts every row after
// the rows it references.
func plan(ctx context.Context, from, to *store.DB) ([]table, error) {
	rows, err := to.QueryContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("target schema: %w", err)
	}
	byName := map[string]*table{}
	var names []string
	for rows.Next() {
		var t, c, typ string
		if err := rows.Scan(&t, &c, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		if skip(t) {
			continue
		}
		if byName[t] == nil {
			byName[t] = &table{name: t}
			names = append(names, t)
		}
		byName[t].cols = append(byName[t].cols, c)
		byName[t].types = append(byName[t].types, typ)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []table
	for _, name := range names {
		t := byName[name]
		have, err := sourceColumns(ctx, from, name)
		if err != nil {
			return nil, err
		}
		if have == nil {
			continue // a PostgreSQL-only table
		}
		var cols, types []string
		for i, c := range t.cols {
			if have[c] {
				cols = append(cols, c)
				types = append(types, t.types[i])
			}
		}
		out = append(out, table{name: name, cols: cols, types: types})
	}
	return order(ctx, to, out)
}

func sourceColumns(ctx context.Context, db *store.DB, name string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, name)
	if err != nil {
		return nil, fmt.Errorf("source schema of %s: %w", name, err)
	}
	defer rows.Close()
	var cols map[string]bool
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		if cols == nil {
			cols = map[string]bool{}
		}
		cols[c] = true
	}
	return cols, rows.Err()
}

// order sorts tables so that referenced tables come first (foreign keys
// from the target's catalog; a table's references to itself are met by
// copying in id order).
func order(ctx context.Context, to *store.DB, tables []table) ([]table, error) {
	rows, err := to.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("target foreign keys: %w", err)
	}
	deps := map[string][]string{}
	for rows.Next() {
		var from, ref string
		if err := rows.Scan(&from, &ref); err != nil {
			rows.Close()
			return nil, err
		}
		if from != ref {
			deps[from] = append(deps[from], ref)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byName := map[string]table{}
	for _, t := range tables {
		byName[t.name] = t
	}
	var out []table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("target schema: foreign keys loop through %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		refs := deps[n]
		sort.Strings(refs)
		for _, r := range refs {
			if _, ok := byName[r]; ok {
				if err := visit(r); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		out = append(out, byName[n])
		return nil
	}
	for _, t := range tables {
		if err := visit(t.name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// copyTables copies every table in one transaction: the target has all of
// the desk or none of it.
func copyTables(ctx context.Context, o Options, tables []table, rep *Report) error {
	tx, err := o.To.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// Rows the migrations seeded (reference data) are the source's too:
	// the source ran the same migrations. They go before the copy,
	// dependents first.
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.Exec(ctx, `DELETE FROM `+pgx.Identifier{tables[i].name}.Sanitize()); err != nil {
			return fmt.Errorf("empty %s in the target: %w", tables[i].name, err)
		}
	}
	for _, t := range tables {
		start := time.Now()
		n, err := copyTable(ctx, o, tx, t)
		if err != nil {
			return err
		}
		rep.Tables[t.name] = n
		if n > 0 {
			fmt.Fprintf(o.Progress, "%s: %s in %v\n", t.name, cli.Count(n, "row", "rows"), time.Since(start).Round(time.Millisecond))
		}
		if slices.Contains(t.cols, "id") && n > 0 {
			// Identity columns go on after the copied ids.
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT MAX(id) FROM `+
				pgx.Identifier{t.name}.Sanitize()+`)) WHERE pg_get_serial_sequence($1, 'id') IS NOT NULL`, t.name); err != nil {
				return fmt.Errorf("%s: identity sequence: %w", t.name, err)
			}
		}
	}
	return tx.Commit(ctx)
}

func copyTable(ctx context.Context, o Options, tx pgx.Tx, t table) (int64, error) {
	quoted := make([]string, len(t.cols))
	for i, c := range t.cols {
		quoted[i] = `"` + c + `"`
	}
	orderBy := "rowid"
	if slices.Contains(t.cols, "id") {
		orderBy = "id"
	}
	rows, err := o.From.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+t.name+`" ORDER BY `+orderBy)
	if err != nil {
		// WITHOUT ROWID tables have no rowid: their primary key orders them.
		rows, err = o.From.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+t.name+`"`)
	}
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	var rowNum int64
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rowNum++
		out := make([]any, len(vals))
		for i, v := range vals {
			c, err := convert(v, t.types[i])
			if err != nil {
				return nil, fmt.Errorf("%s row %d, column %s: %w", t.name, rowNum, t.cols[i], err)
			}
			out[i] = c
		}
		if rowNum%100000 == 0 {
			fmt.Fprintf(o.Progress, "%s: %s…\n", t.name, cli.Count(rowNum, "row", "rows"))
		}
		return out, nil
	})
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, src)
	if err != nil {
		return n, fmt.Errorf("copy %s: %w", t.name, err)
	}
	return n, nil
}

// sqliteTimes are the layouts SQLite holds times in: the driver's own
// (_time_format=sqlite), CURRENT_TIMESTAMP's and RFC 3339.
var sqliteTimes = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999", "2006-01-02"}

// convert turns a value as SQLite's driver returns it into what the
// PostgreSQL column of type typ takes.
func convert(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		}
	case "timestamp with time zone", "timestamp without time zone", "date":
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			return parseTime(x)
		case []byte:
			return parseTime(string(x))
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case "text", "jsonb", "json":
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64, float64:
			return fmt.Sprint(x), nil
		}
	case "bigint", "integer", "smallint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case "double precision", "real", "numeric":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("a %T (%v) does not fit a %s column", v, v, typ)
}

func parseTime(s string) (time.Time, error) {
	for _, l := range sqliteTimes {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// uploadWARCs puts every WARC file of the source under the key the
// archive reads it by.
func uploadWARCs(ctx context.Context, o Options, rep *Report) error {
	dir := filepath.Join(o.FromDataDir, archive.Area)
	if fs, ok := o.Blobs.(*blobs.FS); ok && sameDir(fs.Root(), o.FromDataDir) {
		fmt.Fprintf(o.Progress, "WARC files stay where they are, in %s\n", dir)
		return nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(o.Progress, "no WARC files in %s\n", dir)
		return nil
	}
	if err != nil {
		return fmt.Errorf("WARC files: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.Contains(e.Name(), ".warc") {
			names = append(names, e.Name())
		}
	}
	for i, name := range names {
		if err := upload(ctx, o.Blobs, filepath.Join(dir, name), archive.Area+"/"+name, rep); err != nil {
			return err
		}
		if (i+1)%100 == 0 || i+1 == len(names) {
			fmt.Fprintf(o.Progress, "WARC files: %d of %d uploaded to %s\n", i+1, len(names), o.Blobs)
		}
	}
	return nil
}

func upload(ctx context.Context, b blobs.Bucket, path, key string, rep *Report) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("WARC file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("WARC file: %w", err)
	}
	if err := b.Put(ctx, key, f, fi.Size()); err != nil {
		return fmt.Errorf("upload %s: %w", path, err)
	}
	rep.Files++
	rep.Bytes += fi.Size()
	return nil
}

func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
