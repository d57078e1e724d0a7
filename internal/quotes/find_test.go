package quotes

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// want is what a test expects of one candidate; empty fields are not
// checked.
type want struct {
	para     int
	text     string // the quoted content
	kind     string
	speaker  string // the speaker mention
	resolved string
	role     string
	cue      string
}

func check(t *testing.T, lang string, paras []string, wants ...want) {
	t.Helper()
	got, err := Find(paras, lang)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(wants) {
		for _, c := range got {
			t.Logf("got ¶%d %s %q speaker=%q cue=%q", c.Paragraph, c.Kind, c.Text, c.SpeakerResolved, spanText(c.Cue))
		}
		t.Fatalf("%d candidates, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		c := got[i]
		// Offsets must point at the text they claim, in the original.
		checkSpan(t, paras, &Span{Paragraph: c.Paragraph, Start: c.Start, End: c.End, Text: c.Text})
		for _, s := range []*Span{c.Cue, c.Speaker, c.Role} {
			if s != nil {
				checkSpan(t, paras, s)
			}
		}
		switch {
		case w.para != 0 && c.Paragraph != w.para:
			t.Errorf("candidate %d: paragraph %d, want %d", i, c.Paragraph, w.para)
		case w.text != "" && c.Text != w.text:
			t.Errorf("candidate %d: text %q, want %q", i, c.Text, w.text)
		case w.kind != "" && c.Kind != w.kind:
			t.Errorf("candidate %d: kind %s, want %s", i, c.Kind, w.kind)
		case w.speaker != "" && spanText(c.Speaker) != w.speaker:
			t.Errorf("candidate %d: speaker %q, want %q", i, spanText(c.Speaker), w.speaker)
		case w.resolved != "" && c.SpeakerResolved != w.resolved:
			t.Errorf("candidate %d: resolved speaker %q, want %q", i, c.SpeakerResolved, w.resolved)
		case w.role != "" && spanText(c.Role) != w.role:
			t.Errorf("candidate %d: role %q, want %q", i, spanText(c.Role), w.role)
		case w.cue != "" && spanText(c.Cue) != w.cue:
			t.Errorf("candidate %d: cue %q, want %q", i, spanText(c.Cue), w.cue)
		}
		if c.Confidence <= 0 || c.Confidence > 1 {
			t.Errorf("candidate %d: confidence %v", i, c.Confidence)
		}
	}
}

// checkSpan verifies that a span's offsets (code points) select its text
// in the original paragraph.
func checkSpan(t *testing.T, paras []string, s *Span) {
	t.Helper()
	if s.Paragraph < 1 || s.Paragraph > len(paras) {
		t.Fatalf("span %+v: no such paragraph", s)
	}
	rs := []rune(paras[s.Paragraph-1])
	if s.Start < 0 || s.End > len(rs) || s.Start >= s.End || string(rs[s.Start:s.End]) != s.Text {
		t.Fatalf("span %+v does not match its paragraph", s)
	}
}

func TestPersianColon(t *testing.T) {
	check(t, "fa", []string{
		"به گزارش ایرنا، حسین امیرعبداللهیان، وزیر امور خارجه، روز دوشنبه در نشست خبری گفت: ایران آماده گفت‌وگو با همه کشورهای منطقه است.",
		"وی افزود: ما از میز مذاکره خارج نشده‌ایم.",
	},
		want{para: 1, text: "ایران آماده گفت‌وگو با همه کشورهای منطقه است", kind: Direct, speaker: "حسین امیرعبداللهیان", role: "وزیر امور خارجه", cue: "گفت"},
		want{para: 2, text: "ما از میز مذاکره خارج نشده‌ایم", kind: Direct, speaker: "وی", resolved: "حسین امیرعبداللهیان", cue: "افزود"},
	)
}

func TestPersianGuillemets(t *testing.T) {
	check(t, "fa", []string{
		"سخنگوی دولت در نشست هفتگی گفت: «تصمیم درباره قیمت بنزین هنوز گرفته نشده است.»",
		"«هیچ افزایشی بدون گفت‌وگو با مجلس انجام نمی‌شود»، وی تصریح کرد.",
	},
		want{para: 1, text: "تصمیم درباره قیمت بنزین هنوز گرفته نشده است", kind: Direct, speaker: "سخنگوی دولت", role: "سخنگوی دولت"},
		want{para: 2, text: "هیچ افزایشی بدون گفت‌وگو با مجلس انجام نمی‌شود", kind: Direct, speaker: "وی", resolved: "سخنگوی دولت", cue: "تصریح کرد"},
	)
}

func TestPersianIndirect(t *testing.T) {
	check(t, "fa", []string{
		"مدیرعامل شرکت آب گفت که ذخایر سدهای تهران به کمترین حد رسیده است.",
		"به گفته این مدیر، جیره‌بندی آب فعلا در دستور کار نیست.",
		"کارشناسان اقتصادی معتقدند تورم تا پایان سال کاهش نخواهد یافت.",
	},
		want{para: 1, text: "ذخایر سدهای تهران به کمترین حد رسیده است", kind: Indirect, speaker: "مدیرعامل شرکت آب"},
		want{para: 2, text: "جیره‌بندی آب فعلا در دستور کار نیست", kind: Indirect, speaker: "این مدیر", resolved: "مدیرعامل شرکت آب", cue: "به گفته"},
		want{para: 3, text: "تورم تا پایان سال کاهش نخواهد یافت", kind: Indirect, speaker: "کارشناسان اقتصادی"},
	)
}

func TestPersianStatingThat(t *testing.T) {
	check(t, "fa", []string{
		"رضا کریمی با بیان اینکه واردات دارو افزایش یافته است، گفت: کمبود انسولین تا ماه آینده برطرف می‌شود.",
	},
		want{text: "واردات دارو افزایش یافته است", kind: Indirect, speaker: "رضا کریمی"},
		want{text: "کمبود انسولین تا ماه آینده برطرف می‌شود", kind: Direct, speaker: "رضا کریمی"},
	)
}

func TestPersianContinuation(t *testing.T) {
	check(t, "fa", []string{
		"دکتر مریم احمدی، متخصص قلب، در این همایش گفت: بیماری‌های قلبی نخستین علت مرگ در کشور است.",
		"ما باید سبک زندگی مردم را تغییر دهیم و ورزش را به مدارس ببریم.",
		"برگزاری این همایش سه روز طول کشید.",
		"این پزشک افزود: «مصرف نمک در ایران دو برابر میانگین جهانی است.",
		"هر ایرانی روزانه ده گرم نمک مصرف می‌کند.»",
	},
		want{para: 1, speaker: "دکتر مریم احمدی", role: "متخصص قلب"},
		want{para: 2, text: "ما باید سبک زندگی مردم را تغییر دهیم و ورزش را به مدارس ببریم", resolved: "دکتر مریم احمدی"},
		want{para: 4, speaker: "این پزشک", resolved: "دکتر مریم احمدی"},
		want{para: 5, text: "هر ایرانی روزانه ده گرم نمک مصرف می‌کند", resolved: "دکتر مریم احمدی"},
	)
}

func TestPersianHeading(t *testing.T) {
	check(t, "fa", []string{
		"علی رضایی؛ سرمربی تیم ملی، ایران:",
		"بازیکنان ما امروز بهترین بازی فصل را انجام دادند.",
		"از هواداران برای حمایتشان سپاسگزارم.",
		"نتایج دیگر",
		"تیم‌های دیگر گروه هم به مرحله بعد رفتند.",
	},
		want{para: 2, speaker: "علی رضایی", role: "سرمربی تیم ملی، ایران", kind: Direct},
		want{para: 3, speaker: "علی رضایی"},
	)
	check(t, "fa", []string{
		"گزیده اظهارات محمد حسینی - وزیر نیرو:",
		"بارندگی امسال سی درصد کمتر بوده است.",
		"مصرف آب در تهران باید کاهش یابد.",
	},
		want{para: 2, resolved: "محمد حسینی"},
		want{para: 3, resolved: "محمد حسینی"},
	)
}

func TestPersianNotQuotes(t *testing.T) {
	check(t, "fa", []string{
		"به گزارش ایرنا، جلسه هیئت دولت امروز برگزار شد.",
		"گزارش از: علی محمدی",
		"فیلم «روزهای بی‌قراری» در جشنواره فجر نمایش داده شد و منتقدان آن را «جالب» خواندند.",
		"روزنامه «همشهری» نوشت.",
		"می‌توان گفت که بازار ارز آرام شده است.",
		"به گفته ایسنا، قیمت طلا کاهش یافت.",
	})
}

func TestArabic(t *testing.T) {
	check(t, "ar", []string{
		"وقال وزير الخارجية في مؤتمر صحفي إن بلاده مستعدة للحوار مع جميع الأطراف.",
		"وأضاف: «لن نقبل بأي شروط مسبقة في هذه المفاوضات».",
		"وبحسب المتحدث باسم الوزارة، فإن الجولة المقبلة ستعقد الشهر القادم.",
	},
		want{para: 1, text: "بلاده مستعدة للحوار مع جميع الأطراف", kind: Indirect, speaker: "وزير الخارجية", cue: "وقال"},
		want{para: 2, text: "لن نقبل بأي شروط مسبقة في هذه المفاوضات", kind: Direct, resolved: "وزير الخارجية", cue: "وأضاف"},
		want{para: 3, kind: Indirect, speaker: "المتحدث باسم الوزارة"},
	)
}

func TestEnglish(t *testing.T) {
	check(t, "en", []string{
		`"We will not accept preconditions," Foreign Minister Ali Karimi said on Monday.`,
		`He said the next round would take place in Vienna.`,
		`Mr. Karimi told reporters: "The door to diplomacy remains open for everyone."`,
		`According to the minister, sanctions have cost the economy billions of dollars.`,
		`The talks stalled in June, according to Reuters.`,
		`The newspaper called it "a turning point."`,
	},
		want{para: 1, text: "We will not accept preconditions", kind: Direct, speaker: "Foreign Minister Ali Karimi"},
		want{para: 2, text: "the next round would take place in Vienna", kind: Indirect, speaker: "He", resolved: "Foreign Minister Ali Karimi"},
		want{para: 3, text: "The door to diplomacy remains open for everyone", kind: Direct, speaker: "Mr. Karimi"},
		want{para: 4, text: "sanctions have cost the economy billions of dollars", kind: Indirect, speaker: "the minister"},
	)
}

// TestOffsetsOriginal checks that offsets count code points of the
// original text, whatever the normalizer removes or folds.
func TestOffsetsOriginal(t *testing.T) {
	p := "\u200fوي\u200c گفت:   «كتاب‌هاي مُهِمّ را ۱۲ بار خواندم»"
	cs, err := Find([]string{p}, "fa")
	if err != nil || len(cs) != 1 {
		t.Fatalf("%v %v", cs, err)
	}
	checkSpan(t, []string{p}, &Span{Paragraph: 1, Start: cs[0].Start, End: cs[0].End, Text: cs[0].Text})
	if !strings.HasPrefix(cs[0].Text, "كتاب") || utf8.RuneCountInString(cs[0].Text) != cs[0].End-cs[0].Start {
		t.Errorf("got %+v", cs[0])
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("  first line \r\n\n\t\nsecond\n   \nthird")
	if strings.Join(got, "|") != "first line|second|third" {
		t.Errorf("Paragraphs = %q", got)
	}
	if Paragraphs("") != nil || Paragraphs("\n \n") != nil {
		t.Error("blank text has paragraphs")
	}
}

// TestEmojiBullets: summaries copied from messaging channels mark their
// items with emoji (↩️ ✅ 🔹), which must not hide the words.
func TestEmojiBullets(t *testing.T) {
	check(t, "fa", []string{
		"خلاصه سخنان مهدی کاظمی - رئیس اتاق بازرگانی:",
		"↩️ صادرات غیرنفتی امسال ده درصد رشد کرده است.",
		"🔹 بانک‌ها باید تسهیلات بیشتری به تولیدکنندگان بدهند.",
	},
		want{para: 2, text: "صادرات غیرنفتی امسال ده درصد رشد کرده است", resolved: "مهدی کاظمی"},
		want{para: 3, resolved: "مهدی کاظمی"},
	)
}

// TestPersianBulletList: a heading that names someone's words, then list
// items — some reporting what others said with a verb of their own, some
// short, some numbered. Every item is the heading speaker's; the first
// paragraph after the list is not.
func TestPersianBulletList(t *testing.T) {
	check(t, "fa", []string{
		"چکیده اظهارات رضا صادقی - نماینده مجلس:",
		"↩️ بودجه سال آینده بر پایه نفت ۵۰ دلاری بسته شده است.",
		"↩️ گفتند تورم کاهش می‌یابد اما چنین نشد و مردم زیر فشار هستند.",
		"↩️ اصلاح نظام بانکی",
		"- وزیر اقتصاد اعلام کرد که نرخ بیکاری کاهش یافته، این آمار درست نیست.",
		"۲- ما از دولت حمایت می‌کنیم ولی نقد هم می‌کنیم.",
		"نشست خبری دو ساعت طول کشید.",
	},
		want{para: 2, text: "بودجه سال آینده بر پایه نفت ۵۰ دلاری بسته شده است", resolved: "رضا صادقی", kind: Direct},
		want{para: 3, text: "گفتند تورم کاهش می‌یابد اما چنین نشد و مردم زیر فشار هستند", resolved: "رضا صادقی"},
		want{para: 4, text: "اصلاح نظام بانکی", resolved: "رضا صادقی"},
		want{para: 5, text: "وزیر اقتصاد اعلام کرد که نرخ بیکاری کاهش یافته، این آمار درست نیست", resolved: "رضا صادقی"},
		want{para: 6, text: "ما از دولت حمایت می‌کنیم ولی نقد هم می‌کنیم", resolved: "رضا صادقی"},
	)
	// A line naming someone's words without a colon (an arrow instead)
	// is a heading when a list follows, and not otherwise.
	check(t, "fa", []string{
		"مهمترین اظهارات محمد قاسمی رئیس اتاق اصناف 👇",
		"🔹 بازار در رکود است.",
		"سخنان رئیس‌جمهور در سفر استانی بازتاب گسترده‌ای داشت",
		"رئیس‌جمهور امروز به تبریز رفت.",
	},
		want{para: 2, text: "بازار در رکود است", speaker: "محمد قاسمی", role: "رئیس اتاق اصناف"},
	)
}

// TestPersianCueForms: plural and perfect cues, hopes voiced, "این را X
// گفت" after a quotation, "به گفته وی" without a comma, an anaphor with
// a role noun, and a question put to the speaker, which is not a
// quotation.
func TestPersianCueForms(t *testing.T) {
	check(t, "fa", []string{
		"مجید رحیمی، سخنگوی وزارت بهداشت، اظهار امیدواری کرد که تا پایان سال همه مردم واکسینه شوند.",
		"مدیران بیمارستان‌ها تاکید کردند که کمبود پرستار جدی است.",
		"به گفته وی هزینه درمان سی درصد افزایش یافته است.",
		"«ما به دنبال افزایش مالیات نیستیم.» این را وزیر اقتصاد روز شنبه گفت.",
		"این اقتصاددان در پاسخ به سوالی درباره اینکه برخی معتقدند بازار سهام حباب دارد، توضیح داد: شاخص‌ها واقعی است.",
		"از سوی دیگر، دبیر شورای عالی امنیت ملی هشدار داد هرگونه اقدام با پاسخ قاطع روبرو می‌شود.",
	},
		want{para: 1, text: "تا پایان سال همه مردم واکسینه شوند", kind: Indirect, speaker: "مجید رحیمی", cue: "اظهار امیدواری کرد"},
		want{para: 2, text: "کمبود پرستار جدی است", speaker: "مدیران بیمارستان‌ها", cue: "تاکید کردند"},
		// a group is not whom a later وی stands for
		want{para: 3, text: "هزینه درمان سی درصد افزایش یافته است", speaker: "وی", resolved: "مجید رحیمی"},
		want{para: 4, text: "ما به دنبال افزایش مالیات نیستیم", speaker: "وزیر اقتصاد"},
		want{para: 5, text: "شاخص‌ها واقعی است", speaker: "این اقتصاددان"},
		want{para: 6, text: "هرگونه اقدام با پاسخ قاطع روبرو می‌شود", speaker: "دبیر شورای عالی امنیت ملی"},
	)
}

// TestEnglishAttributions: the PolNeAR-style forms beyond "X said":
// mixed quotations inside reported speech, participles, told + addressee,
// trailing and inverted attributions, urged … to, quotations that go on
// after the cue and into the next paragraph, and titles in quotation
// marks, which are not quotations.
func TestEnglishAttributions(t *testing.T) {
	check(t, "en", []string{
		`Clinton, the former secretary of State, said it was "a mistake" to use private email, but she denied that she mishandled classified information.`,
		`"We need change," the New York businessman said, arguing that he will bring a fresh approach to the job.`,
		`Trump told the forum he was "totally against the war in Iraq" because it destabilized the region.`,
		`The talks have stalled over sanctions relief, a senior European diplomat said on Monday.`,
		`The plan will cost $150 billion over a decade, said Maya MacGuineas, president of the budget committee.`,
		`Rep. Adam Schiff urged the administration to call out Russia for the hacking.`,
		`"This is not a partisan issue. It is about our democracy," Schiff said. "We have to respond.`,
		`"Russia has been testing us for years."`,
		`She spoke at the "Commander-in-Chief Forum" in New York.`,
		`McAuliffe has said the party needs younger voters and noted that turnout was low.`,
	},
		want{para: 1, text: `it was "a mistake" to use private email`, kind: Indirect, speaker: "Clinton", role: "the former secretary of State"},
		want{para: 1, text: "that she mishandled classified information", resolved: "Clinton", cue: "denied"},
		want{para: 2, text: "We need change", kind: Direct, speaker: "the New York businessman"},
		want{para: 2, text: "that he will bring a fresh approach to the job", speaker: "the New York businessman", cue: "arguing"},
		want{para: 3, text: `he was "totally against the war in Iraq" because it destabilized the region`, speaker: "Trump"},
		want{para: 4, text: "The talks have stalled over sanctions relief", speaker: "a senior European diplomat"},
		want{para: 5, text: "The plan will cost $150 billion over a decade", speaker: "Maya MacGuineas"},
		want{para: 6, text: "the administration to call out Russia for the hacking", speaker: "Rep. Adam Schiff"},
		want{para: 7, text: "This is not a partisan issue. It is about our democracy", kind: Direct, speaker: "Schiff"},
		want{para: 7, text: "We have to respond", resolved: "Schiff"},
		want{para: 8, text: "Russia has been testing us for years", resolved: "Schiff"},
		want{para: 10, text: "the party needs younger voters", speaker: "McAuliffe"},
		want{para: 10, text: "that turnout was low", cue: "noted", speaker: "McAuliffe"},
	)
}
