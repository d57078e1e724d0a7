//go:build !linux

package ingest

import "time"

// threadCPU is 0 where the system gives no per-thread CPU time; the
// benchmark then leaves the per-thread ratio out.
func threadCPU() time.Duration { return 0 }
