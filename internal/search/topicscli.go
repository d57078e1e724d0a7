package search

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pressreview/pressreview/internal/store"
)

// TopicsUsage lists the subcommands of RunTopicsCLI.
const TopicsUsage = `usage:
  pressreview topics list
  pressreview topics add [-digest EMAIL] NAME QUERY   create a topic, or change its query and digest address
  pressreview topics delete NAME
  pressreview topics alerts [-topic NAME] [-unseen] [-limit N] [-json]
  pressreview topics seen NAME ARTICLE-ID             mark a topic's alerts up to an article as seen
  pressreview topics check                            raise alerts for articles indexed since the last check`

// RunTopicsCLI is `pressreview topics …`; args start after "topics".
func RunTopicsCLI(ctx context.Context, db *store.DB, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, TopicsUsage)
		return nil
	}
	fs := flag.NewFlagSet("topics "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	digest := fs.String("digest", "", "email address that receives the topic's digest")
	topic := fs.String("topic", "", "only this topic's alerts")
	unseen := fs.Bool("unseen", false, "only alerts not yet marked seen")
	limit := fs.Int("limit", DefaultLimit, "how many alerts")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("topics %s: %v\n%s", args[0], err, TopicsUsage)
	}
	rest := fs.Args()
	switch args[0] {
	case "list":
		ts, err := ListTopics(ctx, db)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(stdout, ts)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tQUERY\tDIGEST TO")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Query, t.DigestEmail)
		}
		return tw.Flush()
	case "add":
		if len(rest) < 2 {
			return errors.New("topics add: give a NAME and a QUERY\n" + TopicsUsage)
		}
		t := Topic{Name: rest[0], Query: strings.Join(rest[1:], " "), DigestEmail: *digest}
		if err := SaveTopic(ctx, db, &t); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "topic %q saved: it alerts on articles indexed from now on\n", t.Name)
		return nil
	case "delete":
		if len(rest) != 1 {
			return errors.New("topics delete: give one NAME")
		}
		return DeleteTopic(ctx, db, rest[0])
	case "alerts":
		as, err := ListAlerts(ctx, db, AlertFilter{Topic: *topic, UnseenOnly: *unseen, Limit: *limit})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(stdout, as)
		}
		for _, a := range as {
			fmt.Fprintf(stdout, "[%s] #%d %s — %s\n", a.TopicName, a.Hit.ArticleID, plain(a.Hit.TitleHTML), a.Hit.Outlet.Name)
		}
		return nil
	case "seen":
		var id int64
		if len(rest) != 2 {
			return errors.New("topics seen: give a NAME and an ARTICLE-ID")
		}
		if _, err := fmt.Sscan(rest[1], &id); err != nil {
			return fmt.Errorf("topics seen: article ID %q is not a number", rest[1])
		}
		return MarkAlertsSeen(ctx, db, rest[0], id)
	case "check":
		n, err := CheckTopics(ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d new alerts\n", n)
		return nil
	}
	return fmt.Errorf("topics: unknown subcommand %q\n%s", args[0], TopicsUsage)
}
