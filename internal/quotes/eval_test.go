package quotes

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/pressreview/pressreview/internal/sharedtest"
	"github.com/pressreview/pressreview/internal/text"
)

// The evaluation reads text that may not be copied into the project (see
// ../shared/testdata/README.md): it skips when ../shared is absent.
var sharedData, _ = sharedtest.Path("testdata")

func sharedDir(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(sharedData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent: %v", p, err)
	}
	return p
}

// goldQuote is one annotated quotation; paragraphs 1-based, offsets in code
// points of the paragraph.
type goldQuote struct {
	doc                   string
	paragraph, start, end int
	kind, speaker         string
	speakerSpan           *Span // English: the Source span
}

// doc is one evaluated article.
type doc struct {
	name  string
	paras []string
	gold  []goldQuote
}

// heldOut reports whether a Persian article belongs to the third that was
// held out (by the FNV-1a hash of its file name) until 2026-12-05, when its
// errors were read and rules written from them: since then it is a second
// development split ("fa dev-2"). The held-out measure is unseen7Docs.
func heldOut(name string) bool {
	h := fnv.New32a()
	h.Write([]byte(strings.TrimSuffix(filepath.Base(name), ".json")))
	return h.Sum32()%3 == 0
}

// persianParagraphs is the article body the gold refers to: the content
// items of type p and h2–h4, each split with Paragraphs.
func persianParagraphs(a sharedtest.Article) []string {
	var out []string
	for _, c := range a.Content {
		switch c.Type {
		case "p", "h2", "h3", "h4":
			out = append(out, Paragraphs(c.Text)...)
		}
	}
	return out
}

// readTSV returns the fields of the non-comment lines of a gold file.
func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			rows = append(rows, strings.Split(l, "\t"))
		}
	}
	return rows
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func persianDocs(t *testing.T) (dev, test []doc) {
	for _, d := range persianCorpus(t, "corpora/targoman-persian-news", "testdata/gold/fa.tsv") {
		if heldOut(d.name) {
			test = append(test, d)
		} else {
			dev = append(dev, d)
		}
	}
	return dev, test
}

// unseenDocs is the Targoman set that was held out in the third round
// (fa-unseen.tsv, annotated before the finder first ran on it). On
// 2026-12-05, after unseen2Docs was built and measured, its errors were read
// and rules written from them: it is the development split "fa dev-3" now.
func unseenDocs(t *testing.T) []doc {
	return persianCorpus(t, "corpora/targoman-persian-news-unseen", "testdata/gold/fa-unseen.tsv")
}

// unseen2Docs is the second Persian held-out set (2026-12-05, round 4):
// twenty FarsNews articles of another outlet, years and spelling (Arabic
// yeh and kaf, Latin digits), chosen by a rule fixed before reading them
// and annotated (fa-unseen-2.tsv) before the finder was first run on them.
// In round 5, after unseen3Docs was built and measured, its errors were
// read and rules written from them: it is the development set "fa dev-4".
func unseen2Docs(t *testing.T) []doc {
	return persianCorpus(t, "corpora/farsnews-unseen", "testdata/gold/fa-unseen-2.tsv")
}

// unseen3Docs is the third Persian held-out set (2026-12-05, round 5): the
// next twenty FarsNews articles under fa unseen-2's selection rule (hash
// ranks 21–40), annotated (fa-unseen-3.tsv) before the finder was first run
// on them. In round 6, after unseen4Docs was built and measured, its errors
// were read and rules written from them: it is the development set "fa dev-5".
func unseen3Docs(t *testing.T) []doc {
	return persianCorpus(t, "corpora/farsnews-unseen-3", "testdata/gold/fa-unseen-3.tsv")
}

// unseen4Docs is the fourth Persian held-out set (2026-12-05, round 6): the
// FarsNews articles of hash ranks 41–60 under fa unseen-2's selection rule
// (MirasText, the other outlets' corpus meant for this round, has no sample
// text in its repository), annotated (fa-unseen-4.tsv) before the finder was
// first run on them. In round 8 its errors were read, with every other
// set's, and the antecedent rules written from them: it is the development
// set "fa dev-7".
func unseen4Docs(t *testing.T) []doc {
	return persianCorpus(t, "corpora/farsnews-unseen-4", "testdata/gold/fa-unseen-4.tsv")
}

// unseen5Docs is one more Persian held-out set (2026-12-05, after round 6):
// FarsNews hash ranks 61–80 under the same selection rule, annotated
// (fa-unseen-5.tsv) before the finder was first run on them and measured on
// the code of round 6 with no rule changed. In round 7, after unseen6Docs was
// built and measured, its errors were read and rules written from them: it
// is the development set "fa dev-6".
func unseen5Docs(t *testing.T) []doc {
	return persianCorpus(t, "corpora/farsnews-unseen-5", "testdata/gold/fa-unseen-5.tsv")
}

// unseen6Docs is the held-out Persian set of round 7 (2026-12-05): FarsNews
// hash ranks 81–100 under the same selection rule, annotated
// (fa-unseen-6.tsv) before the finder was first run on them, measured once
// on the code of round 6 and once on the final code of round 7. In round 8
// its errors were read with every other set's: it is the development set
// "fa dev-8".
func unseen6Docs(t *testing.T) []doc {
	return persianCorpus(t, "corpora/farsnews-unseen-6", "testdata/gold/fa-unseen-6.tsv")
}

// unseen7Docs is the held-out Persian set of round 8 (2026-12-05): FarsNews
// hash ranks 101–120 under the same selection rule (reconstructed in round
// 8, see the folder's README), annotated (fa-unseen-7.tsv) after round 8's
// rules were written and before the finder was first run on them. Its
// errors are never printed (showDetail).
func unseen7Docs(t *testing.T) []doc {
	return persianCorpus(t, "corpora/farsnews-unseen-7", "testdata/gold/fa-unseen-7.tsv")
}

// persianCorpus reads the articles with a body under a folder of
// ../shared/testdata and their gold.
func persianCorpus(t *testing.T, rel, gold string) []doc {
	root := sharedDir(t, rel)
	byName := map[string][]goldQuote{}
	for _, r := range readTSV(t, gold) {
		byName[r[0]] = append(byName[r[0]], goldQuote{doc: r[0], paragraph: atoi(t, r[1]), start: atoi(t, r[2]), end: atoi(t, r[3]), kind: r[4], speaker: r[5]})
	}
	arts, err := sharedtest.Articles(root)
	if err != nil {
		t.Fatal(err)
	}
	var docs []doc
	for _, a := range arts {
		name, paras := a.Rel, persianParagraphs(a)
		if len(paras) == 0 {
			continue // six Alef files hold no body text
		}
		d := doc{name: name, paras: paras, gold: byName[name]}
		checkGold(t, d)
		docs = append(docs, d)
		delete(byName, name)
	}
	for name := range byName {
		t.Fatalf("%s: gold for %s, which is not an article with a body in %s", gold, name, root)
	}
	return docs
}

// showDetail says whether to log every miss (QUOTES_EVAL_DETAIL=1, with -v)
// or every boundary error too (=2). Never on a set whose name says
// "unseen" (fa unseen-7): its errors stay unread so that its figures
// remain a measure of unseen text.
func showDetail(t *testing.T, boundaries bool) bool {
	if !testing.Verbose() || strings.Contains(t.Name(), "unseen") {
		return false
	}
	if boundaries {
		return os.Getenv("QUOTES_EVAL_DETAIL") == "2"
	}
	return os.Getenv("QUOTES_EVAL_DETAIL") != ""
}

// checkGold makes sure every annotation still points into its article.
func checkGold(t *testing.T, d doc) {
	t.Helper()
	for _, g := range d.gold {
		if g.paragraph < 1 || g.paragraph > len(d.paras) || g.end > len([]rune(d.paras[g.paragraph-1])) || g.start >= g.end {
			t.Fatalf("%s: gold quote ¶%d %d–%d is outside the text", d.name, g.paragraph, g.start, g.end)
		}
	}
}

func arabicDocs(t *testing.T) []doc {
	path := filepath.Join(sharedDir(t, "extraction/arabic-news/cnn-arabic-syria-clashes"), "expected.txt")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := doc{name: "cnn-arabic-syria-clashes", paras: Paragraphs(string(data))}
	for _, r := range readTSV(t, "testdata/gold/ar.tsv") {
		d.gold = append(d.gold, goldQuote{doc: d.name, paragraph: atoi(t, r[0]), start: atoi(t, r[1]), end: atoi(t, r[2]), kind: r[3], speaker: r[4]})
	}
	checkGold(t, d)
	return []doc{d}
}

// polnearDocs reads the PolNeAR sample: one annotator's file per article
// (the first by name), every attribution's content as a gold quotation, its
// source as the speaker. Each fragment of a discontinuous content span
// ("…," he said, "…") is a gold quotation of its own.
func polnearDocs(t *testing.T) []doc {
	root := sharedDir(t, "quotes/polnear-dev-sample")
	texts, _ := filepath.Glob(filepath.Join(root, "text", "*.txt"))
	sort.Strings(texts)
	var docs []doc
	for _, tp := range texts {
		base := strings.TrimSuffix(filepath.Base(tp), ".txt")
		anns, _ := filepath.Glob(filepath.Join(root, "attributions", base+"_*.ann"))
		if len(anns) == 0 {
			continue
		}
		sort.Strings(anns)
		data, err := os.ReadFile(tp)
		if err != nil {
			t.Fatal(err)
		}
		paras, locate := paragraphIndex(string(data))
		d := doc{name: base, paras: paras}
		spans := map[string][][2]int{}
		for _, r := range readTSV(t, anns[0]) {
			if len(r) < 2 || !strings.HasPrefix(r[0], "T") {
				continue
			}
			_, offs, _ := strings.Cut(r[1], " ")
			for _, frag := range strings.Split(offs, ";") {
				f := strings.Fields(frag)
				if len(f) == 2 {
					spans[r[0]] = append(spans[r[0]], [2]int{atoi(t, f[0]), atoi(t, f[1])})
				}
			}
		}
		for _, r := range readTSV(t, anns[0]) {
			if !strings.HasPrefix(r[0], "E") || len(r) < 2 {
				continue
			}
			var content, source string
			for _, f := range strings.Fields(r[1]) {
				k, v, _ := strings.Cut(f, ":")
				switch k {
				case "Content":
					content = v
				case "Source":
					source = v
				}
			}
			var speaker string
			var speakerSpan *Span
			if ss := spans[source]; len(ss) > 0 {
				if sp, s0, e0, ok := locate(ss[0][0], ss[0][1]); ok {
					speakerSpan = &Span{Paragraph: sp, Start: s0, End: e0}
					speaker = string([]rune(paras[sp-1])[s0:e0])
				}
			}
			for _, cs := range spans[content] {
				p, s, e, ok := locate(cs[0], cs[1])
				if !ok {
					continue // a fragment across paragraphs (a handful in the sample)
				}
				kind := "?" // PolNeAR does not tell direct from indirect
				if strings.ContainsAny(string([]rune(paras[p-1])[s:e]), "\"“”") {
					kind = Direct // in quotation marks
				}
				if s, e = trimToWords(paras[p-1], s, e); s < e {
					d.gold = append(d.gold, goldQuote{doc: base, paragraph: p, start: s, end: e, kind: kind, speaker: speaker, speakerSpan: speakerSpan})
				}
			}
		}
		docs = append(docs, d)
	}
	return docs
}

// paragraphIndex splits a document as Paragraphs does and returns a
// function that maps document code-point offsets to a paragraph (1-based)
// and offsets inside it.
func paragraphIndex(s string) ([]string, func(start, end int) (int, int, int, bool)) {
	type line struct{ from, to int }
	var paras []string
	var lines []line
	off := 0
	for l := range strings.Lines(s) {
		rs := []rune(l)
		a, b := 0, len(rs)
		for a < b && unicode.IsSpace(rs[a]) {
			a++
		}
		for b > a && unicode.IsSpace(rs[b-1]) {
			b--
		}
		if a < b {
			paras = append(paras, string(rs[a:b]))
			lines = append(lines, line{off + a, off + b})
		}
		off += len(rs)
	}
	return paras, func(start, end int) (int, int, int, bool) {
		for i, l := range lines {
			if start >= l.from && start < l.to {
				if end > l.to {
					return 0, 0, 0, false
				}
				return i + 1, start - l.from, end - l.from, true
			}
		}
		return 0, 0, 0, false
	}
}

// trimToWords narrows [s, e) to its first and last letter or digit, as the
// finder's spans are: quotation marks and the final full stop do not count.
func trimToWords(p string, s, e int) (int, int) {
	rs := []rune(p)
	isW := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
	for s < e && !isW(rs[s]) {
		s++
	}
	for e > s && !isW(rs[e-1]) {
		e--
	}
	return s, e
}

// score holds the counts behind one row of the table.
type score struct {
	gold, pred                   int
	exactP, exactR, overP, overR int // predictions / gold quotes matched
	speakerOK, speakerN          int
	// Citron's overlap measure counts tokens: predicted words inside a
	// gold span, gold words inside a predicted span.
	tokPred, tokPredOK, tokGold, tokGoldOK int
	errors                                 map[string]int
	rules                                  map[string][2]int // candidates by rule: all, overlapping a gold quotation
}

func (s *score) add(o score) {
	s.gold += o.gold
	s.pred += o.pred
	s.exactP += o.exactP
	s.exactR += o.exactR
	s.overP += o.overP
	s.overR += o.overR
	s.speakerOK += o.speakerOK
	s.speakerN += o.speakerN
	s.tokPred += o.tokPred
	s.tokPredOK += o.tokPredOK
	s.tokGold += o.tokGold
	s.tokGoldOK += o.tokGoldOK
	if s.errors == nil {
		s.errors = map[string]int{}
	}
	for k, v := range o.errors {
		s.errors[k] += v
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// evaluate scores the finder on docs with Citron's measures: a predicted
// quotation is exact when its content span is the gold span (both trimmed
// to words); overlap precision is the share of predicted words that lie in
// a gold span and overlap recall the share of gold words that lie in a
// predicted one (Citron's scripts/evaluate). The table also gives the
// coarser span count: a prediction is right when it shares a word with a
// gold quotation ("any"). Speaker accuracy
// is over gold quotations found (overlap): the predicted speaker is right
// when its span overlaps the gold speaker's, or when one name contains the
// other after normalization (the resolved name of a pronoun counts).
//
// With quoted, only quotations in quotation marks count (see quoting).
func evaluate(t *testing.T, docs []doc, lang string, quoted quoting) score {
	t.Helper()
	sc := score{errors: map[string]int{}, rules: map[string][2]int{}}
	for _, d := range docs {
		cs, err := Find(d.paras, lang)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		if quoted != allQuotes {
			// The same test on both sides: a gold fragment counts when it
			// holds a quotation mark (PolNeAR does not tell direct from
			// indirect), so a prediction counts when it is direct or its
			// words hold one (a mixed quotation: said it was "a mistake").
			// directOnly keeps the first measure, which dropped the mixed
			// ones on the prediction side only.
			cs = slices.DeleteFunc(cs, func(c Candidate) bool {
				return c.Kind != Direct && (quoted == directOnly || !strings.ContainsAny(c.Text, "\"“”"))
			})
			d.gold = slices.DeleteFunc(slices.Clone(d.gold), func(g goldQuote) bool { return g.kind != Direct })
		}
		sc.gold += len(d.gold)
		sc.pred += len(cs)
		for pi, para := range d.paras {
			for _, w := range wordSpans(para) {
				inPred, inGold := false, false
				for _, c := range cs {
					if c.Paragraph == pi+1 && c.Start <= w[0] && w[1] <= c.End {
						inPred = true
					}
				}
				for _, g := range d.gold {
					if g.paragraph == pi+1 && g.start <= w[0] && w[1] <= g.end {
						inGold = true
					}
				}
				if inPred {
					sc.tokPred++
					if inGold {
						sc.tokPredOK++
					}
				}
				if inGold {
					sc.tokGold++
					if inPred {
						sc.tokGoldOK++
					}
				}
			}
		}
		for _, c := range cs {
			exact, over := false, false
			for _, g := range d.gold {
				if g.paragraph == c.Paragraph && g.start < c.End && c.Start < g.end {
					over = true
					exact = exact || g.start == c.Start && g.end == c.End
				}
			}
			if exact {
				sc.exactP++
			}
			r := sc.rules[c.Rule]
			r[0]++
			if over {
				r[1]++
			}
			sc.rules[c.Rule] = r
			if over {
				sc.overP++
			} else {
				sc.errors["spurious "+c.Kind]++
				if showDetail(t, false) {
					t.Logf("spurious %s ¶%d %q", d.name, c.Paragraph, c.Text)
				}
			}
		}
		for _, g := range d.gold {
			var best *Candidate
			bestOv := 0
			exact := false
			for i := range cs {
				c := &cs[i]
				if c.Paragraph != g.paragraph {
					continue
				}
				if ov := min(c.End, g.end) - max(c.Start, g.start); ov > bestOv {
					best, bestOv = c, ov
				}
				exact = exact || c.Start == g.start && c.End == g.end
			}
			if exact {
				sc.exactR++
			}
			if best == nil {
				sc.errors["missed "+g.kind]++
				if showDetail(t, false) {
					rs := []rune(d.paras[g.paragraph-1])
					t.Logf("missed %s ¶%d %d–%d %s %q", d.name, g.paragraph, g.start, g.end, g.kind, string(rs[g.start:g.end]))
				}
				continue
			}
			sc.overR++
			if !exact {
				sc.errors["boundary"]++
				if showDetail(t, true) {
					rs := []rune(d.paras[g.paragraph-1])
					t.Logf("boundary %s ¶%d\n gold %q\n got  %q", d.name, g.paragraph, string(rs[g.start:g.end]), best.Text)
				}
			}
			if g.speaker == "" && g.speakerSpan == nil {
				continue
			}
			sc.speakerN++
			if speakerMatches(g, best) {
				sc.speakerOK++
			} else {
				sc.errors["wrong speaker"]++
				if showDetail(t, false) {
					sp := ""
					if best.Speaker != nil {
						sp = best.Speaker.Text
					}
					t.Logf("speaker %s ¶%d want %q got %q (%q)", d.name, g.paragraph, g.speaker, best.SpeakerResolved, sp)
				}
			}
		}
	}
	return sc
}

// wordSpans returns the words of a paragraph as code-point offsets.
func wordSpans(p string) [][2]int {
	var out [][2]int
	start, i := -1, 0
	for _, r := range p {
		w := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '\u200c'
		switch {
		case w && start < 0:
			start = i
		case !w && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
		i++
	}
	if start >= 0 {
		out = append(out, [2]int{start, i})
	}
	return out
}

func speakerMatches(g goldQuote, c *Candidate) bool {
	if g.speakerSpan != nil && c.Speaker != nil && c.Speaker.Paragraph == g.speakerSpan.Paragraph &&
		c.Speaker.Start < g.speakerSpan.End && g.speakerSpan.Start < c.Speaker.End {
		return true
	}
	// Compared without spaces: the normalizer deletes the half-space, so
	// مسیب‌زاده becomes one word where a gold name typed مسیب زاده is two.
	want := strings.ReplaceAll(text.Normalize(g.speaker), " ", "")
	for _, got := range []string{c.SpeakerResolved, spanText(c.Speaker)} {
		got = strings.ReplaceAll(text.Normalize(got), " ", "")
		if got != "" && want != "" && (strings.Contains(got, want) || strings.Contains(want, got)) {
			return true
		}
	}
	return false
}

func spanText(s *Span) string {
	if s == nil {
		return ""
	}
	return s.Text
}

// TestEvaluate prints the table of docs/quotes.md:
//
//	go test ./internal/quotes -run TestEvaluate -v
//
// (QUOTES_EVAL_DETAIL=1 lists every miss, spurious candidate and wrong
// speaker.) It fails when a figure drops below the floor recorded here, so
// that a rule change that costs quality is noticed.
// quoting selects the quotations an evaluation counts.
type quoting int

const (
	allQuotes  quoting = iota
	marked             // gold and predictions holding a quotation mark, and direct predictions
	directOnly         // gold holding a quotation mark, direct predictions only (the first measure)
)

func TestEvaluate(t *testing.T) {
	type row struct {
		name   string
		lang   string
		docs   func(*testing.T) []doc
		floor  [3]float64 // overlap precision, overlap recall, speaker accuracy
		quoted quoting
	}
	rows := []row{
		{"fa dev", "fa", func(t *testing.T) []doc { d, _ := persianDocs(t); return d }, [3]float64{0.95, 0.92, 0.93}, allQuotes},
		{"fa dev-2", "fa", func(t *testing.T) []doc { _, d := persianDocs(t); return d }, [3]float64{0.95, 0.94, 0.95}, allQuotes},
		{"fa dev-3", "fa", unseenDocs, [3]float64{0.95, 0.87, 0.93}, allQuotes},
		{"fa dev-4", "fa", unseen2Docs, [3]float64{0.97, 0.95, 0.94}, allQuotes},
		{"fa dev-5", "fa", unseen3Docs, [3]float64{0.97, 0.85, 0.92}, allQuotes},
		{"fa dev-7", "fa", unseen4Docs, [3]float64{0.97, 0.87, 0.96}, allQuotes},
		{"fa dev-6", "fa", unseen5Docs, [3]float64{0.97, 0.90, 0.95}, allQuotes},
		{"fa dev-8", "fa", unseen6Docs, [3]float64{0.97, 0.94, 0.93}, allQuotes},
		{"fa unseen-7", "fa", unseen7Docs, [3]float64{0.97, 0.78, 0.88}, allQuotes},
		{"ar CNN", "ar", arabicDocs, [3]float64{0.65, 0.65, 0.80}, allQuotes},
		{"en PolNeAR", "en", polnearDocs, [3]float64{0.93, 0.69, 0.88}, allQuotes},
		{"en quoted", "en", polnearDocs, [3]float64{0.93, 0.90, 0.90}, marked},
		{"en q-direct", "en", polnearDocs, [3]float64{0.93, 0.73, 0.93}, directOnly},
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-12s %5s %5s | %5s %5s %5s | %5s %5s %5s | %5s %5s %5s | %8s | errors\n", "set", "gold", "pred", "exP", "exR", "exF1", "ovP", "ovR", "ovF1", "anyP", "anyR", "anyF1", "speaker")
	for _, r := range rows {
		t.Run(strings.ReplaceAll(r.name, " ", "_"), func(t *testing.T) {
			sc := evaluate(t, r.docs(t), r.lang, r.quoted)
			eP, eR := ratio(sc.exactP, sc.pred), ratio(sc.exactR, sc.gold)
			aP, aR := ratio(sc.overP, sc.pred), ratio(sc.overR, sc.gold)
			oP, oR := ratio(sc.tokPredOK, sc.tokPred), ratio(sc.tokGoldOK, sc.tokGold)
			sp := ratio(sc.speakerOK, sc.speakerN)
			var errs []string
			for k, v := range sc.errors {
				errs = append(errs, fmt.Sprintf("%s %d", k, v))
			}
			sort.Strings(errs)
			fmt.Fprintf(&table, "%-12s %5d %5d | %5.2f %5.2f %5.2f | %5.2f %5.2f %5.2f | %5.2f %5.2f %5.2f | %4.2f/%-3d | %s\n",
				r.name, sc.gold, sc.pred, eP, eR, f1(eP, eR), oP, oR, f1(oP, oR), aP, aR, f1(aP, aR), sp, sc.speakerN, strings.Join(errs, ", "))
			var rules []string
			for k, v := range sc.rules {
				rules = append(rules, fmt.Sprintf("%s %d/%d", k, v[1], v[0]))
			}
			sort.Strings(rules)
			fmt.Fprintf(&table, "%-12s   right/found by rule: %s\n", "", strings.Join(rules, ", "))
			if oP < r.floor[0] || oR < r.floor[1] || sp < r.floor[2] {
				t.Errorf("%s: overlap P %.2f R %.2f speaker %.2f, below the floor %v", r.name, oP, oR, sp, r.floor)
			}
		})
	}
	t.Log(table.String())
}
