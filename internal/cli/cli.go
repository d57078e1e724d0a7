// Package cli holds the conventions every pressreview command follows on
// top of cobra: exit codes (0 ok, 1 failure, 2 usage error), command groups
// that refuse a missing or unknown subcommand, and counts in words.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// ErrUsage marks a command-line mistake (unknown command or flag, missing
// or malformed argument), as opposed to a failure; it exits 2.
var ErrUsage = errors.New("usage error")

type usageError struct{ err error }

func (e *usageError) Error() string        { return e.err.Error() }
func (e *usageError) Unwrap() error        { return e.err }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

// Usagef returns a usage error with this message.
func Usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// ExitCode is the process status for err: 0, 1 for a failure, 2 for a
// usage error.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrUsage):
		return 2
	}
	return 1
}

// ran marks an error returned by a command's own code: everything else
// that comes back from cobra (flag parsing, argument counts, required
// flags, unknown commands) is a usage error.
type ran struct{ err error }

func (r *ran) Error() string { return r.err.Error() }
func (r *ran) Unwrap() error { return r.err }

const groupAnnotation = "pressreview/group"

// Group makes cmd a command that only holds subcommands: run alone (which
// prints its usage on stderr) or with an unknown subcommand it is a usage
// error that lists what it has, where cobra would print the help and exit 0.
func Group(cmd *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	cmd.AddCommand(subs...)
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[groupAnnotation] = "true"
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		if len(args) == 1 && args[0] == "help" {
			return cmd.Help() // `campaigns help`, as the old command line had it
		}
		if len(args) == 0 {
			fmt.Fprint(cmd.ErrOrStderr(), cmd.UsageString())
			return Usagef("%s needs a command: %s", cmd.CommandPath(), strings.Join(names, ", "))
		}
		msg := fmt.Sprintf("unknown command %q for %q (want %s)", args[0], cmd.CommandPath(), strings.Join(names, ", "))
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2 // cobra's default, which it sets only for the root
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return Usagef("%s", msg)
	}
	return cmd
}

// isGroup reports whether cmd was made with Group.
func isGroup(cmd *cobra.Command) bool { return cmd.Annotations[groupAnnotation] == "true" }

// Execute runs root with args. prepare, when set, runs before every
// command's own code except groups' (to load settings once the flags are
// parsed). A usage error comes back with a pointer to the command's help;
// ExitCode tells the status.
func Execute(ctx context.Context, root *cobra.Command, args []string, stdout, stderr io.Writer, prepare func(*cobra.Command) error) error {
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.SetUsageTemplate(usageTemplate)
	walk(root, func(c *cobra.Command) {
		// Arguments are names, ids and queries unless a command says
		// they are files (Files): the shell should not offer files.
		if c.ValidArgsFunction == nil {
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
		// cobra.NoArgs calls an argument an "unknown command", which on a
		// command without subcommands (`users add x@y.z`) sends the reader
		// looking for a command that was never meant.
		if check := c.Args; check != nil && !isGroup(c) && !c.HasSubCommands() {
			c.Args = func(cmd *cobra.Command, args []string) error {
				err := check(cmd, args)
				if err != nil && len(args) > 0 && strings.HasPrefix(err.Error(), "unknown command ") {
					// The error is printed after the program's name already.
					name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
					return fmt.Errorf("%s takes no arguments, got %q", name, args[0])
				}
				return err
			}
		}
		run := c.RunE
		if run == nil {
			return
		}
		group := isGroup(c)
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if prepare != nil && !group {
				if err := prepare(cmd); err != nil {
					return &ran{err}
				}
			}
			if err := run(cmd, args); err != nil {
				return &ran{err}
			}
			return nil
		}
	})
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return nil
	}
	var r *ran
	if errors.As(err, &r) {
		err = r.err
		if !errors.Is(err, ErrUsage) {
			return err
		}
	}
	if cmd == nil {
		cmd = root
	}
	return &usageError{fmt.Errorf("%s\nRun '%s --help' for usage.", strings.TrimRight(err.Error(), "\n"), cmd.CommandPath())}
}

// Files is the completion of a command whose arguments are files.
func Files(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveDefault
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// Count says n things in words: Count(1, "match", "matches") is "1 match".
func Count[N ~int | ~int64](n N, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// usageTemplate is cobra's, except that a group's usage line is its
// subcommands only: a group runs only to refuse a missing subcommand.
const usageTemplate = `Usage:{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

Additional help topics:{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`
