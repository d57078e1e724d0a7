package outlets

import (
	"strings"
	"testing"
)

// TestOutletLanguage: an outlet's language is a BCP 47 tag as an entry's
// original_lang is (`outlets add --language Persian` used to be stored),
// and may be left out.
func TestOutletLanguage(t *testing.T) {
	o := Outlet{Key: "kayhan", Name: "Kayhan", Kind: "newspaper"}
	for lang, want := range map[string]string{
		"":        "",
		"fa":      "",
		"fa-IR":   "",
		"Persian": `language: "Persian" is not a BCP 47 language tag`,
		"fa_IR":   `language: "fa_IR" is written "fa-IR" in BCP 47`,
		"FA":      `language: "FA" is written "fa" in BCP 47`,
	} {
		o.Language = lang
		err := o.Validate()
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("language %q: %v, want %q", lang, err, want)
		}
	}
}
