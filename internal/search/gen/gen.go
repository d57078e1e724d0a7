// Package gen generates a realistic archive for search benchmarks and
// tests: outlets of every camp and kind, and articles in Persian, Arabic
// and English spread over a period, with recurring stories that rise and
// fall in coverage the way news does.
//
// Persian text is modelled on real Persian news when the Targoman corpus
// (../shared/testdata/corpora/targoman-persian-news, LGPL) is present: a
// word-bigram model is trained on it at run time, so no sentence of it is
// copied into the project or stored anywhere but the benchmark database.
// Without it, and for Arabic and English, the model is trained on a small
// sample of sentences written for this package.
package gen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
)

// Config shapes a generated archive.
type Config struct {
	Outlets int       // default 60
	Start   time.Time // first day; default 2024-01-01
	Days    int       // default 730 (two years)
	Seed    uint64
	// PersianDir is the Targoman corpus folder; when it is missing the
	// built-in sample is used.
	PersianDir string
}

// Article is a generated article; Outlet indexes Generator.Outlets.
type Article struct {
	Outlet    int
	URL       string
	Title     string
	Text      string
	Lang      string
	Published time.Time
}

// Generator produces the same archive for the same Config.
type Generator struct {
	cfg     Config
	outlets []outlets.Outlet
	models  map[string]*model
	// PersianSource says what the Persian model was trained on.
	PersianSource string
}

// New builds a generator; it reads the Persian corpus if cfg names one.
func New(cfg Config) (*Generator, error) {
	if cfg.Outlets <= 0 {
		cfg.Outlets = 60
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if cfg.Days <= 0 {
		cfg.Days = 730
	}
	g := &Generator{cfg: cfg, models: map[string]*model{}}
	fa, n, err := persianSentences(cfg.PersianDir)
	if err != nil {
		return nil, err
	}
	g.PersianSource = "built-in sample"
	if n > 0 {
		g.PersianSource = fmt.Sprintf("Targoman Persian news corpus (%d articles, read at run time)", n)
	} else {
		fa = builtinPersian
	}
	g.models["fa"] = train(fa)
	g.models["ar"] = train(builtinArabic)
	g.models["en"] = train(builtinEnglish)
	g.outlets = makeOutlets(cfg.Outlets)
	return g, nil
}

// Outlets returns the generated roster.
func (g *Generator) Outlets() []outlets.Outlet { return g.outlets }

var (
	orientations = []string{"hard-line", "reformist", "principlist", "moderate", "IRGC-affiliated", "state-run", "independent"}
	kinds        = []outlets.Kind{outlets.Newspaper, outlets.NewsAgency, outlets.Website, outlets.TV, outlets.Telegram}
)

// makeOutlets builds n outlets: three in four Persian, the rest split
// between Arabic and English, as on an Iran desk.
func makeOutlets(n int) []outlets.Outlet {
	out := make([]outlets.Outlet, n)
	for i := range out {
		lang := "fa"
		switch {
		case i%8 == 6:
			lang = "ar"
		case i%8 == 7:
			lang = "en"
		}
		out[i] = outlets.Outlet{
			Key:         fmt.Sprintf("outlet-%02d", i+1),
			Name:        fmt.Sprintf("Outlet %02d", i+1),
			Kind:        kinds[i%len(kinds)],
			Language:    lang,
			Orientation: orientations[i%len(orientations)],
		}
	}
	return out
}

// Article returns article i (0-based) of the archive; it depends only on
// the Config and i, so archives can be generated in parallel or resumed.
func (g *Generator) Article(i int) Article {
	r := rand.New(rand.NewPCG(g.cfg.Seed, uint64(i)))
	// Larger outlets publish more: pick by a skewed distribution.
	o := int(float64(len(g.outlets)) * r.Float64() * r.Float64())
	lang := g.outlets[o].Language
	m := g.models[lang]
	day := r.IntN(g.cfg.Days)
	published := g.cfg.Start.AddDate(0, 0, day).Add(time.Duration(r.IntN(86400)) * time.Second)
	var body []string
	for range 6 + r.IntN(14) {
		body = append(body, m.sentence(r, 8+r.IntN(18)))
	}
	title := m.sentence(r, 6+r.IntN(8))
	// A story in the news on this day lends the article its words.
	for _, s := range stories {
		if s.active(day, g.cfg.Days) && r.Float64() < s.share {
			line := s.lines[lang][r.IntN(len(s.lines[lang]))]
			body[r.IntN(len(body))] = line
			if r.IntN(3) == 0 {
				title = line
			}
		}
	}
	return Article{
		Outlet:    o,
		URL:       fmt.Sprintf("https://%s.example/%d", g.outlets[o].Key, i+1),
		Title:     strings.TrimSuffix(title, "."),
		Text:      strings.Join(body, " "),
		Lang:      lang,
		Published: published,
	}
}

// persianSentences reads the sentences of the Targoman corpus: titles,
// leads and paragraphs of every article file under dir.
func persianSentences(dir string) ([]string, int, error) {
	if dir == "" {
		return nil, 0, nil
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil, 0, nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*", "*.json"))
	if err != nil {
		return nil, 0, err
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		var a struct {
			Title, Subtitle, Summary string
			Content                  []struct{ Text string }
		}
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, a.Title, a.Subtitle, a.Summary)
		for _, p := range a.Content {
			out = append(out, splitSentences(p.Text)...)
		}
	}
	return out, len(files), nil
}

func splitSentences(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '؟' || r == '!' || r == '\n' })
}
