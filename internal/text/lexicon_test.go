package text

import (
	"strings"
	"testing"
)

// TestJoinerJoins lists bound forms written apart that the joiner must
// read as the half-spaced word: each spaced spelling normalizes like the
// ZWNJ one.
func TestJoinerJoins(t *testing.T) {
	for _, zwnj := range []string{
		"خانه‌ای", "نامه‌ای", "صندلی‌ای", // indefinite ی after ه and ی
		"رفته‌اند", "کرده‌ام", "شده‌ایم", "گفته‌اید", "خانه‌اش", "نوشته‌ات", // clitics
		"مهم‌تر", "بیش‌تر", "کم‌تری", "ضعیف‌تر", // comparatives of known adjectives
		"سه‌شنبه", "پنج‌شنبه", "اصلاح‌طلبان", "تعیین‌کننده", "گران‌قیمت", "خانه‌دار", // lexicon compounds
		"جاه‌طلب", "دانش‌گاه", "فرود‌گاه", // solid compounds with a bound second element
		"بی‌کیفیت", "بی‌شماری", "بی‌استخوان", // the privative prefix
		"گسترده‌ی",                      // ezafe after ه
		"کتاب‌ها", "مهم‌ترین", "می‌رود", // the rules that need no lexicon
	} {
		spaced := strings.ReplaceAll(zwnj, "\u200C", " ")
		want := Normalize(zwnj)
		if got := Normalize(spaced); got != want {
			t.Errorf("Normalize(%q) = %q, want %q as for the half-spaced %q", spaced, got, want, zwnj)
		}
		if strings.Contains(want, " ") {
			t.Errorf("Normalize(%q) = %q, want one word", zwnj, want)
		}
	}
}

// TestJoinerKeepsApart lists words that only look like a word and a bound
// form written apart: they must stay two index terms, or a search for the
// first word would miss them.
func TestJoinerKeepsApart(t *testing.T) {
	for _, s := range []string{
		"ای ایران",       // the vocative opens the phrase
		"گفت ای دوست",    // ای after a word that does not take it
		"ام آی تی",       // a transliteration
		"جی ام",          // host too short and not a known word
		"خشک و تر",       // تر the adjective "wet"
		"کتاب تر",        // تر after a noun
		"لباس تر",        // تر after a noun
		"به اندازه کافی", // preposition: not a compound
		"به دلیل",        // preposition
		"انجام شده است",  // participle of a passive verb
		"سه روز",         // a number and a noun
		"یک بار",         // a number and a noun
		"هفت سال",        // a number and a noun
		"زیاد شان",       // شان is not joined
		"دو ی",           // ezafe ی only after ه
		"کشور گاه",       // گاه after a word it makes no compound with
	} {
		got := Normalize(s)
		if strings.Count(got, " ") != strings.Count(s, " ") {
			t.Errorf("Normalize(%q) = %q, want the words kept apart", s, got)
		}
	}
}

// TestJoinerIdempotent builds, from every compound of the lexicon, inputs
// where one join makes a word that joins the word before it (ارزش ده ی:
// ده takes the ezafe ی, and دهی is the second part of ارزش‌دهی): Normalize
// must reach the joined form at once, or a normalized query would not
// normalize to itself.
func TestJoinerIdempotent(t *testing.T) {
	suffixes := []string{"ای", "ها", "های", "اند", "ی", "تر", "ترین"}
	n := 0
	for line := range strings.Lines(readLexicon("compounds")) {
		first, second, _ := strings.Cut(strings.TrimSpace(line), " ")
		inputs := []string{first + " " + second}
		for _, suf := range suffixes {
			inputs = append(inputs, first+" "+second+" "+suf)
			if stem, ok := strings.CutSuffix(second, suf); ok && stem != "" {
				inputs = append(inputs, first+" "+stem+" "+suf)
			}
		}
		for _, in := range inputs {
			n++
			if once := Normalize(in); Normalize(once) != once {
				t.Errorf("Normalize(%q) = %q, but Normalize of that is %q", in, once, Normalize(once))
			}
		}
	}
	if n < 10000 {
		t.Errorf("only %d inputs: is the lexicon loaded?", n)
	}
}
