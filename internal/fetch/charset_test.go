package fetch

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// persian is a short sentence written for these tests ("The Tehran
// newspaper reported that the minister spoke on Sunday about research and
// print."), with ZWNJs and the Persian letters پ چ ژ گ ک that windows-1256
// encodes apart from Arabic. It spells yeh as Arabic ي (U+064A), as legacy
// Persian pages did: windows-1256 has no Farsi yeh ی (U+06CC).
const persian = "روزنامه‌ي تهران گزارش داد که وزير روز يکشنبه درباره‌ي پژوهش و چاپ سخن گفت."

func mustEncode1256(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1256.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeText(t *testing.T) {
	page1256 := mustEncode1256(t, `<html><head><meta charset="windows-1256"><title>`+persian+`</title></head><body><p>`+persian+`</p></body></html>`)
	bare1256 := mustEncode1256(t, `<html><body><p>`+persian+`</p></body></html>`)
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(`<?xml version="1.0" encoding="utf-16"?><rss><title>` + persian + `</title></rss>`))
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte("<p>Le café était très chaud et la crème brûlée délicieuse, déclare le ministre à Téhéran.</p>"))

	for _, tc := range []struct {
		name        string
		body        []byte
		contentType string
		charset     string
		source      CharsetSource
		want        string
	}{
		{"windows-1256 meta", page1256, "text/html", "windows-1256", SourceMeta, persian},
		{"windows-1256 undeclared", bare1256, "text/html", "windows-1256", SourceDetected, persian},
		{"windows-1256 via http", bare1256, "text/html; charset=windows-1256", "windows-1256", SourceHTTP, persian},
		{"http utf-8 overruled by meta", page1256, "text/html; charset=UTF-8", "windows-1256", SourceMeta, persian},
		{"utf-8 declared iso-8859-1", []byte("<p>" + persian + "</p>"), "text/html; charset=iso-8859-1", "utf-8", SourceUTF8, persian},
		{"utf-8 meta says windows-1256", []byte(`<meta charset="windows-1256"><p>` + persian), "", "utf-8", SourceUTF8, persian},
		{"utf-8 with BOM", append([]byte("\xef\xbb\xbf"), "<p>"+persian...), "text/html; charset=windows-1256", "utf-8", SourceBOM, persian},
		{"utf-16 with BOM", utf16, "application/xml", "utf-16le", SourceBOM, persian},
		{"latin-1 declared", latin1, "text/html; charset=iso-8859-1", "windows-1252", SourceHTTP, "crème brûlée"},
		{"latin-1 undeclared", latin1, "", "windows-1252", SourceDetected, "crème brûlée"},
		{"xml declaration", []byte(`<?xml version="1.0" encoding="windows-1256"?><rss><title>` + string(mustEncode1256(t, persian)) + `</title></rss>`), "text/xml", "windows-1256", SourceXML, persian},
		{"unknown label ignored", []byte("<p>" + persian), "text/html; charset=bogus", "utf-8", SourceUTF8, persian},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := DecodeText(tc.body, tc.contentType)
			if d.Charset != tc.charset || d.Source != tc.source || !strings.Contains(string(d.Text), tc.want) {
				t.Errorf("got %s (%s), text %q", d.Charset, d.Source, d.Text)
			}
		})
	}
}

func TestDecodeRewritesXMLDeclaration(t *testing.T) {
	body := append([]byte(`<?xml version="1.0" encoding="windows-1256"?><rss><title>`), mustEncode1256(t, persian)...)
	d := DecodeText(body, "")
	if !bytes.HasPrefix(d.Text, []byte(`<?xml version="1.0" encoding="utf-8"?>`)) || d.Declared != "windows-1256" {
		t.Errorf("got %q, declared %q", d.Text[:60], d.Declared)
	}
}

func TestDecodeStrayByteKeepsUTF8(t *testing.T) {
	body := []byte("<p>" + persian + " \xff " + persian + "</p>")
	if d := DecodeText(body, "text/html; charset=utf-8"); d.Charset != "utf-8" || !strings.Contains(string(d.Text), persian) {
		t.Errorf("got %s %q", d.Charset, d.Text)
	}
}

// The same charset cases end to end, through a server.
func TestFetchCharsets(t *testing.T) {
	page := mustEncode1256(t, `<html lang="fa" dir="rtl"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body>`+persian+`</body></html>`)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/1256":
			w.Header().Set("Content-Type", "text/html")
			w.Write(page)
		case "/wrong":
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.Write([]byte("<html><body>" + persian + "</body></html>"))
		case "/bom":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte("\xef\xbb\xbf<?xml version=\"1.0\"?><rss><channel><title>" + persian + "</title></channel></rss>"))
		}
	})
	f := testFetcher(t, nil)
	for path, source := range map[string]CharsetSource{"/1256": SourceMeta, "/wrong": SourceUTF8, "/bom": SourceBOM} {
		resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(resp.Text), persian) || resp.CharsetSource != source || bytes.HasPrefix(resp.Text, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s: %s (%s) %q", path, resp.Charset, resp.CharsetSource, resp.Text)
		}
	}
}

// Legacy text of other scripts must not pass for windows-1256: KOI8-R puts
// Russian lower case on the byte values of Arabic letters.
func TestDetectDoesNotMistakeOtherScripts(t *testing.T) {
	russian := "<p>Министр иностранных дел заявил журналистам, что переговоры продолжаются и стороны не покинули стол.</p>"
	arabic := "<p>قال وزير الخارجية للصحفيين إن المفاوضات مستمرة وإن الطرفين لم يغادرا طاولة الحوار.</p>"
	for _, tc := range []struct {
		name string
		enc  *charmap.Charmap
		text string
		want string
	}{
		{"koi8-r", charmap.KOI8R, russian, "koi8-r"},
		{"windows-1251", charmap.Windows1251, russian, "windows-1251"},
		{"arabic windows-1256", charmap.Windows1256, arabic, "windows-1256"},
	} {
		raw, err := tc.enc.NewEncoder().Bytes([]byte(tc.text))
		if err != nil {
			t.Fatal(err)
		}
		if d := DecodeText(raw, ""); d.Charset != tc.want || string(d.Text) != tc.text {
			t.Errorf("%s: detected %s (%s): %q", tc.name, d.Charset, d.Source, d.Text)
		}
	}
}

// A page labelled gb2312 that is really UTF-8 (a copied template) decodes
// as UTF-8 once it holds enough multi-byte characters to rule out chance.
func TestUTF8OverrulesMultiByteDeclaration(t *testing.T) {
	chinese := "<meta charset=\"gb2312\"><p>外交部长对记者表示，谈判仍在继续，双方都没有离开谈判桌。</p>"
	if d := DecodeText([]byte(chinese), "text/html"); d.Charset != "utf-8" || d.Declared != "gbk" || string(d.Text) != chinese {
		t.Errorf("got %s (declared %s)", d.Charset, d.Declared)
	}
	short := []byte("<meta charset=\"gb2312\"><p>\xd6\xd0\xce\xc4</p>") // 中文 in GB2312
	if d := DecodeText(short, "text/html"); d.Charset != "gbk" || !strings.Contains(string(d.Text), "中文") {
		t.Errorf("short GB2312: got %s %q", d.Charset, d.Text)
	}
}
