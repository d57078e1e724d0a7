package site

import (
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
)

// image serves /images/{file}, where file is KEY-DIGEST-WIDTH.EXT as
// imagePath writes it. Only the listed widths and the original are made,
// so nobody can make the server resize to arbitrary sizes. The image's
// metadata is read on every request, so a replaced or deleted image stops
// being served at its old URL; the resized bytes come from the image
// cache.
func (s *Site) image(r *http.Request) (*Response, error) {
	file := r.PathValue("file")
	base := strings.TrimSuffix(file, path.Ext(file))
	i := strings.LastIndexByte(base, '-')
	j := strings.LastIndexByte(base[:max(i, 0)], '-')
	if i < 0 || j < 0 {
		return nil, store.ErrNotFound
	}
	key, digest := base[:j], base[j+1:i]
	width, err := strconv.Atoi(base[i+1:])
	if err != nil {
		return nil, store.ErrNotFound
	}
	ctx := r.Context()
	meta, err := posts.ImageMetaByKey(ctx, s.db, key)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(meta.Digest, digest) || len(digest) < 10 || !allowedWidth(meta, width) ||
		imagePath(&meta, width) != "/images/"+file {
		return nil, fmt.Errorf("image %q at %d: %w", file, width, store.ErrNotFound)
	}
	sized, err := s.images.get(meta.Digest+"/"+strconv.Itoa(width), func() (sizedImage, error) {
		im, err := posts.ImageByKey(ctx, s.db, key)
		if err != nil {
			return sizedImage{}, err
		}
		if im.Digest != meta.Digest {
			// Replaced between the two reads: these bytes are not the
			// ones this URL (and this cache key) names.
			return sizedImage{}, fmt.Errorf("image %q changed: %w", key, store.ErrNotFound)
		}
		data, ctype, err := posts.Resize(im, width)
		return sizedImage{data: data, ctype: ctype}, err
	})
	if err != nil {
		return nil, err
	}
	return &Response{ContentType: sized.ctype, Raw: sized.data, Immutable: true,
		ETag: `"` + meta.Digest[:24] + "-" + strconv.Itoa(width) + `"`}, nil
}

func allowedWidth(im posts.Image, width int) bool {
	for _, w := range im.SrcWidths() {
		if w == width {
			return true
		}
	}
	return false
}
