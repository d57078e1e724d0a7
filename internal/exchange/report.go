package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
)

// Report says which records already in the store an import changed, and
// which editions read differently because of it. Outlets, people, authors
// and series are shared by every edition that names them. A pressreview/2
// entry keeps its own labels and lead-in, and an imported published
// edition is frozen, but a byline, a series' disclaimer and the entries
// stored before pressreview/2 (whose lead-ins are still composed when the
// page is drawn) follow the roster: the analyst must see such a change
// before it goes out (or, with a dry run, before it is written).
type Report struct {
	File    string
	Changes []Change
}

// Change is one existing record that the import changes.
type Change struct {
	Kind   string // "outlet", "person", "author", "series" or "edition"
	Key    string // the record's key, or the edition's slug
	Fields []FieldChange
	// For an edition of the bundle that replaces a stored one: its status
	// before the import, and whether its text changes.
	Status      reviews.Status
	TextChanged bool
	// For other records: the editions outside the bundle whose text
	// changes with this record, by slug.
	Editions []reviews.EditionSummary
}

// FieldChange is one field's value before and after, as JSON.
type FieldChange struct {
	Field, Old, New string
}

// String is the report as lines, one per change, or "" when the import
// changed nothing that was already there:
//
//	outlet kayhan: orientation "hard-line" → "ultra-conservative"; this changes the text of 3 published editions: a, b, c
func (r *Report) String() string {
	var b strings.Builder
	for _, c := range r.Changes {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.Kind + " " + c.Key)
	if c.Kind == "edition" {
		fmt.Fprintf(&b, " (%s)", c.Status)
	}
	b.WriteString(": ")
	fields := make([]string, len(c.Fields))
	for i, f := range c.Fields {
		fields[i] = f.Field + " " + f.Old + " → " + f.New
	}
	b.WriteString(strings.Join(fields, ", "))
	switch {
	case c.Kind == "edition" && c.TextChanged && len(fields) > 0:
		b.WriteString("; its text changes")
	case c.Kind == "edition" && c.TextChanged:
		b.WriteString("its text changes")
	case c.Kind == "edition":
	case len(c.Editions) == 0:
		b.WriteString("; no other edition's text changes")
	default:
		b.WriteString("; this changes the text of " + countEditions(c.Editions))
	}
	return b.String()
}

// countEditions is "3 published editions: a, b, c and 1 draft edition: d".
func countEditions(list []reviews.EditionSummary) string {
	var groups []string
	for _, st := range []reviews.Status{reviews.Published, reviews.Scheduled, reviews.Draft} {
		var slugs []string
		for _, e := range list {
			if e.Status == st {
				slugs = append(slugs, e.Slug)
			}
		}
		if len(slugs) == 0 {
			continue
		}
		noun := "editions"
		if len(slugs) == 1 {
			noun = "edition"
		}
		groups = append(groups, fmt.Sprintf("%d %s %s: %s", len(slugs), st, noun, strings.Join(slugs, ", ")))
	}
	return strings.Join(groups, " and ")
}

// watcher records, before a bundle is written, what it will change and the
// text of every edition that may read differently; after the write it
// compares.
type watcher struct {
	changes []*Change
	uses    map[*Change][]reviews.EditionSummary
	pages   map[string]*reviews.Page // edition slug → page before the import
	before  map[string]string        // edition slug → text before the import
	bundle  map[string]bool          // slugs of the bundle's editions
}

func watch(ctx context.Context, q store.Querier, b *Bundle) (*watcher, error) {
	w := &watcher{uses: map[*Change][]reviews.EditionSummary{}, pages: map[string]*reviews.Page{},
		before: map[string]string{}, bundle: map[string]bool{}}
	for _, e := range b.Editions {
		w.bundle[e.Slug] = true
	}
	for _, o := range b.Outlets {
		old, err := outlets.OutletByKey(ctx, q, o.Key)
		if err := w.compare(ctx, q, "outlet", o.Key, old, o, err); err != nil {
			return nil, err
		}
	}
	for _, p := range b.People {
		old, err := outlets.PersonByKey(ctx, q, p.Key)
		if err := w.compare(ctx, q, "person", p.Key, old, p, err); err != nil {
			return nil, err
		}
	}
	for _, a := range b.Authors {
		old, err := posts.AuthorByKey(ctx, q, a.Key)
		if err := w.compare(ctx, q, "author", a.Key, old, a, err); err != nil {
			return nil, err
		}
	}
	for _, s := range b.Series {
		old, err := reviews.SeriesByKey(ctx, q, s.Key)
		if err := w.compare(ctx, q, "series", s.Key, old, s, err); err != nil {
			return nil, err
		}
	}
	for _, e := range b.Editions {
		page, err := reviews.LoadPage(ctx, q, e.Slug)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		c := &Change{Kind: "edition", Key: e.Slug, Status: page.Edition.Status, Fields: diffFields(page.Edition, e, "entries")}
		w.changes = append(w.changes, c)
		if w.before[e.Slug], err = plainText(page); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// compare notes a stored record that the bundle changes, with the
// editions outside the bundle whose text the new record alone changes
// (an author's bio is not in the text; a label is). err is the lookup's: a
// record that is not stored yet changes nothing.
func (w *watcher) compare(ctx context.Context, q store.Querier, kind, key string, old, new any, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	fields := diffFields(old, new)
	if len(fields) == 0 {
		return nil
	}
	c := &Change{Kind: kind, Key: key, Fields: fields}
	w.changes = append(w.changes, c)
	uses, err := reviews.EditionsNaming(ctx, q, kind, key)
	if err != nil {
		return err
	}
	for _, u := range uses {
		if w.bundle[u.Slug] {
			continue // reported as an edition of the bundle
		}
		if _, ok := w.pages[u.Slug]; !ok {
			page, err := reviews.LoadPage(ctx, q, u.Slug)
			if err != nil {
				return err
			}
			w.pages[u.Slug] = page
			if w.before[u.Slug], err = plainText(page); err != nil {
				return err
			}
		}
		text, err := plainText(withRecord(w.pages[u.Slug], new))
		if err != nil {
			return err
		}
		if text != w.before[u.Slug] {
			w.uses[c] = append(w.uses[c], u)
		}
	}
	return nil
}

// withRecord is a copy of p that shows rec (an outlet, person, author or
// series) in place of the stored record with its key.
func withRecord(p *reviews.Page, rec any) *reviews.Page {
	c := *p
	switch r := rec.(type) {
	case outlets.Outlet:
		c.Outlets = maps.Clone(p.Outlets)
		c.Outlets[r.Key] = r
	case outlets.Person:
		c.People = maps.Clone(p.People)
		c.People[r.Key] = r
	case posts.Author:
		c.Authors = slices.Clone(p.Authors)
		for i := range c.Authors {
			if c.Authors[i].Key == r.Key {
				c.Authors[i] = r
			}
		}
	case reviews.Series:
		c.Series = r
	}
	return &c
}

// report compares the editions' text after the write with before: an
// edition counts only if its text did change, which a published edition
// served from its frozen page does not.
func (w *watcher) report(ctx context.Context, q store.Querier, name string) (*Report, error) {
	changed := map[string]bool{}
	for slug, before := range w.before {
		page, err := reviews.LoadPage(ctx, q, slug)
		if err != nil {
			return nil, err
		}
		after, err := plainText(page)
		if err != nil {
			return nil, err
		}
		changed[slug] = after != before
	}
	r := &Report{File: name}
	for _, c := range w.changes {
		if c.Kind == "edition" {
			c.TextChanged = changed[c.Key]
			if len(c.Fields) == 0 && !c.TextChanged {
				continue
			}
		}
		for _, u := range w.uses[c] {
			if changed[u.Slug] {
				c.Editions = append(c.Editions, u)
			}
		}
		r.Changes = append(r.Changes, *c)
	}
	return r, nil
}

// plainText is what a reader reads of an edition: its text rendering.
func plainText(p *reviews.Page) (string, error) {
	var b bytes.Buffer
	err := reviews.RenderText(&b, p)
	return b.String(), err
}

// diffFields lists the exported JSON fields of two values of one struct
// type that differ, except those named in skip. Empty values (an absent
// optional field) compare equal whatever their Go form.
func diffFields(old, new any, skip ...string) []FieldChange {
	ov, nv := reflect.ValueOf(old), reflect.ValueOf(new)
	var out []FieldChange
	for i := range ov.NumField() {
		name, _, _ := strings.Cut(ov.Type().Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || slices.Contains(skip, name) {
			continue
		}
		if a, b := showValue(ov.Field(i)), showValue(nv.Field(i)); a != b {
			out = append(out, FieldChange{Field: name, Old: a, New: b})
		}
	}
	return out
}

// showValue is v as JSON without HTML escaping, times in UTC, and an
// empty value as "" or none.
func showValue(v reflect.Value) string {
	if v.IsZero() || (v.Kind() == reflect.Slice && v.Len() == 0) {
		if v.Kind() == reflect.String {
			return `""`
		}
		return "none"
	}
	x := v.Interface()
	if t, ok := x.(*time.Time); ok {
		return t.UTC().Format(time.RFC3339)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return fmt.Sprint(x)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
