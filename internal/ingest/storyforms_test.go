package ingest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/pressreview/pressreview/internal/shorttext"
	"github.com/pressreview/pressreview/internal/text"
)

// TestStoryForms: a kept form comes back equal to what was put, by
// content hash; a text not kept is read and normalized once, then kept;
// the least recently used go beyond the bound.
func TestStoryForms(t *testing.T) {
	c := newStoryForms()
	long := "The minister said on Tuesday that talks would resume, and the agency reported it. وزیر گفت"
	toks := text.Tokens(long)
	c.put("h1", storyForm{tokens: toks})
	reads := 0
	body := func(s string) func() (string, error) {
		return func() (string, error) { reads++; return s, nil }
	}
	got, err := c.tokens("h1", body("unused"))
	if err != nil || !slices.Equal(got, toks) || reads != 0 {
		t.Fatalf("kept tokens = %q, %v after %d reads; want %q and no read", got, err, reads, toks)
	}
	got, err = c.tokens("h2", body(long))
	if err != nil || !slices.Equal(got, toks) || reads != 1 {
		t.Fatalf("read tokens = %q, %v after %d reads; want %q after one", got, err, reads, toks)
	}
	if _, err := c.tokens("h2", body("unused")); err != nil || reads != 1 {
		t.Fatalf("second lookup read the text again (%d reads, %v)", reads, err)
	}
	if _, err := c.tokens("h3", func() (string, error) { return "", errors.New("gone") }); err == nil {
		t.Fatal("a failed read gave no error")
	}
	short := "Statement of the foreign ministry on the talks in Vienna today"
	sh := shorttext.Shingles(text.Normalize(short))
	gotSh, err := c.shingles("s1", body(short))
	if err != nil || len(gotSh) != len(sh) || reads != 2 {
		t.Fatalf("shingles = %d, %v after %d reads; want %d after a read", len(gotSh), err, reads, len(sh))
	}
	if _, ok := c.get(""); ok {
		t.Error("an empty content hash was found")
	}

	// Fill beyond the bound: the oldest go, the newest stay, the size
	// stays within it.
	c = newStoryForms()
	form := storyForm{tokens: make([]string, 1000)}
	for i := range form.tokens {
		form.tokens[i] = fmt.Sprint("t", i)
	}
	n := 2 * storyFormsSize / len(form.tokens)
	for i := range n {
		c.put(fmt.Sprint("k", i), form)
	}
	if c.size > storyFormsSize {
		t.Errorf("kept %d tokens, bound %d", c.size, storyFormsSize)
	}
	if _, ok := c.get("k0"); ok {
		t.Error("the oldest form is still kept")
	}
	if f, ok := c.get(fmt.Sprint("k", n-1)); !ok || !slices.Equal(f.tokens, form.tokens) {
		t.Error("the newest form is not kept as it was put")
	}
}
