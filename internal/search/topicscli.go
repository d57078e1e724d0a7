package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
)

func topicsCommand(with func(ctx context.Context, fn func(*store.DB) error) error) *cobra.Command {
	run := func(fn func(ctx context.Context, db *store.DB, cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			return with(cmd.Context(), func(db *store.DB) error { return fn(cmd.Context(), db, cmd, args) })
		}
	}
	var listJSON bool
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the saved topics",
		Args:  cobra.NoArgs,
		RunE: run(func(ctx context.Context, db *store.DB, cmd *cobra.Command, _ []string) error {
			ts, err := ListTopics(ctx, db)
			if err != nil {
				return err
			}
			if listJSON {
				return writeJSON(cmd.OutOrStdout(), ts)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tQUERY\tDIGEST TO")
			for _, t := range ts {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Query, t.DigestEmail)
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print JSON")

	var digest string
	add := &cobra.Command{
		Use:   "add [--digest EMAIL] NAME QUERY",
		Short: "Create a topic, or change its query and digest address; it alerts on articles indexed from now on",
		Args:  cobra.MinimumNArgs(2),
		RunE: run(func(ctx context.Context, db *store.DB, cmd *cobra.Command, args []string) error {
			t := Topic{Name: args[0], Query: strings.Join(args[1:], " "), DigestEmail: digest}
			if err := SaveTopic(ctx, db, &t); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "topic %q saved: it alerts on articles indexed from now on\n", t.Name)
			return nil
		}),
	}
	add.Flags().StringVar(&digest, "digest", "", "email address that receives the topic's digest")

	del := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a topic and its alerts",
		Args:  cobra.ExactArgs(1),
		RunE: run(func(ctx context.Context, db *store.DB, _ *cobra.Command, args []string) error {
			return DeleteTopic(ctx, db, args[0])
		}),
	}

	var topic string
	var unseen, alertsJSON bool
	var limit int
	alerts := &cobra.Command{
		Use:   "alerts [--topic NAME] [--unseen] [--limit N] [--json]",
		Short: "List the topics' alerts, newest first",
		Args:  cobra.NoArgs,
		RunE: run(func(ctx context.Context, db *store.DB, cmd *cobra.Command, _ []string) error {
			as, err := ListAlerts(ctx, db, AlertFilter{Topic: topic, UnseenOnly: unseen, Limit: limit})
			if err != nil {
				return err
			}
			if alertsJSON {
				return writeJSON(cmd.OutOrStdout(), as)
			}
			for _, a := range as {
				fmt.Fprintf(cmd.OutOrStdout(), "[%s] #%d %s — %s\n", a.TopicName, a.Hit.ArticleID, plain(a.Hit.TitleHTML), a.Hit.Outlet.Name)
			}
			return nil
		}),
	}
	alerts.Flags().StringVar(&topic, "topic", "", "only this topic's alerts")
	alerts.Flags().BoolVar(&unseen, "unseen", false, "only alerts not yet marked seen")
	alerts.Flags().IntVar(&limit, "limit", DefaultLimit, "how many alerts")
	alerts.Flags().BoolVar(&alertsJSON, "json", false, "print JSON")

	seen := &cobra.Command{
		Use:   "seen NAME ARTICLE-ID",
		Short: "Mark a topic's alerts up to an article as seen",
		Args:  cobra.ExactArgs(2),
		RunE: run(func(ctx context.Context, db *store.DB, _ *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil {
				return cli.Usagef("topics seen: article ID %q is not a number", args[1])
			}
			return MarkAlertsSeen(ctx, db, args[0], id)
		}),
	}

	check := &cobra.Command{
		Use:   "check",
		Short: "Raise alerts for articles indexed since the last check",
		Args:  cobra.NoArgs,
		RunE: run(func(ctx context.Context, db *store.DB, cmd *cobra.Command, _ []string) error {
			n, err := CheckTopics(ctx, db)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n", cli.Count(n, "new alert", "new alerts"))
			return nil
		}),
	}
	return cli.Group(&cobra.Command{Use: "topics", Short: "Saved topics, their alerts and email digests"},
		list, add, del, alerts, seen, check)
}
