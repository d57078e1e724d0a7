package accounts

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// EnvNewPassword gives `users add` and `users set-password` the password
// without a terminal, for scripts.
const EnvNewPassword = "PRESSREVIEW_NEW_PASSWORD"

// ErrUsage marks a command-line mistake, as opposed to a failure.
var ErrUsage = errors.New("usage")

const cliUsage = `usage:
  users add --email E --name N --role R   password from stdin or ` + EnvNewPassword + `
  users list
  users set-role --email E --role R
  users set-password --email E            password from stdin or ` + EnvNewPassword + `
  users disable --email E                 also ends the account's sessions
  users enable --email E
  tokens create --name N --role R         prints the token, once
  tokens list
  tokens revoke --id ID
roles: analyst (clip and draft) < editor (publish) < admin (manage staff)`

// RunCLI runs `users …` and `tokens …`: args starts with "users" or
// "tokens". Passwords are read from PRESSREVIEW_NEW_PASSWORD or the first
// line of stdin, never from arguments, which other local users can see.
func RunCLI(ctx context.Context, db *store.DB, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) < 2 {
		return fmt.Errorf("%w: want a subcommand\n%s", ErrUsage, cliUsage)
	}
	cmd := args[0] + " " + args[1]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "account email")
	name := fs.String("name", "", "account or token name")
	role := fs.String("role", "", "analyst, editor or admin")
	id := fs.Int64("id", 0, "token id")
	if err := fs.Parse(args[2:]); err != nil {
		return fmt.Errorf("%w: %s: %v\n%s", ErrUsage, cmd, err, cliUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %s: unexpected argument %q\n%s", ErrUsage, cmd, fs.Arg(0), cliUsage)
	}
	need := func(flags ...string) error {
		for _, f := range flags {
			if fs.Lookup(f).Value.String() == fs.Lookup(f).DefValue {
				return fmt.Errorf("%w: %s needs --%s", ErrUsage, cmd, f)
			}
		}
		return nil
	}
	run, ok := map[string]func() error{
		"users add": func() error {
			if err := need("email", "name", "role"); err != nil {
				return err
			}
			r, err := ParseRole(*role)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrUsage, err)
			}
			pw, err := readPassword(stdin, stdout)
			if err != nil {
				return err
			}
			u, err := CreateUser(ctx, db, NewUser{Email: *email, Name: *name, Role: r, Password: pw})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "added %s (%s) as %s\n", u.Email, u.Name, u.Role)
			return nil
		},
		"users list": func() error { return listUsers(ctx, db, stdout) },
		"users set-role": func() error {
			if err := need("email", "role"); err != nil {
				return err
			}
			r, err := ParseRole(*role)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrUsage, err)
			}
			return SetRole(ctx, db, *email, r)
		},
		"users set-password": func() error {
			if err := need("email"); err != nil {
				return err
			}
			pw, err := readPassword(stdin, stdout)
			if err != nil {
				return err
			}
			return SetPassword(ctx, db, *email, pw)
		},
		"users disable": func() error {
			if err := need("email"); err != nil {
				return err
			}
			return SetDisabled(ctx, db, *email, true)
		},
		"users enable": func() error {
			if err := need("email"); err != nil {
				return err
			}
			return SetDisabled(ctx, db, *email, false)
		},
		"tokens create": func() error {
			if err := need("name", "role"); err != nil {
				return err
			}
			r, err := ParseRole(*role)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrUsage, err)
			}
			secret, t, err := CreateToken(ctx, db, *name, r)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "token %d %q (%s); copy it now, it is not shown again:\n%s\n", t.ID, t.Name, t.Role, secret)
			return nil
		},
		"tokens list": func() error { return listTokens(ctx, db, stdout) },
		"tokens revoke": func() error {
			if err := need("id"); err != nil {
				return err
			}
			return RevokeToken(ctx, db, *id)
		},
	}[cmd]
	if !ok {
		return fmt.Errorf("%w: unknown command %q\n%s", ErrUsage, cmd, cliUsage)
	}
	return run()
}

// readPassword takes the password from the environment or the first line
// of stdin, prompting when stdin is a terminal.
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if pw := os.Getenv(EnvNewPassword); pw != "" {
		return pw, nil
	}
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintf(stdout, "password (at least %d characters; it will be visible as you type): ", MinPasswordLength)
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("no password: set %s or write it on stdin", EnvNewPassword)
	}
	return pw, nil
}

func listUsers(ctx context.Context, db *store.DB, stdout io.Writer) error {
	users, err := ListUsers(ctx, db)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tSTATUS\tLAST SIGN-IN")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, status, when(u.LastLoginAt))
	}
	return tw.Flush()
}

func listTokens(ctx context.Context, db *store.DB, stdout io.Writer) error {
	tokens, err := ListTokens(ctx, db)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tCREATED\tLAST USED\tREVOKED")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, when(&t.CreatedAt), when(t.LastUsedAt), when(t.RevokedAt))
	}
	return tw.Flush()
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
