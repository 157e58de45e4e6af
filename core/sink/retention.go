package sink

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultRetryInterval is how soon the background work of a rotating file
// tries again after a failed compression or deletion.
const DefaultRetryInterval = 5 * time.Second

// Retention is what happens to the backups of a rotating file (size or
// time) after a rollover, on a background goroutine.
type Retention struct {
	// Compression is "" (none) or "gzip": each backup becomes name.gz.
	Compression string
	// MaxAge deletes backups last modified longer ago than this; 0 keeps
	// them (up to the backup count).
	MaxAge time.Duration
	// RetryInterval is how soon a failed step is tried again; 0 means
	// DefaultRetryInterval.
	RetryInterval time.Duration
}

// ErrBadRetention is wrapped by errors about compression or max age.
var ErrBadRetention = errors.New("bad retention setting")

func (r Retention) validate() error {
	if r.Compression != "" && r.Compression != "gzip" {
		return fmt.Errorf("%w: compression %q: want \"gzip\" or none", ErrBadRetention, r.Compression)
	}
	if r.MaxAge < 0 {
		return fmt.Errorf("%w: max age %v: must not be negative", ErrBadRetention, r.MaxAge)
	}
	return nil
}

func (r Retention) active() bool { return r.Compression != "" || r.MaxAge > 0 }

// keeperConfig is what a housekeeper needs from its sink.
type keeperConfig struct {
	retention Retention
	// backupCount > 0 deletes the oldest backups beyond it (timed files;
	// size rotation drops them by shifting).
	backupCount int
	// list returns the backups oldest first, each without ".gz".
	list func() ([]string, error)
	// locate finds where the file opened as name (info) is now, since a
	// size-rotated backup moves up while it is being compressed.
	locate func(name string, info os.FileInfo) (string, bool)
	// mu is held by the sink while it renames backups.
	mu     *sync.Mutex
	now    func() time.Time
	diag   Reporter
	source string
}

// housekeeper compresses and deletes the backups of one rotating file on
// its own goroutine. It runs once at start (a previous handler may have
// left backups uncompressed), after every rollover, and after a failure
// every RetryInterval until it succeeds.
type housekeeper struct {
	cfg      keeperConfig
	wakeup   chan struct{}
	quit     chan struct{}
	finished chan struct{}
	// Failure counts, for tests and reports.
	failMu       sync.Mutex
	compressFail uint64
	deleteFail   uint64
	passes       uint64
}

func startHousekeeper(cfg keeperConfig) *housekeeper {
	if cfg.retention.RetryInterval <= 0 {
		cfg.retention.RetryInterval = DefaultRetryInterval
	}
	k := &housekeeper{cfg: cfg, wakeup: make(chan struct{}, 1), quit: make(chan struct{}), finished: make(chan struct{})}
	k.wakeup <- struct{}{}
	go k.run()
	return k
}

// wake asks for a pass; it never blocks the writer.
func (k *housekeeper) wake() {
	select {
	case k.wakeup <- struct{}{}:
	default:
	}
}

// stop ends the goroutine and waits for it; a compression in progress is
// abandoned between two chunks.
func (k *housekeeper) stop() {
	close(k.quit)
	<-k.finished
}

func (k *housekeeper) run() {
	defer close(k.finished)
	defer func() {
		if r := recover(); r != nil {
			report(k.cfg.diag, k.cfg.source+": background work failed", fmt.Sprint("panic: ", r))
		}
	}()
	var retry <-chan time.Time
	for {
		select {
		case <-k.quit:
			return
		case <-k.wakeup:
		case <-retry:
		}
		retry = nil
		if !k.pass() {
			retry = time.After(k.cfg.retention.RetryInterval)
		}
	}
}

// pass deletes what is too old or too many, then compresses the rest, and
// reports whether everything succeeded.
func (k *housekeeper) pass() bool {
	defer func() { k.failMu.Lock(); k.passes++; k.failMu.Unlock() }()
	names, err := k.cfg.list()
	if err != nil {
		k.fail(&k.deleteFail, "listing backups", err)
		return false
	}
	ok := true
	keep := names[:0:0]
	for i, name := range names {
		tooMany := k.cfg.backupCount > 0 && i < len(names)-k.cfg.backupCount
		if tooMany || k.tooOld(name) {
			if err := k.remove(name); err != nil {
				k.fail(&k.deleteFail, "deleting a backup", err)
				ok = false
			}
			continue
		}
		keep = append(keep, name)
	}
	if k.cfg.retention.Compression == "gzip" {
		for _, name := range keep {
			select {
			case <-k.quit:
				return true
			default:
			}
			if err := k.compress(name); err != nil {
				if errors.Is(err, errAbandoned) {
					return true
				}
				k.fail(&k.compressFail, "compressing a backup", err)
				ok = false
			}
		}
	}
	return ok
}

func (k *housekeeper) fail(counter *uint64, what string, err error) {
	k.failMu.Lock()
	*counter++
	k.failMu.Unlock()
	report(k.cfg.diag, k.cfg.source+": "+what+" failed", err.Error()+"; will retry")
}

// failures returns the counts of failed compressions and deletions.
func (k *housekeeper) failures() (compress, del uint64) {
	k.failMu.Lock()
	defer k.failMu.Unlock()
	return k.compressFail, k.deleteFail
}

// tooOld reports whether the backup (either form) is older than MaxAge.
func (k *housekeeper) tooOld(name string) bool {
	if k.cfg.retention.MaxAge <= 0 {
		return false
	}
	info, err := os.Stat(name)
	if err != nil {
		if info, err = os.Stat(name + ".gz"); err != nil {
			return false
		}
	}
	return k.cfg.now().Sub(info.ModTime()) > k.cfg.retention.MaxAge
}

// remove deletes both forms of a backup, under the sink's lock so that
// a rename cannot move another backup under the name meanwhile.
func (k *housekeeper) remove(name string) error {
	k.cfg.mu.Lock()
	defer k.cfg.mu.Unlock()
	var errs []error
	for _, n := range []string{name, name + ".gz"} {
		if err := os.Remove(n); err != nil && !os.IsNotExist(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// compress turns the backup name into name.gz. The uncompressed file is
// removed only once the .gz is complete, synced, and its directory entry
// synced too, so a crash at any point leaves at least one whole copy.
func (k *housekeeper) compress(name string) error {
	src, err := os.Open(name)
	if os.IsNotExist(err) {
		return nil // already compressed (or deleted)
	}
	if err != nil {
		return err
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return err
	}
	tmp := name + ".gz.tmp"
	if err := gzipFile(src, info, tmp, k.quit); err != nil {
		return err
	}
	k.cfg.mu.Lock()
	where, ok := k.cfg.locate(name, info)
	if ok {
		err = os.Rename(tmp, where+".gz")
	}
	k.cfg.mu.Unlock()
	if !ok || err != nil {
		os.Remove(tmp)
		return err // nil when the backup was deleted meanwhile
	}
	if err := syncDir(filepath.Dir(name)); err != nil {
		return err // both copies stay; the next pass removes the original
	}
	k.cfg.mu.Lock()
	defer k.cfg.mu.Unlock()
	if where, ok := k.cfg.locate(name, info); ok {
		return os.Remove(where)
	}
	return nil
}
