package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The demo's pictures are drawn here, in Go: charts and title cards with
// the Go fonts, so the demo ships no photographs and no files of unknown
// origin. Their figures are illustrative and their captions say so.

const imgW, imgH = 1200, 675

var (
	ink    = color.RGBA{0x1d, 0x2a, 0x3a, 0xff}
	muted  = color.RGBA{0x5b, 0x67, 0x75, 0xff}
	paper  = color.RGBA{0xf7, 0xf5, 0xf0, 0xff}
	rule   = color.RGBA{0xd6, 0xd1, 0xc7, 0xff}
	navy   = color.RGBA{0x1f, 0x3a, 0x5f, 0xff}
	accent = color.RGBA{0xb5, 0x4a, 0x2c, 0xff}
	// camps colours the press's camps, from reformist to hard-line.
	camps = []color.RGBA{
		{0x3b, 0x7d, 0x8c, 0xff}, {0x6a, 0x9a, 0x6b, 0xff}, {0xc9, 0xa2, 0x3f, 0xff},
		{0xc4, 0x73, 0x3a, 0xff}, {0xa8, 0x3c, 0x32, 0xff}, {0x6e, 0x2a, 0x3c, 0xff},
	}
)

type canvas struct {
	img   *image.RGBA
	faces map[[2]float64]font.Face
}

var regular, bold = mustFont(goregular.TTF), mustFont(gobold.TTF)

func mustFont(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(err) // the Go fonts are compiled in: a parse error is a build error
	}
	return f
}

func newCanvas(bg color.Color) *canvas {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, imgW, imgH)), faces: map[[2]float64]font.Face{}}
	c.fill(c.img.Bounds(), bg)
	return c
}

func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

func (c *canvas) face(size float64, heavy bool) font.Face {
	k := [2]float64{size, 0}
	f := regular
	if heavy {
		k[1], f = 1, bold
	}
	if fc, ok := c.faces[k]; ok {
		return fc
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(err) // only fails for a size <= 0, which the callers never pass
	}
	c.faces[k] = fc
	return fc
}

// text draws s with its baseline at y, starting at x (or ending at x when
// right is set), and returns its width.
func (c *canvas) text(x, y int, s string, size float64, heavy, right bool, col color.Color) int {
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: c.face(size, heavy)}
	w := d.MeasureString(s).Round()
	if right {
		x -= w
	}
	d.Dot = fixed.P(x, y)
	d.DrawString(s)
	return w
}

// width is how wide s is drawn at size.
func (c *canvas) width(s string, size float64) int {
	return font.MeasureString(c.face(size, false), s).Round()
}

// line draws a segment width pixels thick.
func (c *canvas) line(x0, y0, x1, y1, width int, col color.Color) {
	n := int(math.Max(math.Abs(float64(x1-x0)), math.Abs(float64(y1-y0))))
	for i := 0; i <= n; i++ {
		t := float64(i) / math.Max(1, float64(n))
		x := x0 + int(math.Round(t*float64(x1-x0)))
		y := y0 + int(math.Round(t*float64(y1-y0)))
		c.fill(image.Rect(x-width/2, y-width/2, x+width-width/2, y+width-width/2), col)
	}
}

func (c *canvas) png() []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, c.img); err != nil {
		panic(err) // encoding to memory fails only on a broken image
	}
	return b.Bytes()
}

// header draws a chart's title and subtitle and the demo's mark.
func (c *canvas) header(title, subtitle string) {
	c.fill(image.Rect(0, 0, imgW, 8), navy)
	c.text(60, 78, title, 40, true, false, ink)
	c.text(60, 118, subtitle, 24, false, false, muted)
	c.text(imgW-60, imgH-28, "pressreview demo · illustrative figures", 18, false, true, muted)
}

// barChart draws one horizontal bar per label.
func barChart(title, subtitle string, labels []string, values []int) []byte {
	c := newCanvas(paper)
	c.header(title, subtitle)
	top, left, right := 170, 330, imgW-120
	maxV := 1
	for _, v := range values {
		maxV = max(maxV, v)
	}
	row := (imgH - 80 - top) / len(labels)
	for i, l := range labels {
		y := top + i*row
		c.text(left-20, y+row/2+9, l, 26, false, true, ink)
		w := (right - left) * values[i] / maxV
		c.fill(image.Rect(left, y+8, left+w, y+row-8), camps[i%len(camps)])
		c.text(left+w+12, y+row/2+9, fmt.Sprint(values[i]), 24, true, false, ink)
	}
	c.fill(image.Rect(left-1, top, left+1, top+row*len(labels)), rule)
	return c.png()
}

// lineChart draws a series of values between 0 and 100 percent.
func lineChart(title, subtitle string, labels []string, values []float64) []byte {
	c := newCanvas(paper)
	c.header(title, subtitle)
	top, bottom, left, right := 170, imgH-110, 120, imgW-80
	for _, pct := range []int{0, 25, 50, 75, 100} {
		y := bottom - (bottom-top)*pct/100
		c.fill(image.Rect(left, y, right, y+1), rule)
		c.text(left-14, y+8, fmt.Sprintf("%d%%", pct), 20, false, true, muted)
	}
	step := (right - left) / max(1, len(values)-1)
	var px, py int
	for i, v := range values {
		x := left + i*step
		y := bottom - int(float64(bottom-top)*v/100)
		if i > 0 {
			c.line(px, py, x, y, 5, accent)
		}
		c.fill(image.Rect(x-7, y-7, x+7, y+7), accent)
		c.text(x+c.width(labels[i], 20)/2, bottom+36, labels[i], 20, false, true, muted)
		px, py = x, y
	}
	return c.png()
}

// spectrum lays outlets out along the press's camps, one band per camp.
func spectrum(title, subtitle string, bands []string, outlets [][]string) []byte {
	c := newCanvas(paper)
	c.header(title, subtitle)
	top, bottom, left, right := 200, imgH-80, 60, imgW-60
	w := (right - left) / len(bands)
	for i, b := range bands {
		x := left + i*w
		c.fill(image.Rect(x+4, top, x+w-4, top+80), camps[i%len(camps)])
		c.text(x+16, top+52, b, 28, true, false, color.White)
		for j, o := range outlets[i] {
			y := top + 150 + j*70
			if y > bottom {
				break
			}
			c.fill(image.Rect(x+16, y-26, x+23, y+5), camps[i%len(camps)])
			c.text(x+34, y, o, 27, false, false, ink)
		}
	}
	return c.png()
}

// titleCard is an event's picture: its kind, title lines and date line on
// a coloured ground with a pattern of feed-like rows.
func titleCard(kind string, lines []string, foot string, bg color.RGBA) []byte {
	c := newCanvas(bg)
	for i := range 9 {
		y := 60 + i*64
		w := 180 + (i*137)%260
		c.fill(image.Rect(imgW-60-w, y, imgW-60, y+18), color.NRGBA{0xff, 0xff, 0xff, 0x30})
	}
	c.fill(image.Rect(60, 120, 140, 128), color.White)
	c.text(60, 100, kind, 28, true, false, color.White)
	for i, l := range lines {
		c.text(60, 220+i*70, l, 58, true, false, color.White)
	}
	c.text(60, imgH-60, foot, 26, false, false, color.White)
	return c.png()
}
