package cli

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestExecuteExitCodes(t *testing.T) {
	failure := errors.New("the relay refused the message")
	tree := func() *cobra.Command {
		return Group(&cobra.Command{Use: "tool"},
			&cobra.Command{Use: "ok", Args: cobra.NoArgs, RunE: func(*cobra.Command, []string) error { return nil }},
			&cobra.Command{Use: "fail", RunE: func(*cobra.Command, []string) error { return failure }},
			&cobra.Command{Use: "misuse", RunE: func(*cobra.Command, []string) error { return Usagef("misuse needs a FILE") }},
			Group(&cobra.Command{Use: "group"}, &cobra.Command{Use: "sub", RunE: func(*cobra.Command, []string) error { return nil }}))
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"ok"}, 0, ""},
		{[]string{"ok", "--help"}, 0, ""},
		{[]string{"group", "--help"}, 0, ""},
		{[]string{"group", "help"}, 0, ""},
		{[]string{"fail"}, 1, "the relay refused the message"},
		{[]string{"misuse"}, 2, "misuse needs a FILE\nRun 'tool misuse --help' for usage."},
		{[]string{"ok", "extra"}, 2, `ok takes no arguments, got "extra"`},
		{[]string{"ok", "--frob"}, 2, "unknown flag: --frob"},
		{[]string{"group"}, 2, "tool group needs a command: sub"},
		{[]string{"group", "sbu"}, 2, `unknown command "sbu" for "tool group" (want sub); did you mean sub?`},
		{[]string{"nope"}, 2, `unknown command "nope" for "tool"`},
		{nil, 2, "tool needs a command"},
	} {
		err := Execute(context.Background(), tree(), c.args, io.Discard, io.Discard, nil)
		if ExitCode(err) != c.code || (c.msg != "" && !strings.Contains(err.Error(), c.msg)) {
			t.Errorf("tool %v: %v (status %d), want status %d and %q", c.args, err, ExitCode(err), c.code, c.msg)
		}
	}
	if err := Execute(context.Background(), tree(), []string{"fail"}, io.Discard, io.Discard, nil); !errors.Is(err, failure) {
		t.Errorf("the command's own error is lost: %v", err)
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 matches", 1: "1 match", 2: "2 matches"} {
		if got := Count(n, "match", "matches"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
