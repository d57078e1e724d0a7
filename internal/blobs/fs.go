package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// FS keeps blobs as files under a directory: the embedded desk's store, and
// the layout it always had (WARC files in DATA_DIR/warc).
type FS struct{ root string }

// NewFS returns the bucket rooted at dir. The directory is created when
// first written to (or pinged), so a command that stores nothing leaves
// nothing behind, as before there was a blob store.
func NewFS(dir string) (*FS, error) {
	if dir == "" {
		return nil, errors.New("blobs: no directory")
	}
	return &FS{root: dir}, nil
}

// Root is the directory; a writer may create files in it directly.
func (b *FS) Root() string { return b.root }

func (b *FS) String() string { return "file://" + b.root }

// Put writes to a temporary file, syncs it and renames it into place, so a
// reader never meets a half-written blob.
func (b *FS) Put(_ context.Context, key string, r io.Reader, size int64) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	dst := filepath.Join(b.root, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".put-*")
	if err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	n, err := io.Copy(tmp, r)
	if err == nil && n != size {
		err = fmt.Errorf("%d bytes, expected %d", n, size)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		return fmt.Errorf("blobs: put %s: %w", key, err)
	}
	return nil
}

func (b *FS) ReadRange(_ context.Context, key string, off, n int64) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	return openRange(filepath.Join(b.root, filepath.FromSlash(key)), key, off, n)
}

// Ping checks that the directory is there, creating it on a fresh desk.
func (b *FS) Ping(context.Context) error {
	if err := os.MkdirAll(b.root, 0o755); err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	fi, err := os.Stat(b.root)
	if err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("blobs: %s is not a directory", b.root)
	}
	return nil
}

// openRange opens a byte range of a local file.
func openRange(name, key string, off, n int64) (io.ReadCloser, error) {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotExist, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blobs: %w", err)
	}
	if n < 0 {
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("blobs: %w", err)
		}
		n = max(fi.Size()-off, 0)
	}
	return sectionCloser{io.NewSectionReader(f, off, n), f}, nil
}

type sectionCloser struct {
	*io.SectionReader
	f *os.File
}

func (s sectionCloser) Close() error { return s.f.Close() }
