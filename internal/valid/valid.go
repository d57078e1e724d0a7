// Package valid reports what is wrong with a record and where: every
// validation error carries the path of the offending field, so an import
// of a large file can say "$.editions[0].entries[3].outlet: unknown outlet".
package valid

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/language"
)

// Error is a problem with one field.
type Error struct {
	Path    string // "kind", "entries[3].outlet"
	Problem string
	// Missing is set when the problem is a reference to a record that
	// does not exist (see Unknown): a form can then say where to add it,
	// while Problem keeps the wording of an import.
	Missing *Ref
}

// Ref names a record by its kind ("author", "tag", "image") and key.
type Ref struct{ Kind, Key string }

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + ": " + e.Problem
}

// Errorf reports a problem with field.
func Errorf(field, format string, args ...any) error {
	return &Error{Path: field, Problem: fmt.Sprintf(format, args...)}
}

// Unknown reports that field names a record that does not exist, in the
// words of an import, which may add it from the same file.
func Unknown(field, kind, key string) error {
	return &Error{Path: field, Problem: fmt.Sprintf("unknown %s %q (add it first or include it in the file)", kind, key),
		Missing: &Ref{Kind: kind, Key: key}}
}

// In prefixes the path of a validation error with the record that holds it:
// In("outlets[2]", kind error) reads "outlets[2].kind: …". Other errors are
// wrapped with the prefix.
func In(prefix string, err error) error {
	if err == nil {
		return nil
	}
	var ve *Error
	if errors.As(err, &ve) {
		p := prefix
		if ve.Path != "" {
			if ve.Path[0] == '[' {
				p += ve.Path
			} else {
				p += "." + ve.Path
			}
		}
		return &Error{Path: p, Problem: ve.Problem, Missing: ve.Missing}
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// Index formats an element path: Index("entries", 3) is "entries[3]".
func Index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// Key reports whether k is a usable key or slug: lower-case ASCII letters,
// digits and inner hyphens ("shargh-daily", "iran-1"). Keys appear in URLs
// and import files, so they stay ASCII even for Persian outlets.
func Key(k string) bool {
	for i, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r == '-' && i > 0 && i < len(k)-1:
		default:
			return false
		}
	}
	return k != ""
}

// CheckKey returns an error naming field when k is empty or malformed.
func CheckKey(field, k string) error {
	if k == "" {
		return Errorf(field, "is required")
	}
	if !Key(k) {
		return Errorf(field, "%q: use lower-case letters, digits and hyphens", k)
	}
	return nil
}

// Blank reports whether s shows nothing to a reader: it is empty or holds
// only white space, control characters and invisible format characters
// (ZWNJ, ZWJ, zero-width space, direction marks, BOM, soft hyphen). A name
// of zero-width non-joiners passes strings.TrimSpace but prints as nothing.
func Blank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// Required returns an error naming field when s is Blank.
func Required(field, s string) error {
	if Blank(s) {
		if s != "" {
			return Errorf(field, "is required (it holds only white space or invisible characters)")
		}
		return Errorf(field, "is required")
	}
	return nil
}

// Line returns an error naming field when s is Blank or holds a line break
// or another control character: a title or a name travels into mail
// headers and one-line listings, where a line break breaks the message.
func Line(field, s string) error {
	if err := Required(field, s); err != nil {
		return err
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return Errorf(field, "must be one line: it holds %U", r)
		}
	}
	return nil
}

// Slugify makes a slug (or key) from a title or label: its ASCII letters and digits in lower
// case, words joined by hyphens, at most about 80 characters. It is ""
// for a title with none (a Persian title): then a slug must be typed.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "Iran's" is "irans", not "iran-s".
		default:
			dash = true
		}
		if b.Len() >= 80 && dash {
			break
		}
	}
	return b.String()
}

// Language accepts a well-formed BCP 47 tag in its canonical spelling
// ("fa", "fa-IR", "ckb", "az-Arab") whose script is known or implied, since
// the script decides the text direction (see reviews.Direction). "Persian"
// is not a tag, "fa_IR" is spelled "fa-IR", and a language whose script the
// CLDR data cannot infer needs it written out ("prs-Arab").
func Language(field, s string) error {
	tag, err := language.Parse(s)
	if err != nil {
		return Errorf(field, "%q is not a BCP 47 language tag (write \"fa\", \"ar\", \"fa-IR\"…)", s)
	}
	if tag.String() != s {
		return Errorf(field, "%q is written %q in BCP 47", s, tag.String())
	}
	if base, _, _ := tag.Raw(); base.String() == "und" {
		return Errorf(field, "%q names no language", s)
	}
	if _, conf := tag.Script(); conf == language.No {
		return Errorf(field, "%q does not say its script: add it, as in \"%s-Arab\" or \"%s-Latn\"", s, s, s)
	}
	return nil
}
