package gen

// Sentences written for this package, to train the models when no corpus
// is available (Persian) and for the languages without one (Arabic,
// English). They imitate the register of news reports, not any article.

var builtinPersian = []string{
	"وزیر امور خارجه در نشست خبری امروز درباره روابط منطقه‌ای سخن گفت.",
	"به گزارش خبرنگار ما نشست مجلس شورای اسلامی صبح امروز برگزار شد.",
	"سخنگوی دولت گفت که برنامه‌های اقتصادی دولت در سال جاری ادامه می‌یابد.",
	"نرخ تورم در ماه گذشته به بالاترین سطح خود در دو سال اخیر رسید.",
	"رئیس بانک مرکزی از سیاست‌های تازه ارزی خبر داد.",
	"نمایندگان مجلس درباره بودجه سال آینده بحث و گفت‌وگو کردند.",
	"این روزنامه در سرمقاله خود نوشت که دیپلماسی باید فعال‌تر باشد.",
	"کارشناسان می‌گویند که بازار مسکن در ماه‌های آینده آرام خواهد شد.",
	"استاندار تهران از آغاز طرح‌های عمرانی در جنوب شهر خبر داد.",
	"تیم ملی فوتبال ایران در دیدار دوستانه به پیروزی رسید.",
	"وزارت بهداشت درباره شیوع بیماری‌های فصلی هشدار داد.",
	"رئیس جمهور در سفر استانی با مردم دیدار و گفت‌وگو کرد.",
	"قیمت خودرو در بازار پس از تصمیم تازه وزارت صنعت کاهش یافت.",
	"دانشگاه تهران میزبان همایش بین‌المللی اقتصاد بود.",
	"سازمان هواشناسی برای روزهای آینده بارش باران پیش‌بینی کرد.",
	"مدیرعامل شرکت ملی نفت از افزایش تولید در میدان‌های مشترک خبر داد.",
	"این خبرگزاری به نقل از یک منبع آگاه نوشت که مذاکرات ادامه دارد.",
	"فعالان اصلاح‌طلب از برگزاری نشست هم‌اندیشی خبر دادند.",
	"اصولگرایان در مجلس بر لزوم حمایت از تولید داخلی تاکید کردند.",
	"وزیر اقتصاد گفت که اصلاح نظام مالیاتی در دستور کار دولت است.",
}

var builtinArabic = []string{
	"قال وزير الخارجية في مؤتمر صحفي إن العلاقات الإقليمية تشهد تطورا ملحوظا.",
	"أفادت مصادر مطلعة بأن الاجتماع سيعقد الأسبوع المقبل في العاصمة.",
	"ارتفعت أسعار النفط في الأسواق العالمية بعد قرار منظمة أوبك.",
	"أكد المتحدث باسم الحكومة أن الخطط الاقتصادية ستستمر هذا العام.",
	"شهدت العاصمة طهران اليوم تظاهرات حاشدة دعما للقضية الفلسطينية.",
	"دعا البرلمان إلى تعزيز التعاون مع دول الجوار في مجال الطاقة.",
	"ذكرت الوكالة أن المحادثات بين الجانبين كانت بناءة ومثمرة.",
	"أعلنت وزارة الصحة عن حملة وطنية للتطعيم في جميع المحافظات.",
	"وصل الرئيس إلى العاصمة في زيارة رسمية تستغرق يومين.",
	"يرى المحللون أن الاقتصاد سيواجه تحديات كبيرة في الأشهر المقبلة.",
	"انطلقت اليوم أعمال المؤتمر الدولي للحوار بين الأديان.",
	"قالت الصحيفة في افتتاحيتها إن الدبلوماسية هي الطريق الوحيد.",
}

var builtinEnglish = []string{
	"The foreign minister told reporters that regional relations were improving.",
	"Parliament debated the budget for the coming year in a heated session.",
	"The central bank announced new measures to stabilise the currency.",
	"Officials said the talks would continue next week in the capital.",
	"Inflation reached its highest level in two years last month, the statistics centre said.",
	"The government spokesman said economic plans would go ahead this year.",
	"Analysts expect the housing market to cool in the coming months.",
	"The president met residents during a provincial tour on Tuesday.",
	"Oil production rose at the shared fields, the national oil company said.",
	"The newspaper argued in its editorial that diplomacy must be more active.",
	"Reformist activists announced a meeting to discuss the elections.",
	"Conservative lawmakers called for more support for domestic production.",
	"The health ministry warned of a rise in seasonal illnesses.",
	"Tehran University hosted an international conference on the economy.",
	"The weather service forecast rain across the north of the country.",
	"The agency quoted an informed source as saying that negotiations were continuing.",
	"Car prices fell after the industry ministry issued a new decision.",
	"The national football team won a friendly match on Friday.",
	"Critics said the new law would restrict the press.",
	"The judiciary chief ordered a review of the cases.",
}
