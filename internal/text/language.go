package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language codes returned by Language.
const (
	Persian = "fa"
	Arabic  = "ar"
	English = "en"
)

// minLanguageLetters is the fewest letters Language decides on; below it
// even the script is a guess.
const minLanguageLetters = 3

// languageSample bounds what Language reads of a text: the first 16 KiB
// (some 1,500 Persian or 2,500 English words) hold evidence enough, and
// reading the whole of a long article cost a twentieth of its extraction.
const languageSample = 16 << 10

// Language guesses whether s, read up to languageSample bytes, is Persian
// ("fa"), Arabic ("ar") or English ("en"), and returns "" when the text is
// too short or gives no evidence either way. It is built for the desk's
// three languages: Latin-script text is English unless French, German or
// Spanish function words outnumber the English ones (then ""), and
// Arabic-script text is Persian or Arabic (Urdu, Kurdish and Pashto are
// not told apart).
//
// The script with more letters wins. Within the Arabic script it weighs,
// on the raw text (before Normalize folds the differences away):
//
//   - letters Arabic does not have (پ چ ژ گ) and the ZWNJ half-space, for
//     Persian, against teh marbuta ة, which Persian keeps only in quoted
//     Arabic, for Arabic;
//   - function words that are frequent in one language and absent or rare
//     in the other (است را از که برای شده... against في عن الذي التي هذه
//     كان...), compared in normalized form so that the keyboard used does
//     not matter; words shared by both languages or colliding after
//     normalization (من, ما, هم, به, بعد, بین, ولی/ولي, علی/على,
//     آن/أن/إن, اما/أما, ایران/إيران) are in neither list;
//   - words carrying the Arabic article (ال, وال, بال, فال, كال, لل) beyond
//     the few percent of Arabic loanwords Persian has (البته, فوق‌العاده);
//   - as a tie-breaker only, the keyboard: Persian ی ک and digits ۰–۹
//     against Arabic ي ك ى and digits ٠–٩. Iranian sites still publish
//     Persian typed on Arabic layouts, and Arabic is sometimes typed on
//     Persian ones, so the share of each is worth half a function word.
func Language(s string) string {
	lang, _, _, _ := LanguageAnalyzed(s)
	return lang
}

// LanguageAnalyzed is Language that also hands on what it computed on the
// way: when it normalized the whole of s (s is within languageSample and
// has letters enough to decide on), ok is true and normalized and tokens
// are Analyze(s). A caller that needs s analyzed too — ingest hashes,
// fingerprints and indexes every article it detects the language of —
// then does not normalize the text a second time.
func LanguageAnalyzed(s string) (lang, normalized string, tokens []string, ok bool) {
	whole := len(s) <= languageSample
	if !whole {
		cut := languageSample
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	var latin, arabic, faLetters, arLetters, faKeys, arKeys int
	for _, r := range s {
		switch {
		case r == zwnj:
			faLetters++
		case r < 0x80:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				latin++
			}
		case unicode.IsLetter(r) && (r >= 0x0600 && r <= 0x06FF || unicode.Is(unicode.Arabic, r)):
			arabic++
			switch r {
			case 'پ', 'چ', 'ژ', 'گ':
				faLetters++
			case 'ة':
				arLetters++
			case 'ی', 'ک':
				faKeys++
			case 'ي', 'ك', 'ى':
				arKeys++
			}
		case r >= '۰' && r <= '۹':
			faKeys++
		case r >= '٠' && r <= '٩':
			arKeys++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	if latin+arabic < minLanguageLetters {
		return "", "", nil, false
	}
	normalized, toks := Analyze(s)
	if latin > arabic {
		return latinLanguage(toks), normalized, toks, whole
	}

	var faWords, arWords, article int
	for _, t := range toks {
		switch {
		case persianMarkers[t]:
			faWords++
		case arabicMarkers[t]:
			arWords++
		}
		if hasArabicArticle(t) {
			article++
		}
	}
	// Persian news has a handful of Arabic loanwords with the article;
	// count only what exceeds one word in twelve.
	article -= len(toks) / 12

	// A distinctive letter or function word scores 2, an article word
	// beyond the loanword share 1, the keyboard at most 1.
	fa := 2*float64(faLetters) + 2*float64(faWords)
	ar := 2*float64(arLetters) + 2*float64(arWords) + float64(max(article, 0))
	if keys := faKeys + arKeys; keys > 0 {
		fa += float64(faKeys) / float64(keys)
		ar += float64(arKeys) / float64(keys)
	}
	switch {
	case fa > ar:
		lang = Persian
	case ar > fa:
		lang = Arabic
	}
	return lang, normalized, toks, whole
}

// latinLanguage reports English unless the function words of French,
// German or Spanish (which Iranian state media also publish in) outnumber
// the English ones. Headlines without any function word count as English.
func latinLanguage(toks []string) string {
	english, other := 0, 0
	for _, t := range toks {
		switch {
		case englishMarkers[t]:
			english++
		case otherLatinMarkers[t]:
			other++
		}
	}
	if other > english {
		return ""
	}
	return English
}

// hasArabicArticle reports whether a normalized token starts with the
// Arabic definite article, alone or after a one-letter proclitic, and has
// at least three letters after it (so that الله, Persian الان and the
// names ending in -الله do not count).
func hasArabicArticle(t string) bool {
	for _, p := range [...]string{"ال", "وال", "بال", "فال", "کال", "لل"} {
		if rest, ok := strings.CutPrefix(t, p); ok && utf8.RuneCountInString(rest) >= 3 {
			return true
		}
	}
	return false
}

// Function words that mark one language against the other, in normalized
// form. Words frequent in both languages, or that normalize to a frequent
// word of the other, are left out (see Language).
var (
	persianMarkers = normalizedSet(
		"است", "را", "از", "در", "که", "این", "با", "برای", "شد", "شده",
		"نیز", "یک", "خود", "کرده", "کند", "کنند", "دارد", "شود", "بود",
		"باید", "وی", "اند", "گفت", "تا", "همه", "چه", "اینکه", "ایشان",
		"هستند", "نیست", "بودند", "کردند", "شدند", "دیگر", "اگر", "چون",
		"پیش", "بسیار", "چند", "هر", "همچنین", "میشود", "میکند",
		"میگوید", "نمیشود", "خواهد", "ندارد", "دارند", "داشت", "داشته",
		"کردن", "شدن", "همین", "همان", "چرا", "کشور", "امروز", "دیروز",
		"سال", "هزار", "میلیون", "میلیارد", "درصد", "قیمت", "دولت",
		"مردم",
	)
	arabicMarkers = normalizedSet(
		"في", "عن", "الذي", "التي", "الذين", "هذا", "هذه", "ذلك", "كان",
		"كانت", "لم", "لن", "مع", "حيث", "كما", "منذ", "قال", "وقال",
		"انه", "هو", "هي", "ثم", "إذا", "عند", "يكون", "تم", "وفي", "وقد",
		"لقد", "أيضا", "خلال", "حول", "فيه", "منها", "لها", "له", "بأن",
		"وهو", "وهي", "اليوم",
	)
	englishMarkers = normalizedSet(
		"the", "of", "and", "to", "is", "was", "for", "that", "with", "by",
		"at", "from", "it", "are", "has", "have", "be", "this", "said",
		"not", "an", "or", "will", "its", "he", "they", "were", "which",
	)
	// Function words of the other Latin-script languages of Iranian state
	// media (French, German, Spanish), without those shared with English
	// (a, in, on, die, as).
	otherLatinMarkers = normalizedSet(
		"le", "la", "les", "des", "du", "de", "et", "est", "une", "dans",
		"pour", "sur", "pas", "qui", "avec", "au", "aux", "sont", "cette",
		"der", "das", "und", "ist", "nicht", "mit", "von", "zu", "den",
		"dem", "ein", "eine", "sich", "auf", "für", "wird", "auch",
		"el", "los", "las", "del", "y", "que", "por", "con", "para", "una",
		"se", "su", "al", "lo", "fue", "como", "en",
	)
)

// normalizedSet builds a set of Normalize(w) for the given words.
func normalizedSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[Normalize(w)] = true
	}
	return m
}

// LangDir returns the lang and dir attributes for text in Persian or
// Arabic, and nothing for the rest, which a page's lang="en" covers: the
// one rule the site, the studio and the newsletter mark text by.
func LangDir(s string) (lang, dir string) {
	switch l := Language(s); l {
	case Persian, Arabic:
		return l, "rtl"
	}
	return "", ""
}
