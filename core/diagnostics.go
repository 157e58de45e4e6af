package core

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// DefaultReportInterval is how often one source may print a warning.
const DefaultReportInterval = 5 * time.Second

// Diagnostics is where workers report failures they must not raise into
// the caller: queue drops, IO errors, handler exceptions. Each source (say
// "logger app: queue full") prints at most one line per interval, carrying
// the cumulative count, so a storm of failures cannot flood stderr.
type Diagnostics struct {
	mu       sync.Mutex
	out      io.Writer
	interval time.Duration
	now      func() time.Time
	sources  map[string]*diagnosticSource
}

type diagnosticSource struct {
	count    uint64
	reported uint64
	last     time.Time
}

// NewDiagnostics reports to out, at most once per interval and source.
func NewDiagnostics(out io.Writer, interval time.Duration) *Diagnostics {
	return &Diagnostics{out: out, interval: interval, now: time.Now, sources: map[string]*diagnosticSource{}}
}

// Report counts one event of source and prints a line if the source has
// not printed within the interval. detail describes the latest event.
func (d *Diagnostics) Report(source, detail string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.sources[source]
	if s == nil {
		s = &diagnosticSource{}
		d.sources[source] = s
	}
	s.count++
	now := d.now()
	if s.reported > 0 && now.Sub(s.last) < d.interval {
		return
	}
	s.last = now
	s.reported = s.count
	if d.out != nil {
		fmt.Fprintf(d.out, "femtologging: %s: %s (%d so far)\n", source, detail, s.count)
	}
}

// Count returns how many events source has reported. Like Report, it
// accepts a nil Diagnostics (handlers built without one), which counts
// nothing.
func (d *Diagnostics) Count(source string) uint64 {
	if d == nil {
		return 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s := d.sources[source]; s != nil {
		return s.count
	}
	return 0
}

// SetClock replaces the clock, for tests of the rate limit.
func (d *Diagnostics) SetClock(now func() time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.now = now
}
