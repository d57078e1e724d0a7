package search

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`putin`, `putin`},
		{`putin mediation`, `putin mediation`},
		{`putin mediation OR mediator`, `putin mediation OR mediator`},
		{`"nuclear talks" -oman`, `"nuclear talks" -oman`},
		{`«مذاکرات هسته‌ای»`, `"مذاکرات هسته‌ای"`},
		{`“nuclear deal”`, `"nuclear deal"`},
		{`(iran OR iranian) (talks -oman)`, `iran OR iranian talks -oman`},
		{`-(a OR b) c`, `-(a OR b) c`},
		{`sanction* outlet:kayhan,shargh`, `sanction* outlet:kayhan,shargh`},
		{`x Outlet:"Shargh Daily"`, `x outlet:"Shargh Daily"`},
		{`x -orientation:reformist after:2025-03-01 before:2025-03-08`, `x -orientation:reformist after:2025-03-01 before:2025-03-08`},
		{`lang:fa`, `lang:fa`},
		{`speaker:araghchi "talks"`, `"talks" speaker:araghchi`},
		{`Iran - US`, `Iran - US`},
		{`see https://kayhan.ir/x`, `see https://kayhan.ir/x`},
		{`(a b) OR c`, `(a b) OR c`},
		{`-(a b)`, `-(a b)`},
		{``, ``},
		{`   `, ``},
	} {
		q, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := q.String(); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		in  string
		pos int
		msg string
	}{
		{`"nuclear talks`, 1, "unclosed quote"},
		{`a «b`, 3, "unclosed quote «"},
		{`a b)`, 4, "unmatched )"},
		{`(a b`, 1, "missing )"},
		{`a ()`, 3, "empty parentheses"},
		{`OR a`, 1, "OR needs"},
		{`a OR`, 3, "OR needs"},
		{`a OR OR b`, 3, "OR needs"},
		{`a OR -b`, 6, "cannot be an exclusion"},
		{`a OR outlet:x`, 6, "filters cannot be alternatives"},
		{`(a outlet:x)`, 4, "move outlet: out of the parentheses"},
		{`a foo:bar`, 3, `unknown filter "foo:"`},
		{`after:2025-13-01`, 1, "is not a date"},
		{`before:yesterday`, 1, "write YYYY-MM-DD"},
		{`outlet:`, 1, "needs a value"},
		{`a *`, 3, "* must follow a word"},
		{`a**`, 1, "one *"},
		{`"a b"*`, 6, "not to phrases"},
		{`a - `, 0, ""}, // a lone dash is punctuation, not an error
		{`a -`, 0, ""},
		{`ایران »`, 7, "closing quote"},
		{strings.Repeat("(", 25) + "a" + strings.Repeat(")", 25), 21, "nest deeper"},
		{strings.Repeat("x", maxQueryChars+1), maxQueryChars + 1, "longer than"},
	} {
		_, err := Parse(tc.in)
		if tc.msg == "" {
			if err != nil {
				t.Errorf("Parse(%q): %v, want no error", tc.in, err)
			}
			continue
		}
		var qe *Error
		if !errors.As(err, &qe) {
			t.Errorf("Parse(%q) error = %v, want *Error", tc.in, err)
			continue
		}
		if qe.Pos != tc.pos || !strings.Contains(qe.Msg, tc.msg) {
			t.Errorf("Parse(%q) = %v, want position %d and %q", tc.in, err, tc.pos, tc.msg)
		}
	}
}

// TestPositionsCountCharacters checks that positions count characters,
// not bytes, so they point at the right place in Persian text.
func TestPositionsCountCharacters(t *testing.T) {
	_, err := Parse(`ایران OR`)
	var qe *Error
	if !errors.As(err, &qe) || qe.Pos != 7 {
		t.Fatalf("error = %v, want at character 7", err)
	}
}

func TestCompile(t *testing.T) {
	for _, tc := range []struct{ in, fts5, tsquery string }{
		{`Sanctions`, `"sanction"`, `'sanction'`},
		{`putin mediation OR mediator`, `("putin" AND ("mediat" OR "mediat"))`, `('putin' & ('mediat' | 'mediat'))`},
		{`"nuclear talks" -oman`, `(("nuclear talk") NOT ("oman"))`, `(('nuclear' <-> 'talk') & !'oman')`},
		{`سانکشن*`, `"سانکشن"*`, `'سانکشن':*`},
		// Spellings with a full space, a half-space or none meet.
		{`می رود`, `"میرود"`, `'میرود'`},
		{`"می‌رود"`, `"میرود"`, `'میرود'`},
		// Arabic yeh and kaf fold to the Persian letters.
		{`كيهان`, `"کیهان"`, `'کیهان'`},
		{`-a -b c`, `(("c") NOT ("a" OR "b"))`, `('c' & !'a' & !'b')`},
	} {
		q, err := Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		e, err := compile(q)
		if err != nil {
			t.Fatalf("compile(%q): %v", tc.in, err)
		}
		if got := e.fts5(); got != tc.fts5 {
			t.Errorf("%q: fts5 = %s, want %s", tc.in, got, tc.fts5)
		}
		if got := e.tsquery(); got != tc.tsquery {
			t.Errorf("%q: tsquery = %s, want %s", tc.in, got, tc.tsquery)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		in, msg string
	}{
		{`...`, "no words to search for"},
		{`-(-a) b`, "not only other exclusions"},
		{`a*`, "at least 2 letters"},
		{`state-run*`, "prefix must be one word"},
		{`x OR (-a)`, "cannot be an exclusion"},
		{`x OR (... -a)`, "only of exclusions"},
	} {
		q, err := Parse(tc.in)
		if err == nil {
			_, err = compile(q)
		}
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: error = %v, want %q", tc.in, err, tc.msg)
		}
	}
}

// FuzzParse checks that no input panics the parser or the compilers, that
// errors point inside the query, and that a parsed query prints as a
// query that parses back to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`putin mediation OR mediator`, `"nuclear talks" -oman`, `«مذاکرات» outlet:kayhan,shargh after:2025-03-01`,
		`(a OR b) -(c d) e*`, `-outlet:"x y" speaker:zarif`, `a OR`, `"`, `((`, `می رود`, `x:y`, `a - b`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) error %v is not an *Error", s, err)
			}
			if n := utf8.RuneCountInString(s); qe.Pos < 1 || qe.Pos > n+1 {
				t.Fatalf("Parse(%q): position %d outside 1..%d", s, qe.Pos, n+1)
			}
			return
		}
		printed := q.String()
		q2, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", s, printed, err)
		}
		if again := q2.String(); again != printed {
			t.Fatalf("Parse(%q) printed %q, which reads back as %q", s, printed, again)
		}
		if e, err := compile(q); err == nil && e != nil {
			_, _ = e.fts5(), e.tsquery()
		}
	})
}
