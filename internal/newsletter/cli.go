package newsletter

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/jobs"
)

// CLIUsage lists the commands RunCLI understands.
const CLIUsage = `usage:
  pressreview campaigns list
  pressreview campaigns status ID [-watch]
  pressreview campaigns send ID [-work] [-watch]   start sending (-work: send from this process)
  pressreview campaigns schedule ID 2025-03-07T08:00:00Z
  pressreview campaigns pause|resume|retry-failed ID
  pressreview campaigns preview ID [-text]
  pressreview campaigns test ID ADDRESS
  pressreview campaigns create LIST SUBJECT BODY.html BODY.txt   (bodies are templates; see RecipientData)
  pressreview campaigns from-edition LIST SLUG
  pressreview campaigns from-analysis LIST SLUG
  pressreview subscribers import LIST FILE.csv     (columns: email[,name])
  pressreview subscribers export EMAIL             (JSON, as "download my data")
  pressreview subscribers unsubscribe EMAIL       (from every list, e.g. asked by mail)
  pressreview subscribers erase EMAIL`

// RunCLI runs `pressreview campaigns …` and `pressreview subscribers …`;
// args start at "campaigns" or "subscribers". svc needs a job queue
// attached (an insert-only client is enough, unless -work is given).
func RunCLI(ctx context.Context, svc *Service, args []string, stdout io.Writer) error {
	if len(args) < 2 {
		return errors.New(CLIUsage)
	}
	fs := flag.NewFlagSet(args[0]+" "+args[1], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	watch := fs.Bool("watch", false, "print progress until the campaign is finished")
	work := fs.Bool("work", false, "run the senders in this process")
	textOnly := fs.Bool("text", false, "preview the plain-text part")
	rest, err := parseInterleaved(fs, args[2:])
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", args[0], args[1], err, CLIUsage)
	}
	id := func() (int64, error) {
		if len(rest) < 1 {
			return 0, fmt.Errorf("%s %s: a campaign ID is required", args[0], args[1])
		}
		n, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s %s: campaign ID %q is not a number", args[0], args[1], rest[0])
		}
		return n, nil
	}
	want := func(n int) error {
		if len(rest) != n {
			return fmt.Errorf("%s %s: want %d arguments, got %d\n%s", args[0], args[1], n, len(rest), CLIUsage)
		}
		return nil
	}
	switch args[0] + " " + args[1] {
	case "campaigns list":
		cs, err := Campaigns(ctx, svc.db)
		if err != nil {
			return err
		}
		for _, c := range cs {
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\n", c.ID, c.Status, c.List, c.Subject)
		}
		return nil
	case "campaigns status", "campaigns send":
		n, err := id()
		if err != nil {
			return err
		}
		if args[1] == "send" {
			if *work {
				stop, err := svc.runWorkers(ctx)
				if err != nil {
					return err
				}
				defer stop()
				*watch = true
			}
			q, err := svc.Start(ctx, n)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "campaign %d: %d deliveries queued\n", n, q)
		}
		return printProgress(ctx, svc, n, *watch, stdout)
	case "campaigns schedule":
		n, err := id()
		if err != nil {
			return err
		}
		if err := want(2); err != nil {
			return err
		}
		at, err := time.Parse(time.RFC3339, rest[1])
		if err != nil {
			return fmt.Errorf("campaigns schedule: time %q: want RFC 3339, as in 2025-03-07T08:00:00Z", rest[1])
		}
		return svc.Schedule(ctx, n, at)
	case "campaigns pause", "campaigns resume", "campaigns retry-failed":
		n, err := id()
		if err != nil {
			return err
		}
		switch args[1] {
		case "pause":
			err = svc.Pause(ctx, n)
		case "resume":
			err = svc.Continue(ctx, n)
		default:
			var k int64
			if k, err = svc.RetryFailed(ctx, n); err == nil {
				fmt.Fprintf(stdout, "campaign %d: %d failed deliveries queued again\n", n, k)
			}
		}
		return err
	case "campaigns preview":
		n, err := id()
		if err != nil {
			return err
		}
		p, err := svc.PreviewCampaign(ctx, n)
		if err != nil {
			return err
		}
		body := p.HTML
		if *textOnly {
			body = p.Text
		}
		_, err = fmt.Fprintf(stdout, "Subject: %s\n\n%s", p.Subject, body)
		return err
	case "campaigns test":
		n, err := id()
		if err != nil {
			return err
		}
		if err := want(2); err != nil {
			return err
		}
		return svc.TestSend(ctx, n, rest[1])
	case "campaigns create":
		if err := want(4); err != nil {
			return err
		}
		var bodies [2]string
		for i, path := range rest[2:] {
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("campaigns create: %w", err)
			}
			bodies[i] = string(b)
		}
		c, err := svc.CreateCampaign(ctx, NewCampaign{List: rest[0], Subject: rest[1], HTML: bodies[0], Text: bodies[1]})
		if err == nil {
			fmt.Fprintf(stdout, "campaign %d drafted: %s\n", c.ID, c.Subject)
		}
		return err
	case "campaigns from-edition", "campaigns from-analysis":
		if err := want(2); err != nil {
			return err
		}
		from := svc.CampaignFromEdition
		if args[1] == "from-analysis" {
			from = svc.CampaignFromAnalysis
		}
		c, err := from(ctx, rest[0], rest[1])
		if err == nil {
			fmt.Fprintf(stdout, "campaign %d drafted: %s\n", c.ID, c.Subject)
		}
		return err
	case "subscribers import":
		if err := want(2); err != nil {
			return err
		}
		return importCSV(ctx, svc, rest[0], rest[1], stdout)
	case "subscribers export":
		if err := want(1); err != nil {
			return err
		}
		sub, err := SubscriberByEmail(ctx, svc.db, rest[0])
		if err != nil {
			return err
		}
		x, err := Export(ctx, svc.db, sub.UID)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	case "subscribers unsubscribe":
		if err := want(1); err != nil {
			return err
		}
		sub, err := SubscriberByEmail(ctx, svc.db, rest[0])
		if err != nil {
			return err
		}
		// The ledger records that an operator did it, not the reader's form.
		return svc.Unsubscribe(ctx, sub.UID, Consent{Form: "cli"})
	case "subscribers erase":
		if err := want(1); err != nil {
			return err
		}
		sub, err := SubscriberByEmail(ctx, svc.db, rest[0])
		if err != nil {
			return err
		}
		return svc.Erase(ctx, sub.UID, Consent{Form: "cli"})
	}
	return fmt.Errorf("unknown command %q\n%s", args[0]+" "+args[1], CLIUsage)
}

// parseInterleaved lets flags follow positional arguments ("send 3 -work").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func printProgress(ctx context.Context, svc *Service, id int64, watch bool, stdout io.Writer) error {
	for {
		p, err := CampaignProgress(ctx, svc.db, id)
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
