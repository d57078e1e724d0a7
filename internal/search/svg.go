package search

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The coverage chart is written by hand: a line chart needs a few dozen
// SVG elements, and a small writer gives full control of what matters
// here — accessible <title>/<desc>, right-to-left labels, no scripts or
// external fonts, a fixed palette — with no dependency. The Go charting
// libraries either render raster images or pull in large trees for
// features this chart does not use.

// ChartOptions sizes and titles a chart; zero values take defaults.
type ChartOptions struct {
	Title  string // default: Coverage of “QUERY”
	Width  int    // default 720
	Height int    // default 360
}

// palette is the Okabe–Ito set, which stays distinguishable with the
// common colour-vision deficiencies, ordered for contrast on white; its
// yellow is left out as unreadable on white.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#7F7F7F"}

// Layout, in SVG units.
const (
	marginLeft   = 52
	marginRight  = 16
	marginBottom = 44
	titleY       = 22
	legendY      = 44
	legendRow    = 18
	charWidth    = 6.6 // average width of a 12px sans-serif character
)

// SVG renders the coverage as a line chart, one line per series, ready to
// embed in an HTML page (inline or as an <img>) or to serve as
// image/svg+xml.
func (c Coverage) SVG(opt ChartOptions) []byte {
	var b bytes.Buffer
	_ = c.WriteSVG(&b, opt) // a bytes.Buffer does not fail
	return b.Bytes()
}

// WriteSVG writes the chart of SVG to w.
func (c Coverage) WriteSVG(w io.Writer, opt ChartOptions) error {
	width, height := opt.Width, opt.Height
	if width <= 0 {
		width = 720
	}
	if height <= 0 {
		height = 360
	}
	title := opt.Title
	if title == "" {
		title = "Coverage of “" + truncate(c.Query, 60) + "”"
		if c.Query == "" {
			title = "Coverage of all articles"
		}
	}
	id := chartID(c, title)
	s := &svgWriter{w: w}
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, -apple-system, 'Segoe UI', Tahoma, sans-serif" font-size="12">`+"\n",
		width, height, width, height, id, id)
	s.printf(`<title id="%s-title">%s</title>`+"\n", id, esc(title))
	s.printf(`<desc id="%s-desc">%s</desc>`+"\n", id, esc(c.describe()))
	s.printf(`<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	s.printf(`<text x="%d" y="%d" font-size="15" font-weight="600" fill="#222">%s</text>`+"\n", marginLeft, titleY, esc(title))

	top := s.legend(c.Series, width) + 12
	left, right, bottom := float64(marginLeft), float64(width-marginRight), float64(height-marginBottom)
	maxCount := 0
	for _, sr := range c.Series {
		for _, n := range sr.Counts {
			maxCount = max(maxCount, n)
		}
	}
	yMax, yStep := niceScale(maxCount)
	y := func(n int) float64 { return bottom - float64(n)/float64(yMax)*(bottom-top) }
	x := func(i int) float64 {
		if len(c.Periods) < 2 {
			return (left + right) / 2
		}
		return left + float64(i)*(right-left)/float64(len(c.Periods)-1)
	}

	// Y axis: gridlines and counts.
	for v := 0; v <= yMax; v += yStep {
		s.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`+"\n", left, y(v), right, y(v), map[bool]string{true: "#444", false: "#e3e3e3"}[v == 0])
		s.printf(`<text x="%.1f" y="%.1f" text-anchor="end" fill="#444">%d</text>`+"\n", left-6, y(v)+4, v)
	}
	unit := map[string]string{IntervalDay: "Articles per day", IntervalWeek: "Articles per week"}[c.Interval]
	s.printf(`<text transform="translate(14 %.1f) rotate(-90)" text-anchor="middle" fill="#444">%s</text>`+"\n", (top+bottom)/2, unit)

	// X axis: a date under evenly spaced periods, the year on the first
	// label and wherever it changes.
	if len(c.Periods) == 0 {
		s.printf(`<text x="%.1f" y="%.1f" text-anchor="middle" fill="#444">No matching articles</text>`+"\n", (left+right)/2, (top+bottom)/2)
	}
	every := max(1, int(math.Ceil(float64(len(c.Periods))/7)))
	lastYear := 0
	for i := 0; i < len(c.Periods); i += every {
		d, _ := parseDay(c.Periods[i])
		label := d.Format("2 Jan")
		if d.Year() != lastYear {
			label = d.Format("2 Jan 2006")
			lastYear = d.Year()
		}
		s.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#444"/>`+"\n", x(i), bottom, x(i), bottom+5)
		s.printf(`<text x="%.1f" y="%.1f" text-anchor="middle" fill="#444">%s</text>`+"\n", x(i), bottom+19, label)
	}
	if c.Interval == IntervalWeek && len(c.Periods) > 0 {
		s.printf(`<text x="%.1f" y="%.1f" text-anchor="end" fill="#777" font-size="11">weeks from Monday, UTC</text>`+"\n", right, bottom+36)
	}

	// One line per series, drawn largest last so it stays on top; dots
	// mark the points while there are few enough to tell apart. The
	// points are written as %.1f writes them, but without fmt, and each
	// x and each y once: a year of days in eight series took half the
	// time of a coverage request.
	var xs [][]byte // xs[j] is x(j), filled as the points need it
	ys := map[int][]byte{}
	for i := len(c.Series) - 1; i >= 0; i-- {
		sr := c.Series[i]
		colour := palette[i%len(palette)]
		s.printf(`<g><title>%s: %d</title>`+"\n", esc(sr.Label), sr.Total)
		pts := make([]byte, 0, 12*len(sr.Counts))
		for j, n := range sr.Counts {
			if j > 0 {
				pts = append(pts, ' ')
			}
			if j == len(xs) {
				xs = append(xs, strconv.AppendFloat(nil, x(j), 'f', 1, 64))
			}
			yn, ok := ys[n]
			if !ok {
				yn = strconv.AppendFloat(nil, y(n), 'f', 1, 64)
				ys[n] = yn
			}
			pts = append(append(append(pts, xs[j]...), ','), yn...)
		}
		s.printf(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"/>`+"\n", pts, colour)
		if len(sr.Counts) <= 60 {
			for j, n := range sr.Counts {
				s.printf(`<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>`+"\n", x(j), y(n), colour)
			}
		}
		s.printf("</g>\n")
	}
	s.printf("</svg>\n")
	return s.err
}

// legend draws a swatch and label per series, wrapping rows to the width,
// and returns the y where the plot can start.
func (s *svgWriter) legend(series []Series, width int) float64 {
	x, y := float64(marginLeft), float64(legendY)
	for i, sr := range series {
		label := fmt.Sprintf("%s (%d)", sr.Label, sr.Total)
		w := 22 + float64(utf8.RuneCountInString(label))*charWidth + 14
		if x+w > float64(width-marginRight) && x > marginLeft {
			x, y = marginLeft, y+legendRow
		}
		colour := palette[i%len(palette)]
		s.printf(`<rect x="%.1f" y="%.1f" width="14" height="4" fill="%s"/>`+"\n", x, y-6, colour)
		// unicode-bidi keeps a Persian or Arabic label whole and in order
		// inside the left-to-right legend.
		s.printf(`<text x="%.1f" y="%.1f" fill="#222" style="unicode-bidi:isolate">%s</text>`+"\n", x+20, y-1, esc(label))
		x += w
	}
	return y
}

// niceScale returns an axis maximum of at least n and a step of 1, 2 or
// 5 times a power of ten, giving at most five intervals.
func niceScale(n int) (top, step int) {
	if n <= 0 {
		return 1, 1
	}
	for mag := 1; ; mag *= 10 {
		for _, f := range []int{1, 2, 5} {
			step = f * mag
			if top = (n + step - 1) / step * step; top/step <= 5 {
				return top, step
			}
		}
	}
}

// describe is the text alternative: what the chart shows, its range and
// the total of each series.
func (c Coverage) describe() string {
	if len(c.Periods) == 0 {
		return "No article matches " + c.Query + "."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s counts of articles matching “%s” from %s to %s", map[string]string{IntervalDay: "Daily", IntervalWeek: "Weekly"}[c.Interval],
		c.Query, c.Periods[0], periodEnd(c.Periods[len(c.Periods)-1], c.Interval))
	if c.By != "" {
		fmt.Fprintf(&b, ", by %s", c.By)
	}
	b.WriteString(": ")
	for i, sr := range c.Series {
		if i > 0 {
			b.WriteString("; ")
		}
		peak := 0
		for j, n := range sr.Counts {
			if n > sr.Counts[peak] {
				peak = j
			}
		}
		fmt.Fprintf(&b, "%s %d in total, most (%d) in the %s of %s", sr.Label, sr.Total, sr.Counts[peak], c.Interval, c.Periods[peak])
	}
	b.WriteString(".")
	return b.String()
}

func periodEnd(start, interval string) string {
	if interval != IntervalWeek {
		return start
	}
	d, _ := parseDay(start)
	return d.AddDate(0, 0, 6).Format(dayLayout)
}

// chartID derives the element IDs from the chart's content, so several
// charts can be embedded in one page without their IDs colliding.
func chartID(c Coverage, title string) string {
	h := fnv.New32a()
	fmt.Fprint(h, title, c.Query, c.Interval, c.By, len(c.Periods), c.Total)
	return fmt.Sprintf("coverage-%x", h.Sum32())
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func esc(s string) string { return html.EscapeString(s) }

// svgWriter remembers the first write error.
type svgWriter struct {
	w   io.Writer
	err error
}

func (s *svgWriter) printf(format string, args ...any) {
	if s.err == nil {
		_, s.err = fmt.Fprintf(s.w, format, args...)
	}
}
