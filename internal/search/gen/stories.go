package gen

// story is a recurring news story: for a window of the period, a share of
// articles carry one of its lines. The benchmark's queries look for them,
// so they hit realistic numbers of articles, and coverage charts show
// their rise and fall.
type story struct {
	from, to float64 // the window, as fractions of the period
	share    float64 // the chance that an article in the window carries a line
	lines    map[string][]string
}

func (s story) active(day, days int) bool {
	f := float64(day) / float64(days)
	return f >= s.from && f < s.to
}

// The lines were written for this package.
var stories = []story{
	{from: 0.10, to: 0.16, share: 0.08, lines: map[string][]string{
		"fa": {"پوتین پیشنهاد میانجی‌گری میان تهران و واشنگتن را مطرح کرد.", "پیشنهاد میانجی گری روسیه در محافل سیاسی تهران بررسی می‌شود."},
		"ar": {"عرض بوتين الوساطة بين طهران وواشنطن.", "تدرس طهران عرض الوساطة الروسية."},
		"en": {"Putin offered to mediate between Tehran and Washington.", "Tehran is weighing the Russian mediation offer."},
	}},
	{from: 0.0, to: 1.0, share: 0.03, lines: map[string][]string{
		"fa": {"مذاکرات هسته‌ای در مسقط ادامه یافت.", "دور تازه مذاکرات هسته ای به تعویق افتاد."},
		"ar": {"استؤنفت المحادثات النووية في مسقط.", "تأجلت الجولة الجديدة من المحادثات النووية."},
		"en": {"Nuclear talks resumed in Muscat.", "The next round of nuclear talks was postponed."},
	}},
	{from: 0.40, to: 0.55, share: 0.05, lines: map[string][]string{
		"fa": {"تحریم‌های تازه آمریکا بر صادرات نفت ایران اعمال شد.", "تحریم ها بازار ارز را متلاطم کرد."},
		"ar": {"فرضت واشنطن عقوبات جديدة على صادرات النفط الإيرانية.", "هزت العقوبات سوق العملات."},
		"en": {"Washington imposed new sanctions on Iranian oil exports.", "The sanctions rattled the currency market."},
	}},
	{from: 0.70, to: 0.72, share: 0.15, lines: map[string][]string{
		"fa": {"انتخابات ریاست جمهوری با مشارکت کم برگزار شد.", "نامزدهای انتخابات ریاست جمهوری مناظره کردند."},
		"ar": {"جرت الانتخابات الرئاسية بمشاركة منخفضة.", "تناظر المرشحون في الانتخابات الرئاسية."},
		"en": {"The presidential election was held with low turnout.", "Presidential candidates met in a televised debate."},
	}},
}
