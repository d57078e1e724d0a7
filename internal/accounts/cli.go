package accounts

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
)

// EnvNewPassword gives `users add` and `users set-password` the password
// without a terminal, for scripts.
const EnvNewPassword = "PRESSREVIEW_NEW_PASSWORD"

// Commands returns `users` and `tokens`. with runs a command's work on the
// configured store once the flags are parsed. Passwords are read from
// PRESSREVIEW_NEW_PASSWORD or the first line of standard input, never from
// arguments, which other local users can see.
func Commands(with func(ctx context.Context, fn func(*store.DB) error) error) []*cobra.Command {
	run := func(fn func(ctx context.Context, db *store.DB, cmd *cobra.Command) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			return with(cmd.Context(), func(db *store.DB) error { return fn(cmd.Context(), db, cmd) })
		}
	}
	var email, name, role string
	var id int64
	leaf := func(use, short string, fn func(ctx context.Context, db *store.DB, cmd *cobra.Command) error, flags ...string) *cobra.Command {
		cmd := &cobra.Command{Use: use, Short: short, Args: cobra.NoArgs, RunE: run(fn)}
		for _, f := range flags {
			switch f {
			case "email":
				cmd.Flags().StringVar(&email, "email", "", "the account's email address")
			case "name":
				cmd.Flags().StringVar(&name, "name", "", "the account's or token's name")
			case "role":
				cmd.Flags().StringVar(&role, "role", "", "analyst (clip and draft), editor (publish) or admin (manage staff)")
				_ = cmd.RegisterFlagCompletionFunc("role", cobra.FixedCompletions([]string{"analyst", "editor", "admin"}, cobra.ShellCompDirectiveNoFileComp))
			case "id":
				cmd.Flags().Int64Var(&id, "id", 0, "the token's id (tokens list)")
			}
			_ = cmd.MarkFlagRequired(f)
		}
		return cmd
	}
	parseRole := func() (Role, error) {
		r, err := ParseRole(role)
		if err != nil {
			return r, cli.Usagef("--role: %v", err)
		}
		return r, nil
	}
	users := cli.Group(&cobra.Command{Use: "users", Short: "Staff accounts with a role: analyst < editor < admin",
		Long: "Staff accounts with a role: analyst (clip and draft) < editor (publish) < admin (manage staff).\n" +
			"Passwords are read from " + EnvNewPassword + " or the first line of standard input."},
		leaf("add --email E --name N --role R", "Add an account; the password comes from standard input or "+EnvNewPassword,
			func(ctx context.Context, db *store.DB, cmd *cobra.Command) error {
				r, err := parseRole()
				if err != nil {
					return err
				}
				pw, err := readPassword(cmd.InOrStdin(), cmd.OutOrStdout())
				if err != nil {
					return err
				}
				u, err := CreateUser(ctx, db, NewUser{Email: email, Name: name, Role: r, Password: pw})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "added %s (%s) as %s\n", u.Email, u.Name, u.Role)
				return nil
			}, "email", "name", "role"),
		leaf("list", "List the accounts with their role, status and last sign-in",
			func(ctx context.Context, db *store.DB, cmd *cobra.Command) error {
				return listUsers(ctx, db, cmd.OutOrStdout())
			}),
		leaf("set-role --email E --role R", "Change an account's role",
			func(ctx context.Context, db *store.DB, _ *cobra.Command) error {
				r, err := parseRole()
				if err != nil {
					return err
				}
				return SetRole(ctx, db, email, r)
			}, "email", "role"),
		leaf("set-password --email E", "Set an account's password from standard input or "+EnvNewPassword,
			func(ctx context.Context, db *store.DB, cmd *cobra.Command) error {
				pw, err := readPassword(cmd.InOrStdin(), cmd.OutOrStdout())
				if err != nil {
					return err
				}
				return SetPassword(ctx, db, email, pw)
			}, "email"),
		leaf("disable --email E", "Disable an account; its sessions end",
			func(ctx context.Context, db *store.DB, _ *cobra.Command) error {
				return SetDisabled(ctx, db, email, true)
			}, "email"),
		leaf("enable --email E", "Enable a disabled account",
			func(ctx context.Context, db *store.DB, _ *cobra.Command) error {
				return SetDisabled(ctx, db, email, false)
			}, "email"),
	)
	tokens := cli.Group(&cobra.Command{Use: "tokens", Short: "API tokens (Authorization: Bearer …) for scripts"},
		leaf("create --name N --role R", "Create a token and print it, once",
			func(ctx context.Context, db *store.DB, cmd *cobra.Command) error {
				r, err := parseRole()
				if err != nil {
					return err
				}
				secret, t, err := CreateToken(ctx, db, name, r)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "token %d %q (%s); copy it now, it is not shown again:\n%s\n", t.ID, t.Name, t.Role, secret)
				return nil
			}, "name", "role"),
		leaf("list", "List the tokens (never their secrets)",
			func(ctx context.Context, db *store.DB, cmd *cobra.Command) error {
				return listTokens(ctx, db, cmd.OutOrStdout())
			}),
		leaf("revoke --id ID", "Revoke a token",
			func(ctx context.Context, db *store.DB, _ *cobra.Command) error { return RevokeToken(ctx, db, id) }, "id"),
	)
	return []*cobra.Command{users, tokens}
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
