//go:build unix

package blobs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockSpool takes the spool for this process. Two processes on one spool
// would each take the other's open file for a closed one, upload it and
// remove it while it is being written; the lock turns that into an error
// at start. The kernel releases it when the process dies, so a crashed
// instance's spool is free for its restart.
func lockSpool(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("blobs: spool: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("blobs: the spool %s is in use by another pressreview process; give each process its own PRESSREVIEW_DATA_DIR", dir)
		}
		return nil, fmt.Errorf("blobs: lock spool %s: %w", dir, err)
	}
	return f, nil
}
