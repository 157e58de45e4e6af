package sink

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// rotation is the state of a File that rolls over by size.
type rotation struct {
	// orphaned is set when the live file was renamed away but a fresh one
	// could not be opened: the sink appends to the renamed file meanwhile.
	orphaned bool
	// retryAt is the earliest time a failed rotation is tried again, so
	// a persistent fault costs one attempt per CheckInterval, not one per
	// record.
	retryAt time.Time
	source  string
	// keeper compresses and deletes backups in the background (nil when
	// neither compression nor max age is set); mu is held while backups
	// are renamed, so it never loses track of the file it compresses.
	keeper *housekeeper
	mu     sync.Mutex
}

// OpenRotatingFile opens path like OpenFile, with rotation by size when
// opts.MaxBytes and opts.BackupCount are both > 0.
//
// Before a write that would take the live file past MaxBytes, the file
// rolls over: path.N-1 … path.1 shift up by one (path.BackupCount is
// overwritten, so older backups disappear), the live file becomes path.1
// and a fresh live file starts. A record is never split across files, so
// a file exceeds MaxBytes only when it holds a single larger record.
func OpenRotatingFile(path string, opts FileOptions) (*File, error) {
	switch {
	case opts.MaxBytes < 0 || opts.BackupCount < 0:
		return nil, fmt.Errorf("rotation (%d, %d): must not be negative", opts.MaxBytes, opts.BackupCount)
	case (opts.MaxBytes > 0) != (opts.BackupCount > 0):
		return nil, fmt.Errorf("rotation (%d, %d): set both max bytes and backup count, or neither", opts.MaxBytes, opts.BackupCount)
	}
	s, err := OpenFile(path, opts)
	if err != nil {
		return nil, err
	}
	if opts.MaxBytes > 0 {
		s.rot = &rotation{source: "rotating file " + path + ": rotation failed"}
	}
	return s, nil
}

// backupName is the name of the n-th backup.
func (s *File) backupName(n int) string { return s.path + "." + strconv.Itoa(n) }

// rotate rolls the file over. A failure to write the buffer first is
// returned (those records are lost, and the handler counts them); any
// other failure is reported (rate-limited), leaves the sink appending to
// the current file and schedules a retry.
func (s *File) rotate() error {
	r := s.rot
	now := s.opts.Now()
	if now.Before(r.retryAt) {
		return nil
	}
	// What is buffered belongs to the file that is about to become .1.
	if err := s.writeBuffer(); err != nil {
		return err
	}
	if err := s.rollOver(); err != nil {
		r.retryAt = now.Add(s.opts.CheckInterval)
		report(s.opts.Diagnostics, r.source, err.Error()+"; appending to the current file, will retry")
		return nil
	}
	r.retryAt = time.Time{}
	return nil
}

// rollOver does the renames and opens the fresh live file.
func (s *File) rollOver() error {
	if s.rot.orphaned {
		return s.openFresh()
	}
	// The live file moves first, to a temporary name: if it cannot be
	// renamed (a read-only directory, an append-only file) nothing has
	// moved yet and the backups stay intact for the retry.
	tmp := s.path + ".rotating"
	if err := os.Rename(s.path, tmp); err != nil {
		return err
	}
	if s.rot.keeper != nil {
		s.rot.mu.Lock()
		defer s.rot.mu.Unlock()
		defer s.rot.keeper.wake()
		if err := s.dropOldest(); err != nil {
			return s.restore(tmp, err)
		}
	}
	for n := s.opts.BackupCount - 1; n >= 1; n-- {
		if err := s.shift(n); err != nil {
			return s.restore(tmp, err)
		}
	}
	if err := os.Rename(tmp, s.backupName(1)); err != nil {
		return s.restore(tmp, err)
	}
	s.rot.orphaned = true
	return s.openFresh()
}

// restore moves the live file back after a failed shift of the backups.
func (s *File) restore(tmp string, err error) error {
	if undo := os.Rename(tmp, s.path); undo != nil {
		return fmt.Errorf("%w (and restoring %s failed: %v)", err, s.path, undo)
	}
	return err
}

// openFresh starts a new live file after the old one was renamed away.
// On failure the sink keeps appending to the renamed file.
func (s *File) openFresh() error {
	old := s.f
	if err := s.open(); err != nil {
		return fmt.Errorf("open fresh live file: %w", err)
	}
	old.Close()
	s.rot.orphaned = false
	return nil
}

// shift renames backup n to n+1; with background work on, its compressed
// form moves too, so that a backup and its .gz never part.
func (s *File) shift(n int) error {
	forms := []string{""}
	if s.rot.keeper != nil {
		forms = append(forms, ".gz")
	}
	for _, ext := range forms {
		err := os.Rename(s.backupName(n)+ext, s.backupName(n+1)+ext)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// dropOldest removes both forms of the last backup before the shift: with
// compression, .N-1.gz moving up would otherwise leave an older,
// uncompressed .N beside it, which would then be compressed over it.
func (s *File) dropOldest() error {
	for _, ext := range []string{"", ".gz"} {
		if err := os.Remove(s.backupName(s.opts.BackupCount) + ext); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}
