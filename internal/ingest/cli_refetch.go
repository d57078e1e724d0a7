package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
)

func articlesRefetchCommand(run runner) *cobra.Command {
	var quoted bool
	cmd := &cobra.Command{
		Use:   "refetch [--quoted] [ID...]",
		Short: "Fetch articles again now and record edits and deletions (the scheduled re-fetch, at once)",
		Long: "Fetch the given articles again now, as the scheduler does for quoted and clipped articles,\n" +
			"and record what changed: an edit with its diff, a deletion (404 or 410), a restoration. Each\n" +
			"page is archived. With --quoted, every article quoted in an edition or clipped is fetched\n" +
			"again, whether or not it is due. One line per article shows the progress; the next\n" +
			"scheduled re-fetch moves on as it does after a scheduled one.",
		RunE: run(func(c *console, args []string) error {
			ids, err := parseIDs("an article", args)
			if err != nil {
				return err
			}
			if !quoted && len(ids) == 0 {
				return cli.Usagef("give article ids, or --quoted for every quoted or clipped article")
			}
			if quoted {
				followed, err := c.svc.followedArticles(c.ctx)
				if err != nil {
					return err
				}
				ids = append(ids, followed...)
			}
			return c.refetch(dedupIDs(ids))
		}),
	}
	cmd.Flags().BoolVar(&quoted, "quoted", false, "every article quoted in an edition or clipped")
	return cmd
}

func dedupIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// refetch re-fetches the articles one after the other (each waits its
// turn at its host anyway), printing a line per article as it is done.
// An article that cannot be read is reported and the others go on; the
// command fails at the end if any did.
func (c *console) refetch(ids []int64) error {
	outcomes := map[string]int{}
	failed := 0
	for i, id := range ids {
		prefix := fmt.Sprintf("[%d/%d] article %d", i+1, len(ids), id)
		a, err := ArticleByID(c.ctx, c.db, id)
		if err != nil {
			fmt.Fprintf(c.stdout, "%s: %v\n", prefix, err)
			failed++
			continue
		}
		if a.Source == "paste" || (a.URL == "" && a.CanonicalURL == "") {
			fmt.Fprintf(c.stdout, "%s: pasted, no page to fetch again\n", prefix)
			outcomes["skipped"]++
			continue
		}
		r, err := c.svc.Refetch(c.ctx, id)
		if err != nil {
			if c.ctx.Err() != nil {
				return c.ctx.Err()
			}
			fmt.Fprintf(c.stdout, "%s: %v\n", prefix, err)
			failed++
			continue
		}
		outcomes[r.Outcome]++
		line := fmt.Sprintf("%s %s: %s", prefix, r.Outcome, clip(a.Title, 60))
		if r.Err != nil {
			line += " (" + r.Err.Error() + ")"
		}
		fmt.Fprintln(c.stdout, line)
	}
	var parts []string
	for _, o := range []string{"unchanged", "edited", "deleted", "restored", "unreachable", "skipped"} {
		if outcomes[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", outcomes[o], o))
		}
	}
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", failed))
	}
	fmt.Fprintf(c.stdout, "%s re-fetched: %s\n", cli.Count(len(ids), "article", "articles"), orDash(strings.Join(parts, ", ")))
	if failed > 0 {
		return fmt.Errorf("articles refetch: %s could not be re-fetched", cli.Count(failed, "article", "articles"))
	}
	return nil
}

// showFollowUp prints, for articles show, the outlets besides its own
// that listed the article, and its re-fetch schedule.
func (c *console) showFollowUp(w io.Writer, a Article) error {
	others, err := OtherOutlets(c.ctx, c.db, a.ID)
	if err != nil {
		return err
	}
	if len(others) > 0 {
		fmt.Fprintf(w, "also listed by: %s\n", strings.Join(others, ", "))
	}
	last, next, err := refetchSchedule(c.ctx, c.db, a.ID)
	if err != nil {
		return err
	}
	followed, err := c.svc.followedArticles(c.ctx)
	if err != nil {
		return err
	}
	isFollowed := false
	for _, id := range followed {
		isFollowed = isFollowed || id == a.ID
	}
	switch {
	case a.Source == "paste":
		fmt.Fprintln(w, "re-fetch: never (pasted, no page of its own)")
	case isFollowed && next == nil:
		fmt.Fprintln(w, "re-fetch: due now (quoted or clipped, not re-fetched yet)")
	case isFollowed:
		fmt.Fprintf(w, "re-fetch: next %s UTC, last %s UTC (quoted or clipped)\n", when(next), when(last))
	case last != nil:
		fmt.Fprintf(w, "re-fetch: last %s UTC; none scheduled (no longer quoted or clipped)\n", when(last))
	default:
		fmt.Fprintln(w, "re-fetch: none scheduled (re-fetched on a schedule once quoted in an edition or clipped; `articles refetch ID` now)")
	}
	return nil
}

// refetchSchedule reads when the article was last fetched again and when
// it is next due.
func refetchSchedule(ctx context.Context, q store.Querier, id int64) (last, next *time.Time, err error) {
	var l, n sql.NullTime
	if err := q.QueryRowContext(ctx, `SELECT last_refetch_at, next_refetch_at FROM articles WHERE id = ?`, id).Scan(&l, &n); err != nil {
		return nil, nil, fmt.Errorf("re-fetch schedule of article %d: %w", id, err)
	}
	return nullTime(l), nullTime(n), nil
}
