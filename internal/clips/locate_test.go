package clips

import (
	"strings"
	"testing"
)

// anchorIn anchors the first occurrence of exact in text.
func anchorIn(t *testing.T, text, exact string) Anchor {
	t.Helper()
	runes := []rune(text)
	i := strings.Index(text, exact)
	if i < 0 {
		t.Fatalf("%q not in the text", exact)
	}
	start := len([]rune(text[:i]))
	return anchorOf(runes, start, start+len([]rune(exact)))
}

func TestLocate(t *testing.T) {
	const old = "مقدمه‌ای کوتاه درباره‌ی مذاکرات. سخنگو گفت: «ما به دیپلماسی پایبندیم 🤝 اما تسلیم نمی‌شویم.» سپس جلسه پایان یافت و خبرنگاران یکی یکی رفتند."
	quote := "ما به دیپلماسی پایبندیم 🤝 اما تسلیم نمی‌شویم."
	long := anchorIn(t, old, quote)
	short := anchorIn(t, old, "پایان یافت")
	for _, tc := range []struct {
		name, text string
		a          Anchor
		want       string // the text from the found start, or "" for a flag
		why        string
	}{
		{"unchanged", old, long, quote, ""},
		{"moved by an insertion before it", "خبر تازه. " + old, long, quote, ""},
		{"context respelled: half-space dropped, Arabic yeh and kaf",
			strings.NewReplacer("نمی‌شویم", "نمیشویم", "یکی یکی", "يكي يكي").Replace(old), short, "پایان یافت", ""},
		{"a copy elsewhere: the context picks the clipped one",
			"در بیانیه آمده است: «ما به دیپلماسی پایبندیم 🤝 اما تسلیم نمی‌شویم.» " + old, long, quote, ""},
		{"reworded", strings.Replace(old, "تسلیم نمی‌شویم", "تسلیم فشار نخواهیم شد", 1), long, "", "no longer in the text"},
		{"two copies, neither in its context",
			"الف: ما به دیپلماسی پایبندیم 🤝 اما تسلیم نمی‌شویم. ب: ما به دیپلماسی پایبندیم 🤝 اما تسلیم نمی‌شویم. پ", long, "", "occurs 2 times"},
		{"a short passage whose surroundings all changed", "متن دیگری که در آن کار پایان یافت بی‌آنکه چیزی بماند", short, "", "everything around it changed"},
		{"a long passage whose surroundings all changed", "متن دیگر: " + quote + " و باقی.", long, quote, ""},
	} {
		runes := []rune(tc.text)
		start, why := Locate(runes, tc.a)
		switch {
		case tc.why != "" && !strings.Contains(why, tc.why):
			t.Errorf("%s: why %q, want %q", tc.name, why, tc.why)
		case tc.why == "" && why != "":
			t.Errorf("%s: flagged: %s", tc.name, why)
		case tc.why == "" && string(runes[start:start+len([]rune(tc.a.Exact))]) != tc.want:
			t.Errorf("%s: found %q", tc.name, string(runes[start:]))
		case tc.name == "a copy elsewhere: the context picks the clipped one" && !strings.HasSuffix(string(runes[:start]), "سخنگو گفت: «"):
			t.Errorf("%s: took the copy at %d", tc.name, start)
		}
	}
}

func TestClipDiff(t *testing.T) {
	before := "بند یک بی‌تغییر.\nاو افزود که تحریم‌ها باید برداشته شوند.\nبند سه بی‌تغییر.\n"
	after := "بند یک بی‌تغییر.\nاو افزود که تحریم‌ها باید فوراً لغو شوند.\nبند سه بی‌تغییر.\n"
	a := anchorIn(t, before, "تحریم‌ها باید برداشته شوند")
	want := "- او افزود که تحریم‌ها باید برداشته شوند.\n+ او افزود که تحریم‌ها باید فوراً لغو شوند.\n"
	if got := clipDiff(before, after, a); got != want {
		t.Errorf("edit: diff\n%s\nwant\n%s", got, want)
	}
	if got := clipDiff(before, "", a); got != "- او افزود که تحریم‌ها باید برداشته شوند.\n" {
		t.Errorf("deletion: diff %q: want only the clip's line", got)
	}
	// The last line of before has no newline; after adds lines below it.
	last := anchorIn(t, strings.TrimSuffix(before, "\n"), "بند سه")
	if got := clipDiff(strings.TrimSuffix(before, "\n"), strings.Replace(before, "باید برداشته", "باید فوراً", 1)+"بند چهار.", last); got != "" {
		t.Errorf("unchanged last line: diff %q", got)
	}
	if got := clipDiff("another text", after, a); got != "" {
		t.Errorf("anchor not on before: diff %q", got)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Nemat-Allah Izadi":    "nemat-allah-izadi",
		"  Ḥasan Rūḥānī ":      "hasan-ruhani",
		"Mohammad-Javad Zarif": "mohammad-javad-zarif",
		"علی لاریجانی":         "",
		"Ali (IRGC) Fadavi":    "ali-irgc-fadavi",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
