package posts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Kind tells the two kinds of article the site lists together.
type Kind string

// The kinds of post.
const (
	KindAnalysis Kind = "analysis"
	// KindEdition is an edition of a review series (package reviews owns
	// them; the catalogue only reads their listing columns).
	KindEdition Kind = "edition"
)

// Post is a published article as listings, feeds and related-content
// boxes show it: an analysis or an edition of a review series.
type Post struct {
	Kind       Kind
	ID         int64
	Slug       string
	Title      string
	Dek        string
	Category   string
	SeriesKey  string // editions only
	SeriesName string
	PublishAt  time.Time
	// UpdatedAt is when the public post last changed: its last save or
	// workflow step, or its publish time when that came later (a draft
	// saved before it was scheduled was not seen by readers until then).
	UpdatedAt time.Time
	Day       string // YYYY-MM-DD: the edition date, or the publish day
	Body      string // Markdown, analyses only
	Authors   []Author
	Tags      []Tag
	Image     *Image // metadata only
	imageID   int64
}

// Filter narrows a listing; empty fields do not filter.
type Filter struct {
	Category string // category label, "Analysis"
	Series   string // series key
	Author   string // author key
	Tag      string // tag key
	Slug     string // one post: with Kind, finds it among public posts
	Kind     Kind
}

// catalogQuery is the union of public analyses and editions, narrowed by f.
// It returns the SQL and its arguments.
func catalogQuery(f Filter, now time.Time) (string, []any) {
	var aw, ew []string
	var aargs, eargs []any
	aw = append(aw, `a.status <> 'draft'`, `a.publish_at <= ?`)
	aargs = append(aargs, now.UTC())
	ew = append(ew, `e.status <> 'draft'`, `e.publish_at <= ?`)
	eargs = append(eargs, now.UTC())
	if f.Category != "" {
		aw, aargs = append(aw, `a.category = ?`), append(aargs, f.Category)
		ew, eargs = append(ew, `e.category = ?`), append(eargs, f.Category)
	}
	if f.Series != "" {
		aw = append(aw, `1 = 0`) // analyses belong to no series
		ew, eargs = append(ew, `s.key = ?`), append(eargs, f.Series)
	}
	if f.Author != "" {
		aw, aargs = append(aw, `EXISTS (SELECT 1 FROM analysis_authors x JOIN authors au ON au.id = x.author_id WHERE x.analysis_id = a.id AND au.key = ?)`), append(aargs, f.Author)
		ew, eargs = append(ew, `EXISTS (SELECT 1 FROM edition_authors x JOIN authors au ON au.id = x.author_id WHERE x.edition_id = e.id AND au.key = ?)`), append(eargs, f.Author)
	}
	if f.Tag != "" {
		aw, aargs = append(aw, `EXISTS (SELECT 1 FROM analysis_tags x JOIN tags t ON t.id = x.tag_id WHERE x.analysis_id = a.id AND t.key = ?)`), append(aargs, f.Tag)
		ew, eargs = append(ew, `EXISTS (SELECT 1 FROM edition_tags x JOIN tags t ON t.id = x.tag_id WHERE x.edition_id = e.id AND t.key = ?)`), append(eargs, f.Tag)
	}
	if f.Slug != "" {
		aw, aargs = append(aw, `a.slug = ?`), append(aargs, f.Slug)
		ew, eargs = append(ew, `e.slug = ?`), append(eargs, f.Slug)
	}
	switch f.Kind {
	case KindAnalysis:
		ew = append(ew, `1 = 0`)
	case KindEdition:
		aw = append(aw, `1 = 0`)
	}
	q := `SELECT 'analysis' AS kind, a.id, a.slug, a.title, a.dek, a.category, '' AS series_key, '' AS series_name,
			a.publish_at, a.revised_at, '' AS day, a.image_id, a.body
		FROM analyses a WHERE ` + strings.Join(aw, " AND ") + `
		UNION ALL
		SELECT 'edition', e.id, e.slug, e.title, e.dek, e.category, s.key, s.name, e.publish_at, e.revised_at, e.edition_date, CAST(NULL AS BIGINT), ''
		FROM editions e JOIN series s ON s.id = e.series_id WHERE ` + strings.Join(ew, " AND ")
	return q, append(aargs, eargs...)
}

// List returns one page of public posts, newest first, and how many there
// are in all.
func List(ctx context.Context, q store.Querier, f Filter, now time.Time, limit, offset int) ([]*Post, int, error) {
	union, args := catalogQuery(f, now)
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+union+`) p`, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count posts: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT * FROM (`+union+`) p ORDER BY publish_at DESC, slug LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list posts: %w", err)
	}
	posts, err := scanPosts(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list posts: %w", err)
	}
	if err := fillPosts(ctx, q, posts); err != nil {
		return nil, 0, err
	}
	return posts, total, nil
}

type rowsScanner interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}

func scanPosts(rows rowsScanner) ([]*Post, error) {
	defer rows.Close()
	var out []*Post
	for rows.Next() {
		var (
			p   Post
			at  nullTime
			upd nullTime
			img nullInt
		)
		if err := rows.Scan(&p.Kind, &p.ID, &p.Slug, &p.Title, &p.Dek, &p.Category, &p.SeriesKey, &p.SeriesName,
			&at, &upd, &p.Day, &img, &p.Body); err != nil {
			return nil, err
		}
		p.PublishAt, p.imageID = at.Time, img.n
		p.UpdatedAt = p.PublishAt
		if upd.Time.After(p.UpdatedAt) {
			p.UpdatedAt = upd.Time
		}
		if p.Day == "" {
			p.Day = p.PublishAt.Format(time.DateOnly)
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

// fillPosts loads authors, tags and images of the posts in a fixed number
// of queries, however many posts there are.
func fillPosts(ctx context.Context, q store.Querier, posts []*Post) error {
	byKind := map[Kind]map[int64]*Post{KindAnalysis: {}, KindEdition: {}}
	var imageIDs []int64
	for _, p := range posts {
		byKind[p.Kind][p.ID] = p
		if p.imageID != 0 {
			imageIDs = append(imageIDs, p.imageID)
		}
	}
	links := []struct {
		kind               Kind
		authors, tags, col string
	}{
		{KindAnalysis, "analysis_authors", "analysis_tags", "analysis_id"},
		{KindEdition, "edition_authors", "edition_tags", "edition_id"},
	}
	for _, l := range links {
		m := byKind[l.kind]
		if len(m) == 0 {
			continue
		}
		ids := make([]int64, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		in := placeholders(len(ids))
		rows, err := q.QueryContext(ctx, `SELECT x.`+l.col+`, `+prefixed("a", authorColumns)+`
			FROM `+l.authors+` x JOIN authors a ON a.id = x.author_id
			WHERE x.`+l.col+` IN (`+in+`) ORDER BY x.`+l.col+`, x.position`, int64Args(ids)...)
		if err != nil {
			return fmt.Errorf("post authors: %w", err)
		}
		for rows.Next() {
			var id int64
			var a Author
			if err := rows.Scan(&id, &a.ID, &a.Key, &a.Name, &a.Title, &a.Organisation, &a.Bio, &a.Photo); err != nil {
				rows.Close()
				return err
			}
			m[id].Authors = append(m[id].Authors, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT x.`+l.col+`, t.id, t.key, t.name
			FROM `+l.tags+` x JOIN tags t ON t.id = x.tag_id
			WHERE x.`+l.col+` IN (`+in+`) ORDER BY x.`+l.col+`, t.name`, int64Args(ids)...)
		if err != nil {
			return fmt.Errorf("post tags: %w", err)
		}
		for rows.Next() {
			var id int64
			var t Tag
			if err := rows.Scan(&id, &t.ID, &t.Key, &t.Name); err != nil {
				rows.Close()
				return err
			}
			m[id].Tags = append(m[id].Tags, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	images, err := imagesByID(ctx, q, imageIDs)
	if err != nil {
		return fmt.Errorf("post images: %w", err)
	}
	for _, p := range posts {
		if im, ok := images[p.imageID]; ok {
			p.Image = &im
		}
	}
	return nil
}

// prefixed qualifies a column list: prefixed("a", "id, key") is "a.id, a.key".
func prefixed(table, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = table + "." + c
	}
	return strings.Join(cols, ", ")
}

// Categories lists the categories of public posts, for category pages.
func Categories(ctx context.Context, q store.Querier, now time.Time) ([]string, error) {
	union, args := catalogQuery(Filter{}, now)
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT category FROM (`+union+`) p WHERE category <> '' ORDER BY category`, args...)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SeriesRef names a review series (package reviews owns them).
type SeriesRef struct {
	Key, Name, Description string
}

// PublicSeries lists the review series that have a public edition.
func PublicSeries(ctx context.Context, q store.Querier, now time.Time) ([]SeriesRef, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.key, s.name, s.description FROM series s
		WHERE EXISTS (SELECT 1 FROM editions e WHERE e.series_id = s.id AND e.status <> 'draft' AND e.publish_at <= ?)
		ORDER BY s.name`, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("series: %w", err)
	}
	defer rows.Close()
	var out []SeriesRef
	for rows.Next() {
		var s SeriesRef
		if err := rows.Scan(&s.Key, &s.Name, &s.Description); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
