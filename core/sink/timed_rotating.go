package sink

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// TimedOptions configures a TimedFile beyond its FileOptions (whose
// MaxBytes and BackupCount must stay zero: a timed file keeps its own
// count).
type TimedOptions struct {
	Schedule
	// BackupCount is how many backups to keep; 0 keeps them all.
	BackupCount int
	Retention
}

// TimedFile is a File that rolls over by time, with CPython 3.13's
// TimedRotatingFileHandler rules for when and how backups are named
// (path.2026-12-07, path.2026-12-07_13 ...) and which are deleted. Where
// CPython misbehaves it does not follow (docs/decisions.md):
//
//   - a backup name that already exists (two rollovers in one period
//     after the clock went back) is never overwritten, and never stops
//     rotation: the backup gets the next free name.N;
//   - a clock that went back by more than a period pulls the next
//     rollover back with it, instead of leaving it far in the future.
//
// Deleting by count, deleting by age and compression run on a background
// goroutine, never on the writing path.
type TimedFile struct {
	*File
	sched      *schedule
	rolloverAt int64
	retryAt    time.Time
	keeper     *housekeeper // nil when nothing runs in the background
	mu         sync.Mutex   // held while renaming, shared with keeper
	rotFailed  string       // diagnostics source of failed rollovers
	shared     string       // diagnostics source of a file used twice
	// rename is os.Rename; tests replace it to make rollovers fail.
	rename func(oldpath, newpath string) error
	// unixNow is the clock of the per-record check, in seconds: the
	// injected Now when there is one, otherwise gettimeofday, which costs
	// a third of time.Now (no monotonic reading) on the write path.
	unixNow func() int64
}

// OpenTimedRotatingFile opens path for appending, rolling over by time.
// As in CPython, the first rollover is computed from the modification
// time of an existing file, so a file left from an earlier period rolls
// over with the first record.
func OpenTimedRotatingFile(path string, opts FileOptions, topts TimedOptions) (*TimedFile, error) {
	unixNow := unixSeconds
	if opts.Now != nil {
		now := opts.Now
		unixNow = func() int64 { return now().Unix() }
	}
	if opts.MaxBytes != 0 || opts.BackupCount != 0 {
		return nil, errors.New("timed rotating file: size rotation settings must be zero")
	}
	sched, err := topts.Schedule.compile()
	if err != nil {
		return nil, err
	}
	if topts.BackupCount < 0 {
		return nil, fmt.Errorf("%w: backup count %d: must not be negative", ErrBadSchedule, topts.BackupCount)
	}
	if err := topts.Retention.validate(); err != nil {
		return nil, err
	}
	f, err := OpenFile(path, opts)
	if err != nil {
		return nil, err
	}
	s := &TimedFile{
		File: f, sched: sched,
		rotFailed: "timed rotating file " + path + ": rotation failed",
		shared:    "timed rotating file " + path + ": used by two handlers",
		rename:    os.Rename,
		unixNow:   unixNow,
	}
	start := f.opts.Now().Unix()
	if info, err := f.f.Stat(); err == nil && info.Size() > 0 {
		start = info.ModTime().Unix()
	}
	s.rolloverAt = sched.next(start)
	s.lockLive()
	if topts.BackupCount > 0 || topts.Retention.active() {
		s.keeper = startHousekeeper(keeperConfig{
			retention:   topts.Retention,
			backupCount: topts.BackupCount,
			list:        s.backups,
			locate:      s.locate,
			mu:          &s.mu,
			now:         f.opts.Now,
			diag:        f.opts.Diagnostics,
			source:      "timed rotating file " + path,
		})
	}
	return s, nil
}

// RolloverAt returns the Unix time (seconds) of the next rollover.
func (s *TimedFile) RolloverAt() int64 { return s.rolloverAt }

// Write buffers one formatted record, rolling the file over first when
// the rollover time has come. The check is one clock read per record.
func (s *TimedFile) Write(p []byte) error {
	if t := s.unixNow(); t >= s.rolloverAt {
		if err := s.rollover(s.opts.Now()); err != nil {
			return err
		}
	} else if s.rolloverAt-t > s.sched.interval+3600 {
		// The clock went back by more than a period (a next rollover
		// is never further away than that, DST included): waiting for
		// the old time would leave one file growing for that long.
		s.rolloverAt = s.sched.next(t)
	}
	return s.File.Write(p)
}

// rollover renames the live file to its backup name and starts a fresh
// one. A failure to write the buffer is returned (those records are
// lost, and the handler counts them); a failed rename or open is
// counted, reported, and retried after CheckInterval while the records
// go on to the live file.
func (s *TimedFile) rollover(now time.Time) error {
	if now.Before(s.retryAt) || s.f == nil {
		return nil
	}
	if err := s.writeBuffer(); err != nil {
		return err
	}
	t := now.Unix()
	if !s.pathIsOurs() {
		// Someone else renamed our file (another handler or process
		// rotating the same path): rotating again would rename their
		// fresh file. Follow the path instead.
		report(s.opts.Diagnostics, s.shared, "the live file was renamed by someone else; "+
			"rotating one file from two handlers or processes is unsupported")
		if err := s.reopen(); err != nil {
			return err
		}
		s.lockLive()
		s.rolloverAt = s.sched.next(t)
		return nil
	}
	if err := s.renameLive(t); err != nil {
		s.retryAt = now.Add(s.opts.CheckInterval)
		report(s.opts.Diagnostics, s.rotFailed, err.Error()+"; appending to the current file, will retry")
		return nil
	}
	s.retryAt = time.Time{}
	s.rolloverAt = s.sched.next(t)
	if s.keeper != nil {
		s.keeper.wake()
	}
	return nil
}

// renameLive moves the live file to a free backup name and opens a fresh
// one; if the fresh open fails the backup is moved back, so the sink
// never writes to a file that no longer has the live name.
func (s *TimedFile) renameLive(now int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, err := s.freeName(s.path + "." + s.sched.suffix(s.rolloverAt, now))
	if err != nil {
		return err
	}
	if err := s.rename(s.path, name); err != nil {
		return err
	}
	old := s.f
	if err := s.open(); err != nil {
		if undo := s.rename(name, s.path); undo != nil {
			// Records go on to the renamed file (nothing is lost) until
			// the periodic path check reopens the live name.
			return fmt.Errorf("open fresh live file: %w (and moving %s back failed: %v)", err, name, undo)
		}
		return fmt.Errorf("open fresh live file: %w", err)
	}
	old.Close()
	s.lockLive()
	return nil
}

// freeName returns base, or base.1, base.2 ... if a backup of that name
// (compressed or not) already exists: a rollover never overwrites one.
func (s *TimedFile) freeName(base string) (string, error) {
	name := base
	for n := 1; n < 10000; n++ {
		if !exists(name) && !exists(name+".gz") {
			return name, nil
		}
		name = base + "." + strconv.Itoa(n)
	}
	return "", fmt.Errorf("no free backup name after %s.9999", base)
}

// unixSeconds is the wall clock in whole seconds.
func unixSeconds() int64 {
	var tv syscall.Timeval
	if syscall.Gettimeofday(&tv) != nil {
		return time.Now().Unix()
	}
	return tv.Sec
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil || !os.IsNotExist(err)
}

// pathIsOurs reports whether the path still names the open file (true
// too when that cannot be told: the rename will then say what is wrong).
func (s *TimedFile) pathIsOurs() bool {
	cur, err := s.f.Stat()
	if err != nil {
		return true
	}
	at, err := os.Stat(s.path)
	if err != nil {
		return !os.IsNotExist(err)
	}
	return os.SameFile(cur, at)
}

// lockLive takes a non-blocking advisory lock on the live file. The lock
// is held only to detect a second handler (in this process or another)
// on the same path, which is reported: both rotating one file would
// rename each other's fresh files.
func (s *TimedFile) lockLive() {
	if s.f == nil {
		return
	}
	err := syscall.Flock(int(s.f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		report(s.opts.Diagnostics, s.shared, "another handler (in this or another process) has the file open; "+
			"rotating one file from two handlers or processes is unsupported")
	}
}

// backups lists the backups of this file, oldest first, without the
// ".gz" of compressed ones: CPython's name pattern for the unit, with
// an optional collision number. They sort by period, then number.
func (s *TimedFile) backups() ([]string, error) {
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type backup struct {
		stamp string
		n     int
	}
	seen := map[backup]bool{}
	var list []backup
	prefix := base + "."
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		rest = strings.TrimSuffix(rest, ".gz")
		stamp, num, _ := strings.Cut(rest, ".")
		n := 0
		if num != "" {
			if n, err = strconv.Atoi(num); err != nil || n < 1 || strconv.Itoa(n) != num {
				continue
			}
		}
		b := backup{stamp, n}
		if s.sched.ext.MatchString(stamp) && !seen[b] {
			seen[b] = true
			list = append(list, b)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].stamp != list[j].stamp {
			return list[i].stamp < list[j].stamp
		}
		return list[i].n < list[j].n
	})
	names := make([]string, len(list))
	for i, b := range list {
		names[i] = filepath.Join(dir, prefix+b.stamp)
		if b.n > 0 {
			names[i] += "." + strconv.Itoa(b.n)
		}
	}
	return names, nil
}

// locate finds where the file being compressed is now: a timed backup
// keeps its name, so it is there or gone.
func (s *TimedFile) locate(name string, info os.FileInfo) (string, bool) {
	at, err := os.Stat(name)
	return name, err == nil && os.SameFile(at, info)
}

// Close writes the buffer, closes the file and stops the background work
// (an unfinished compression is abandoned, its backup kept uncompressed
// for the next handler on this path to compress).
func (s *TimedFile) Close() error {
	err := s.File.Close()
	if s.keeper != nil {
		s.keeper.stop()
	}
	return err
}
