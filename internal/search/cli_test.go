package search

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pressreview/pressreview/internal/cli"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// RunCLI runs `pressreview search ARGS` on db.
func RunCLI(ctx context.Context, db *store.DB, args []string, stdout io.Writer) error {
	return runCommand(ctx, db, append([]string{"search"}, args...), stdout)
}

// RunTopicsCLI runs `pressreview topics ARGS` on db.
func RunTopicsCLI(ctx context.Context, db *store.DB, args []string, stdout io.Writer) error {
	return runCommand(ctx, db, append([]string{"topics"}, args...), stdout)
}

func runCommand(ctx context.Context, db *store.DB, args []string, stdout io.Writer) error {
	root := cli.Group(&cobra.Command{Use: "pressreview"},
		Commands(func(_ context.Context, fn func(*store.DB) error) error { return fn(db) })...)
	return cli.Execute(ctx, root, args, stdout, io.Discard, nil)
}

// TestCLICountsInWords guards the plural of the count line: one match is
// "1 match", not "1 matches".
func TestCLICountsInWords(t *testing.T) {
	db := storetest.SQLite(t)
	seedFixture(t, db)
	for query, want := range map[string]string{"oman": "1 match for oman", "talks": "matches for talks"} {
		var out strings.Builder
		if err := RunCLI(context.Background(), db, []string{query}, &out); err != nil || !strings.Contains(out.String(), want) {
			t.Errorf("search %s: %v\n%s", query, err, out.String())
		}
	}
	var out strings.Builder
	if err := RunCLI(context.Background(), db, nil, &out); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("no query: %v, want a usage error", err)
	}
}
