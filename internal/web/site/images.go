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
// so nobody can make the server resize to arbitrary sizes. Sizes are
// rendered once and kept in the page cache like any page.
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
	im, err := posts.ImageByKey(r.Context(), s.db, key)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(im.Digest, digest) || len(digest) < 10 || !allowedWidth(im, width) ||
		imagePath(&im, width) != "/images/"+file {
		return nil, fmt.Errorf("image %q at %d: %w", file, width, store.ErrNotFound)
	}
	data, ctype, err := posts.Resize(im, width)
	if err != nil {
		return nil, err
	}
	return &Response{ContentType: ctype, Raw: data, Immutable: true}, nil
}

func allowedWidth(im posts.Image, width int) bool {
	for _, w := range im.SrcWidths() {
		if w == width {
			return true
		}
	}
	return false
}
