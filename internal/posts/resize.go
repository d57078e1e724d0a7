package posts

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// Widths are the sizes the site offers in srcset; an image is never
// enlarged, so only widths below its own are used.
var Widths = []int{480, 800, 1200}

// SrcWidths lists the widths an image is served in: the standard widths
// below its own, and its own.
func (im Image) SrcWidths() []int {
	var out []int
	for _, w := range Widths {
		if w < im.Width {
			out = append(out, w)
		}
	}
	return append(out, im.Width)
}

// Resize returns the image scaled to width (keeping its proportions),
// encoded as JPEG, or as PNG when the original is a PNG (it may be a
// chart or carry transparency). At or above the original width it
// returns the original bytes.
func Resize(im Image, width int) ([]byte, string, error) {
	if width >= im.Width {
		return im.Data, im.ContentType, nil
	}
	src, _, err := image.Decode(bytes.NewReader(im.Data))
	if err != nil {
		return nil, "", fmt.Errorf("resize image %q: %w", im.Key, err)
	}
	b := src.Bounds()
	height := max(1, b.Dy()*width/b.Dx())
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	// CatmullRom is the slowest of x/image's kernels and the sharpest;
	// each size is computed once and then cached.
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	var out bytes.Buffer
	if im.ContentType == "image/png" {
		err = png.Encode(&out, dst)
		return out.Bytes(), "image/png", err
	}
	err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 82})
	return out.Bytes(), "image/jpeg", err
}
