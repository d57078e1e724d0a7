package candidates

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// The chart is written by hand, as the coverage chart of package search
// is: a few dozen SVG elements with an accessible <title> and <desc>, no
// script, no external font, and a fixed palette.

// campPalette is the Okabe–Ito set (distinguishable with the common
// colour-vision deficiencies), without its yellow, unreadable on white.
var campPalette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#7F7F7F"}

// colour is the colour of the camp at index i of a chart.
func colour(i int) string { return campPalette[i%len(campPalette)] }

// SVG draws the chart as stacked bars, one bar a month and one colour a
// camp, for an HTML page (inline). title names it; the description says
// the totals in words, for a screen reader.
func (c Chart) SVG(title string) string {
	const (
		width, height       = 720, 300
		left, right, bottom = 44, 16, 40
		top                 = 64
	)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="quotes-chart-title quotes-chart-desc" font-family="system-ui, -apple-system, 'Segoe UI', Tahoma, sans-serif" font-size="12">`+"\n", width, height)
	p(`<title id="quotes-chart-title">%s</title>`+"\n", html.EscapeString(title))
	p(`<desc id="quotes-chart-desc">%s</desc>`+"\n", html.EscapeString(c.describe()))
	p(`<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	p(`<text x="%d" y="20" font-size="15" font-weight="600" fill="#222">%s</text>`+"\n", left, html.EscapeString(title))
	x := float64(left)
	for i, camp := range c.Camps {
		p(`<rect x="%.1f" y="34" width="12" height="12" fill="%s"/><text x="%.1f" y="44" fill="#222">%s</text>`+"\n",
			x, colour(i), x+16, html.EscapeString(camp))
		x += 16 + 7*float64(len([]rune(camp))) + 18
	}
	if len(c.Months) == 0 || c.Max == 0 {
		p(`<text x="%d" y="%d" fill="#555">No quotes yet.</text></svg>`, left, top+40)
		return b.String()
	}
	plotH := float64(height - bottom - top)
	plotW := float64(width - left - right)
	// Grid lines at whole numbers: the top, and the middle when there is
	// a whole number between.
	grid := []int{c.Max}
	if c.Max >= 2 {
		grid = append(grid, c.Max/2)
	}
	for _, v := range grid {
		y := float64(height-bottom) - plotH*float64(v)/float64(c.Max)
		p(`<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end" fill="#555">%d</text>`+"\n",
			left, width-right, y, y, left-6, y+4, v)
	}
	slot := plotW / float64(len(c.Months))
	barW := max(2, slot*0.7)
	every := max(1, (len(c.Months)+11)/12) // at most about twelve month labels
	for i, month := range c.Months {
		bx := float64(left) + slot*float64(i) + (slot-barW)/2
		y := float64(height - bottom)
		for j, n := range c.Counts[i] {
			if n == 0 {
				continue
			}
			h := plotH * float64(n) / float64(c.Max)
			y -= h
			p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %d</title></rect>`+"\n",
				bx, y, barW, h, colour(j), MonthLabel(month), html.EscapeString(c.Camps[j]), n)
		}
		if i%every == 0 {
			p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n", bx+barW/2, height-bottom+16, MonthLabel(month))
		}
	}
	p(`<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#888"/>`+"\n", left, width-right, height-bottom, height-bottom)
	b.WriteString("</svg>")
	return b.String()
}

// describe says what the chart shows, in words.
func (c Chart) describe() string {
	if len(c.Months) == 0 {
		return "No quotes yet."
	}
	total := 0
	perCamp := make([]int, len(c.Camps))
	for _, row := range c.Counts {
		for j, n := range row {
			perCamp[j] += n
			total += n
		}
	}
	var parts []string
	for j, camp := range c.Camps {
		parts = append(parts, fmt.Sprintf("%s %d", camp, perCamp[j]))
	}
	return fmt.Sprintf("%d quotes from %s to %s, by camp of the outlet: %s. The table below gives each month.",
		total, MonthLabel(c.Months[0]), MonthLabel(c.Months[len(c.Months)-1]), strings.Join(parts, ", "))
}

// MonthLabel writes a chart month ("2025-03") as "Mar 2025".
func MonthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 2006")
}
