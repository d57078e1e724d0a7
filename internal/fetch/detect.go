package fetch

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// detect guesses the charset of undeclared (or wrongly declared) bytes.
func detect(body []byte) (encoding.Encoding, string, CharsetSource) {
	if mostlyUTF8(body) {
		return xunicode.UTF8, "utf-8", SourceUTF8
	}
	if looksWindows1256(body) {
		return charmap.Windows1256, "windows-1256", SourceDetected
	}
	if res, err := chardet.NewHtmlDetector().DetectBest(body); err == nil {
		if enc, name := charset.Lookup(chardetLabel(res.Charset)); enc != nil && name != "utf-8" {
			return enc, name, SourceDetected
		}
	}
	return charmap.Windows1252, "windows-1252", SourceDefault
}

// chardetLabel maps the detector's ICU names to WHATWG labels.
func chardetLabel(name string) string {
	switch strings.ToUpper(name) {
	case "GB-18030":
		return "gb18030"
	case "ISO-8859-8-I":
		return "iso-8859-8-i"
	}
	return name
}

// mostlyUTF8 reports whether the bytes read as UTF-8 with at most one
// invalid byte per ten valid multi-byte characters. Pure ASCII counts as
// UTF-8. The tolerance keeps a UTF-8 page with a stray legacy byte from
// being decoded wholesale as something else; real legacy text is almost
// all invalid sequences.
func mostlyUTF8(b []byte) bool {
	if utf8.Valid(b) { // the common case, and several times faster than counting
		return true
	}
	multi, invalid := utf8Stats(b)
	return invalid == 0 || invalid*10 <= multi
}

// utf8Stats counts valid multi-byte characters and invalid bytes.
func utf8Stats(b []byte) (multi, invalid int) {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			invalid++
			i++
			continue
		}
		multi++
		i += n
	}
	return multi, invalid
}

// hasArabicScript reports whether UTF-8 text contains an Arabic-script
// letter (Arabic, Persian, Urdu …).
func hasArabicScript(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r >= 0x600 && unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
		b = b[n:]
	}
	return false
}

// looksWindows1256 reports whether bytes read as Persian or Arabic in
// windows-1256. Two tests, both needed:
//   - at least 90% of the non-ASCII letters (and at least four) decode to
//     Arabic script. The upper half of windows-1256 keeps the French
//     accented letters at their windows-1252 places, so Latin text fails,
//     and so does windows-1251 Russian, whose frequent а о и land on them;
//   - alef, lam, noon and yeh (0xC7 0xE1 0xE4 0xED), the most frequent
//     Arabic and Persian letters, make up at least 15% of those letters.
//     KOI8-R Russian passes the first test (its lower-case letters fall on
//     Arabic ones) but not this one.
func looksWindows1256(b []byte) bool {
	arabic, other, frequent := 0, 0, 0
	for _, c := range b {
		if c < 0x80 {
			continue
		}
		r := charmap.Windows1256.DecodeByte(c)
		if !unicode.IsLetter(r) {
			continue
		}
		if !unicode.Is(unicode.Arabic, r) {
			other++
			continue
		}
		arabic++
		switch c {
		case 0xC7, 0xE1, 0xE4, 0xED:
			frequent++
		}
	}
	return arabic >= 4 && arabic*10 >= (arabic+other)*9 && frequent*100 >= arabic*15
}
