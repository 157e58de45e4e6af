package sink

import (
	"os"
)

// RotatingFile is a size-rotating File whose backups are also compressed
// or deleted by age, on a background goroutine that Close stops.
type RotatingFile struct {
	*File
}

// OpenRotatingFileRetention is OpenRotatingFile plus compression and max
// age of the backups. Without either (or without rotation) it returns
// the plain *File.
func OpenRotatingFileRetention(path string, opts FileOptions, ret Retention) (Sink, error) {
	if err := ret.validate(); err != nil {
		return nil, err
	}
	s, err := OpenRotatingFile(path, opts)
	if err != nil {
		return nil, err
	}
	if !ret.active() || s.rot == nil {
		return s, nil
	}
	s.rot.keeper = startHousekeeper(keeperConfig{
		retention: ret,
		list:      s.sizeBackups,
		locate:    s.locateBackup,
		mu:        &s.rot.mu,
		now:       s.opts.Now,
		diag:      s.opts.Diagnostics,
		source:    "rotating file " + path,
	})
	return &RotatingFile{s}, nil
}

// sizeBackups lists path.N ... path.1, oldest first.
func (s *File) sizeBackups() ([]string, error) {
	var names []string
	for n := s.opts.BackupCount; n >= 1; n-- {
		names = append(names, s.backupName(n))
	}
	return names, nil
}

// locateBackup finds which backup number the file opened as info has now:
// a rollover while it was being compressed moved it up by one.
func (s *File) locateBackup(_ string, info os.FileInfo) (string, bool) {
	for n := 1; n <= s.opts.BackupCount; n++ {
		if at, err := os.Stat(s.backupName(n)); err == nil && os.SameFile(at, info) {
			return s.backupName(n), true
		}
	}
	return "", false
}

// Close writes the buffer, closes the file and stops the background work.
func (s *RotatingFile) Close() error {
	err := s.File.Close()
	s.rot.keeper.stop()
	return err
}
