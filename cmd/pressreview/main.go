// Command pressreview runs a foreign-press monitoring desk and publishes
// what it finds. See `pressreview --help`; it exits 0 when done, 1 on a
// failure and 2 on a usage error.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	// Events are kept in their IANA time zone (an event in Tehran is
	// entered in Asia/Tehran); the embedded database makes that work on a
	// machine without the system's zoneinfo files.
	_ "time/tzdata"

	"github.com/pressreview/pressreview/internal/app"
	"github.com/pressreview/pressreview/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := app.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pressreview:", err)
	}
	os.Exit(cli.ExitCode(err))
}
