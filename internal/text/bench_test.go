package text

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// persianSentences is Persian news prose written for these tests, with
// the usual mix of half-spaces, full spaces before suffixes, Persian
// digits, guillemets and an Arabic-keyboard word. It has 102 words.
var persianSentences = []string{
	"خبرگزاری‌ها روز سه‌شنبه گزارش دادند که نشست کمیسیون اقتصادی مجلس درباره بودجه سال ۱۴۰۳ به هفته آینده موکول شده است.",
	"سخنگوی کمیسیون گفت: «نمایندگان می‌خواهند پیش از رأی‌گیری، گزارش کامل هزینه‌های شرکت‌های دولتی را ببینند.»",
	"به گفته او، کسری بودجه در شش ماه نخست سال به حدود ۲۵ درصد رسیده و دولت هنوز برنامه‌ای برای جبران آن ارائه نکرده است.",
	"برخی كارشناسان می گویند افزایش قیمت ارز و تورم بالای ۴۰ درصدی، درآمد های نفتی را کم‌اثر کرده است؛ آنها خواستار شفافیت بیشتر هستند.",
	"روزنامه‌های صبح تهران نیز در صفحه نخست خود به این موضوع پرداخته‌اند و تیتر های متفاوتی منتشر کرده‌اند.",
}

// persianParagraph returns about 2 KB of persianSentences, repeated.
func persianParagraph() string {
	var b strings.Builder
	for i := 0; b.Len() < 2048; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(persianSentences[i%len(persianSentences)])
	}
	return b.String()
}

// The benchmarks run the function once before timing it: the first call
// loads the joiner's lexicon, a one-time cost of the process.

func BenchmarkNormalize(b *testing.B) {
	s := persianParagraph()
	Normalize(s)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(s)
	}
}

func BenchmarkIndexText(b *testing.B) {
	s := persianParagraph()
	IndexText(s)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		IndexText(s)
	}
}

func BenchmarkSimhash(b *testing.B) {
	s := persianParagraph()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Simhash(s)
	}
}

// BenchmarkIndexTextCorpus runs IndexText over the real Persian news of
// the shared test data: the work of indexing an article's text, with the
// half-space joins as often as the press needs them.
func BenchmarkIndexTextCorpus(b *testing.B) {
	arts := sharedtest.TargomanArticles(b)
	texts := make([]string, len(arts))
	size := 0
	for i, a := range arts {
		texts[i] = a.Title + "\n" + a.Body()
		size += len(texts[i])
	}
	IndexText(texts[0])
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			IndexText(s)
		}
	}
}

// BenchmarkLoadLexicon measures the one-time load of the joiner's lexicon.
func BenchmarkLoadLexicon(b *testing.B) {
	for b.Loop() {
		readLexiconFiles()
	}
}

// BenchmarkSimhashOf is the simhash of a page's tokens alone, as ingest
// computes it (the tokens come from the one normalization of the text).
func BenchmarkSimhashOf(b *testing.B) {
	toks := Tokens(strings.Repeat(persianParagraph()+" ", 4))
	b.ReportAllocs()
	for b.Loop() {
		SimhashOf(toks)
	}
}
