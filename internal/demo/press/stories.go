package press

import "time"

// The texts below were written for the pressreview demo. They are not
// taken from any outlet, quote no real person, and describe no real
// events: they only have to read like the press each outlet stands for.

const (
	hour = time.Hour
	day  = 24 * time.Hour
	sec  = time.Second
)

// waterStory is the agency story of the demo: IRNA publishes it, Kayhan
// and Khorasan reprint it with their own opening and closing lines, and
// the desk groups the three into one story.
var waterStory = struct {
	title, dek, source, body string
	paras                    []string
}{
	title:  "ذخایر سدهای تهران به کمترین حد در یک دهه اخیر رسید",
	dek:    "شرکت آب منطقه‌ای تهران از مشترکان خواست مصرف آب را در ماه‌های پیش رو کاهش دهند.",
	source: "به گزارش خبرنگار اقتصادی ایرنا، ",
	paras: []string{
		"حجم آب ذخیره‌شده در پنج سد اصلی استان تهران در پایان هفته گذشته به پایین‌ترین سطح خود در ده سال اخیر رسید. بر اساس گزارش شرکت آب منطقه‌ای تهران، تنها حدود یک‌چهارم ظرفیت این سدها پر است و بارش‌های پاییز و زمستان امسال کمتر از نیمی از میانگین بلندمدت بوده است.",
		"مدیرعامل این شرکت در نشستی با خبرنگاران گفت سدهای لار و ماملو وضعیت دشوارتری دارند و آب شرب پایتخت در ماه‌های گرم سال بیش از گذشته به منابع زیرزمینی وابسته خواهد بود. وی افزود برداشت بی‌رویه از چاه‌ها فرونشست زمین را در جنوب تهران شتاب داده است.",
		"به گفته این مقام مسئول، برنامه کاهش فشار آب در ساعات شب از هفته آینده در برخی مناطق اجرا می‌شود و مشترکانی که مصرف خود را بیش از بیست درصد کم کنند از تخفیف در قبض بهره‌مند خواهند شد.",
		"کارشناسان منابع آب نیز هشدار داده‌اند که بدون اصلاح الگوی کشت در دشت‌های اطراف پایتخت و نوسازی شبکه فرسوده توزیع، کم‌آبی به مسئله‌ای دائمی برای تهران تبدیل می‌شود.",
	},
}

// waterParas is the agency text with an outlet's own first words and an
// optional closing line.
func waterParas(opening, closing string) []string {
	out := append([]string{opening + waterStory.paras[0]}, waterStory.paras[1:]...)
	if closing != "" {
		out = append(out, closing)
	}
	return out
}

// Outlets returns the press's outlets with their articles, oldest first.
func Outlets() []Outlet {
	return []Outlet{
		{
			Key: "kayhan", Name: "کیهان", Lang: "fa", Charset: "utf-8", Format: RSS,
			Items: []Item{
				{Slug: "editorial-guarantees", At: -5*day - 3*hour,
					Title: "میانجی کم نیست، تضمین نیست",
					Dek:   "یادداشت روز: تجربه سال‌های گذشته نشان می‌دهد مشکل اصلی نبودِ ضمانت اجراست، نه نبودِ واسطه.",
					Paras: []string{
						"این روزها برخی محافل سیاسی دوباره از ضرورت گفت‌وگو با واشنگتن سخن می‌گویند، گویی تجربه سال‌های گذشته از حافظه‌ها پاک شده است. مشکل ما با طرف مقابل کمبود میانجی نیست؛ مشکل، طرفی است که بارها امضای خود را زیر پا گذاشته است.",
						"هر پیشنهاد واسطه‌گری را باید با یک پرسش ساده سنجید: اگر توافقی شد و طرف مقابل باز هم به تعهدش عمل نکرد، چه کسی پاسخگوست؟ تا وقتی پاسخ روشنی برای این پرسش نباشد، دل بستن به مذاکره فقط وقت کشور را می‌گیرد.",
						"راه عبور از فشار اقتصادی از تقویت تولید داخلی و گسترش تجارت با همسایگان می‌گذرد، نه از انتظار برای وعده‌هایی که پیش از این هم عملی نشده‌اند.",
					}},
				{Slug: "book-fair-opens", At: -3*day - 5*hour,
					Title: "نمایشگاه کتاب تهران با حضور گسترده ناشران استانی گشایش یافت",
					Dek:   "امسال بیش از هزار ناشر از شهرستان‌ها در بخش ویژه نمایشگاه غرفه دارند.",
					Paras: []string{
						"نمایشگاه بین‌المللی کتاب تهران صبح امروز در مصلای امام خمینی گشایش یافت و از همان ساعات نخست، راهروهای بخش کودک و نوجوان شلوغ‌ترین بخش نمایشگاه بود.",
						"دبیر نمایشگاه گفت امسال بخش ویژه‌ای برای ناشران استانی در نظر گرفته شده تا کتاب‌هایی که در تهران کمتر دیده می‌شوند فرصت عرضه پیدا کنند. به گفته وی، فروش اینترنتی نیز هم‌زمان با نمایشگاه حضوری ادامه دارد.",
						"بازدیدکنندگان از گرانی کاغذ و بالا رفتن قیمت پشت جلد گلایه داشتند، اما بسیاری از ناشران با تخفیف‌های ویژه تلاش کرده‌اند خریداران را راضی نگه دارند.",
					}},
				{Slug: "tehran-dams", At: -20 * hour,
					Title: waterStory.title, Dek: waterStory.dek,
					Paras: waterParas("به گزارش ایرنا، ", "")},
				{Slug: "fuel-queues", At: 30 * sec,
					Title: "صف جایگاه‌های سوخت؛ شایعه‌ای که تکذیب شد",
					Dek:   "شرکت پخش فرآورده‌های نفتی: قیمت بنزین تغییری نمی‌کند و سهمیه‌ها مانند گذشته است.",
					Paras: []string{
						"شامگاه دیروز انتشار پیام‌هایی در شبکه‌های اجتماعی درباره افزایش قریب‌الوقوع قیمت بنزین باعث شد در برخی جایگاه‌های سوخت پایتخت صف‌های طولانی شکل بگیرد.",
						"سخنگوی شرکت ملی پخش فرآورده‌های نفتی این خبر را تکذیب کرد و گفت هیچ تصمیمی برای تغییر قیمت یا سهمیه گرفته نشده است. وی از مردم خواست اخبار را فقط از منابع رسمی دنبال کنند.",
						"به نظر می‌رسد بار دیگر جریان‌هایی که از نگرانی مردم سود می‌برند، با شایعه‌سازی به دنبال ایجاد التهاب در بازار بوده‌اند.",
					}},
			},
		},
		{
			Key: "etemad", Name: "اعتماد", Lang: "fa", Charset: "utf-8", Format: Atom,
			Items: []Item{
				{Slug: "filtering-small-business", At: -6*day - 2*hour,
					Title: "هزینه پنهان فیلترینگ برای کسب‌وکارهای کوچک",
					Dek:   "فروشندگان اینترنتی می‌گویند بخشی از درآمدشان صرف ابزارهای دور زدن محدودیت‌ها می‌شود.",
					Paras: []string{
						"گفت‌وگو با ده‌ها فروشنده اینترنتی در تهران و شیراز نشان می‌دهد که محدودیت‌های دسترسی به اینترنت برای آنها فقط یک دردسر فنی نیست؛ هزینه‌ای است که هر ماه از جیبشان پرداخت می‌شود.",
						"یک تولیدکننده صنایع دستی که محصولاتش را از طریق یک شبکه اجتماعی می‌فروشد، می‌گوید از زمان فیلتر شدن این شبکه، تعداد سفارش‌هایش به کمتر از نصف رسیده و هزینه تبلیغاتش دو برابر شده است.",
						"اقتصاددانان می‌گویند سیاست‌گذاران باید پیش از هر تصمیم تازه، اثر آن را بر اشتغال میلیون‌ها نفری که از راه اینترنت کسب درآمد می‌کنند بسنجند.",
					}},
				{Slug: "food-prices", At: -2*day - 4*hour,
					Title: "سفره‌هایی که کوچک‌تر شد",
					Dek:   "گزارش میدانی از بازار میوه و تره‌بار: خانوارها سبد خرید خود را سبک‌تر می‌کنند.",
					Paras: []string{
						"در میدان مرکزی میوه و تره‌بار، فروشندگان از کاهش محسوس خرید خانوارها خبر می‌دهند. به گفته یکی از آنها، مشتریانی که پیش‌تر چند کیلو میوه می‌خریدند، حالا به چند عدد بسنده می‌کنند.",
						"آمارهای رسمی از رشد قیمت گروه خوراکی‌ها بیش از میانگین تورم حکایت دارد و کارشناسان رفاه اجتماعی هشدار می‌دهند که کاهش مصرف لبنیات و پروتئین در دهک‌های پایین اثر بلندمدتی بر سلامت خواهد داشت.",
						"یک پژوهشگر اقتصاد می‌گوید حمایت‌های نقدی اگر با مهار تورم همراه نشود، چند ماه بعد اثر خود را از دست می‌دهد.",
					}},
				{Slug: "diplomacy-test", At: 60 * sec,
					Title: "دیپلماسی؛ راهی که باید آزموده شود",
					Dek:   "سرمقاله: درهای بسته هزینه‌ای دارد که سرانجام بر دوش مردم می‌افتد.",
					Paras: []string{
						"مخالفان گفت‌وگو می‌گویند به طرف مقابل اعتمادی نیست. این نگرانی را نمی‌توان نادیده گرفت، اما بی‌اعتمادی دلیلی برای کنار گذاشتن دیپلماسی نیست؛ دلیلی است برای آن‌که مذاکره با دقت و با ضمانت‌های روشن دنبال شود.",
						"هر روز تعلیق، هزینه‌ای برای صنعت، کشاورزی و معیشت خانوارها دارد. کشورهایی که از راه گفت‌وگو امتیاز گرفته‌اند، پیش از آن صبر و واقع‌بینی را آموخته بودند.",
						"اگر میانجی‌ای پیدا شود که هر دو طرف به او اعتماد کنند، رد کردن پیشاپیش پیشنهادش خطایی است که بعدها توضیح دادنش دشوار خواهد بود.",
					}},
			},
		},
		{
			Key: "irna", Name: "ایرنا", Lang: "fa", Charset: "utf-8", Format: RSS,
			Items: []Item{
				{Slug: "rail-freight", At: -4*day - 1*hour,
					Title: "نخستین قطار باری مسیر جدید ریلی شرق کشور حرکت کرد",
					Dek:   "با بهره‌برداری از این مسیر، زمان حمل بار تا مرز شرقی یک روز کوتاه‌تر می‌شود.",
					Paras: []string{
						"به گزارش ایرنا، نخستین قطار باری مسیر تازه‌ساخت ریلی در شرق کشور با چهل واگن حامل مصالح ساختمانی و محصولات کشاورزی به سوی مرز شرقی حرکت کرد.",
						"معاون وزیر راه و شهرسازی در آیین بهره‌برداری گفت این مسیر سهم حمل ریلی را در ترانزیت کالا افزایش می‌دهد و هزینه حمل برای صادرکنندگان استان‌های شرقی را کاهش خواهد داد.",
						"بر اساس اعلام شرکت راه‌آهن، ایستگاه‌های میانی این مسیر تا پایان سال آینده برای قطارهای مسافری نیز آماده می‌شوند.",
					}},
				{Slug: "tehran-dams", At: -26 * hour,
					Title: waterStory.title, Dek: waterStory.dek,
					Paras: waterParas(waterStory.source, "")},
				{Slug: "mediation-offers", At: 90 * sec,
					Title: "سخنگوی وزارت امور خارجه: پیشنهادهای میانجیگری را بررسی می‌کنیم",
					Dek:   "وی در نشست هفتگی با خبرنگاران گفت سیاست خارجی کشور بر پایه منافع ملی تعیین می‌شود.",
					Paras: []string{
						"به گزارش ایرنا، سخنگوی وزارت امور خارجه در نشست هفتگی خود با خبرنگاران در پاسخ به پرسشی درباره پیشنهادهای چند کشور برای میانجیگری گفت این پیشنهادها دریافت شده و در چارچوب منافع ملی بررسی می‌شوند.",
						"وی افزود هیچ تصمیمی درباره گفت‌وگو بدون در نظر گرفتن تجربه‌های گذشته گرفته نخواهد شد و تهران از هر ابتکاری که به کاهش تنش در منطقه کمک کند استقبال می‌کند.",
						"سخنگوی دستگاه دیپلماسی همچنین از سفر هیئتی از وزارت خارجه به یکی از کشورهای حاشیه خلیج فارس در روزهای آینده خبر داد.",
					}},
			},
		},
		{
			// Khorasan's site still serves windows-1256, as some regional
			// Persian sites did long after UTF-8: the desk must read it.
			Key: "khorasan", Name: "خراسان", Lang: "fa", Charset: "windows-1256", Format: RSS,
			Items: []Item{
				{Slug: "saffron-exports", At: -5*day - 6*hour,
					Title: "زعفران خراسان دوباره راهی بازارهای جهانی شد",
					Dek:   "صادرکنندگان از افزایش سفارش‌های خریداران آسیایی خبر می‌دهند.",
					Paras: []string{
						"رئیس انجمن صادرکنندگان زعفران استان گفت در دو ماه گذشته سفارش‌های تازه‌ای از خریداران آسیای شرقی رسیده و بسته‌بندی محصول در کارگاه‌های تربت حیدریه و قائنات شلوغ‌تر از سال گذشته است.",
						"به گفته وی، مشکل اصلی صادرکنندگان بازگشت ارز و هزینه حمل است و اگر این دو گره باز شود، سهم زعفران ایران در بازارهای جهانی بیشتر خواهد شد.",
						"کشاورزان نیز از کمبود آب و افزایش دستمزد کارگران فصلی در زمان برداشت گلایه دارند.",
					}},
				{Slug: "tehran-dams", At: -19 * hour,
					Title: waterStory.title, Dek: waterStory.dek,
					Paras: waterParas("به گزارش ایرنا، ", "")},
				{Slug: "mashhad-pilgrims", At: 2 * time.Minute,
					Title: "مشهد برای پذیرش زائران نوروزی آماده می‌شود",
					Dek:   "ستاد خدمات سفر: ظرفیت اسکان اضطراری در مدارس و مجتمع‌های فرهنگی افزایش می‌یابد.",
					Paras: []string{
						"دبیر ستاد خدمات سفر استان خراسان رضوی گفت پیش‌بینی می‌شود تعداد زائران در تعطیلات پیش رو از سال گذشته بیشتر باشد و برای همین ظرفیت اسکان اضطراری افزایش یافته است.",
						"به گفته وی، ناوگان حمل‌ونقل عمومی شهر در ساعات شب نیز فعال خواهد بود و ایستگاه‌های راهنمای زائران در ورودی‌های شهر برپا می‌شود.",
						"هتلداران مشهد اما از افزایش هزینه‌های نگهداری و نبود تسهیلات بانکی برای نوسازی اقامتگاه‌ها گله دارند.",
					}},
			},
		},
		{
			Key: "al-alam", Name: "العالم", Lang: "ar", Charset: "utf-8", Format: Atom,
			Items: []Item{
				{Slug: "gulf-navigation-meeting", At: -4*day - 8*hour,
					Title: "طهران تستضيف اجتماعاً إقليمياً حول أمن الملاحة في الخليج",
					Dek:   "خبراء من دول المنطقة يبحثون سبل التعاون لحماية خطوط الملاحة التجارية.",
					Paras: []string{
						"استضافت العاصمة الإيرانية اجتماعاً لخبراء من عدد من دول المنطقة لبحث أمن الملاحة في مياه الخليج وبحر عمان، وسط دعوات لتعزيز التنسيق بين الدول المطلة عليها.",
						"وقال أحد المشاركين إن أمن الممرات البحرية مسؤولية مشتركة لدول المنطقة، وإن الحوار المباشر بينها أجدى من الاعتماد على قوى من خارجها.",
						"واتفق المشاركون على عقد لقاء فني آخر خلال الأشهر المقبلة لمتابعة المقترحات التي طرحت في الاجتماع.",
					}},
				{Slug: "tehran-water", At: -1*day - 2*hour,
					Title: "أزمة المياه في طهران: السدود عند أدنى مستوى منذ عقد",
					Dek:   "السلطات تدعو السكان إلى ترشيد الاستهلاك قبل حلول الصيف.",
					Paras: []string{
						"أعلنت شركة المياه الإقليمية في طهران أن مخزون السدود الرئيسية التي تزود العاصمة بمياه الشرب تراجع إلى أدنى مستوى له منذ عشر سنوات، بعد شتاء شحيح الأمطار.",
						"وأوضحت الشركة أنها ستخفض ضغط المياه ليلاً في بعض المناطق، وأنها ستمنح حسومات للمشتركين الذين يقللون استهلاكهم بشكل ملحوظ.",
						"ويرى خبراء أن معالجة الأزمة تتطلب إصلاح شبكات التوزيع القديمة وتغيير أنماط الزراعة في السهول المحيطة بالعاصمة.",
					}},
				{Slug: "book-fair-arab-publishers", At: 150 * sec,
					Title: "معرض طهران الدولي للكتاب يفتح أبوابه بمشاركة عربية واسعة",
					Dek:   "دور نشر من لبنان والعراق وسوريا تعرض إصداراتها الجديدة في جناح خاص.",
					Paras: []string{
						"شهد الجناح العربي في معرض طهران الدولي للكتاب إقبالاً لافتاً في أيامه الأولى، حيث تعرض دور نشر عربية أحدث إصداراتها في الأدب والفكر وكتب الأطفال.",
						"وقال ناشر لبناني إن القراء الإيرانيين يهتمون بالترجمات المتبادلة بين العربية والفارسية، وإن المعرض فرصة لعقد اتفاقات ترجمة جديدة.",
						"ويستمر المعرض عشرة أيام، وتقام على هامشه ندوات عن الترجمة وصناعة النشر في المنطقة.",
					}},
			},
		},
		{
			Key: "tehran-times", Name: "Tehran Times", Lang: "en", Charset: "utf-8", Format: RSS,
			Items: []Item{
				{Slug: "press-review-guarantees", At: -5*day - 1*hour,
					Title: "Press review: Kayhan asks who guarantees a deal",
					Dek:   "The morning papers divide over talk of mediation with Washington.",
					Paras: []string{
						"Kayhan, the hard-line daily, led with an editorial arguing that Iran lacks guarantees rather than mediators, and that any offer of good offices should be judged by who would answer for a broken agreement.",
						"The reformist Etemad did not take up the subject on its front page, devoting its lead story instead to small online businesses and the cost of internet restrictions.",
						"Several provincial papers focused on the saffron harvest and on preparations for the coming holidays.",
					}},
				{Slug: "rial-steadies", At: -2*day - 7*hour,
					Title: "Rial steadies after central bank steps in",
					Dek:   "Currency traders in Tehran report calmer trading after new supply reached the exchange centre.",
					Paras: []string{
						"The rial held its ground against the dollar on the open market on Tuesday, traders said, after the central bank released additional foreign currency through the official exchange centre.",
						"Importers of raw materials welcomed the move but said the gap between the official and open-market rates still complicated their planning.",
						"Economists cautioned that the calm would last only if the budget deficit was brought under control.",
					}},
				{Slug: "press-review-water", At: -10 * hour,
					Title: "Press review: water shortage dominates the front pages",
					Dek:   "Kayhan and Khorasan run the IRNA report on Tehran's reservoirs; Etemad asks about the cost of food.",
					Paras: []string{
						"An IRNA report that the reservoirs behind Tehran's main dams are at their lowest level in a decade was carried almost word for word by Kayhan and by the Mashhad daily Khorasan.",
						"Etemad chose a different angle, with a reportage from the fruit and vegetable market on households buying less as food prices rise faster than overall inflation.",
						"Arabic-language Al-Alam reported the water figures for its regional audience and stressed the need to modernise the distribution network.",
					}},
				{Slug: "book-fair-crowds", At: 45 * sec,
					Title: "Tehran book fair draws crowds on its opening weekend",
					Dek:   "Children's books and provincial publishers attract the longest queues.",
					Paras: []string{
						"Visitors filled the halls of the Tehran International Book Fair over its opening weekend, with the children's section again the busiest, organisers said.",
						"A new hall for publishers from the provinces drew readers looking for titles that rarely reach the capital's bookshops.",
						"Publishers complained about the price of paper, and many offered fair discounts to keep buyers coming.",
					}},
				{Slug: "press-review-mediation", At: 4 * time.Minute,
					Title: "Press review: papers split over offers of mediation",
					Dek:   "Kayhan stays sceptical, Etemad urges diplomacy, and IRNA reports the foreign ministry's cautious line.",
					Paras: []string{
						"The foreign ministry spokesman's remark that offers of mediation are being studied set the tone of the day's commentary, as reported by IRNA.",
						"Kayhan repeated its view that promises without guarantees are worthless, while Etemad argued in its editorial that mistrust is a reason for careful negotiation, not for refusing to talk.",
						"Khorasan, closer to the concerns of its readers in the east, gave more space to the city's preparations for holiday pilgrims.",
					}},
			},
		},
	}
}
