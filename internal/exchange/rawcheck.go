package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkRaw walks the tokens of a bundle before it is decoded, to refuse
// what encoding/json lets through without a word: bytes that are not
// UTF-8 (it replaces them with U+FFFD), escapes of unpaired surrogates
// (replaced too), and a key that appears twice in one object (the last one
// wins, so half of what the analyst wrote would vanish). A syntax error
// ends the walk quietly: Decode reports it with its position.
func checkRaw(name string, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*frame
	for {
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil // io.EOF, or a syntax error Decode will report
		}
		end := int(dec.InputOffset())
		raw := data[start:end]
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		s, isString := tok.(string)
		isKey := isString && top != nil && top.object && top.wantKey
		if isKey {
			top.key, top.wantKey = s, false
		}
		fail := func(at int, format string, args ...any) error {
			line, col := position(data, at)
			return &Error{File: name, Path: pathOf(stack), Line: line, Column: col, Err: fmt.Errorf(format, args...)}
		}
		if i := invalidUTF8(raw); i >= 0 {
			return fail(start+i, "is not valid UTF-8 (byte %#x): save the file as UTF-8", raw[i])
		}
		if isString && strings.ContainsRune(s, utf8.RuneError) && !bytes.Contains(raw, []byte("\uFFFD")) &&
			!bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`)) {
			return fail(start+bytes.IndexByte(raw, '"'), "holds a \\u escape of an unpaired surrogate, which is no character")
		}
		if isKey {
			if top.keys[s] {
				return fail(start+bytes.IndexByte(raw, '"'), "the key %q appears twice in this object (the second would silently replace the first)", s)
			}
			top.keys[s] = true
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value is complete: its object waits for the next key, its
		// array moves to the next element.
		if len(stack) > 0 {
			if p := stack[len(stack)-1]; p.object {
				p.wantKey = true
			} else {
				p.index++
			}
		}
	}
}

// frame is an object or array being walked by checkRaw.
type frame struct {
	object  bool
	keys    map[string]bool // object: keys seen so far
	key     string          // object: the current key
	wantKey bool            // object: the next string is a key
	index   int             // array: the current element
}

// pathOf is the JSON path of the value being read, "$.editions[0].title".
func pathOf(stack []*frame) string {
	var b strings.Builder
	b.WriteString("$")
	for _, f := range stack {
		switch {
		case !f.object:
			fmt.Fprintf(&b, "[%d]", f.index)
		case f.key != "":
			b.WriteString("." + f.key)
		}
	}
	return b.String()
}

// invalidUTF8 is the index of the first byte of raw that is not valid
// UTF-8, or -1.
func invalidUTF8(raw []byte) int {
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}
