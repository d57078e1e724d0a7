package fetch

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// CharsetSource names the rule that chose a charset.
type CharsetSource string

// The rules of DecodeText, in the order it consults them.
const (
	SourceBOM      CharsetSource = "bom"      // byte-order mark, or the XML UTF-16/32 byte pattern
	SourceHTTP     CharsetSource = "http"     // Content-Type charset parameter
	SourceXML      CharsetSource = "xml"      // <?xml … encoding="…"?>
	SourceMeta     CharsetSource = "meta"     // HTML <meta charset> or http-equiv Content-Type
	SourceUTF8     CharsetSource = "utf8"     // the bytes are UTF-8 (undeclared, or a declaration was overruled)
	SourceDetected CharsetSource = "detected" // statistical guess
	SourceDefault  CharsetSource = "default"  // nothing to go on: windows-1252, as browsers do
)

// Decoded is text converted to UTF-8.
type Decoded struct {
	Text    []byte // valid UTF-8, without BOM
	Charset string // WHATWG name of the charset decoded from, e.g. "windows-1256"
	Source  CharsetSource
	// Declared is the first charset a declaration named, even if it was
	// overruled or unknown (then as written, lower-cased); "" if none. A
	// Declared that differs from Charset flags a misconfigured source.
	Declared string
}

// DecodeText converts a body to UTF-8. contentType is the HTTP Content-Type
// header (may be empty). The charset is chosen by the first rule that
// applies:
//
//  1. A byte-order mark (UTF-8, UTF-16, UTF-32), or for XML the UTF-16/32
//     byte pattern of "<" (XML 1.0 appendix F).
//  2. Declarations, in order: the HTTP charset parameter, the XML
//     declaration, the HTML <meta> charset (first 16 KiB). A declaration is
//     skipped when the bytes contradict it: a UTF-16/32 label on bytes that
//     were readable as ASCII, or a UTF-8 label on bytes where invalid
//     sequences outnumber a tenth of the valid multi-byte ones.
//     A declared legacy charset is overruled by UTF-8 when the bytes are
//     valid UTF-8 and hold Arabic-script letters, or at least one
//     multi-byte character under a single-byte declaration (ISO-8859-*,
//     windows-*, KOI8), or at least 16 under a multi-byte one (GB2312,
//     Big5, Shift_JIS). Why: legacy text almost never forms valid UTF-8 by
//     accident — a single-byte high letter followed by ASCII is invalid
//     UTF-8, and multi-byte legacy text can form only short valid runs —
//     while servers and templates that label UTF-8 pages "iso-8859-1" or
//     "gb2312" are common.
//  3. Detection: valid (or mostly valid) UTF-8; then windows-1256 when at
//     least 90% of the non-ASCII letters it would give are Arabic-script
//     (the Persian/Arabic legacy code page, which generic detectors
//     confuse with windows-1251 or ISO-8859-6); then the ICU-derived
//     detector; else windows-1252.
//
// An XML declaration's encoding is rewritten to "utf-8" in the output, so
// an XML parser reading Text does not decode it a second time.
func DecodeText(body []byte, contentType string) Decoded {
	if enc, name, n := sniffBOM(body); enc != nil {
		return finish(body[n:], enc, name, SourceBOM, "")
	}
	declared := ""
	for _, decl := range declarations(body, contentType) {
		enc, name := charset.Lookup(decl.label)
		if declared == "" {
			declared = name
			if enc == nil {
				declared = strings.ToLower(decl.label)
			}
		}
		if enc == nil {
			continue
		}
		switch {
		case isWideUnicode(name):
			if !hasNUL(body) {
				continue // read as ASCII, so not UTF-16/32
			}
		case name == "utf-8":
			if !mostlyUTF8(body) {
				continue
			}
		case utf8Wins(body, enc):
			return finish(body, unicode.UTF8, "utf-8", SourceUTF8, declared)
		}
		return finish(body, enc, name, decl.source, declared)
	}
	enc, name, source := detect(body)
	return finish(body, enc, name, source, declared)
}

// finish decodes body and repairs what would mislead the next parser.
func finish(body []byte, enc encoding.Encoding, name string, source CharsetSource, declared string) Decoded {
	var text []byte
	if name == "utf-8" {
		text = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(text) {
			text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
		}
	} else {
		var err error
		text, err = enc.NewDecoder().Bytes(body)
		if err != nil || !utf8.Valid(text) {
			text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
		}
		text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	}
	return Decoded{Text: rewriteXMLEncoding(text), Charset: name, Source: source, Declared: declared}
}

type declaration struct {
	label  string
	source CharsetSource
}

// declarations lists the charsets the document claims, strongest first.
func declarations(body []byte, contentType string) []declaration {
	var out []declaration
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if cs := strings.Trim(params["charset"], `'" `); cs != "" {
			out = append(out, declaration{cs, SourceHTTP})
		}
	}
	if cs := xmlEncoding(body); cs != "" {
		out = append(out, declaration{cs, SourceXML})
	}
	if cs := metaCharset(body); cs != "" {
		out = append(out, declaration{cs, SourceMeta})
	}
	return out
}

// sniffBOM recognises byte-order marks and, without one, the XML byte
// patterns of UTF-16/32. It returns the number of bytes to skip.
func sniffBOM(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be", 4
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le", 4
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	if len(b) < 4 {
		return nil, "", 0
	}
	switch {
	case b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == '<':
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be", 0
	case b[0] == '<' && b[1] == 0 && b[2] == 0 && b[3] == 0:
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le", 0
	case b[0] == 0 && b[1] == '<' && b[2] == 0 && b[3] != 0:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 0
	case b[0] == '<' && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 0
	}
	return nil, "", 0
}

var xmlDeclRe = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// xmlEncoding returns the encoding named by a leading XML declaration.
func xmlEncoding(b []byte) string {
	if m := xmlDeclRe.FindSubmatch(head(b, 512)); m != nil {
		return string(m[1])
	}
	return ""
}

var xmlDeclEncRe = regexp.MustCompile(`^(\s*<\?xml[^>]*?\sencoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])`)

// rewriteXMLEncoding makes a leading XML declaration say utf-8.
func rewriteXMLEncoding(text []byte) []byte {
	m := xmlDeclEncRe.FindSubmatchIndex(head(text, 512))
	if m == nil || strings.EqualFold(string(text[m[4]:m[5]]), "utf-8") {
		return text
	}
	out := make([]byte, 0, len(text))
	out = append(out, text[:m[4]]...)
	out = append(out, "utf-8"...)
	return append(out, text[m[5]:]...)
}

// metaCharset prescans the head of an HTML document for <meta charset> or
// <meta http-equiv="Content-Type" content="…; charset=…">, stopping at
// <body>. It reads 16 KiB, more than the WHATWG's 1024 bytes, because news
// sites often put the meta after long blocks of inline script.
func metaCharset(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(head(b, 16<<10)))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				if cs := metaTagCharset(z, hasAttr); cs != "" {
					return cs
				}
			}
		}
	}
}

func metaTagCharset(z *html.Tokenizer, hasAttr bool) string {
	var cs, content string
	httpEquiv := false
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch strings.ToLower(string(k)) {
		case "charset":
			cs = strings.TrimSpace(string(v))
		case "content":
			content = string(v)
		case "http-equiv":
			httpEquiv = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
		}
	}
	if cs != "" {
		return cs
	}
	if httpEquiv {
		if _, params, err := mime.ParseMediaType(content); err == nil {
			return strings.Trim(params["charset"], `'" `)
		}
	}
	return ""
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

func isWideUnicode(name string) bool {
	return strings.HasPrefix(name, "utf-16") || strings.HasPrefix(name, "utf-32")
}

// utf8Wins reports whether valid UTF-8 bytes overrule a declared legacy
// charset (rule 2 of DecodeText).
func utf8Wins(body []byte, declared encoding.Encoding) bool {
	if !utf8.Valid(body) {
		return false
	}
	multi, _ := utf8Stats(body)
	if _, singleByte := declared.(*charmap.Charmap); singleByte {
		return multi > 0
	}
	return multi >= 16 || multi > 0 && hasArabicScript(body)
}

func hasNUL(b []byte) bool { return bytes.IndexByte(head(b, 4), 0) >= 0 }
