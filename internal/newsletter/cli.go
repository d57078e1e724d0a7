package newsletter

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/riverqueue/river"
	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
)

// Commands returns `campaigns` and `subscribers`. withStore runs a
// command's work on the configured store: enough for the read-only
// commands (campaigns list and status, subscribers export), which need no
// signing key. withService runs it with a full service (settings and
// signing key, a job queue that can enqueue): the commands that draft,
// send or change subscriptions.
func Commands(withStore func(ctx context.Context, fn func(*store.DB) error) error,
	withService func(ctx context.Context, fn func(*Service) error) error) []*cobra.Command {
	read := func(fn func(ctx context.Context, db *store.DB, w io.Writer, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			return withStore(cmd.Context(), func(db *store.DB) error { return fn(cmd.Context(), db, cmd.OutOrStdout(), args) })
		}
	}
	write := func(fn func(ctx context.Context, svc *Service, w io.Writer, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			return withService(cmd.Context(), func(svc *Service) error { return fn(cmd.Context(), svc, cmd.OutOrStdout(), args) })
		}
	}
	// id reads the campaign ID, the first argument of most commands.
	id := func(args []string) (int64, error) {
		n, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return 0, cli.Usagef("campaign ID %q is not a number", args[0])
		}
		return n, nil
	}
	byID := func(use, short string, fn func(ctx context.Context, svc *Service, w io.Writer, n int64) error) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(1),
			RunE: write(func(ctx context.Context, svc *Service, w io.Writer, args []string) error {
				n, err := id(args)
				if err != nil {
					return err
				}
				return fn(ctx, svc, w, n)
			})}
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "List the campaigns with their status, list and subject",
		Args:  cobra.NoArgs,
		RunE: read(func(ctx context.Context, db *store.DB, w io.Writer, _ []string) error {
			cs, err := Campaigns(ctx, db)
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				fmt.Fprintln(w, "no campaigns yet; draft one with: pressreview campaigns from-edition LIST SLUG")
				return nil
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATUS\tLIST\tSUBJECT")
			for _, c := range cs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", c.ID, c.Status, c.List, c.Subject)
			}
			return tw.Flush()
		}),
	}
	var watch bool
	status := &cobra.Command{
		Use:   "status ID [--watch]",
		Short: "Print a campaign's progress",
		Args:  cobra.ExactArgs(1),
		RunE: read(func(ctx context.Context, db *store.DB, w io.Writer, args []string) error {
			n, err := id(args)
			if err != nil {
				return err
			}
			return printProgress(ctx, db, n, watch, w)
		}),
	}
	status.Flags().BoolVar(&watch, "watch", false, "print progress until the campaign is finished")

	var work bool
	send := byID("send ID [--work] [--watch]", "Start sending a campaign (--work: send from this process)",
		func(ctx context.Context, svc *Service, w io.Writer, n int64) error {
			if work {
				stop, err := svc.runWorkers(ctx)
				if err != nil {
					return err
				}
				defer stop()
				watch = true
			}
			q, err := svc.Start(ctx, n)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "campaign %d: %s queued\n", n, cli.Count(q, "delivery", "deliveries"))
			return printProgress(ctx, svc.db, n, watch, w)
		})
	send.Flags().BoolVar(&work, "work", false, "run the senders in this process")
	send.Flags().BoolVar(&watch, "watch", false, "print progress until the campaign is finished")

	schedule := &cobra.Command{
		Use:   "schedule ID TIME",
		Short: "Schedule a campaign for an RFC 3339 time, as in 2025-03-07T08:00:00Z",
		Args:  cobra.ExactArgs(2),
		RunE: write(func(ctx context.Context, svc *Service, _ io.Writer, args []string) error {
			n, err := id(args)
			if err != nil {
				return err
			}
			at, err := time.Parse(time.RFC3339, args[1])
			if err != nil {
				return cli.Usagef("campaigns schedule: time %q: want RFC 3339, as in 2025-03-07T08:00:00Z", args[1])
			}
			return svc.Schedule(ctx, n, at)
		}),
	}
	pause := byID("pause ID", "Pause a sending campaign", func(ctx context.Context, svc *Service, _ io.Writer, n int64) error {
		return svc.Pause(ctx, n)
	})
	resume := byID("resume ID", "Resume a paused campaign", func(ctx context.Context, svc *Service, _ io.Writer, n int64) error {
		return svc.Continue(ctx, n)
	})
	retry := byID("retry-failed ID", "Queue a campaign's failed deliveries again", func(ctx context.Context, svc *Service, w io.Writer, n int64) error {
		k, err := svc.RetryFailed(ctx, n)
		if err == nil {
			fmt.Fprintf(w, "campaign %d: %s queued again\n", n, cli.Count(k, "failed delivery", "failed deliveries"))
		}
		return err
	})
	var textOnly bool
	preview := byID("preview ID [--text]", "Print a campaign as its first recipient would get it", func(ctx context.Context, svc *Service, w io.Writer, n int64) error {
		p, err := svc.PreviewCampaign(ctx, n)
		if err != nil {
			return err
		}
		body := p.HTML
		if textOnly {
			body = p.Text
		}
		_, err = fmt.Fprintf(w, "Subject: %s\n\n%s", p.Subject, body)
		return err
	})
	preview.Flags().BoolVar(&textOnly, "text", false, "preview the plain-text part")
	test := &cobra.Command{
		Use:   "test ID ADDRESS",
		Short: "Send a campaign to one address, marked [Test]",
		Args:  cobra.ExactArgs(2),
		RunE: write(func(ctx context.Context, svc *Service, _ io.Writer, args []string) error {
			n, err := id(args)
			if err != nil {
				return err
			}
			return svc.TestSend(ctx, n, args[1])
		}),
	}
	create := &cobra.Command{
		Use:   "create LIST SUBJECT BODY.html BODY.txt",
		Short: "Draft a campaign from two body templates, HTML and plain text",
		Long: "Draft a campaign for the newsletter list LIST from two Go templates, HTML and plain text.\n" +
			"They may use each recipient's {{.Name}}, {{.Email}}, {{.Subject}}, {{.ListName}},\n" +
			"{{.SettingsURL}} and {{.UnsubscribeURL}}.",
		Args:              cobra.ExactArgs(4),
		ValidArgsFunction: cli.Files,
		RunE: write(func(ctx context.Context, svc *Service, w io.Writer, args []string) error {
			if err := knownList(ctx, svc.db, args[0]); err != nil {
				return err
			}
			var bodies [2]string
			for i, path := range args[2:] {
				b, err := os.ReadFile(path)
				if err != nil {
					return fmt.Errorf("campaigns create: %w", err)
				}
				bodies[i] = string(b)
			}
			c, err := svc.CreateCampaign(ctx, NewCampaign{List: args[0], Subject: args[1], HTML: bodies[0], Text: bodies[1]})
			if err == nil {
				fmt.Fprintf(w, "campaign %d drafted: %s\n", c.ID, c.Subject)
			}
			return err
		}),
	}
	from := func(kind string, fn func(*Service) func(context.Context, string, string) (Campaign, error)) *cobra.Command {
		return &cobra.Command{
			Use:   "from-" + kind + " LIST SLUG",
			Short: "Draft a campaign from a published " + kind,
			Long:  "Draft a campaign for the newsletter list LIST (its key) from the published " + kind + " SLUG.",
			Args:  cobra.ExactArgs(2),
			RunE: write(func(ctx context.Context, svc *Service, w io.Writer, args []string) error {
				if err := knownList(ctx, svc.db, args[0]); err != nil {
					return err
				}
				c, err := fn(svc)(ctx, args[0], args[1])
				if err == nil {
					fmt.Fprintf(w, "campaign %d drafted: %s\n", c.ID, c.Subject)
				}
				return err
			}),
		}
	}
	campaigns := cli.Group(&cobra.Command{Use: "campaigns", Short: "Newsletter campaigns: draft, preview, test, send, schedule, pause, resume"},
		list, status, send, schedule, pause, resume, retry, preview, test, create,
		from("edition", func(s *Service) func(context.Context, string, string) (Campaign, error) { return s.CampaignFromEdition }),
		from("analysis", func(s *Service) func(context.Context, string, string) (Campaign, error) {
			return s.CampaignFromAnalysis
		}))

	subscriberByEmail := func(ctx context.Context, svc *Service, args []string) (Subscriber, error) {
		return SubscriberByEmail(ctx, svc.db, args[0])
	}
	subscribers := cli.Group(&cobra.Command{Use: "subscribers", Short: "Subscribers: CSV import, \"download my data\", unsubscribe, erasure"},
		&cobra.Command{
			Use:               "import LIST FILE.csv",
			Short:             "Subscribe the addresses of a CSV file (columns: email[,name]); suppressed addresses stay out",
			Args:              cobra.ExactArgs(2),
			ValidArgsFunction: cli.Files,
			RunE: write(func(ctx context.Context, svc *Service, w io.Writer, args []string) error {
				return importCSV(ctx, svc, args[0], args[1], w)
			}),
		},
		&cobra.Command{
			Use:   "export EMAIL",
			Short: "Print what is held about a subscriber, as JSON (\"download my data\")",
			Args:  cobra.ExactArgs(1),
			RunE: read(func(ctx context.Context, db *store.DB, w io.Writer, args []string) error {
				sub, err := SubscriberByEmail(ctx, db, args[0])
				if err != nil {
					return err
				}
				x, err := Export(ctx, db, sub.UID)
				if err != nil {
					return err
				}
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(x)
			}),
		},
		&cobra.Command{
			Use:   "unsubscribe EMAIL",
			Short: "Unsubscribe an address from every list (e.g. asked by mail)",
			Args:  cobra.ExactArgs(1),
			RunE: write(func(ctx context.Context, svc *Service, _ io.Writer, args []string) error {
				sub, err := subscriberByEmail(ctx, svc, args)
				if err != nil {
					return err
				}
				// The ledger records that an operator did it, not the reader's form.
				return svc.Unsubscribe(ctx, sub.UID, Consent{Form: "cli"})
			}),
		},
		&cobra.Command{
			Use:   "erase EMAIL",
			Short: "Erase a subscriber; the address stays suppressed so that no import brings it back",
			Args:  cobra.ExactArgs(1),
			RunE: write(func(ctx context.Context, svc *Service, _ io.Writer, args []string) error {
				sub, err := subscriberByEmail(ctx, svc, args)
				if err != nil {
					return err
				}
				return svc.Erase(ctx, sub.UID, Consent{Form: "cli"})
			}),
		},
	)
	return []*cobra.Command{campaigns, subscribers}
}

func printProgress(ctx context.Context, db *store.DB, id int64, watch bool, stdout io.Writer) error {
	for {
		p, err := CampaignProgress(ctx, db, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, p)
		if !watch || p.Campaign.Status != Sending {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// runWorkers starts a job queue client with the newsletter's workers in
// this process and attaches it; stop restores the previous client.
func (s *Service) runWorkers(ctx context.Context) (stop func(), err error) {
	w := river.NewWorkers()
	s.AddWorkers(w)
	c, err := jobs.New(s.db, jobs.Config{Workers: w, Queues: s.Queues(), RescueStuckJobsAfter: RescueStuckJobsAfter})
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("start senders: %w", err)
	}
	prev := s.jobs
	s.Attach(c)
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = c.Stop(sctx)
		s.Attach(prev)
	}, nil
}

func importCSV(ctx context.Context, svc *Service, list, path string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("subscribers import: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("subscribers import %s: %w", path, err)
	}
	var rows []ImportRow
	for i, rec := range recs {
		if i == 0 && len(rec) > 0 && rec[0] == "email" {
			continue // header
		}
		row := ImportRow{Email: rec[0]}
		if len(rec) > 1 {
			row.Name = rec[1]
		}
		rows = append(rows, row)
	}
	res, err := svc.Import(ctx, list, rows, Consent{Form: "import:" + path})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d added, %d already subscribed, %d suppressed (erased earlier), %d invalid\n",
		res.Added, res.Existing, res.Suppressed, len(res.Invalid))
	for _, e := range res.Invalid {
		fmt.Fprintln(stdout, "  "+e)
	}
	return nil
}

// knownList refuses a LIST argument that names no newsletter list and
// names those there are, which the command line has no other way to show.
func knownList(ctx context.Context, db *store.DB, key string) error {
	_, err := ListByKey(ctx, db, key)
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	ls, err := Lists(ctx, db, false)
	if err != nil {
		return err
	}
	keys := make([]string, len(ls))
	for i, l := range ls {
		keys[i] = l.Key
	}
	return fmt.Errorf("there is no newsletter list %q; the lists are: %s", key, strings.Join(keys, ", "))
}
