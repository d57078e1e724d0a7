package posts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// BundleFormat is the "format" of a posts bundle.
const BundleFormat = "pressreview-posts/1"

// Bundle carries the site's own content — images, tags, analyses, events,
// and tags for existing editions — until the studio edits them. Editions
// themselves travel in exchange bundles.
type Bundle struct {
	Format      string        `json:"format"`
	Authors     []Author      `json:"authors,omitempty"`
	Images      []Image       `json:"images,omitempty"`
	Tags        []Tag         `json:"tags,omitempty"`
	Analyses    []Analysis    `json:"analyses,omitempty"`
	Events      []Event       `json:"events,omitempty"`
	EditionTags []EditionTags `json:"edition_tags,omitempty"`
}

// EditionTags tags one edition of a review series.
type EditionTags struct {
	Edition string   `json:"edition"` // slug
	Tags    []string `json:"tags"`
}

// DecodeBundle reads a bundle strictly: unknown fields and a wrong format
// are errors. name is the file name used in error messages.
func DecodeBundle(name string, data []byte) (*Bundle, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Bundle
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if b.Format != BundleFormat {
		return nil, fmt.Errorf("%s: $.format: is %q, want %q", name, b.Format, BundleFormat)
	}
	return &b, nil
}

// ImportBundle saves a bundle in one transaction, in dependency order;
// any error names the record's path and rolls everything back.
func ImportBundle(ctx context.Context, db *store.DB, name string, b *Bundle) error {
	err := db.InTx(ctx, func(tx *store.Tx) error {
		steps := []struct {
			field string
			n     int
			save  func(int) error
		}{
			{"authors", len(b.Authors), func(i int) error { return SaveAuthor(ctx, tx, &b.Authors[i]) }},
			{"images", len(b.Images), func(i int) error { return SaveImage(ctx, tx, &b.Images[i]) }},
			{"tags", len(b.Tags), func(i int) error { return SaveTag(ctx, tx, &b.Tags[i]) }},
			{"analyses", len(b.Analyses), func(i int) error { return SaveAnalysis(ctx, tx, &b.Analyses[i]) }},
			{"events", len(b.Events), func(i int) error { return SaveEvent(ctx, tx, &b.Events[i]) }},
			{"edition_tags", len(b.EditionTags), func(i int) error {
				return TagEdition(ctx, tx, b.EditionTags[i].Edition, b.EditionTags[i].Tags)
			}},
		}
		for _, st := range steps {
			for i := range st.n {
				if err := valid.In(valid.Index(st.field, i), st.save(i)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: $.%w", name, err)
	}
	return nil
}
