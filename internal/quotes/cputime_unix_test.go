//go:build unix

package quotes

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time so far. Benchmarks report it per
// operation beside the wall time, which on a shared machine measures the
// queue for a core as much as the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
