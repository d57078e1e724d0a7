package posts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registers GIF decoding
	_ "image/jpeg"
	_ "image/png"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Image is a picture uploaded once; the site serves it in several widths.
// Alt text is required: every image on the site must say what it shows.
type Image struct {
	ID      int64  `json:"-"`
	Key     string `json:"key"`
	Alt     string `json:"alt"`
	Caption string `json:"caption,omitempty"`
	// Credit is printed after the caption: "(AP Photo/Vahid Salemi)".
	Credit      string `json:"credit,omitempty"`
	ContentType string `json:"-"`
	Width       int    `json:"-"`
	Height      int    `json:"-"`
	// Data is the original file (base64 in JSON bundles).
	Data   []byte `json:"data"`
	Digest string `json:"-"` // hex SHA-256 of Data, part of the image URLs
}

// Validate names the first field that is missing or wrong.
func (im Image) Validate() error {
	if err := valid.CheckKey("key", im.Key); err != nil {
		return err
	}
	if valid.Blank(im.Alt) {
		return valid.Errorf("alt", "is required: describe what the image shows")
	}
	if len(im.Data) == 0 {
		return valid.Errorf("data", "is required")
	}
	return nil
}

// SaveImage reads the image's format and size, then inserts it or replaces
// the image with the same key.
func SaveImage(ctx context.Context, q store.Querier, im *Image) error {
	if err := im.Validate(); err != nil {
		return err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(im.Data))
	if err != nil {
		return valid.Errorf("data", "is not a JPEG, PNG or GIF image: %v", err)
	}
	if cfg.Width*cfg.Height > MaxImagePixels {
		return valid.Errorf("data", "is %d×%d pixels; at most %d megapixels are allowed", cfg.Width, cfg.Height, MaxImagePixels/1_000_000)
	}
	im.ContentType, im.Width, im.Height = "image/"+format, cfg.Width, cfg.Height
	sum := sha256.Sum256(im.Data)
	im.Digest = hex.EncodeToString(sum[:])
	err = q.QueryRowContext(ctx, `
		INSERT INTO images (key, alt, caption, credit, content_type, width, height, data, digest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			alt = excluded.alt, caption = excluded.caption, credit = excluded.credit,
			content_type = excluded.content_type, width = excluded.width, height = excluded.height,
			data = excluded.data, digest = excluded.digest, updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		im.Key, im.Alt, im.Caption, im.Credit, im.ContentType, im.Width, im.Height, im.Data, im.Digest,
	).Scan(&im.ID)
	if err != nil {
		return fmt.Errorf("save image %q: %w", im.Key, err)
	}
	return nil
}

const imageMetaColumns = `id, key, alt, caption, credit, content_type, width, height, digest`

func scanImageMeta(row interface{ Scan(...any) error }) (Image, error) {
	var im Image
	err := row.Scan(&im.ID, &im.Key, &im.Alt, &im.Caption, &im.Credit, &im.ContentType, &im.Width, &im.Height, &im.Digest)
	return im, err
}

// ImageByKey returns an image with its data; store.ErrNotFound when none has key.
func ImageByKey(ctx context.Context, q store.Querier, key string) (Image, error) {
	var im Image
	err := q.QueryRowContext(ctx, `SELECT `+imageMetaColumns+`, data FROM images WHERE key = ?`, key).
		Scan(&im.ID, &im.Key, &im.Alt, &im.Caption, &im.Credit, &im.ContentType, &im.Width, &im.Height, &im.Digest, &im.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return im, fmt.Errorf("image %q: %w", key, store.ErrNotFound)
	}
	return im, err
}

// ImageMetaByKey returns an image without its data, which is all a page
// needs and is cheap to read; store.ErrNotFound when none has key.
func ImageMetaByKey(ctx context.Context, q store.Querier, key string) (Image, error) {
	im, err := scanImageMeta(q.QueryRowContext(ctx, `SELECT `+imageMetaColumns+` FROM images WHERE key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return im, fmt.Errorf("image %q: %w", key, store.ErrNotFound)
	}
	return im, err
}

// imagesByID reads the metadata (not the data) of the given images.
func imagesByID(ctx context.Context, q store.Querier, ids []int64) (map[int64]Image, error) {
	out := map[int64]Image{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT `+imageMetaColumns+` FROM images WHERE id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		im, err := scanImageMeta(rows)
		if err != nil {
			return nil, err
		}
		out[im.ID] = im
	}
	return out, rows.Err()
}

func imageID(ctx context.Context, q store.Querier, key string) (any, error) {
	if key == "" {
		return nil, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM images WHERE key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, valid.Unknown("image", "image", key)
	}
	return id, err
}

// placeholders is "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}
