package ingest

import (
	"syscall"
	"time"
)

// threadCPU is the user and system CPU time of the calling thread so far
// (the caller locks its goroutine to the thread). Unlike cpuTime it leaves
// out the garbage collector's background workers, which run on other
// threads and which the process's time would charge to whichever phase
// happens to be running when they do; the goroutine's own allocation and
// its GC assists are still counted.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
