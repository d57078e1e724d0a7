// Package valid reports what is wrong with a record and where: every
// validation error carries the path of the offending field, so an import
// of a large file can say "$.editions[0].entries[3].outlet: unknown outlet".
package valid

import (
	"errors"
	"fmt"
)

// Error is a problem with one field.
type Error struct {
	Path    string // "kind", "entries[3].outlet"
	Problem string
}

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
		return &Error{Path: p, Problem: ve.Problem}
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
