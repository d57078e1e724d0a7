package text

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// normalizeCases covers each folding rule with real words. They double as
// seeds for FuzzNormalize and inputs for the idempotence test.
var normalizeCases = []struct {
	rule, in, want string
}{
	// Rule 1: NFKC.
	{"presentation forms", "ﻛﺘﺎﺏ", "کتاب"},
	{"lam-alef ligature", "ﻻ", "لا"},
	{"allah ligature", "ﷲ", "الله"},
	{"full-width Latin", "ＩＲＮＡ", "irna"},
	{"no-break space", "تهران\u00A0امروز", "تهران امروز"},

	// Rule 2: case folding.
	{"ASCII", "IRNA Reports", "irna reports"},
	{"sharp s", "Straße", "strasse"},
	{"Greek final sigma", "ΟΔΥΣΣΕΥΣ", "οδυσσευσ"},
	{"Cyrillic", "Иран", "иран"},
	{"Cherokee folds to capitals", "ꭰᏸ Ꭰ", "ᎠᏰ Ꭰ"},
	{"dotted capital I", "İran", "i\u0307ran"},

	// Rule 3: letters.
	{"Arabic yeh", "علي", "علی"},
	{"alef maksura", "مصطفى", "مصطفی"},
	{"Arabic kaf", "كتاب", "کتاب"},
	{"yeh and kaf", "كريمي", "کریمی"},
	{"teh marbuta", "مدرسة", "مدرسه"},
	{"heh with yeh above", "خانۀ", "خانه"},
	{"heh and hamza mark", "خانهٔ", "خانه"},
	{"heh doachashmee", "ھمه", "همه"},
	{"heh goal", "شاہ", "شاه"},
	{"ae", "ئەو", "ئهو"},
	{"alef hamza above", "أحمد", "احمد"},
	{"alef hamza below", "إسلام", "اسلام"},
	{"alef madda", "آمریکا", "امریکا"},
	{"alef wasla", "ٱلله", "الله"},
	{"hamza on yeh kept", "رئیس", "رئیس"},
	{"hamza on waw kept", "مؤسسه", "مؤسسه"},

	// Rule 4: removed characters.
	{"harakat", "مُحَمَّد", "محمد"},
	{"tanween", "فعلاً", "فعلا"},
	{"superscript alef", "هٰذا", "هذا"},
	{"Quranic mark", "الرَّحِيمِ ۝", "الرحیم"},
	{"small high seen", "مِنْۜ", "من"},
	{"tatweel", "بـــزرگ", "بزرگ"},
	{"ZWJ", "سلا\u200Dم", "سلام"},
	{"LRM and RLM", "\u200Eتهران\u200F", "تهران"},
	{"ALM", "\u061Cخبر", "خبر"},
	{"bidi embedding", "\u202Bخبر\u202C", "خبر"},
	{"bidi isolate", "\u2067خبر\u2069 fa", "خبر fa"},
	{"BOM", "\uFEFFسلام", "سلام"},
	{"soft hyphen", "inter\u00ADnational", "international"},
	{"zero-width space", "خبر\u200Bگزار", "خبرگزار"},
	{"control", "a\x00b\x7Fc", "abc"},

	// Rule 5: digits.
	{"Persian digits", "۱۴۰۲", "1402"},
	{"Arabic-Indic digits", "٢٦ مهر", "26 مهر"},
	{"decimal separator and percent", "۳٫۵٪", "3.5%"},
	{"thousands separator", "۱٬۰۰۰", "1,000"},

	// Rule 6: punctuation.
	{"guillemets", "«ایران»", `"ایران"`},
	{"double quotes", "“Iran” „x‟", `"iran" "x"`},
	{"single quotes", "‘Iran’ ‹x› ‚y‛", "'iran' 'x' 'y'"},
	{"apostrophe", "Iran’s", "iran's"},
	{"Arabic punctuation", "سلام، دنیا؛ چرا؟", "سلام, دنیا; چرا?"},
	{"Arabic full stop", "پایان۔", "پایان."},

	// Rule 7: white space.
	{"collapse and trim", "  الف\t\n ب\u2003ج\r\n  د ", "الف ب ج د"},
	{"only space", " \u200C\t ", ""},
	{"empty", "", ""},

	// Rule 8: half-spaces.
	{"mi ZWNJ", "می‌رود", "میرود"},
	{"mi space", "می رود", "میرود"},
	{"mi joined", "میرود", "میرود"},
	{"nemi space", "نمی خواهد", "نمیخواهد"},
	{"nemi ZWNJ and space", "نمی‌ خواهد", "نمیخواهد"},
	{"preverb bar", "برمی گردد", "برمیگردد"},
	{"preverb baz", "بازنمی‌گردد", "بازنمیگردد"},
	{"mi before digit", "می 2", "می 2"},
	{"mi before Latin", "می iran", "می iran"},
	{"mi as part of a word", "کمی رود", "کمی رود"},
	{"mi after quote", "«می» رود", `"می" رود`},
	{"plural ZWNJ", "کتاب‌ها", "کتابها"},
	{"plural space", "کتاب ها", "کتابها"},
	{"plural before comma", "کتاب ها، دفتر ها", "کتابها, دفترها"},
	{"plural ezafe", "کتاب های تازه", "کتابهای تازه"},
	{"plural possessive", "کتاب هایشان", "کتابهایشان"},
	{"superlative", "مهم ترین", "مهمترین"},
	{"superlative ZWNJ", "بزرگ‌ترین", "بزرگترین"},
	{"suffix after digit", "2 ها", "2 ها"},
	{"suffix after punctuation", "کتاب، ها", "کتاب, ها"},
	{"chained joins", "می رود ها", "میرودها"},
	{"vocative kept", "ای ایران", "ای ایران"},
	{"indefinite ZWNJ", "خانه‌ای", "خانهای"},
	{"indefinite space", "خانه ای", "خانهای"},
	{"clitic ZWNJ", "رفته‌اند", "رفتهاند"},
	{"compound ZWNJ", "فیلم‌ساز", "فیلمساز"},
	{"Arabic text", "مي زيادة", "میزیاده"},

	// Everything at once.
	{"sentence", "رئيس‌جمهور در سال ۱۴۰۲ گفت: «ما  نمي‌خواهيم…»", `رئیسجمهور در سال 1402 گفت: "ما نمیخواهیم..."`},
}

func TestNormalizeRules(t *testing.T) {
	for _, c := range normalizeCases {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", c.rule, c.in, got, c.want)
		}
	}
}

// TestNormalizeEquivalents checks that the spellings of one word used in
// the Iranian and Arabic press normalize alike.
func TestNormalizeEquivalents(t *testing.T) {
	groups := [][]string{
		{"ي", "ی", "ى"},
		{"ك", "ک"},
		{"مدرسة", "مدرسه", "مدرسۀ", "مدرسهٔ"},
		{"مُحَمَّد", "محمد", "مـحـمـد"},
		{"۱۴۰۲", "1402", "١٤٠٢"},
		{"می‌رود", "می رود", "میرود", "مي‌رود", "مي رود"},
		{"نمی‌توانند", "نمی توانند", "نمیتوانند"},
		{"کتاب‌ها", "کتابها", "کتاب ها", "كتاب‌ها", "کتاب\u200C ها"},
		{"کشورهای", "کشور‌های", "کشور های"},
		{"آمریکا", "امریکا", "أمريكا"},
		{"«گفت»", `"گفت"`, "“گفت”"},
		{"ایران، عراق؛", "ایران, عراق;"},
		{"Iran's", "IRAN’S", "iran's"},
	}
	for _, g := range groups {
		want := Normalize(g[0])
		for _, s := range g[1:] {
			if got := Normalize(s); got != want {
				t.Errorf("Normalize(%q) = %q, want %q as for %q", s, got, want, g[0])
			}
		}
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	inputs := []string{
		"ᄀ\u064Bᅡ",            // a Hangul pair that composes once the mark is gone
		"e\u0640\u0301",       // an accent that reaches its letter once tatweel is gone
		"ǰ ΐ ᾳ",               // letters that case folding decomposes
		"A\u200C\u0301",       // ZWNJ between a letter and its accent
		"می \u200C می رود ها", // joins that feed each other
		"\xff\xfeinvalid\xc3",
	}
	for _, c := range normalizeCases {
		inputs = append(inputs, c.in)
	}
	arts, err := sharedtest.LoadTargoman()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		inputs = append(inputs, a.Title, a.Subtitle, a.Body())
	}
	for _, s := range inputs {
		checkNormalized(t, s)
	}
}

// TestNormalizeIdempotentMixed feeds Normalize random strings over the
// characters its rules treat specially, mixed with the ones that interact
// with NFKC and case folding; the fuzzer explores further from the seeds.
func TestNormalizeIdempotentMixed(t *testing.T) {
	alphabet := []rune("ایکهمنرو ی ي ى ك ة ۀ ه\u0654\u0653 أ إ آ ٱ \u064B\u064E\u0651\u0670\u06D6\u0640" +
		"\u200C\u200D\u200E\u202B\u2067\uFEFF\u00AD ۱٢3 ٫٬ «»“”‘’،؛؟ \t\n\u00A0\u2003" +
		"AaZßΣςΐǰİ\u0301\u0308\u0345각\u1100\u1161ꭰᏸ ﻛﺎﻻﷲＡ")
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 20000 {
		b.Reset()
		for range rng.IntN(12) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		checkNormalized(t, b.String())
	}
}

// checkNormalized checks the invariants of Normalize on one input.
func checkNormalized(t *testing.T, s string) {
	t.Helper()
	n := Normalize(s)
	if !utf8.ValidString(n) {
		t.Fatalf("Normalize(%q) = %q, not valid UTF-8", s, n)
	}
	if nn := Normalize(n); nn != n {
		t.Fatalf("Normalize is not idempotent on %q:\n once  %q\n twice %q", s, n, nn)
	}
	if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
		t.Fatalf("Normalize(%q) = %q: stray space", s, n)
	}
}

// TestNormalizeCorpus runs real Persian news through Normalize, then a
// copy of it retyped the way other outlets and keyboards write it.
func TestNormalizeCorpus(t *testing.T) {
	arts := sharedtest.TargomanArticles(t)
	retype := strings.NewReplacer(
		"ی", "ي", "ک", "ك", "ه ", "ة ", // Arabic keyboard
		"۰", "٠", "۱", "١", "۲", "٢", "۳", "٣", "۴", "٤", // Arabic-Indic digits
		"۵", "٥", "۶", "٦", "۷", "٧", "۸", "٨", "۹", "٩",
		"«", "“", "»", "”", "،", ",", // Western punctuation
		"\u200C", "", // no half-spaces at all
	)
	for _, a := range arts {
		body := a.Body()
		n := Normalize(body)
		if strings.ContainsAny(n, "\u200Cيكةۀ۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩«»،") {
			t.Errorf("%s: unfolded characters left in %.200q", a.Rel, n)
		}
		// Dropping every ZWNJ and retyping must give the text that
		// Normalize gives, except where the retyping changes letters
		// Normalize keeps apart (a final heh before a space becomes ة,
		// which Normalize folds back to ه).
		if got := Normalize(retype.Replace(body)); got != n {
			t.Errorf("%s: retyped article normalizes differently", a.Rel)
		}
	}
}

func TestNormalizeAllocs(t *testing.T) {
	s := persianParagraph()
	if n := testing.AllocsPerRun(20, func() { Normalize(s) }); n > 1 {
		t.Errorf("Normalize of a Persian paragraph allocates %v times, want at most 1", n)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, c := range normalizeCases {
		f.Add(c.in)
	}
	f.Add("ᄀ\u064Bᅡ")
	f.Add("\xff\xfe")
	f.Fuzz(checkNormalized)
}

// TestNFKCBySegments checks that nfkc, which normalizes only the stretches
// around unstable characters, gives what NFKC of the whole text gives.
func TestNFKCBySegments(t *testing.T) {
	inputs := []string{"", "a", "e\u0301", "\u0301x", "가각", "x…y\u00A0z", "ﻛﺘﺎﺏ ﷲ", "A\u030A\u0301Å", "ΐ\u0345", "Ｉ\uFEFF\u200C"}
	alphabet := []rune("aeÅﻛﺎﻻﷲＡ…\u00A0\u0301\u0308\u0345\u064B\u0654\u0653اکی 각각ǰ\u030C\u2126\u212B")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	arts, err := sharedtest.LoadTargoman()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		inputs = append(inputs, a.Title, a.Body())
	}
	for _, s := range inputs {
		if got, want := nfkc(s), norm.NFKC.String(s); got != want {
			t.Fatalf("nfkc(%q) = %q, want %q", s, got, want)
		}
	}
}
