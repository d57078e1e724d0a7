package studio

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/pressreview/pressreview/internal/text"
	"github.com/pressreview/pressreview/internal/valid"
)

// maxForm caps the body of a studio form post. The largest is the
// composer's edition of a hundred entries; image uploads, which take a
// file, and intake, which takes a pasted article, set their own caps.
const maxForm = 2 << 20

// limitForm reads the body of a form post up to maxForm before h sees it,
// answering 413 beyond it. Without it, forms read by PostFormValue would
// take up to 10 MB urlencoded, and a multipart body — which no studio form
// but the image upload sends — would have its files spooled to disk with
// no bound at all.
func (s *studio) limitForm(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		var err error
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
			// Files count against the cap; none is kept.
			err = r.ParseMultipartForm(maxForm)
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
		} else {
			err = r.ParseForm()
		}
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			s.render(w, r, http.StatusRequestEntityTooLarge, "Too large", "message", message{Title: "The form is too large",
				Text: fmt.Sprintf("This form takes at most %d MB; shorten the text and send it again.", maxForm>>20)})
		case err != nil:
			s.render(w, r, http.StatusBadRequest, "Form", "message", message{Title: "The form could not be read",
				Text: "It was malformed (" + err.Error() + "); go back and try again."})
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// bidi is a piece of text with the lang and dir it needs: Persian and
// Arabic get theirs, English and the rest take the page's.
type bidi struct{ Text, Lang, Dir string }

func newBidi(s string) bidi {
	switch l := text.Language(s); l {
	case text.Persian, text.Arabic:
		return bidi{Text: s, Lang: l, Dir: "rtl"}
	}
	return bidi{Text: s}
}

// bidiIn is text in a known language: lang from the record, the direction
// from the language.
func bidiIn(s, lang string) bidi {
	if s == "" {
		return bidi{}
	}
	if lang == "" {
		return newBidi(s)
	}
	b := bidi{Text: s, Lang: lang, Dir: "ltr"}
	switch lang {
	case text.Persian, text.Arabic, "ur", "ps", "ku", "he":
		b.Dir = "rtl"
	}
	return b
}

// field is one input of a studio form. The template gives it an id
// (form ID + "-" + Name), its label, and when Error is set the message
// beside it, with aria-invalid and aria-describedby pointing at it.
type field struct {
	Name, Label, Value, Hint, Error string
	// Kind is "text" (default), "url", "textarea", "select" or "date".
	Kind     string
	Options  []option
	Required bool
	ReadOnly bool
	// Auto marks inputs that take text in either direction (names in
	// English or the original script): dir="auto". Lang, when known, is
	// the language of the value.
	Auto bool
	Lang string
	// Size is a textarea's rows.
	Size int
}

type option struct {
	Value, Label string
	Selected     bool
}

// form is a studio form: where it posts, its fields, and a summary of
// the errors at its top.
type form struct {
	ID, Action, Submit string
	Fields             []field
	Errors             []fieldError
}

type fieldError struct{ ID, Message string }

// fieldOf is the form field a validation path names: "aliases[2]" is the
// aliases field.
func fieldOf(path string) string {
	name, _, _ := strings.Cut(path, "[")
	name, _, _ = strings.Cut(name, ".")
	return name
}

// setError puts err beside the field it names, or at the top of the form
// when it names none of them. It reports false for an error that is not
// about the input (a database failure), which the caller must handle.
func (f *form) setError(err error) bool {
	var ve *valid.Error
	if !errors.As(err, &ve) {
		return false
	}
	name, problem := fieldOf(ve.Path), ve.Problem
	if ve.Missing != nil {
		problem = missing(*ve.Missing)
	}
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			f.Fields[i].Error = problem
			f.Errors = append(f.Errors, fieldError{ID: f.ID + "-" + name, Message: f.Fields[i].Label + ": " + problem})
			return true
		}
	}
	f.Errors = append(f.Errors, fieldError{Message: (&valid.Error{Path: ve.Path, Problem: problem}).Error()})
	return true
}

// missing says, in a form's words, that a key names no record and where
// the studio adds one; the domain's wording is an import's ("include it in
// the file"), which a form has no file for.
func missing(ref valid.Ref) string {
	where := map[string]string{
		"author": "add them on the Authors page",
		"person": "add them on the People page",
		"outlet": "add it on the Outlets page",
		"image":  "upload it on the Images page",
		"tag":    "tags are added by importing a bundle (pressreview import); use one that exists",
	}[ref.Kind]
	msg := fmt.Sprintf("no %s has the key %q", ref.Kind, ref.Key)
	if where != "" {
		msg += "; " + where
	}
	return msg
}

// value returns the field's submitted value.
func (f *form) value(name string) string {
	for _, fl := range f.Fields {
		if fl.Name == name {
			return fl.Value
		}
	}
	return ""
}

// fill copies the submitted values into the form's fields.
func (f *form) fill(get func(string) string) {
	for i := range f.Fields {
		if !f.Fields[i].ReadOnly {
			f.Fields[i].Value = get(f.Fields[i].Name)
		}
		for j := range f.Fields[i].Options {
			f.Fields[i].Options[j].Selected = f.Fields[i].Options[j].Value == f.Fields[i].Value
		}
	}
}

// lines splits a textarea into its non-empty lines, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
