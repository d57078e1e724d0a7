package text

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

func TestLanguage(t *testing.T) {
	cases := []struct{ in, want string }{
		// Persian.
		{"وزیر امور خارجه امروز با همتای خود در تهران دیدار کرد.", Persian},
		{"قیمت دلار در بازار آزاد کاهش یافت.", Persian},
		{"مجلس طرح جدید را تصویب کرد", Persian},
		{"گزارش‌ها حاکی است که مذاکرات ادامه دارد.", Persian},
		{"نرخ تورم ۴۰ درصد است", Persian},
		{"ایران", Persian},
		// Persian typed on an Arabic keyboard.
		{"وزير امور خارجه امروز با همتاي خود در تهران ديدار كرد.", Persian},
		{"مجلس طرح جديد را تصويب كرد", Persian},
		// Arabic.
		{"قال وزير الخارجية إن المحادثات ستستمر في الأسبوع المقبل.", Arabic},
		{"أعلنت الحكومة عن خطة جديدة لدعم الاقتصاد الوطني.", Arabic},
		{"وصل الرئيس إلى العاصمة في زيارة رسمية تستغرق يومين.", Arabic},
		{"هذه هي المرة الأولى التي يلتقي فيها الطرفان منذ عام.", Arabic},
		{"طهران تستضيف اجتماعا إقليميا حول الأمن في الخليج.", Arabic},
		{"مدرسة", Arabic},
		// Arabic typed on a Persian keyboard.
		{"قال وزیر الخارجیة إن المحادثات ستستمر فی الأسبوع المقبل.", Arabic},
		{"وصل الرئیس إلی العاصمة فی زیارة رسمیة.", Arabic},
		// English and other Latin-script text.
		{"The minister said talks would continue next week.", English},
		{"Tehran Times", English},
		{"IRNA: سه کشته در زلزله", Persian},
		{"Rouhani met the Iraqi prime minister (نخست وزیر) on Monday.", English},
		{"Le ministre a déclaré que les négociations continueront demain.", ""},
		// Too short or no evidence.
		{"", ""},
		{"؟!", ""},
		{"۱۴۰۲/۰۸/۱۰", ""},
		{"ab", ""},
		{"سلام", ""},
	}
	for _, c := range cases {
		if got := Language(c.in); got != c.want {
			t.Errorf("Language(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLanguageSample checks that Language decides from the start of a
// long text: a Persian article of over languageSample bytes followed by a
// longer English appendix is Persian.
func TestLanguageSample(t *testing.T) {
	fa := strings.Repeat("وزیر امور خارجه امروز با همتای خود در تهران دیدار کرد. ", languageSample/90+1)
	en := strings.Repeat("The minister said talks would continue next week. ", 2*languageSample/50)
	if got := Language(fa + en); got != Persian {
		t.Errorf("a Persian article with an English appendix: %q", got)
	}
	if got := Language(en); got != English {
		t.Errorf("the appendix alone: %q", got)
	}
}

// TestLanguageAnalyzed checks that LanguageAnalyzed decides as Language
// does and hands on Analyze of the text exactly when it read all of it.
func TestLanguageAnalyzed(t *testing.T) {
	long := strings.Repeat("The minister said talks would continue next week. ", 2*languageSample/50)
	for _, c := range []struct {
		in     string
		wantOK bool
	}{
		{"وزیر امور خارجه امروز با همتای خود در تهران دیدار کرد.", true},
		{"قال وزير الخارجية إن المحادثات ستستمر في الأسبوع المقبل.", true},
		{"Le ministre a déclaré que les négociations continueront demain.", true},
		{"The minister said talks would continue next week.", true},
		{"ab", false},
		{"۱۴۰۲/۰۸/۱۰", false},
		{long, false},
	} {
		lang, normalized, tokens, ok := LanguageAnalyzed(c.in)
		if want := Language(c.in); lang != want {
			t.Errorf("LanguageAnalyzed(%.40q): language %q, Language says %q", c.in, lang, want)
		}
		if ok != c.wantOK {
			t.Errorf("LanguageAnalyzed(%.40q): ok %v, want %v", c.in, ok, c.wantOK)
			continue
		}
		if wantN, wantT := Analyze(c.in); ok && (normalized != wantN || !slices.Equal(tokens, wantT)) {
			t.Errorf("LanguageAnalyzed(%.40q) = %q, %q; Analyze gives %q, %q", c.in, normalized, tokens, wantN, wantT)
		}
	}
}

// toArabicKeyboard and toPersianKeyboard retype text the way the other
// keyboard layout writes it, which must not change the detected language.
var (
	toArabicKeyboard  = strings.NewReplacer("ی", "ي", "ک", "ك", "\u200C", " ")
	toPersianKeyboard = strings.NewReplacer("ي", "ی", "ى", "ی", "ك", "ک")
)

// TestLanguagePersianCorpus runs every title, lead and paragraph of the
// real Persian news of at least three words. Retyped on an Arabic keyboard
// without half-spaces, a short headline with none of پ چ ژ گ and no
// function word (جراحي رباط صليبي) is Arabic as far as its letters go, so
// there the test asks for the right answer only from ten words on, and
// logs how the shorter texts fare.
func TestLanguagePersianCorpus(t *testing.T) {
	var short, shortRight int
	for _, a := range sharedtest.TargomanArticles(t) {
		texts := []string{a.Title, a.Subtitle, a.Body()}
		for _, c := range a.Content {
			texts = append(texts, c.Text)
		}
		for _, s := range texts {
			n := Words(s)
			if n < 3 {
				continue
			}
			if got := Language(s); got != Persian {
				t.Errorf("%s: Language(%.80q) = %q, want fa", a.Rel, s, got)
			}
			got := Language(toArabicKeyboard.Replace(s))
			switch {
			case n < 10:
				short++
				if got == Persian {
					shortRight++
				}
			case got != Persian:
				t.Errorf("%s: Language of Arabic-keyboard %.80q = %q, want fa", a.Rel, s, got)
			}
		}
	}
	t.Logf("Arabic-keyboard texts of 3–9 words detected as Persian: %d of %d", shortRight, short)
}

func TestLanguageArabicNews(t *testing.T) {
	texts := arabicParagraphs(t)
	p := sharedtest.Require(t, "testdata/extraction/arabic-news/assabah-tn-interview/expected-evaldata.json")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var assabah struct {
		Title       string   `json:"title"`
		Description string   `json:"description"`
		With        []string `json:"with"`
	}
	if err := json.Unmarshal(data, &assabah); err != nil {
		t.Fatal(err)
	}
	texts = append(texts, assabah.Title, assabah.Description)
	texts = append(texts, assabah.With...)
	for _, s := range texts {
		if Words(s) < 3 {
			continue
		}
		if got := Language(s); got != Arabic {
			t.Errorf("Language(%.80q) = %q, want ar", s, got)
		}
		if got := Language(toPersianKeyboard.Replace(s)); got != Arabic {
			t.Errorf("Language of Persian-keyboard %.80q = %q, want ar", s, got)
		}
	}
}

func TestLanguageEnglishNews(t *testing.T) {
	for _, s := range englishArticles(t) {
		if got := Language(s); got != English {
			t.Errorf("Language(%.80q) = %q, want en", s, got)
		}
		for _, para := range strings.Split(s, "\n") {
			if Words(para) >= 3 && Language(para) != English {
				t.Errorf("Language(%.80q) = %q, want en", para, Language(para))
			}
		}
	}
}

// TestLanguageMarkers keeps the two function-word lists apart after
// normalization: a word in both would vote for both languages.
func TestLanguageMarkers(t *testing.T) {
	for w := range persianMarkers {
		if arabicMarkers[w] {
			t.Errorf("%q is a marker of both Persian and Arabic", w)
		}
	}
}
