package newsletter

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
)

// RunCLI runs `pressreview ARGS` for the tests, with args starting at
// "campaigns" or "subscribers", on svc and its store.
func RunCLI(ctx context.Context, svc *Service, args []string, stdout io.Writer) error {
	root := cli.Group(&cobra.Command{Use: "pressreview"}, Commands(
		func(_ context.Context, fn func(*store.DB) error) error { return fn(svc.db) },
		func(_ context.Context, fn func(*Service) error) error { return fn(svc) })...)
	root.SetIn(strings.NewReader(""))
	return cli.Execute(ctx, root, args, stdout, io.Discard, nil)
}

// TestProgressCountsInWords: one recipient is "1 recipient".
func TestProgressCountsInWords(t *testing.T) {
	p := Progress{Campaign: Campaign{ID: 1, Subject: "Weekly", Status: Finished}, Total: 1, Sent: 1}
	if s := p.String(); !strings.Contains(s, "— 1 recipient: 1 sent") {
		t.Errorf("progress line %q", s)
	}
}
