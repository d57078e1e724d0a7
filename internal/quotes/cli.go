package quotes

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
)

// Commands returns `quotes`, whose `find` reads a text and prints its
// quotation candidates. It needs no store.
func Commands() []*cobra.Command {
	return []*cobra.Command{cli.Group(&cobra.Command{
		Use:   "quotes",
		Short: "Find quotations and their speakers in Persian, Arabic and English text",
	}, findCommand())}
}

func findCommand() *cobra.Command {
	var lang string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "find [--lang fa|ar|en] [--json] [FILE|-]",
		Short: "Print the quotation candidates of a plain-text article",
		Long: "Print the quotation candidates of a plain-text article: UTF-8, one paragraph per line\n" +
			"(blank lines are skipped and do not count). Paragraphs are numbered from 1; offsets are\n" +
			"Unicode code points inside the paragraph, end exclusive. With --json, one JSON object per\n" +
			"candidate per line. Reads standard input when FILE is - or missing. docs/quotes.md explains\n" +
			"the rules.",
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: cli.Files,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch lang {
			case "", "fa", "ar", "en":
			default:
				return cli.Usagef("quotes find: --lang %q: want fa, ar or en", lang)
			}
			name := "-"
			if len(args) == 1 {
				name = args[0]
			}
			data, err := readInput(cmd.InOrStdin(), name)
			if err != nil {
				return err
			}
			if err := checkUTF8(name, data); err != nil {
				return err
			}
			cs, err := Find(Paragraphs(string(data)), lang)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONLines(cmd.OutOrStdout(), cs)
			}
			return writeListing(cmd.OutOrStdout(), cs)
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "language of the text: fa, ar or en (default: detected)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per candidate per line")
	_ = cmd.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{"fa", "ar", "en"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func readInput(stdin io.Reader, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

// checkUTF8 names the first line that is not UTF-8 (1-based, counting
// every line of the file, blank ones too, as an editor does).
func checkUTF8(name string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line := 1
	for l := range strings.Lines(string(data)) {
		if !utf8.ValidString(l) {
			if name == "-" {
				name = "standard input"
			}
			return fmt.Errorf("%s: line %d: not valid UTF-8 (convert the text to UTF-8 first)", name, line)
		}
		line++
	}
	return nil
}

func writeJSONLines(w io.Writer, cs []Candidate) error {
	enc := json.NewEncoder(w) // Encode ends each object with a newline
	enc.SetEscapeHTML(false)
	for _, c := range cs {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

// writeListing prints a candidate a block: where, kind, confidence, who
// and the cue, then the words.
func writeListing(w io.Writer, cs []Candidate) error {
	var b strings.Builder
	for _, c := range cs {
		who := c.SpeakerResolved
		if who == "" {
			who = "(speaker unknown)"
		}
		if c.Speaker != nil && c.Speaker.Text != c.SpeakerResolved {
			who += " [" + c.Speaker.Text + "]"
		}
		if c.Role != nil && c.Role.Text != who {
			who += " (" + c.Role.Text + ")"
		}
		cue := ""
		if c.Cue != nil {
			cue = " — " + c.Cue.Text
		}
		fmt.Fprintf(&b, "¶%d %d–%d %s/%s %.2f  %s%s\n    %s\n", c.Paragraph, c.Start, c.End, c.Kind, c.Rule, c.Confidence, who, cue, c.Text)
	}
	fmt.Fprintln(&b, cli.Count(len(cs), "candidate", "candidates"))
	_, err := io.WriteString(w, b.String())
	return err
}

// round2 keeps confidences to two decimals, as they are printed.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
