package candidates

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/quotes"
)

// TestParagraphOffsets checks that the finder's paragraphs are the text's
// non-blank lines, trimmed, and that their offsets count code points of
// the whole text (half-spaces and emoji included), so that a span in a
// paragraph is the same words in the article.
func TestParagraphOffsets(t *testing.T) {
	text := "  عنوان 🇮🇷\n\n\t\nوی افزود: «ما نمی‌رویم.»  \nlast"
	ps := located(t, text)
	want := []string{"عنوان 🇮🇷", "وی افزود: «ما نمی‌رویم.»", "last"}
	if len(ps) != len(want) {
		t.Fatalf("paragraphs %+v, want %q", ps, want)
	}
	runes := []rune(text)
	for i, p := range ps {
		if p.text != want[i] {
			t.Errorf("paragraph %d is %q, want %q", i, p.text, want[i])
		}
		if got := string(runes[p.start : p.start+len([]rune(p.text))]); got != p.text {
			t.Errorf("paragraph %d at %d reads %q in the text", i, p.start, got)
		}
		if want := utf8.RuneCountInString(p.text); p.runes != want {
			t.Errorf("paragraph %d has %d code points, want %d", i, p.runes, want)
		}
	}
}

// located is what Find places its candidates in: text's paragraphs, with
// the lengths the finder counted in them.
func located(t *testing.T, text string) []paragraph {
	t.Helper()
	texts := quotes.Paragraphs(text)
	runes := make([]int, len(texts))
	if _, err := quotes.FindRunes(texts, "fa", runes); err != nil {
		t.Fatal(err)
	}
	return paragraphs(text, texts, runes)
}

// TestPlaceMapsSpans turns a candidate in paragraph offsets into one in
// text offsets, its speaker in an earlier paragraph, and refuses spans
// outside their paragraph or an unknown kind.
func TestPlaceMapsSpans(t *testing.T) {
	text := "علی لاریجانی، رئیس مجلس، گفت:\n\nوی افزود: «ما به مذاکره پایبندیم.»"
	ps := located(t, text)
	runes := []rune(text)
	// at is the span of words w in paragraph n (1-based, as the finder
	// and its CLI number them), in code points and bytes.
	at := func(n int, w string) quotes.Span {
		b := strings.Index(ps[n-1].text, w)
		r := utf8.RuneCountInString(ps[n-1].text[:b])
		return quotes.Span{Paragraph: n, Start: r, End: r + utf8.RuneCountInString(w), ByteStart: int32(b), ByteEnd: int32(b + len(w))}
	}
	quote := "ما به مذاکره پایبندیم."
	q, cue, speaker, role := at(2, quote), at(2, "افزود"), at(2, "وی"), at(1, "رئیس مجلس")
	c := quotes.Candidate{Span: quotes.Span{Paragraph: 2, Start: q.Start, End: q.End, ByteStart: q.ByteStart, ByteEnd: q.ByteEnd}, Kind: quotes.Direct,
		Cue: &cue, Speaker: &speaker, Role: &role, SpeakerResolved: "علی لاریجانی", Confidence: 1.4}
	got, err := place(ps, c, new([]Span))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case got.Quote != quote || string(runes[got.Start:got.End]) != quote:
		t.Errorf("quote %q at %d–%d", got.Quote, got.Start, got.End)
	case got.Cue == nil || got.Cue.Text != "افزود":
		t.Errorf("cue %+v", got.Cue)
	case got.Speaker == nil || got.Speaker.Text != "وی":
		t.Errorf("speaker %+v", got.Speaker)
	case got.Role == nil || got.Role.Text != "رئیس مجلس":
		t.Errorf("role %+v", got.Role)
	case got.SpeakerName != "علی لاریجانی":
		t.Errorf("speaker name %q", got.SpeakerName)
	case got.Confidence != 1:
		t.Errorf("confidence %v, want it capped at 1", got.Confidence)
	}
	for _, bad := range []quotes.Candidate{
		{Span: quotes.Span{Paragraph: 3, Start: 0, End: 1, ByteEnd: 1}, Kind: quotes.Direct},
		{Span: quotes.Span{Paragraph: 0, Start: 0, End: 1, ByteEnd: 1}, Kind: quotes.Direct},
		{Span: quotes.Span{Paragraph: 2, Start: 5, End: 500, ByteStart: 9, ByteEnd: 900}, Kind: quotes.Direct},
		{Span: quotes.Span{Paragraph: 2, Start: 5, End: 5, ByteStart: 9, ByteEnd: 9}, Kind: quotes.Direct},
		{Span: quotes.Span{Paragraph: 2, Start: 0, End: 3, ByteEnd: 5}, Kind: "rumour"},
		{Span: quotes.Span{Paragraph: 2, Start: 0, End: 3, ByteEnd: 5}, Kind: quotes.Direct, Cue: &quotes.Span{Paragraph: -1, Start: 0, End: 1, ByteEnd: 1}},
		// bytes that split a letter, or do not hold as many code points
		{Span: quotes.Span{Paragraph: 2, Start: 0, End: 2, ByteStart: 0, ByteEnd: 3}, Kind: quotes.Direct},
		{Span: quotes.Span{Paragraph: 2, Start: 0, End: 2, ByteStart: 0, ByteEnd: 2}, Kind: quotes.Direct},
	} {
		if _, err := place(ps, bad, new([]Span)); err == nil {
			t.Errorf("%+v was placed", bad)
		}
	}
	// Without a resolved name the mention is the speaker.
	c.SpeakerResolved = ""
	lari := at(1, "علی لاریجانی")
	c.Speaker = &lari
	if got, _ := place(ps, c, new([]Span)); got.SpeakerName != "علی لاریجانی" {
		t.Errorf("speaker name %q, want the mention", got.SpeakerName)
	}
}

// TestFindPlacesQuotes runs the real finder on a Persian article with a
// heading, a «…» quote and a «وی افزود:» continuation whose speaker is
// resolved to the first one, and checks every span reads, in the whole
// text, the words the finder reported.
func TestFindPlacesQuotes(t *testing.T) {
	text := "گفت‌وگوی تلفنی 🇮🇷\n\n  محمدجواد ظریف، وزیر امور خارجه، روز دوشنبه در نشست خبری گفت: «ایران به مذاکره پایبند است.»\n\n" +
		"وی افزود: ما زیر بار فشار نمی‌رویم و این موضع روشن است."
	f := Find(text, "fa")
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	runes := []rune(text)
	var continued bool
	for _, c := range f.Candidates {
		if string(runes[c.Start:c.End]) != c.Quote {
			t.Errorf("quote %q does not read %q in the text", c.Quote, string(runes[c.Start:c.End]))
		}
		for _, s := range []*Span{c.Cue, c.Speaker, c.Role} {
			if s != nil && string(runes[s.Start:s.End]) != s.Text {
				t.Errorf("span %+v reads %q in the text", s, string(runes[s.Start:s.End]))
			}
		}
		if c.Speaker != nil && c.Speaker.Text == "وی" && strings.HasPrefix(c.Quote, "ما زیر بار فشار") {
			continued = c.SpeakerName == "محمدجواد ظریف"
		}
	}
	if !continued {
		t.Errorf("no «وی افزود:» candidate attributed to Zarif among %+v", f.Candidates)
	}
}

// TestFindSkipsOtherLanguages: the finder knows fa, ar and en; an article
// in another language is not guessed at, and blank text finds nothing.
func TestFindSkipsOtherLanguages(t *testing.T) {
	for _, tc := range []struct{ text, lang string }{{"Il a dit : « non ».", "fr"}, {" \n\n ", "fa"}, {"", ""}} {
		if f := Find(tc.text, tc.lang); len(f.Candidates) != 0 || f.Err != nil {
			t.Errorf("Find(%q, %q) = %+v", tc.text, tc.lang, f)
		}
	}
}

// TestRuneOffsets holds runeCount, which counts bytes eight at a time, to
// decoding the text rune by rune. Some texts are longer than a block of
// 255 words (2,040 bytes), and some are nothing but continuation bytes
// after their first, where a byte's count in the block is at its highest.
func TestRuneOffsets(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", " ", "گ", "ی", "\u200c", "«", "🇮🇷", "€", "\n"}
	for i := range 2000 {
		n := rng.IntN(120)
		if i%20 == 0 {
			n = 500 + rng.IntN(2000) // up to 20,000 bytes: several blocks
		}
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Fatalf("runeCount(%q) = %d, want %d", s, got, want)
		}
	}
	for _, n := range []int{2039, 2040, 2041, 5000} {
		s := "€" + strings.Repeat("\x80", n)
		if got, want := runeCount(s), 1; got != want {
			t.Fatalf("runeCount(€ and %d continuation bytes) = %d, want %d", n, got, want)
		}
	}
}
