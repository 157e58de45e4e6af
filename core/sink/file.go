package sink

import (
	"errors"
	"fmt"
	"os"
	"time"

	"femtologging/core/loss"
)

// fileBufferSize bounds the write buffer: a flush interval of many records
// must not let it grow without limit, so past this size Write writes
// through without waiting for the next Flush.
const fileBufferSize = 64 << 10

// DefaultCheckInterval is how often a file sink checks that its path still
// names the file it writes to, and how often it retries a reopen or a
// rotation that failed.
const DefaultCheckInterval = time.Second

// FileOptions configures a File sink. The zero value appends without
// rotation, checks every DefaultCheckInterval and reports nowhere.
type FileOptions struct {
	// MaxBytes and BackupCount turn on size rotation when both are > 0.
	MaxBytes    int64
	BackupCount int
	// Diagnostics receives rate-limited reports of rotation failures.
	Diagnostics Reporter
	// CheckInterval is the least time between two checks of the path and
	// between two retries of a failed rotation or reopen.
	CheckInterval time.Duration
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// File appends formatted records to a file. It buffers writes until
// Flush (the handler calls it every flush_interval records) and keeps the
// size of the file, buffer included, so a rotating file can roll over
// before a record would take it past its limit.
//
// Faults never stop it for good. A write cut short (EFBIG under
// RLIMIT_FSIZE, ENOSPC on a full disk) keeps every whole record that fit,
// removes the partial one after them, and drops the rest of the buffer,
// returning a loss.LostRecordsError with the number of records lost: the
// file holds a contiguous prefix of what was logged, then what is logged
// once records fit again. When the
// path no longer names the open file (deleted, or its directory removed)
// the sink reopens the path, and while that fails every write fails with
// the reason, until a retry succeeds.
type File struct {
	path string
	opts FileOptions
	f    *os.File // nil while broken
	buf  recordBuffer
	// size is the length of the file plus the buffered bytes.
	size int64
	// broken is why the path could not be reopened; writes fail with it.
	broken    error
	nextCheck time.Time
	rot       *rotation // nil when rotation is off
	// openFile is os.OpenFile; tests replace it to make opens fail.
	openFile func(name string, flag int, perm os.FileMode) (*os.File, error)
	// writeFile is (*os.File).Write; tests replace it to inject faults.
	writeFile func(f *os.File, p []byte) (int, error)
}

// OpenFile opens path for appending, creating it (mode 0644) if absent.
// The error is the *fs.PathError of the failed open, so callers across the
// C boundary get its errno.
func OpenFile(path string, opts FileOptions) (*File, error) {
	if opts.CheckInterval <= 0 {
		opts.CheckInterval = DefaultCheckInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &File{path: path, opts: opts, buf: newRecordBuffer(fileBufferSize), openFile: os.OpenFile, writeFile: (*os.File).Write}
	if err := s.open(); err != nil {
		return nil, err
	}
	s.nextCheck = opts.Now().Add(opts.CheckInterval)
	return s, nil
}

// Path returns the path the sink writes to.
func (s *File) Path() string { return s.path }

// Size returns the size of the live file, buffered bytes included.
func (s *File) Size() int64 { return s.size }

// open opens the path for appending and learns its size.
func (s *File) open() error {
	f, err := s.openFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	s.f, s.size = f, info.Size()
	return nil
}

// Write buffers one formatted record, rolling the file over first when
// rotation is on and the record would take it past MaxBytes. When writing
// the buffer first fails, p is lost with the records that did not fit: it
// comes after them, and writing it would leave a hole before it.
func (s *File) Write(p []byte) error {
	if s.broken != nil && !s.retryOpen() {
		return &loss.LostRecordsError{Lost: 1, Err: s.broken}
	}
	if s.rot != nil && s.size > 0 && s.size+int64(len(p)) > s.opts.MaxBytes {
		if err := s.rotate(); err != nil {
			return alsoLost(err)
		}
	}
	if len(s.buf.b)+len(p) > fileBufferSize && s.buf.records() > 0 {
		if err := s.writeBuffer(); err != nil {
			return alsoLost(err)
		}
	}
	s.buf.add(p)
	s.size += int64(len(p))
	if len(s.buf.b) >= fileBufferSize {
		return s.writeBuffer()
	}
	return nil
}

// alsoLost counts the record being written among the records err lost.
func alsoLost(err error) error {
	n, _ := loss.LostRecords(err)
	return &loss.LostRecordsError{Lost: n + 1, Err: err}
}

// Flush writes the buffer to the file, after checking (at most once per
// CheckInterval) that the path still names it.
func (s *File) Flush() error {
	if s.broken != nil {
		if !s.retryOpen() {
			return s.discard(s.broken)
		}
	} else if now := s.opts.Now(); !now.Before(s.nextCheck) {
		s.nextCheck = now.Add(s.opts.CheckInterval)
		if err := s.checkPath(); err != nil {
			return s.discard(err)
		}
	}
	return s.writeBuffer()
}

// writeBuffer writes the buffered records. A write cut short keeps the
// whole records that made it, removes the partial record after them and
// drops the rest; the error is a loss.LostRecordsError counting the
// dropped records. Either way the buffer is empty afterwards, so the next
// record starts clean, and the size is corrected to what is in the file.
func (s *File) writeBuffer() error {
	if s.buf.records() == 0 {
		return nil
	}
	before := s.size - int64(len(s.buf.b))
	n, err := s.writeFile(s.f, s.buf.b)
	if err == nil {
		s.buf.reset()
		return nil
	}
	kept, keptBytes := s.buf.whole(n)
	lost := s.buf.records() - kept
	s.buf.reset()
	s.size = before + int64(n)
	if n > keptBytes {
		s.cutPartialWrite(before + int64(keptBytes))
	}
	return &loss.LostRecordsError{Lost: lost, Err: err}
}

// cutPartialWrite removes the part of a record a failed write left after
// the last whole one (say, half a record before EFBIG or ENOSPC), so that
// a record is never split and the records counted as failed are not in
// the file. It does so only when nobody else appended meanwhile.
func (s *File) cutPartialWrite(to int64) {
	info, err := s.f.Stat()
	if err != nil || info.Size() != s.size {
		return
	}
	if s.f.Truncate(to) == nil {
		s.size = to
	}
}

// discard drops the buffered records of a sink that cannot write them and
// returns err counting them as lost.
func (s *File) discard(err error) error {
	lost := s.buf.records()
	s.size -= int64(len(s.buf.b))
	s.buf.reset()
	return &loss.LostRecordsError{Lost: lost, Err: err}
}

// checkPath reopens the path when it no longer names the open file, as
// after the file or its directory was removed: writing on to the orphaned
// file would lose every record silently.
func (s *File) checkPath() error {
	cur, err := s.f.Stat()
	if err != nil {
		return err
	}
	at, err := os.Stat(s.path)
	if err == nil && os.SameFile(cur, at) {
		return nil
	}
	if s.rot != nil && s.rot.orphaned {
		return nil // the fresh live file could not be opened: rotation retries
	}
	return s.reopen()
}

// reopen switches to a fresh open of the path; the buffered records go to
// the new file. When it fails the sink is broken: the old file is closed
// and writes fail with the reason until a retry succeeds.
func (s *File) reopen() error {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	if err := s.open(); err != nil {
		s.broken = fmt.Errorf("reopen after the file went away: %w", err)
		return s.broken // the caller discards the buffer
	}
	s.size += int64(len(s.buf.b))
	return nil
}

// retryOpen retries a broken sink's reopen at most once per CheckInterval
// and reports whether the sink works again.
func (s *File) retryOpen() bool {
	now := s.opts.Now()
	if now.Before(s.nextCheck) {
		return false
	}
	s.nextCheck = now.Add(s.opts.CheckInterval)
	if err := s.open(); err != nil {
		s.broken = fmt.Errorf("reopen after the file went away: %w", err)
		return false
	}
	s.broken = nil
	return true
}

// Close writes the buffer and closes the file.
func (s *File) Close() error {
	if s.f == nil {
		return nil // broken: each failed write was already reported
	}
	werr := s.writeBuffer()
	cerr := s.f.Close()
	s.f = nil
	s.broken = errors.New("file sink closed")
	return errors.Join(werr, cerr)
}
