package search

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
)

// Commands returns `search` and `topics`. with runs a command's work on
// the configured store once the flags are parsed.
func Commands(with func(ctx context.Context, fn func(*store.DB) error) error) []*cobra.Command {
	return []*cobra.Command{searchCommand(with), topicsCommand(with)}
}

func searchCommand(with func(ctx context.Context, fn func(*store.DB) error) error) *cobra.Command {
	var asJSON, facets, svg, terms bool
	var sort, cursor, coverage, by string
	var limit int
	cmd := &cobra.Command{
		Use:   "search [flags] QUERY",
		Short: "Search the archive (Persian, Arabic and English)",
		Long: "Search the archive (Persian, Arabic and English); the query language is in docs/search.md.\n" +
			"A query that starts with a minus follows \"--\", as in: pressreview search -- -oman talks",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			query := strings.Join(args, " ")
			if strings.TrimSpace(query) == "" {
				return cli.Usagef("search: give a query")
			}
			stdout := cmd.OutOrStdout()
			return with(cmd.Context(), func(db *store.DB) error {
				ctx := cmd.Context()
				switch {
				case coverage != "":
					c, err := CoverageOf(ctx, db, CoverageRequest{Query: query, Interval: coverage, By: by})
					if err != nil {
						return err
					}
					if svg {
						return c.WriteSVG(stdout, ChartOptions{})
					}
					if asJSON {
						return writeJSON(stdout, c)
					}
					return printCoverage(stdout, c)
				case terms:
					ts, err := TopTerms(ctx, db, TermsRequest{Query: query, Limit: limit})
					if err != nil {
						return err
					}
					if asJSON {
						return writeJSON(stdout, ts)
					}
					tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "WORD\tARTICLES\tOCCURRENCES")
					for _, t := range ts {
						fmt.Fprintf(tw, "%s\t%d\t%d\n", t.Word, t.Docs, t.Count)
					}
					return tw.Flush()
				}
				res, err := Search(ctx, db, Request{Query: query, Sort: sort, Limit: limit, Cursor: cursor, Facets: facets})
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(stdout, res)
				}
				return printResult(stdout, res)
			})
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON")
	fs.StringVar(&sort, "sort", "", "relevance or newest (default: relevance when the query has words)")
	fs.IntVar(&limit, "limit", DefaultLimit, "results per page")
	fs.StringVar(&cursor, "cursor", "", "continue from a previous page's next_cursor")
	fs.BoolVar(&facets, "facets", false, "count matches by outlet, orientation, language and day")
	fs.StringVar(&coverage, "coverage", "", "print counts per day or week instead of articles")
	fs.StringVar(&by, "by", "", "with --coverage: split by orientation, outlet or lang")
	fs.BoolVar(&svg, "svg", false, "with --coverage: print an SVG chart")
	fs.BoolVar(&terms, "terms", false, "print the top terms of the matches instead of articles")
	for flag, values := range map[string][]string{
		"sort": {"relevance", "newest"}, "coverage": {"day", "week"}, "by": {"orientation", "outlet", "lang"},
	} {
		_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	}
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// plain turns highlighted HTML into terminal text, matches in [brackets].
func plain(h string) string {
	h = strings.NewReplacer("<mark>", "[", "</mark>", "]").Replace(h)
	return html.UnescapeString(h)
}

func printResult(w io.Writer, res Result) error {
	noun := "matches"
	if res.Total == 1 {
		noun = "match"
	}
	order := res.Sort
	if res.Window > 0 {
		order += ", among the newest " + strconv.Itoa(res.Window)
	}
	if res.Estimated {
		order += ", the total estimated from a sample"
	}
	fmt.Fprintf(w, "%s %s for %s (%s)\n\n", res.ShownTotal(), noun, res.Query, order)
	for _, h := range res.Hits {
		outlet := h.Outlet.Name
		if h.Outlet.Orientation != "" {
			outlet += ", " + h.Outlet.Orientation
		}
		fmt.Fprintf(w, "%s  %s  (%s)\n", h.PublishedAt.Format(dayLayout), plain(h.TitleHTML), outlet)
		fmt.Fprintf(w, "    %s\n    %s\n\n", plain(h.SnippetHTML), h.URL)
	}
	for _, c := range res.Clips {
		if c.CandidateID != 0 {
			// A quote the finder found: no translation, no edition yet.
			fmt.Fprintf(w, "%s  %s in %s (found in article %d)\n", c.Date, c.Speaker.Name, c.Outlet.Name, c.ArticleID)
		} else {
			fmt.Fprintf(w, "%s  %s in %s (%s)\n    %s\n", c.Date, c.Speaker.Name, c.Outlet.Name, c.EditionSlug, plain(c.TextHTML))
		}
		if c.OriginalHTML != "" {
			fmt.Fprintf(w, "    %s\n", plain(c.OriginalHTML))
		}
		fmt.Fprintln(w)
	}
	if f := res.Facets; f != nil {
		if !f.Exact {
			fmt.Fprintf(w, "Counts of the newest %d matches:\n", f.Of)
		}
		for _, g := range []struct {
			name   string
			counts []Count
		}{{"Outlets", f.Outlets}, {"Orientations", f.Orientations}, {"Languages", f.Langs}} {
			var parts []string
			for _, c := range g.counts {
				parts = append(parts, fmt.Sprintf("%s %d", cmpLabel(c), c.Count))
			}
			fmt.Fprintf(w, "%s: %s\n", g.name, strings.Join(parts, ", "))
		}
	}
	if res.NextCursor != "" {
		fmt.Fprintf(w, "more: --cursor %s\n", res.NextCursor)
	}
	return nil
}

func cmpLabel(c Count) string {
	switch {
	case c.Label != "":
		return c.Label
	case c.Key == "":
		return "(none)"
	}
	return c.Key
}

func printCoverage(w io.Writer, c Coverage) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, strings.ToUpper(c.Interval)+"\t")
	for _, s := range c.Series {
		fmt.Fprint(tw, s.Label+"\t")
	}
	fmt.Fprintln(tw)
	for j, p := range c.Periods {
		fmt.Fprint(tw, p+"\t")
		for _, s := range c.Series {
			fmt.Fprintf(tw, "%d\t", s.Counts[j])
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(tw, "total %d\t\n", c.Total)
	return tw.Flush()
}
