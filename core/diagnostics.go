package core

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// DefaultReportInterval is how often one source may print a warning.
const DefaultReportInterval = 5 * time.Second

// Diagnostics is where workers report failures they must not raise into
// the caller: queue drops, IO errors, handler exceptions. The reports are
// in proportion to what was lost without flooding stderr:
//
//   - the first event of an episode prints at once, with its detail;
//   - within the interval that follows, events of that source are counted
//     silently; the first event after it prints the running total;
//   - Summarize (a handler's close) and SummarizeAll (shutdown) print one
//     line per handler or logger that lost records, with the totals and
//     the reasons, so a burst that ended inside an interval is told too.
//
// Lines are printed only from a report or a summary, never later from a
// timer: output appears next to what caused it (a test capturing stderr
// never sees a line caused by an earlier one).
//
// A source is "subject: reason", e.g. "logger app: queue full"; records
// lost are reported with Lost, which also says whether they were dropped
// or failed, so the summary can add them up per subject.
type Diagnostics struct {
	mu       sync.Mutex
	out      io.Writer
	interval time.Duration
	now      func() time.Time
	sources  map[string]*diagnosticSource
	subjects map[string]*diagnosticSubject
	order    []string // subjects in the order they first lost records
}

type diagnosticSource struct {
	count    uint64
	reported uint64 // count when the last line was printed
	last     time.Time
	detail   string // the latest event's
}

// diagnosticSubject is the tally of one handler or logger for summaries.
type diagnosticSubject struct {
	reasons    []string // in first-seen order
	outcome    map[string]string
	lost       map[string]uint64
	detail     map[string]string
	summarized map[string]uint64 // lost[reason] when last summarized
}

// Outcomes of lost records.
const (
	OutcomeDropped = "dropped"
	OutcomeFailed  = "failed"
)

// NewDiagnostics reports to out, at most once per interval and source
// apart from summaries.
func NewDiagnostics(out io.Writer, interval time.Duration) *Diagnostics {
	return &Diagnostics{
		out: out, interval: interval, now: time.Now,
		sources:  map[string]*diagnosticSource{},
		subjects: map[string]*diagnosticSubject{},
	}
}

// Report counts one event of source and prints a line if the source has
// not printed within the interval. detail describes the latest event.
func (d *Diagnostics) Report(source, detail string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.count(source, detail, 1)
}

// Lost counts n records of subject lost for reason (outcome is
// OutcomeDropped or OutcomeFailed) and reports them like Report does for
// the source "subject: reason".
func (d *Diagnostics) Lost(subject, reason, outcome, detail string, n uint64) {
	if d == nil || n == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.subjects[subject]
	if s == nil {
		s = &diagnosticSubject{outcome: map[string]string{}, lost: map[string]uint64{},
			detail: map[string]string{}, summarized: map[string]uint64{}}
		d.subjects[subject] = s
		d.order = append(d.order, subject)
	}
	if _, ok := s.lost[reason]; !ok {
		s.reasons = append(s.reasons, reason)
	}
	s.outcome[reason] = outcome
	s.lost[reason] += n
	s.detail[reason] = detail
	d.count(subject+": "+reason, detail, n)
}

// count adds n events to source and prints its line unless the source
// printed within the interval; d.mu is held.
func (d *Diagnostics) count(source, detail string, n uint64) {
	s := d.sources[source]
	if s == nil {
		s = &diagnosticSource{}
		d.sources[source] = s
	}
	s.count += n
	s.detail = detail
	now := d.now()
	if s.reported == 0 || now.Sub(s.last) >= d.interval {
		d.print(source, s, now)
	}
}

// print writes the line of source; d.mu is held.
func (d *Diagnostics) print(source string, s *diagnosticSource, now time.Time) {
	s.last, s.reported = now, s.count
	if d.out != nil {
		fmt.Fprintf(d.out, "femtologging: %s: %s (%d so far)\n", source, s.detail, s.count)
	}
}

// Summarize prints the summary line of subject if it lost records since
// its last summary: a handler calls it when it closes.
func (d *Diagnostics) Summarize(subject string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.summarize(subject)
}

// SummarizeAll prints the summary line of every subject that lost records
// since its last summary, in the order they first lost one: shutdown
// calls it, so a program that lost 96,165 records says so once at exit.
func (d *Diagnostics) SummarizeAll() {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, subject := range d.order {
		d.summarize(subject)
	}
}

// summarize prints one line like "femtologging: stream stderr: in all:
// 100 dropped (queue full), 5 failed (error: write failed: ...)"; d.mu is
// held.
func (d *Diagnostics) summarize(subject string) {
	s := d.subjects[subject]
	if s == nil {
		return
	}
	fresh := false
	for _, r := range s.reasons {
		fresh = fresh || s.lost[r] > s.summarized[r]
	}
	if !fresh {
		return
	}
	parts := make([]string, 0, len(s.reasons))
	for _, r := range s.reasons {
		s.summarized[r] = s.lost[r]
		why := r
		if s.detail[r] != "record dropped" { // the outcome says as much
			why = r + ": " + s.detail[r]
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s)", s.lost[r], s.outcome[r], why))
	}
	if d.out != nil {
		fmt.Fprintf(d.out, "femtologging: %s: in all: %s\n", subject, strings.Join(parts, ", "))
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
