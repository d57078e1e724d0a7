package quotes

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestBadInput: odd input gives an error or a plain result, never a panic,
// and every span it reports points at its own text.
func TestBadInput(t *testing.T) {
	for name, paras := range map[string][]string{
		"empty":           nil,
		"blank":           {""},
		"unbalanced «":    {"وی گفت: «این جمله بسته نمی‌شود و ادامه دارد", "و این هم ادامه آن است"},
		"stray »":         {"» وی گفت: ما آماده‌ایم »»"},
		"nested":          {"وی گفت: «او به من گفت «برو» و من رفتم» و بعد برگشتم."},
		"mixed scripts":   {"CEO John Smith گفت: «we will invest in ایران next year»، وی افزود."},
		"RTL controls":    {"\u202bوی\u200f گفت:\u202c\u2067 «ما\u2069 آماده‌ایم\u200e»"},
		"only marks":      {"«»«»\"\"“”::؛،"},
		"lone cue":        {"گفت:"},
		"colon only":      {":"},
		"combining marks": {"\u0301\u064b\u0670 گفت: \u0301"},
		"emoji":           {"😀 وی گفت: 🚀 «سلام دنیا به همه شما»"},
		"NUL":             {"وی\x00 گفت: «ما\x00 آماده‌ایم برای گفتگو»"},
		"presentation":    {"ﻭﻯ ﮔﻔﺖ: «ﻣﺎ ﺁﻣﺎﺩﻩ ﻫﺴﺘﻴﻢ ﺑﺮﺍﻯ ﮔﻔﺖ‌ﻭﮔﻮ»"},
	} {
		for _, lang := range []string{"", "fa", "ar", "en"} {
			cs, err := Find(paras, lang)
			if err != nil {
				t.Errorf("%s/%s: %v", name, lang, err)
				continue
			}
			for _, c := range cs {
				checkSpan(t, paras, &Span{Paragraph: c.Paragraph, Start: c.Start, End: c.End, Text: c.Text, ByteStart: c.ByteStart, ByteEnd: c.ByteEnd})
			}
		}
	}
	// Invisible and compatibility characters neither hide a quotation
	// nor shift its offsets (checkSpan above compares the text).
	for _, p := range []string{
		"\u202bوی\u200f گفت:\u202c\u2067 «ما\u2069 آماده‌ایم\u200e»",
		"ﻭﻯ ﮔﻔﺖ: «ﻣﺎ ﺁﻣﺎﺩﻩ ﻫﺴﺘﻴﻢ ﺑﺮﺍﻯ ﮔﻔﺖ‌ﻭﮔﻮ»",
	} {
		if cs, _ := Find([]string{p}, "fa"); len(cs) != 1 || cs[0].Kind != Direct || cs[0].SpeakerResolved != "" {
			t.Errorf("%q: %+v", p, cs)
		}
	}
	if _, err := Find([]string{"ok", "bad \xff"}, "fa"); err == nil || !strings.Contains(err.Error(), "paragraph 2") {
		t.Errorf("invalid UTF-8: %v", err)
	}
	if _, err := Find([]string{"x"}, "de"); err == nil {
		t.Error("language de accepted")
	}
}

// hugeParagraph is 1 MB of quotations and cues in one paragraph, with an
// unbalanced « at the end.
func hugeParagraph() string {
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString("وی گفت: «ما آماده گفت‌وگو هستیم» و افزود که «هیچ شرطی نداریم»، ")
	}
	b.WriteString("«و این یکی بسته نمی‌شود")
	return b.String()
}

// TestHugeParagraph: a 1 MB paragraph is read whole (its time is in
// BenchmarkFindHuge, which shows it linear).
func TestHugeParagraph(t *testing.T) {
	cs, err := Find([]string{hugeParagraph(), "وی افزود: پایان."}, "fa")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 1000 || cs[len(cs)-1].Paragraph != 2 {
		t.Fatalf("%d candidates in the huge paragraph", len(cs))
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"",
		"وی گفت: «ما آماده‌ایم.»\nوی افزود: بله",
		"«» « » «« »» : گفت که",
		"به گفته او، جلسه لغو شد.\nعلی رضایی؛ مربی، ایران:\nما بردیم.",
		`"Yes," he said. "No."` + "\naccording to the minister, it rained.",
		"وقال المرصد إن «الاشتباكات استمرت».",
		"\u202bوی\u200f گفت:\u202c «ما»",
		"Mr. Smith told reporters: \"We're done",
		"↩️ گفتند\n\n\n«",
	} {
		f.Add(s, "fa")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, s, lang string) {
		switch lang {
		case "", "fa", "ar", "en":
		default:
			lang = "en"
		}
		paras := Paragraphs(s)
		cs, err := Find(paras, lang)
		if !allValid(paras) {
			if err == nil {
				t.Fatal("invalid UTF-8 accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		runes := make([]int, len(paras))
		if _, err := FindRunes(paras, lang, runes); err != nil {
			t.Fatalf("FindRunes: %v, Find none", err)
		}
		for i, p := range paras {
			if n := utf8.RuneCountInString(p); runes[i] != n {
				t.Fatalf("FindRunes counted %d code points in paragraph %q, of %d", runes[i], p, n)
			}
		}
		for _, c := range cs {
			for _, sp := range []*Span{{Paragraph: c.Paragraph, Start: c.Start, End: c.End, Text: c.Text, ByteStart: c.ByteStart, ByteEnd: c.ByteEnd}, c.Cue, c.Speaker, c.Role} {
				if sp == nil {
					continue
				}
				if sp.Paragraph < 1 || sp.Paragraph > len(paras) {
					t.Fatalf("span %+v outside the text", sp)
				}
				rs := []rune(paras[sp.Paragraph-1])
				if sp.Start < 0 || sp.End > len(rs) || sp.Start >= sp.End || string(rs[sp.Start:sp.End]) != sp.Text {
					t.Fatalf("span %+v does not match paragraph %q", sp, paras[sp.Paragraph-1])
				}
				if para, bs, be := paras[sp.Paragraph-1], int(sp.ByteStart), int(sp.ByteEnd); bs < 0 || be > len(para) || bs >= be ||
					para[bs:be] != sp.Text || utf8.RuneCountInString(para[:bs]) != sp.Start {
					t.Fatalf("span %+v: its bytes do not match paragraph %q", sp, para)
				}
			}
			if c.Kind != Direct && c.Kind != Indirect {
				t.Fatalf("kind %q", c.Kind)
			}
		}
	})
}

func allValid(ps []string) bool {
	for _, p := range ps {
		if !utf8.ValidString(p) {
			return false
		}
	}
	return true
}
