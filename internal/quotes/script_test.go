package quotes

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// TestFinderReadsItsScript: the finder reads a text only in the script of
// its language. A Latin-script text detection leaves undecided (Spanish)
// no longer falls back to the Persian finder, nor Chinese text taken for
// English to the English one; texts in the finder's languages read as
// before, whether their language is given or detected.
func TestFinderReadsItsScript(t *testing.T) {
	spanish := []string{
		"El ministro de Relaciones Exteriores dijo el lunes en una conferencia de prensa: «No aceptaremos condiciones previas».",
		"Según el portavoz del ministerio, la próxima ronda se celebrará en Viena el mes que viene.",
	}
	chinese := []string{
		"外交部发言人周一在例行记者会上表示，中方愿意与各方保持沟通。",
		`Wang Yi told reporters: "We will not accept preconditions from anyone at all."`,
		"他说，下一轮会谈将于下个月在维也纳举行，各方应当保持克制。",
		"分析人士认为，此次会谈的成果将取决于各方能否在核心问题上作出让步，国际社会对此高度关注。",
	}
	persian := []string{
		"به گزارش ایرنا، حسین امیرعبداللهیان، وزیر امور خارجه، روز دوشنبه در نشست خبری گفت: ایران آماده گفت‌وگو با همه کشورهای منطقه است.",
		"وی افزود: ما از میز مذاکره خارج نشده‌ایم.",
	}
	english := []string{
		`"We will not accept preconditions," Foreign Minister Ali Karimi said on Monday.`,
		`Mr. Karimi told reporters: "The door to diplomacy remains open for everyone," quoting a line of Hafez, «در همه دیر مغان نیست چو من شیدایی».`,
	}
	finglish := []string{`Vazir goft: "Iran amade ast," dar neshast khabari.`}

	if got := detect(spanish); got != "" {
		t.Errorf("detect(Spanish) = %q, want \"\" (none of the finder's languages)", got)
	}
	if got := detect(persian); got != "fa" {
		t.Errorf("detect(Persian) = %q, want fa", got)
	}
	// Arabic-script text that language detection cannot tell Persian or
	// Arabic from is Persian, as before.
	if got := detect([]string{"سلام"}); got != "fa" {
		t.Errorf("detect(سلام) = %q, want fa", got)
	}
	for _, tc := range []struct {
		name  string
		paras []string
		lang  string
	}{
		{"Spanish, detected", spanish, ""},
		{"Chinese as English", chinese, "en"},
		{"Chinese, detected", chinese, ""},
		{"Latin script as Persian", finglish, "fa"},
		{"Latin script as Arabic", finglish, "ar"},
	} {
		runes := make([]int, len(tc.paras))
		got, err := FindRunes(tc.paras, tc.lang, runes)
		if err != nil || got != nil {
			t.Errorf("%s: %d candidates, error %v; want none", tc.name, len(got), err)
		}
		for i, p := range tc.paras {
			if runes[i] != utf8.RuneCountInString(p) {
				t.Errorf("%s: paragraph %d counted %d code points, has %d", tc.name, i+1, runes[i], utf8.RuneCountInString(p))
			}
		}
	}
	// The English finder did find the Latin line of the Chinese text; it
	// still does where that line is the text.
	if got, _ := Find(chinese[1:2], "en"); len(got) != 1 {
		t.Errorf("the Chinese text's English line alone: %d candidates, want 1", len(got))
	}
	// The finders' languages: given or detected, the same candidates, and
	// some.
	for _, tc := range []struct {
		name, lang string
		paras      []string
	}{{"Persian", "fa", persian}, {"English", "en", english}} {
		given, err := Find(tc.paras, tc.lang)
		if err != nil || len(given) == 0 {
			t.Fatalf("%s: %d candidates, error %v", tc.name, len(given), err)
		}
		if detected, err := Find(tc.paras, ""); err != nil || !reflect.DeepEqual(detected, given) {
			t.Errorf("%s detected: %+v, %v; given %s: %+v", tc.name, detected, err, tc.lang, given)
		}
	}
	// Invalid UTF-8 is still the error, read or not.
	if _, err := Find([]string{"ok", "\xff"}, "en"); err == nil {
		t.Error("invalid UTF-8 in English: no error")
	}
	if _, err := Find([]string{"中文", "\xff"}, "en"); err == nil {
		t.Error("invalid UTF-8 in Chinese read as English: no error")
	}
}

// TestScripts checks the letters' scripts as detect and inScript count
// them.
func TestScripts(t *testing.T) {
	for _, tc := range []struct {
		s                    string
		latin, arabic, other int
	}{
		{"abc XYZ", 6, 0, 0},
		{"café Łódź ẞ ơ", 10, 0, 0},
		{"123 !? — «»", 0, 0, 0},
		{"سلام، ۱۲۳ ٤٥ گچ\u200cپژ", 0, 8, 0},
		{"ﻻ ﷲ ﺏ", 0, 3, 0},
		{"中文 かな 한국 Жж Ωω אב", 0, 0, 12},
		{"\u3400\u4dbf\u4e00\u9fff\u3041\u3096\u30a1\u30fa\uac00\ud7a3", 0, 0, 10},
		{"\u3099\u30fb\u4dc0\u064b\u0660", 0, 0, 0}, // a kana mark, the katakana middle dot, a Yijing hexagram, an Arabic vowel sign and digit
	} {
		if l, a, o := scripts([]string{tc.s}); l != tc.latin || a != tc.arabic || o != tc.other {
			t.Errorf("scripts(%q) = %d Latin, %d Arabic, %d other; want %d, %d, %d", tc.s, l, a, o, tc.latin, tc.arabic, tc.other)
		}
	}
}
