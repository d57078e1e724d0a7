package reviews

import (
	"fmt"
	"time"
)

// Iranian outlets date their pages in the Solar Hijri calendar, so an
// analyst copying a date may paste 1403-12-14 where 2025-03-04 is meant.
// Entry dates must be Gregorian; the import refuses a year before
// minGregorianYear and names the Gregorian day the Solar Hijri reading
// gives. The conversion is the arithmetic Solar Hijri calendar of
// Borkowski's algorithm as published in jalaali-js (MIT), whose leap-year
// breaks agree with the Iranian civil calendar from 1178 to 1633 SH.
const minGregorianYear = 1900

// jalaliBreaks are the Solar Hijri years where the 33-year leap cycle
// shifts (jalaali-js "breaks").
var jalaliBreaks = []int{-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178}

// jalaliToGregorian converts the Solar Hijri date jy-jm-jd. ok is false
// when the date does not exist or lies outside the table.
func jalaliToGregorian(jy, jm, jd int) (t time.Time, ok bool) {
	if jy < 1 || jy >= jalaliBreaks[len(jalaliBreaks)-1] || jm < 1 || jm > 12 || jd < 1 {
		return time.Time{}, false
	}
	gy, march, leap := jalaliYear(jy)
	days := 31
	switch {
	case jm == 12 && leap:
		days = 30
	case jm == 12:
		days = 29
	case jm > 6:
		days = 30
	}
	if jd > days {
		return time.Time{}, false
	}
	// Farvardin to Shahrivar have 31 days, Mehr to Bahman 30.
	offset := (jm-1)*31 - (jm/7)*(jm-7) + jd - 1
	return time.Date(gy, time.March, march, 0, 0, 0, 0, time.UTC).AddDate(0, 0, offset), true
}

// jalaliYear returns, for the Solar Hijri year jy, the Gregorian year in
// which it begins, the day of March of its first day (1 Farvardin) and
// whether it is a leap year.
func jalaliYear(jy int) (gy, march int, leap bool) {
	gy = jy + 621
	leapJ, jp, jump := -14, jalaliBreaks[0], 0
	for _, jm := range jalaliBreaks[1:] {
		jump = jm - jp
		if jy < jm {
			break
		}
		leapJ += jump/33*8 + jump%33/4
		jp = jm
	}
	n := jy - jp
	leapJ += n/33*8 + (n%33+3)/4
	if jump%33 == 4 && jump-n == 4 {
		leapJ++
	}
	leapG := gy/4 - (gy/100+1)*3/4 - 150
	march = 20 + leapJ - leapG
	if jump-n < 6 {
		n = n - jump + (jump+4)/33*33
	}
	return gy, march, ((n+1)%33-1)%4 == 0
}

// hijriHint explains a date before minGregorianYear: when it reads as a
// Solar Hijri date, it names the Gregorian equivalent.
func hijriHint(y, m, d int) string {
	if t, ok := jalaliToGregorian(y, m, d); ok && t.Year() >= minGregorianYear {
		return fmt.Sprintf("; it looks like a Solar Hijri date, which is %s in the Gregorian calendar this field needs", t.Format(time.DateOnly))
	}
	return ""
}
