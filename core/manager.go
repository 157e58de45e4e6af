package core

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// ManagerOptions holds what a Manager would otherwise take from package
// state, so tests can run many managers side by side under -race.
type ManagerOptions struct {
	Diagnostics *Diagnostics
	// Now returns the time stamped on records, in nanoseconds since the
	// Unix epoch. Defaults to the wall clock.
	Now func() int64
}

// monotonicWallClock returns a clock of wall time in nanoseconds that reads
// only the monotonic clock per call: time.Now reads two clocks, which is
// measurable on the log path. It does not follow wall-clock steps made
// after the manager was created.
func monotonicWallClock() func() int64 {
	start := time.Now()
	base := start.UnixNano()
	return func() int64 { return base + int64(time.Since(start)) }
}

// Manager is the registry of loggers: one per name, parents created on
// demand up to the root.
type Manager struct {
	mu      sync.Mutex
	loggers map[string]*Logger
	root    *Logger
	opts    ManagerOptions
	// closed is set by Close: loggers created afterwards start closed,
	// so their records count as dropped and no worker outlives Close.
	closed bool
}

// NewManager returns a registry holding only the root logger, at INFO.
func NewManager(opts ManagerOptions) *Manager {
	if opts.Now == nil {
		opts.Now = monotonicWallClock()
	}
	m := &Manager{loggers: map[string]*Logger{}, opts: opts}
	m.root = newLogger(RootName, nil, m)
	m.root.level.Store(int32(LevelInfo))
	m.root.effective.Store(int32(LevelInfo))
	m.loggers[RootName] = m.root
	return m
}

func (m *Manager) now() int64 { return m.opts.Now() }

// Diagnostics returns where the manager's loggers report drops.
func (m *Manager) Diagnostics() *Diagnostics { return m.opts.Diagnostics }

// Root returns the root logger.
func (m *Manager) Root() *Logger { return m.root }

// Logger returns the logger called name, creating it and its missing
// ancestors.
func (m *Manager) Logger(name string) (*Logger, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.loggerLocked(name), nil
}

func (m *Manager) loggerLocked(name string) *Logger {
	if l, ok := m.loggers[name]; ok {
		return l
	}
	parent := m.loggerLocked(parentName(name))
	l := newLogger(name, parent, m)
	l.effective.Store(parent.effective.Load())
	inherited := *parent.targets.Load()
	l.setTargetsLocked(&inherited)
	m.loggers[name] = l
	if m.closed {
		l.close()
	}
	return l
}

// Loggers returns every registered logger, sorted by name.
func (m *Manager) Loggers() []*Logger {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*Logger, 0, len(m.loggers))
	for _, l := range m.loggers {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// Lookup returns the registered logger called name, if any.
func (m *Manager) Lookup(name string) (*Logger, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.loggers[name]
	return l, ok
}

// recomputeLocked refreshes every logger's effective level and dispatch
// list after a change. The tree is small and changes are rare, so a full
// pass keeps the log path free of any walk up the tree.
func (m *Manager) recomputeLocked() {
	done := make(map[*Logger]bool, len(m.loggers))
	var visit func(l *Logger)
	visit = func(l *Logger) {
		if done[l] {
			return
		}
		done[l] = true
		eff := l.level.Load()
		var handlers []Handler
		handlers = append(handlers, l.handlers...)
		if l.parent != nil {
			visit(l.parent)
			if eff == int32(LevelNotSet) {
				eff = l.parent.effective.Load()
			}
			if l.propagate.Load() {
				handlers = append(handlers, l.parent.targets.Load().handlers...)
			}
		}
		var policy OverflowPolicy
		pinned, caller := false, false
		for _, h := range handlers {
			policy = policy.stronger(h.Policy())
			pinned = pinned || pinsThread(h)
			caller = caller || wantsCaller(h)
		}
		l.effective.Store(eff)
		l.setTargetsLocked(&dispatch{handlers: handlers, policy: policy, pinned: pinned, caller: caller})
	}
	for _, l := range m.loggers {
		visit(l)
	}
}

// LoggerMark is a point in one logger's queue: see Marks and WaitMarks.
type LoggerMark struct {
	logger *Logger
	target uint64
}

// Marks returns, for every logger, the number of records queued so far.
func (m *Manager) Marks() []LoggerMark {
	m.mu.Lock()
	defer m.mu.Unlock()
	marks := make([]LoggerMark, 0, len(m.loggers))
	for _, l := range m.loggers {
		if l.started.Load() {
			marks = append(marks, LoggerMark{logger: l, target: l.mark()})
		}
	}
	return marks
}

// MarksFor is Marks restricted to the loggers that may have queued records
// for h: a flush of h must not wait for loggers that never feed it (one
// stuck in a slow Python handler, say).
func (m *Manager) MarksFor(h Handler) []LoggerMark {
	m.mu.Lock()
	defer m.mu.Unlock()
	var marks []LoggerMark
	for _, l := range m.loggers {
		if _, fed := l.fed[h]; fed && l.started.Load() {
			marks = append(marks, LoggerMark{logger: l, target: l.mark()})
		}
	}
	return marks
}

// WaitMarks waits up to timeout for every logger worker to have handed the
// records up to its mark to the handlers, and reports whether they had. A
// handler flush starts with this, so that records still in a logger queue
// are part of "everything queued".
func WaitMarks(marks []LoggerMark, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for _, mk := range marks {
		if !mk.logger.q.waitDone(mk.target, time.Until(deadline)) {
			return false
		}
	}
	return true
}

// Sync waits up to timeout for every queued record to reach its handlers.
func (m *Manager) Sync(timeout time.Duration) bool {
	return WaitMarks(m.Marks(), timeout)
}

// Close stops every logger queue and waits up to timeout for the workers
// to hand what was queued to the handlers. Records logged afterwards are
// counted as dropped.
func (m *Manager) Close(timeout time.Duration) error {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	loggers := m.Loggers()
	for _, l := range loggers {
		l.close()
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var stuck []string
	for _, l := range loggers {
		select {
		case <-l.stopped:
		case <-deadline.C:
			stuck = append(stuck, l.name)
			deadline.Reset(0)
		}
	}
	if len(stuck) > 0 {
		return fmt.Errorf("loggers still draining after %v: %s", timeout, strings.Join(stuck, ", "))
	}
	return nil
}
