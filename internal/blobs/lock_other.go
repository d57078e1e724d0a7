//go:build !unix

package blobs

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockSpool only marks the spool where flock(2) is missing: run one
// process per spool there.
func lockSpool(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("blobs: spool: %w", err)
	}
	return f, nil
}
