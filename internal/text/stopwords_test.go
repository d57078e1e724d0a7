package text

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
)

// TestStopWordFiles checks that every line of the embedded lists is one
// token once normalized (otherwise it could never match a token) and that
// the lists have the intended size.
func TestStopWordFiles(t *testing.T) {
	for _, lang := range []string{Persian, Arabic, English} {
		data, err := stopwordFiles.ReadFile("stopwords/" + lang + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			if toks := Tokens(line); len(toks) != 1 || toks[0] != Normalize(line) {
				t.Errorf("%s stop word %q normalizes to the tokens %q", lang, strings.TrimSpace(line), toks)
			}
		}
		if n := len(stopWords[lang]); n < 100 || n > 300 {
			t.Errorf("%s: %d stop words, want 100–300", lang, n)
		}
	}
}

func TestIsStopWord(t *testing.T) {
	cases := []struct {
		lang, word string
		want       bool
	}{
		{Persian, "از", true},
		{Persian, Normalize("می‌شود"), true},
		{Persian, Normalize("آن‌ها"), true},
		{Persian, Normalize("همچنین"), true},
		{Persian, "ایران", false},
		{Persian, "the", false},
		{Arabic, Normalize("في"), true},
		{Arabic, Normalize("الذي"), true},
		{Arabic, Normalize("إلى"), true},
		{Arabic, Normalize("على"), true},
		{Arabic, Normalize("المرصد"), false},
		{English, "the", true},
		{English, "didn't", true},
		{English, Normalize("Doesn’t"), true},
		{English, "sanctions", false},
		{"de", "der", false},
		{"", "the", false},
	}
	for _, c := range cases {
		if got := IsStopWord(c.lang, c.word); got != c.want {
			t.Errorf("IsStopWord(%q, %q) = %v, want %v", c.lang, c.word, got, c.want)
		}
	}
}

// TestStopWordShare checks the Persian list against real news: function
// words make up roughly a third of running text in any language, so a
// list that covers much less has gaps, one that covers much more has
// content words.
func TestStopWordShare(t *testing.T) {
	var all, stop int
	for _, a := range sharedtest.TargomanArticles(t) {
		for _, tok := range Tokens(a.Body()) {
			all++
			if IsStopWord(Persian, tok) {
				stop++
			}
		}
	}
	if share := float64(stop) / float64(all); share < 0.25 || share > 0.5 {
		t.Errorf("Persian stop words are %.0f%% of the corpus tokens, want 25–50%%", 100*share)
	} else {
		t.Logf("Persian stop words are %.0f%% of %d corpus tokens", 100*share, all)
	}
}
