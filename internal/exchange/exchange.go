// Package exchange moves editions in and out of the store as JSON bundles:
// an edition travels with the outlets, people, authors and series it names,
// so a bundle imports cleanly into an empty desk.
//
// The format is the domain types' own JSON. Export is deterministic (records
// sorted by key, times in UTC), so export → import → export is byte-identical.
package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Format is the value of the "format" field of the bundles Export writes.
// pressreview/2 entries name zero or more outlets and speakers with their
// labels and carry a literal lead-in; FormatV1 bundles, one outlet and at
// most one speaker per entry with the lead-in composed from the roster,
// still import: their entries are upgraded when saved (reviews.Upgrade).
const Format = "pressreview/2"

// FormatV1 is the first bundle format.
const FormatV1 = "pressreview/1"

// Bundle is the unit of import and export. Besides editions it carries the
// site's own content — images, tags, analyses, events — until the studio
// edits them.
type Bundle struct {
	Format      string              `json:"format"`
	Outlets     []outlets.Outlet    `json:"outlets,omitempty"`
	People      []outlets.Person    `json:"people,omitempty"`
	Authors     []posts.Author      `json:"authors,omitempty"`
	Series      []reviews.Series    `json:"series,omitempty"`
	Editions    []reviews.Edition   `json:"editions,omitempty"`
	Images      []posts.Image       `json:"images,omitempty"`
	Tags        []posts.Tag         `json:"tags,omitempty"`
	Analyses    []posts.Analysis    `json:"analyses,omitempty"`
	Events      []posts.Event       `json:"events,omitempty"`
	EditionTags []posts.EditionTags `json:"edition_tags,omitempty"`
}

// Error is a problem in a bundle file, located by JSON path and, for
// syntax and type errors, by line and column.
type Error struct {
	File   string
	Path   string // "$.editions[0].entries[2].outlet"
	Line   int    // 0 when unknown
	Column int
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(": " + e.Path)
	}
	b.WriteString(": " + e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Decode reads a bundle strictly: invalid UTF-8, a key given twice,
// unknown fields, trailing data and a wrong format are errors, and every
// record is validated. name is the file name
// used in error messages.
func Decode(name string, data []byte) (*Bundle, error) {
	if err := checkRaw(name, data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Bundle
	if err := dec.Decode(&b); err != nil {
		return nil, decodeError(name, data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(data, int(dec.InputOffset()))
		return nil, &Error{File: name, Line: line, Column: col, Err: errors.New("unexpected data after the bundle")}
	}
	if b.Format != Format && b.Format != FormatV1 {
		return nil, &Error{File: name, Path: "$.format", Err: fmt.Errorf("is %q, want %q (or %q)", b.Format, Format, FormatV1)}
	}
	if err := b.Validate(); err != nil {
		return nil, located(name, err)
	}
	return &b, nil
}

func decodeError(name string, data []byte, dec *json.Decoder, err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		line, col := position(data, int(syn.Offset))
		return &Error{File: name, Line: line, Column: col, Err: fmt.Errorf("malformed JSON: %v", syn)}
	case errors.As(err, &typ):
		line, col := position(data, int(typ.Offset))
		return &Error{File: name, Path: "$." + typ.Field, Line: line, Column: col,
			Err: fmt.Errorf("is a JSON %s, want %s", typ.Value, typ.Type)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{File: name, Err: errors.New("file is empty or ends too soon")}
	}
	// Unknown fields and bad time values come back as plain errors, reported
	// after the whole value was read; point at the offending key instead.
	msg := strings.TrimPrefix(err.Error(), "json: ")
	offset := int(dec.InputOffset())
	if field, ok := strings.CutPrefix(msg, "unknown field "); ok {
		if m := regexp.MustCompile(regexp.QuoteMeta(field) + `\s*:`).FindIndex(data); m != nil {
			offset = m[0]
		}
	}
	line, col := position(data, offset)
	return &Error{File: name, Line: line, Column: col, Err: errors.New(msg)}
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line = 1 + bytes.Count(data[:offset], []byte("\n"))
	col = offset - bytes.LastIndexByte(data[:offset], '\n')
	return line, col
}

func located(name string, err error) error {
	var ve *valid.Error
	if errors.As(err, &ve) {
		return &Error{File: name, Path: "$." + ve.Path, Err: errors.New(ve.Problem)}
	}
	return &Error{File: name, Err: err}
}

// Validate checks every record and that keys are unique within the bundle.
func (b *Bundle) Validate() error {
	seen := map[string]bool{}
	dup := func(kind, path, key string) error {
		k := kind + "\x00" + key
		if seen[k] {
			return valid.Errorf(path+".key", "%q appears twice", key)
		}
		seen[k] = true
		return nil
	}
	for i, o := range b.Outlets {
		p := valid.Index("outlets", i)
		if err := valid.In(p, o.Validate()); err != nil {
			return err
		}
		if err := dup("outlet", p, o.Key); err != nil {
			return err
		}
	}
	for i, pe := range b.People {
		p := valid.Index("people", i)
		if err := valid.In(p, pe.Validate()); err != nil {
			return err
		}
		if err := dup("person", p, pe.Key); err != nil {
			return err
		}
	}
	for i, a := range b.Authors {
		p := valid.Index("authors", i)
		if err := valid.In(p, a.Validate()); err != nil {
			return err
		}
		if err := dup("author", p, a.Key); err != nil {
			return err
		}
	}
	for i, s := range b.Series {
		p := valid.Index("series", i)
		if err := valid.In(p, s.Validate()); err != nil {
			return err
		}
		if err := dup("series", p, s.Key); err != nil {
			return err
		}
	}
	for _, list := range []struct {
		field string
		n     int
		check func(int) error
	}{
		{"images", len(b.Images), func(i int) error { return b.Images[i].Validate() }},
		{"tags", len(b.Tags), func(i int) error { return b.Tags[i].Validate() }},
		{"analyses", len(b.Analyses), func(i int) error { return b.Analyses[i].Validate() }},
		{"events", len(b.Events), func(i int) error { return b.Events[i].Validate() }},
	} {
		for i := range list.n {
			if err := valid.In(valid.Index(list.field, i), list.check(i)); err != nil {
				return err
			}
		}
	}
	for i, e := range b.Editions {
		p := valid.Index("editions", i)
		for j, en := range e.Entries {
			if err := valid.In(p+"."+valid.Index("entries", j), b.checkEntryFormat(en)); err != nil {
				return err
			}
		}
		if err := valid.In(p, e.Validate()); err != nil {
			return err
		}
		if seen["edition\x00"+e.Slug] {
			return valid.Errorf(p+".slug", "%q appears twice", e.Slug)
		}
		seen["edition\x00"+e.Slug] = true
	}
	return nil
}

// checkEntryFormat holds an entry to the form of its bundle's format: a
// pressreview/1 entry names one outlet in "outlet"; a pressreview/2 entry
// names its outlets and speakers in lists and states every label, so that
// the file says exactly what the page prints.
func (b *Bundle) checkEntryFormat(en reviews.Entry) error {
	if b.Format == FormatV1 {
		for _, f := range []struct {
			field string
			used  bool
		}{{"outlets", en.Outlets != nil}, {"speakers", en.Speakers != nil}, {"inline", en.Inline != nil}} {
			if f.used {
				return valid.Errorf(f.field, "is a %s field: set \"format\" to %q to use it", Format, Format)
			}
		}
		for i, it := range en.Items {
			for j, pt := range it.Parts {
				if pt.Clip != 0 {
					return valid.Errorf(valid.Index("items", i)+"."+valid.Index("parts", j)+".clip", "is a %s field: set \"format\" to %q to use it", Format, Format)
				}
			}
		}
		if en.Outlet == "" {
			return valid.Errorf("outlet", "is required")
		}
		return nil
	}
	if en.Outlet != "" {
		return valid.Errorf("outlet", "is %s: in %s an entry names its outlets in \"outlets\": [{\"key\", \"label\", \"role\"}]", FormatV1, Format)
	}
	if en.Speaker != "" {
		return valid.Errorf("speaker", "is %s: in %s an entry names its speakers in \"speakers\": [{\"key\", \"label\"}]", FormatV1, Format)
	}
	for i, o := range en.Outlets {
		if o.Label == "" {
			return valid.Errorf(valid.Index("outlets", i)+".label", "is required: a bundle states how the entry names each outlet")
		}
	}
	for i, sp := range en.Speakers {
		if sp.Label == "" {
			return valid.Errorf(valid.Index("speakers", i)+".label", "is required: a bundle states how the entry names each speaker")
		}
	}
	return nil
}

// Import writes a decoded bundle in one transaction; see ImportTx.
func Import(ctx context.Context, db *store.DB, name string, b *Bundle) (*Report, error) {
	var r *Report
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		r, err = ImportTx(ctx, tx, name, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ImportTx writes a bundle inside tx: records are saved in dependency order
// (outlets, people, authors, series, then editions), and any error — an
// unknown reference, a constraint — comes back located in the file so the
// caller's rollback leaves the store as it was. The report names the
// stored outlets, people, authors, series and editions the bundle changed,
// and the other editions whose text changed with them; a caller that rolls
// back after reading it has a dry run.
func ImportTx(ctx context.Context, tx *store.Tx, name string, b *Bundle) (*Report, error) {
	w, err := watch(ctx, tx, b)
	if err != nil {
		return nil, located(name, err)
	}
	steps := []struct {
		field string
		n     int
		save  func(i int) error
	}{
		{"outlets", len(b.Outlets), func(i int) error { return outlets.SaveOutlet(ctx, tx, &b.Outlets[i]) }},
		{"people", len(b.People), func(i int) error { return outlets.SavePerson(ctx, tx, &b.People[i]) }},
		{"authors", len(b.Authors), func(i int) error { return posts.SaveAuthor(ctx, tx, &b.Authors[i]) }},
		{"series", len(b.Series), func(i int) error { return reviews.SaveSeries(ctx, tx, &b.Series[i]) }},
		{"editions", len(b.Editions), func(i int) error { return saveEdition(ctx, tx, &b.Editions[i]) }},
		{"images", len(b.Images), func(i int) error { return posts.SaveImage(ctx, tx, &b.Images[i]) }},
		{"tags", len(b.Tags), func(i int) error { return posts.SaveTag(ctx, tx, &b.Tags[i]) }},
		{"analyses", len(b.Analyses), func(i int) error { return posts.SaveAnalysis(ctx, tx, &b.Analyses[i]) }},
		{"events", len(b.Events), func(i int) error { return posts.SaveEvent(ctx, tx, &b.Events[i]) }},
		{"edition_tags", len(b.EditionTags), func(i int) error {
			return posts.TagEdition(ctx, tx, b.EditionTags[i].Edition, b.EditionTags[i].Tags)
		}},
	}
	for _, st := range steps {
		for i := 0; i < st.n; i++ {
			if err := st.save(i); err != nil {
				return nil, located(name, valid.In(valid.Index(st.field, i), err))
			}
		}
	}
	r, err := w.report(ctx, tx, name)
	if err != nil {
		return nil, located(name, err)
	}
	return r, nil
}

// saveEdition saves an edition of a bundle and, when it is published or
// scheduled, freezes the page readers see: a later import that relabels an
// outlet or a person then leaves it as it was published.
func saveEdition(ctx context.Context, tx *store.Tx, e *reviews.Edition) error {
	if err := reviews.SaveEdition(ctx, tx, e); err != nil {
		return err
	}
	if e.Status == reviews.Published || e.Status == reviews.Scheduled {
		return reviews.Freeze(ctx, tx, e.Slug, 0, "import")
	}
	return nil
}

// Export builds the bundle for the editions with the given slugs, with
// exactly the outlets, people, authors and series they refer to.
func Export(ctx context.Context, q store.Querier, slugs []string) (*Bundle, error) {
	b := &Bundle{Format: Format}
	outletSet := map[string]outlets.Outlet{}
	peopleSet := map[string]outlets.Person{}
	authorSet := map[string]posts.Author{}
	seriesSet := map[string]reviews.Series{}
	for _, slug := range slugs {
		p, err := reviews.LoadPage(ctx, q, slug)
		if err != nil {
			return nil, err
		}
		p.Resolve()
		b.Editions = append(b.Editions, p.Edition)
		seriesSet[p.Series.Key] = p.Series
		for _, a := range p.Authors {
			authorSet[a.Key] = a
		}
		for k, o := range p.Outlets {
			outletSet[k] = o
		}
		for k, pe := range p.People {
			peopleSet[k] = pe
		}
	}
	b.Outlets = sortedValues(outletSet)
	b.People = sortedValues(peopleSet)
	b.Authors = sortedValues(authorSet)
	b.Series = sortedValues(seriesSet)
	sort.Slice(b.Editions, func(i, j int) bool { return b.Editions[i].Slug < b.Editions[j].Slug })
	return b, nil
}

func sortedValues[T any](m map[string]T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// Encode writes the bundle as indented JSON with a final newline. HTML
// characters are not escaped so quotes with "<" or "&" stay readable.
func Encode(w io.Writer, b *Bundle) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}
