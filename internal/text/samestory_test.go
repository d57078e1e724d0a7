package text

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// The templates below were written for these tests, in the shape of the
// reports that outlets fill in every day; {slot}s are filled by fill.
const (
	weatherFa = `پیش‌بینی هوای {city} برای روز {day}

به گزارش اداره کل هواشناسی استان {province}، آسمان {city} در روز {day} {sky} خواهد بود و دمای هوا بین {low} تا {high} درجه سانتی‌گراد نوسان خواهد داشت.

کارشناس پیش‌بینی این اداره کل گفت که با عبور یک سامانه ضعیف از شمال غرب کشور، وزش باد در ساعات بعدازظهر تشدید می‌شود و سرعت آن در برخی مناطق به {wind} کیلومتر در ساعت می‌رسد. او افزود که این وضعیت تا پایان هفته کم و بیش ادامه دارد و پس از آن هوا به تدریج آرام‌تر خواهد شد.

به رانندگانی که قصد سفر در محورهای کوهستانی را دارند توصیه شده است پیش از حرکت از آخرین وضعیت جاده‌ها باخبر شوند، زنجیر چرخ و لباس گرم همراه داشته باشند و از توقف در نقاط حادثه‌خیز پرهیز کنند. پلیس راه نیز اعلام کرده است که در صورت لزوم تردد در برخی گردنه‌ها محدود خواهد شد.

کشاورزان نیز باید برای حفاظت از گلخانه‌ها و محصولات حساس در برابر باد و افت دما تدابیر لازم را بیندیشند. کارشناسان می‌گویند پوشاندن نهال‌های جوان و بستن دریچه‌های گلخانه‌ها در ساعات شب می‌تواند از بخش بزرگی از خسارت‌ها جلوگیری کند.

مدیر کل هواشناسی استان همچنین از آغاز طرح پایش خودکار ایستگاه‌های هواشناسی در شهرستان‌ها خبر داد و گفت داده‌های این ایستگاه‌ها هر ده دقیقه یک بار به مرکز پیش‌بینی فرستاده می‌شود. به گفته او، این طرح دقت هشدارهای کوتاه‌مدت را به میزان قابل توجهی بالا می‌برد و به ستاد مدیریت بحران در تصمیم‌گیری‌های فوری کمک می‌کند.

گفتنی است میانگین بارش‌های استان از ابتدای سال آبی جاری تاکنون نسبت به مدت مشابه سال گذشته کاهش داشته است و کارشناسان منابع آب بر لزوم صرفه‌جویی در مصرف آب شرب و کشاورزی تأکید کرده‌اند.

بر اساس این گزارش، کیفیت هوای شهر در وضعیت قابل قبول قرار دارد و در روزهای آینده نیز تغییر چشمگیری در آن پیش‌بینی نمی‌شود. شهروندان می‌توانند پیش‌بینی‌های ساعتی و هشدارهای احتمالی را از پایگاه اینترنتی اداره کل هواشناسی و شماره تلفن گویای آن دنبال کنند.`

	marketFa = `قیمت دلار و سکه در بازار امروز

به گزارش خبرنگار اقتصادی ما، در معاملات روز {day} بازار آزاد تهران هر دلار آمریکا به {usd} تومان رسید که نسبت به روز کاری گذشته {change} تومان {dir} نشان می‌دهد. یورو نیز در صرافی‌های مرکز شهر {eur} تومان خرید و فروش شد.

در بازار طلا، هر سکه تمام بهار آزادی طرح جدید {coin} میلیون تومان و هر گرم طلای هجده عیار {gold} هزار تومان قیمت خورد. فعالان بازار می‌گویند حجم معاملات در ساعات ابتدایی روز اندک بود و بیشتر خریداران منتظر خبرهای تازه درباره مذاکرات و سیاست‌های بانک مرکزی ماندند.

یکی از صرافان خیابان فردوسی به خبرنگار ما گفت که مشتریان این روزها بیشتر برای سفر و پرداخت شهریه دانشجویی ارز می‌خرند و خرید برای سرمایه‌گذاری کمتر شده است. به گفته او، فاصله نرخ خرید و فروش در بیشتر صرافی‌ها کمتر از گذشته است.

کارشناسان اقتصادی معتقدند نوسان‌های کوتاه‌مدت بازار بیش از هر چیز از انتظارات و اخبار سیاسی اثر می‌پذیرد و تا زمانی که چشم‌انداز روشنی پیش روی فعالان اقتصادی قرار نگیرد، این نوسان‌ها ادامه خواهد داشت. آنان به خانوارها توصیه می‌کنند از تصمیم‌های هیجانی در خرید و فروش دارایی پرهیز کنند.

بانک مرکزی نیز در اطلاعیه‌ای اعلام کرد که عرضه ارز در مرکز مبادله ارز و طلا طبق روال ادامه دارد و نیاز واردکنندگان کالاهای اساسی و دارو در اولویت تأمین قرار گرفته است.`

	marketEn = `Markets close {dir} as traders weigh central bank signals

Stocks ended {day} {dir}, with the benchmark index closing at {index} points, a move of {pct} percent from the previous session, as investors weighed fresh comments from central bank officials on the path of interest rates.

Shares of energy companies led the market for much of the afternoon, while technology stocks traded in a narrow range after a volatile morning. Trading volume was below its monthly average, which analysts said reflected a cautious mood ahead of next week's inflation figures.

In currency markets, the dollar was little changed against the yen and the euro. Brent crude settled at {oil} dollars a barrel after government data showed that stockpiles had changed little over the past week.

Gold held near its recent levels as buyers balanced the prospect of lower rates against signs that the economy remained resilient. Bond yields moved within a few basis points of their opening levels for most of the day.

"The market is waiting for a clear signal, and until it gets one it will keep trading sideways," said a portfolio manager at a regional investment firm, who added that most of her clients had chosen to hold their positions rather than add to them.

Elsewhere, shares of consumer goods makers edged up after several companies reported steady demand, while airline stocks fell as higher fuel costs weighed on the outlook for the summer travel season. Smaller companies lagged the broader market for a third straight session.

Market strategists noted that the mood among investors had improved since the start of the month, but warned that thin trading could exaggerate price moves in either direction in the days ahead, particularly around the release of economic data.

Analysts expect trading to remain subdued until the central bank's next policy meeting, when officials are due to publish updated forecasts for growth and inflation.`

	appointmentEn = `{company} names new chief executive

The board of {company} said on Tuesday that it had appointed {person} as chief executive, effective at the start of next month, ending a search that began when the previous head of the company announced plans to retire.

{person} joins from {previous}, where the new chief led the group's international business and oversaw its expansion into several new markets. The board said the appointment followed a review of internal and external candidates and was approved unanimously.

In a statement, the chair of the board said the company needed a leader with experience of running large operations across different regulatory systems, and that the new chief executive had shown the ability to build strong teams and deliver steady growth.

The company said the outgoing chief executive would remain as an adviser for six months to ensure a smooth transition. Shares of the company were little changed in early trading after the announcement, which had been widely expected by analysts who follow the sector.

The new chief executive will be based at the company's headquarters and will report to the board. The company is due to publish its annual results later this quarter, when it is expected to give more detail on its plans for the coming year.`
)

// fill puts values in the {slots} of a template.
func fill(tmpl string, kv ...string) string {
	var pairs []string
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// templateCases are pairs of stories from one template, which are
// different stories, and of a story and a lightly edited reprint of it,
// which are one.
func templateCases() []struct {
	name   string
	a, b   string
	sameID bool
} {
	tabriz := fill(weatherFa, "city", "تبریز", "province", "آذربایجان شرقی", "day", "دوشنبه", "sky", "نیمه‌ابری",
		"low", "۳", "high", "۱۱", "wind", "۴۵")
	tabrizNextDay := fill(weatherFa, "city", "تبریز", "province", "آذربایجان شرقی", "day", "سه‌شنبه", "sky", "نیمه‌ابری",
		"low", "۱", "high", "۸", "wind", "۴۵")
	shiraz := fill(weatherFa, "city", "شیراز", "province", "فارس", "day", "دوشنبه", "sky", "صاف",
		"low", "۹", "high", "۲۱", "wind", "۳۰")
	// An agency's reprint: its credit first, a sentence cut, a word
	// changed, and its own spelling (Arabic yeh and kaf, ASCII digits).
	tabrizReprint := "به گزارش خبرگزاری آزمون از تبریز، " + strings.Replace(
		strings.Replace(tabriz, " پلیس راه نیز اعلام کرده است که در صورت لزوم تردد در برخی گردنه‌ها محدود خواهد شد.", "", 1),
		"تشدید می‌شود", "شدیدتر می‌شود", 1)
	tabrizReprint = strings.NewReplacer("ی", "ي", "ک", "ك", "۳", "3", "۱", "1", "۴", "4", "۵", "5").Replace(tabrizReprint)

	monday := fill(marketFa, "day", "دوشنبه", "usd", "۵۸٬۴۰۰", "change", "۲۰۰", "dir", "افزایش",
		"eur", "۶۳٬۱۰۰", "coin", "۴۱٫۲", "gold", "۳٬۸۵۰")
	tuesday := fill(marketFa, "day", "سه‌شنبه", "usd", "۵۸٬۱۵۰", "change", "۲۵۰", "dir", "کاهش",
		"eur", "۶۲٬۹۰۰", "coin", "۴۰٫۹", "gold", "۳٬۸۲۰")
	// One figure corrected in a reprint, and the source credited.
	mondayCorrected := strings.Replace(monday, "۶۳٬۱۰۰", "۶۳٬۲۰۰", 1) + "\n\nمنبع: خبرگزاری آزمون"

	up := fill(marketEn, "dir", "higher", "day", "Monday", "index", "4,512", "pct", "0.8", "oil", "82.40")
	down := fill(marketEn, "dir", "lower", "day", "Tuesday", "index", "4,470", "pct", "0.9", "oil", "81.95")
	upReprint := "LONDON (Wire) - " + strings.Replace(up, "a portfolio manager", "one portfolio manager", 1) +
		"\n\nReporting by the markets desk; editing by the news desk."

	hale := fill(appointmentEn, "company", "Northwind Shipping", "person", "Maria Hale", "previous", "Coastline Logistics")
	okafor := fill(appointmentEn, "company", "Eastgate Foods", "person", "Daniel Okafor", "previous", "Harvest Table")
	haleReprint := strings.Replace(hale, "In a statement, the chair of the board said the company needed",
		"The chair of the board said in a statement that the company needed", 1)

	return []struct {
		name   string
		a, b   string
		sameID bool
	}{
		{"fa weather, two cities", tabriz, shiraz, false},
		{"fa weather, next day", tabriz, tabrizNextDay, false},
		{"fa weather, agency reprint", tabriz, tabrizReprint, true},
		{"fa market, two days", monday, tuesday, false},
		{"fa market, one figure corrected", monday, mondayCorrected, true},
		{"en market, two days", up, down, false},
		{"en market, wire reprint", up, upReprint, true},
		{"en appointment, two companies", hale, okafor, false},
		{"en appointment, sentence reworded", hale, haleReprint, true},
	}
}

// TestSameStoryTemplates: stories written from one template are within
// NearDuplicateDistance, so simhash alone would make them one story;
// SameStory keeps them apart and keeps reprints together.
func TestSameStoryTemplates(t *testing.T) {
	for _, c := range templateCases() {
		ta, tb := Tokens(c.a), Tokens(c.b)
		d := Hamming(SimhashOf(ta), SimhashOf(tb))
		figures, slots := substitutions(ta, tb)
		t.Logf("%-34s %d words, distance %2d, %d figures and %d slots changed", c.name, len(ta), d, figures, slots)
		if d > NearDuplicateDistance {
			t.Errorf("%s: distance %d > %d; the case tests nothing simhash does not already tell", c.name, d, NearDuplicateDistance)
		}
		if got := SameStory(ta, tb); got != c.sameID {
			t.Errorf("%s: SameStory = %v, want %v", c.name, got, c.sameID)
		}
		if SameStory(ta, tb) != SameStory(tb, ta) {
			t.Errorf("%s: SameStory is not symmetric", c.name)
		}
	}
}

func TestSameStoryEdits(t *testing.T) {
	toks := func(s string) []string { return Tokens(s) }
	base := "the minister said on monday 12 may that talks with the three european countries would resume in geneva next week after a pause of 14 days"
	cases := []struct {
		name string
		b    string
		want bool
	}{
		{"identical", base, true},
		{"credit added", "geneva (agency) - " + base, true},
		{"sentence added", base + ". officials gave no further details", true},
		{"passage cut", strings.Replace(base, " after a pause of 14 days", "", 1), true},
		{"number respelled", strings.Replace(base, "14", "١٤", 1), true},
		{"one figure", strings.Replace(base, "14", "15", 1), true},
		{"one figure and a spelling", strings.NewReplacer("three", "3", "14", "15").Replace(base), true},
		{"two figures", strings.NewReplacer("12", "13", "14", "15").Replace(base), false},
		{"three names", strings.NewReplacer("monday", "friday", "european", "asian", "geneva", "vienna").Replace(base), false},
		{"one term everywhere", strings.ReplaceAll(base+". the minister left", "minister", "foreign minister"), true},
		{"sentence rewritten", strings.Replace(base, "would resume in geneva next week", "are expected to start again soon in the swiss city", 1), true},
	}
	for _, c := range cases {
		if got := SameStory(toks(base), toks(c.b)); got != c.want {
			f, s := substitutions(toks(base), toks(c.b))
			t.Errorf("%s: SameStory = %v, want %v (%d figures, %d slots)", c.name, got, c.want, f, s)
		}
	}
	if !SameStory(nil, nil) {
		t.Error("two empty texts are not the same story")
	}
	thousands := strings.Replace(base, "14 days", "1,200 days", 1)
	if !SameStory(toks(thousands), toks(strings.Replace(thousands, "1,200", "1200", 1))) {
		t.Error("1,200 and 1200 are different stories")
	}
}

// TestSameStoryCorpus measures SameStory on the real Persian news of the
// shared test data: every lightly edited reprint (see reprints) stays one
// story, and every story whose figures are all changed (a template filled
// again) becomes another.
func TestSameStoryCorpus(t *testing.T) {
	bodies := corpusStories(t, 150)
	changed, withFigures := 0, 0
	for i, body := range bodies {
		orig := Tokens(body)
		for kind, r := range reprints(body) {
			if !SameStory(orig, Tokens(r)) {
				f, s := substitutions(orig, Tokens(r))
				t.Errorf("story %d, %s: not the same story (%d figures, %d slots)", i, kind, f, s)
			}
		}
		if countNumbers(orig) < differentFigures {
			continue
		}
		withFigures++
		refilled := strings.Map(func(r rune) rune {
			switch {
			case r >= '0' && r <= '9':
				return '0' + (r-'0'+1)%10
			case r >= '۰' && r <= '۹':
				return '۰' + (r-'۰'+1)%10
			case r >= '٠' && r <= '٩':
				return '٠' + (r-'٠'+1)%10
			}
			return r
		}, body)
		if !SameStory(orig, Tokens(refilled)) {
			changed++
		} else {
			t.Errorf("story %d with its figures changed is still the same story", i)
		}
	}
	t.Logf("%d stories; reprints all kept together; %d of %d with two figures or more told apart when their figures change", len(bodies), changed, withFigures)
}

// BenchmarkSameStory compares a 323-word report with another filled in
// from its template: the work findStory does per near duplicate.
func BenchmarkSameStory(b *testing.B) {
	c := templateCases()[0]
	ta, tb := Tokens(c.a), Tokens(c.b)
	for b.Loop() {
		SameStory(ta, tb)
	}
}

// TestTokenDiffCoding: tokenDiff, which maps only the tokens between the
// texts' common ends, gives the diff that a map of every token gives, on
// the corpus's reprints and refilled figures, the templates, and texts
// with repeated tokens at their ends and in their middles.
func TestTokenDiffCoding(t *testing.T) {
	everyToken := func(a, b []string) []diffmatchpatch.Diff {
		ids := map[string]rune{}
		encode := func(toks []string) []rune {
			out := make([]rune, len(toks))
			for i, t := range toks {
				r, ok := ids[t]
				if !ok {
					r = rune(len(ids))
					if r >= 0xD800 {
						r += 0x800
					}
					ids[t] = r
				}
				out[i] = r
			}
			return out
		}
		dmp := diffmatchpatch.New()
		dmp.DiffTimeout = 0
		ra, rb := encode(a), encode(b)
		return dmp.DiffMainRunes(ra, rb, false)
	}
	shape := func(ds []diffmatchpatch.Diff) string {
		var s strings.Builder
		for _, d := range ds {
			fmt.Fprintf(&s, "%d:%d ", d.Type, utf8.RuneCountInString(d.Text))
		}
		return s.String()
	}
	var pairs [][2]string
	for _, c := range templateCases() {
		pairs = append(pairs, [2]string{c.a, c.b})
	}
	for _, body := range corpusStories(t, 150) {
		for _, r := range reprints(body) {
			pairs = append(pairs, [2]string{body, r})
		}
		pairs = append(pairs, [2]string{body, strings.Map(func(r rune) rune {
			if r >= '۰' && r <= '۹' {
				return '۰' + (r-'۰'+1)%10
			}
			return r
		}, body)})
	}
	pairs = append(pairs,
		[2]string{"a b a b x a b a b", "a b a b y a b a b"},
		[2]string{"a b c a b c d a b c", "a b c d a b c a b c"},
		[2]string{"x a a a y", "x a a y"},
		[2]string{"a a a", "a a a a a"},
		[2]string{"", "a b"},
		[2]string{"a b c", "a b c"},
		[2]string{"p q a b c", "p q a b c a b c"},
		[2]string{"a b c a b c q", "a b c q"})
	for i, p := range pairs {
		a, b := Tokens(p[0]), Tokens(p[1])
		if got, want := shape(tokenDiff(a, b)), shape(everyToken(a, b)); got != want {
			t.Errorf("pair %d: diff %s, want %s", i, got, want)
		}
	}
}
