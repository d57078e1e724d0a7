package quotes

import (
	"strings"
	"testing"
)

// benchArticle is a 600-word Persian news article written for this
// benchmark in the shapes the finder reads: colon quotes, «…», indirect
// speech, "stating that", a continuation, a source formula.
func benchArticle() []string {
	paras := []string{
		"به گزارش خبرگزاری‌ها، علی رضایی، سخنگوی وزارت نیرو، روز دوشنبه در نشست خبری گفت: بارندگی امسال سی درصد کمتر از میانگین بلندمدت بوده و ذخایر سدهای تهران به کمترین حد ده سال اخیر رسیده است.",
		"وی با بیان اینکه مصرف آب در تابستان امسال رکورد زده است، افزود: اگر مردم همراهی نکنند، ناچار خواهیم بود در ساعات اوج فشار آب را کاهش دهیم.",
		"ما همه توان خود را به کار گرفته‌ایم تا هیچ خانواده‌ای بی‌آب نماند و طرح‌های انتقال آب را سریع‌تر اجرا کنیم.",
		"سخنگوی وزارت نیرو درباره قیمت آب گفت که تصمیمی برای افزایش تعرفه در سال جاری گرفته نشده است.",
		"«هیچ افزایشی بدون تصویب دولت انجام نمی‌شود و مشترکان کم‌مصرف همچنان تخفیف می‌گیرند»، این مقام مسئول تصریح کرد.",
		"به گفته کارشناسان، فرسودگی شبکه توزیع سالانه بیش از بیست درصد آب شرب را هدر می‌دهد.",
		"مدیرعامل شرکت آب و فاضلاب استان نیز در گفت‌وگو با خبرنگاران اظهار کرد: نوسازی شبکه به سرمایه‌ای بیش از ده هزار میلیارد تومان نیاز دارد که بخشی از آن از محل صندوق توسعه ملی تامین خواهد شد.",
		"برخی نمایندگان مجلس معتقدند دولت باید پیش از هر چیز مصرف کشاورزی را مدیریت کند.",
		"همچنین فیلم «روزهای بی‌آبی» که درباره بحران آب ساخته شده، این هفته در جشنواره نمایش داده شد.",
	}
	// Repeat the reporting paragraphs to about 600 words.
	out := append([]string(nil), paras...)
	for words(out) < 600 {
		out = append(out, paras[len(out)%len(paras)])
	}
	return out
}

func words(ps []string) int {
	n := 0
	for _, p := range ps {
		n += len(strings.Fields(p))
	}
	return n
}

// benchEnglish is a 600-word English article written for this benchmark
// in the PolNeAR shapes: quotations before and after the cue, reported
// speech with and without "that", told + addressee, trailing and inverted
// attributions, a participle, a title in quotation marks.
func benchEnglish() []string {
	paras := []string{
		`"We will not accept preconditions," Foreign Minister Ali Karimi said on Monday. "The door to diplomacy remains open, but it does not stay open forever."`,
		`Karimi, who has led the negotiations since March, said the next round would take place in Vienna, but he declined to give a date.`,
		`He told reporters at the ministry that sanctions had cost the economy billions of dollars and warned that patience was running out.`,
		`The talks have stalled over sanctions relief, a senior European diplomat said, adding that both sides were "further apart than at any point this year."`,
		`Rep. Adam Schiff urged the administration to respond firmly and said Congress would hold hearings on the matter next month.`,
		`"This is not a partisan issue," said Schiff, the top Democrat on the Intelligence Committee. "It is about whether our allies can trust us."`,
		`The proposal drew criticism at a forum sponsored by the "Council on Foreign Relations" in New York, where analysts argued it came too late.`,
		`According to the minister, exports fell by a third in the first half of the year.`,
	}
	out := append([]string(nil), paras...)
	for words(out) < 600 {
		out = append(out, paras[len(out)%len(paras)])
	}
	return out
}

// BenchmarkFind is the per-article cost ingest pays: a 600-word article.
func BenchmarkFind(b *testing.B) {
	benchFind(b, benchArticle(), "fa")
}

// BenchmarkFindEnglish is the same for an English article.
func BenchmarkFindEnglish(b *testing.B) {
	benchFind(b, benchEnglish(), "en")
}

func benchFind(b *testing.B, paras []string, lang string) {
	if _, err := Find(paras, lang); err != nil { // load the lexicons
		b.Fatal(err)
	}
	n := 0
	for _, p := range paras {
		n += len(p)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ReportMetric(float64(words(paras)), "words/op")
	cpu := cpuTime()
	for b.Loop() {
		if _, err := Find(paras, lang); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkFindHuge reads one 1 MB paragraph: bytes/s close to
// BenchmarkFind's shows that the cost stays linear in the input.
func BenchmarkFindHuge(b *testing.B) {
	paras := []string{hugeParagraph()}
	b.SetBytes(int64(len(paras[0])))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := Find(paras, "fa"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkTokenize is the tokenizer alone on BenchmarkFind's article,
// a quarter to a third of the finder's time on Persian text.
func BenchmarkTokenize(b *testing.B) {
	paras := benchArticle()
	n := 0
	for _, p := range paras {
		n += len(p)
	}
	b.SetBytes(int64(n))
	var toks []token
	cpu := cpuTime()
	for b.Loop() {
		var buf strings.Builder
		for _, p := range paras {
			toks = tokenize(p, &buf, toks)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkFindTargoman runs Find on every article of the Targoman corpus
// (../shared, skipped without it), the Persian pages of the ingest
// benchmark: cpu-ns/article is the CPU time of one article.
func BenchmarkFindTargoman(b *testing.B) {
	docs := targomanInputs(b)
	if len(docs) == 0 {
		b.Skip("no Targoman corpus in ../shared")
	}
	if _, err := Find(docs[0].paras, "fa"); err != nil { // load the lexicons
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu, n := cpuTime(), 0
	for b.Loop() {
		for _, d := range docs {
			if _, err := Find(d.paras, "fa"); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(n), "cpu-ns/article")
}
