package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/pressreview/pressreview/internal/fetch"
	"golang.org/x/net/html/charset"
)

// ParseError reports malformed input. It wraps fetch.ErrMalformed, so
// fetch.Classify calls it Hard: re-fetching the same bytes will not help.
type ParseError struct {
	URL    string // the document's address, when Parse was given one
	Format Format // what we were parsing; "" when the type was not recognised
	Line   int    // 1-based line of the problem; 0 when unknown
	Msg    string
	Err    error // underlying parser error, may be nil
}

func (e *ParseError) Error() string {
	what := "malformed document"
	if e.Format != "" {
		what = "malformed " + string(e.Format)
	}
	if e.URL != "" {
		what = e.URL + ": " + what
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s at line %d: %s", what, e.Line, e.Msg)
	}
	return what + ": " + e.Msg
}

// Unwrap exposes fetch.ErrMalformed and the parser's own error.
func (e *ParseError) Unwrap() []error {
	if e.Err == nil {
		return []error{fetch.ErrMalformed}
	}
	return []error{fetch.ErrMalformed, e.Err}
}

type startElement = xml.StartElement

// newXMLDecoder is lenient like gofeed's (real feeds carry unescaped
// entities and HTML named entities) and decodes declared legacy charsets
// for callers that pass raw bytes.
func newXMLDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// xmlError converts an XML parser error to a *ParseError that
// names the line.
func xmlError(format Format, err error) *ParseError {
	var syn *xml.SyntaxError
	switch {
	case errors.As(err, &syn):
		return &ParseError{Format: format, Line: syn.Line, Msg: syn.Msg, Err: err}
	case errors.Is(err, io.EOF):
		return &ParseError{Format: format, Msg: "document ends before its root element", Err: err}
	}
	return &ParseError{Format: format, Msg: err.Error(), Err: err}
}
