package text

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

func TestTokens(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" ،«» ", nil},
		{"کتاب‌های تازه، می رود.", []string{"کتابهای", "تازه", "میرود"}},
		{"در سال ۱۴۰۲ و ٢٦ مهر", []string{"در", "سال", "1402", "و", "26", "مهر"}},
		{"قال المرصدُ السوريّ", []string{"قال", "المرصد", "السوری"}},
		{"Iran’s state-run TV, 3.5%", []string{"iran's", "state", "run", "tv", "3", "5"}},
		{"'quoted' o'brien rock'n'roll", []string{"quoted", "o'brien", "rock'n'roll"}},
		{"F-35 و covid19", []string{"f", "35", "و", "covid19"}},
		{"café ΣΟΦΙΑ", []string{"café", "σοφια"}},
	}
	for _, c := range cases {
		if got := Tokens(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStem(t *testing.T) {
	cases := map[string]string{
		// English: Porter2.
		"sanctions":    "sanction",
		"sanctioned":   "sanction",
		"negotiations": "negoti",
		"negotiating":  "negoti",
		"elections":    "elect",
		"running":      "run",
		"iran's":       "iran",
		"generously":   "generous",
		"news":         "news",
		// English function words are left alone.
		"does": "does",
		"was":  "was",
		// Not English letters only: unchanged.
		"کتابها":  "کتابها",
		"میروند":  "میروند",
		"المرصد":  "المرصد",
		"covid19": "covid19",
		"1402":    "1402",
		"café":    "café",
		"σοφια":   "σοφια",
		"":        "",
	}
	for in, want := range cases {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIndexText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"او به مدرسة می‌رود؛ کتاب ها را می خواند.", "او به مدرسه میرود کتابها را میخواند"},
		{"The sanctions were negotiated in Vienna.", "the sanction were negoti in vienna"},
		{"Iran's «talks» didn't stall", "iran talk didnt stall"},
		{"Rōḥānī in İstanbul", "rohani in istanbul"},
		{"۳٫۵ درصد", "3 5 درصد"},
	}
	for _, c := range cases {
		if got := IndexText(c.in); got != c.want {
			t.Errorf("IndexText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTermsOfCachedOrNot checks that TermsOf gives a text the same terms
// whether its English words are in the stem cache or not (the first call
// stems the words it has not met, the second finds them all cached), and
// the same as stemming each token alone.
func TestTermsOfCachedOrNot(t *testing.T) {
	toks := Tokens("The zyxwvutsrqing of an a negotiators' negotiations, o'zyxwvuts's generously ΣΟΦΙΑ café — کتاب‌های تازه 1402")
	var want []string
	for _, tok := range toks {
		if isEnglishWord(tok) {
			tok = english.Stem(tok, false)
		}
		if term := indexTerm(tok); term != "" {
			want = append(want, term)
		}
	}
	first := TermsOf(toks)
	second := TermsOf(toks)
	if !slices.Equal(first, want) || !slices.Equal(second, want) {
		t.Errorf("TermsOf = %q, then %q; want %q", first, second, want)
	}
}

// TestIndexTextQueries checks the contract with the search index: the
// same words give the same terms however the query spells them.
func TestIndexTextQueries(t *testing.T) {
	groups := [][]string{
		{"کتاب‌ها", "کتابها", "کتاب ها", "كتاب‌ها"},
		{"می‌روند", "می روند", "میروند", "مي‌روند"},
		{"مدرسة", "مدرسه", "مدرسۀ"},
		{"۱۴۰۲", "1402", "١٤٠٢"},
		{"sanctions", "Sanctions", "SANCTION", "sanctioned"},
		{"Iran's", "IRAN’S", "iran"},
		{"Rōḥānī", "rohani", "ROHANI"},
	}
	for _, g := range groups {
		want := IndexText(g[0])
		for _, s := range g[1:] {
			if got := IndexText(s); got != want {
				t.Errorf("IndexText(%q) = %q, want %q as for %q", s, got, want, g[0])
			}
		}
	}
}

// TestIndexTextTerms checks on real news that every index term is a run
// of letters and digits, the promise TestIndexTextSQLiteFTS5 and
// TestIndexTextPostgresSimple rely on.
func TestIndexTextTerms(t *testing.T) {
	texts := []string{persianParagraph()}
	arts, err := sharedtest.LoadTargoman()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		texts = append(texts, a.Title, a.Body())
	}
	if _, ok := sharedtest.Path("testdata/quotes/polnear-dev-sample/text"); ok {
		texts = append(texts, englishArticles(t)...)
	}
	for _, s := range texts {
		idx := IndexText(s)
		for _, term := range strings.Fields(idx) {
			if strings.ContainsFunc(term, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				t.Errorf("index term %q holds a separator", term)
			}
		}
	}
}

// TestPlainTermAndLatinBase: isPlainTerm, which reads Unicode's tables
// only for the blocks that hold marks or Latin letters, and latinBase,
// which reads a table below U+2070, answer as the plain lookups did, for
// every code point alone, between ASCII and Arabic letters, and for
// invalid UTF-8.
func TestPlainTermAndLatinBase(t *testing.T) {
	plain := func(s string) bool {
		for _, r := range s {
			if r < rune(len(runeFlags)) {
				if runeFlags[r]&flagPlainTerm == 0 {
					return false
				}
			} else if unicode.IsMark(r) || unicode.Is(unicode.Latin, r) {
				return false
			}
		}
		return true
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		for _, s := range []string{string(r), "ab" + string(r), "کت" + string(r) + "اب", string(r) + "\xff"} {
			if got, want := isPlainTerm(s), plain(s); got != want {
				t.Fatalf("isPlainTerm(%+q) = %v, want %v", s, got, want)
			}
		}
		if got, want := latinBase(r), decomposedBase(r); got != want {
			t.Fatalf("latinBase(%U) = %U, want %U", r, got, want)
		}
	}
	for _, s := range []string{"", "\xc3", "\xc3(", "a\xe2\x82", "\xf0\x9f\x99", "ab\xd8"} {
		if got, want := isPlainTerm(s), plain(s); got != want {
			t.Fatalf("isPlainTerm(%+q) = %v, want %v", s, got, want)
		}
	}
}
