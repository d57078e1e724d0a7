package reviews

import (
	"testing"
	"time"
)

// TestJalaliToGregorian checks the conversion against dates of the Iranian
// civil calendar: new years (Nowruz) of leap and common years, the 30th of
// Esfand that only leap years have, and days in each half of the year.
func TestJalaliToGregorian(t *testing.T) {
	for _, tt := range []struct {
		jy, jm, jd int
		want       string // "" when the date does not exist
	}{
		{1403, 12, 14, "2025-03-04"},
		{1403, 1, 1, "2024-03-20"},
		{1404, 1, 1, "2025-03-21"},
		{1403, 12, 30, "2025-03-20"}, // 1403 is a leap year
		{1404, 12, 30, ""},           // 1404 is not
		{1399, 12, 30, "2021-03-20"},
		{1357, 11, 22, "1979-02-11"},
		{1300, 1, 1, "1921-03-21"},
		{1402, 7, 1, "2023-09-23"},
		{1402, 6, 31, "2023-09-22"},
		{1402, 7, 31, ""},
		{1402, 13, 1, ""},
		{1402, 0, 1, ""},
	} {
		got, ok := jalaliToGregorian(tt.jy, tt.jm, tt.jd)
		switch {
		case tt.want == "" && ok:
			t.Errorf("%d-%02d-%02d: got %s, want no such date", tt.jy, tt.jm, tt.jd, got.Format(time.DateOnly))
		case tt.want != "" && (!ok || got.Format(time.DateOnly) != tt.want):
			t.Errorf("%d-%02d-%02d: got %s (ok %v), want %s", tt.jy, tt.jm, tt.jd, got.Format(time.DateOnly), ok, tt.want)
		}
	}
}
