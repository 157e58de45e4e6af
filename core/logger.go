package core

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// LoggerQueueCapacity is the bound of every logger's queue (user guide:
// "Each FemtoLogger owns a bounded queue (capacity 1 024)").
const LoggerQueueCapacity = 1024

// LogStatus is the outcome of Logger.Log.
type LogStatus int

// The outcomes of Logger.Log.
const (
	// LogQueued: the record passed the level and filters and was queued
	// (or there was no handler to queue it for).
	LogQueued LogStatus = iota
	// LogFiltered: the level or a filter rejected the record.
	LogFiltered
	// LogDropped: the record passed but the queue was full or closed; it
	// was counted in Dropped.
	LogDropped
)

// Logger is a named node of the logger tree with its own bounded queue and
// worker. Handler lists are copy-on-write: a record carries the dispatch
// list that was current when it was queued, so removing a handler affects
// only later records.
type Logger struct {
	name   string
	parent *Logger
	mgr    *Manager

	level     atomic.Int32 // own level; LevelNotSet inherits
	effective atomic.Int32
	propagate atomic.Bool

	handlers []Handler // guarded by mgr.mu
	// fed holds every handler this logger's dispatch list has ever held,
	// so a flush of one handler waits only for the loggers that may have
	// queued records for it. Guarded by mgr.mu.
	fed     map[Handler]struct{}
	filters atomic.Pointer[[]Filter]
	targets atomic.Pointer[dispatch]

	q *ring[queuedRecord]
	// The diagnostics sources of this logger's drops, built once so that
	// a storm of drops does not format strings.
	subject string // "logger <name>", in diagnostics
	started atomic.Bool
	stopped chan struct{}
	dropped atomic.Uint64
}

// dispatch is the immutable list of handlers a record goes to: the
// logger's own and, while propagation holds, its ancestors'.
type dispatch struct {
	handlers []Handler
	policy   OverflowPolicy
	pinned   bool // some handler wants its worker on one OS thread
	caller   bool // some handler's formatter uses the caller fields
}

// queuedRecord is a logger queue slot. targets comes first so that it
// shares a cache line with the record fields every call fills.
type queuedRecord struct {
	targets *dispatch
	Record
}

func newLogger(name string, parent *Logger, mgr *Manager) *Logger {
	l := &Logger{name: name, parent: parent, mgr: mgr, q: newRing[queuedRecord](LoggerQueueCapacity), stopped: make(chan struct{})}
	l.subject = "logger " + name
	l.propagate.Store(true)
	l.targets.Store(&dispatch{})
	// A slot's handler list would keep removed handlers alive.
	l.q.scrub = func(slot *queuedRecord) { slot.targets = nil }
	return l
}

// Name returns the logger's dotted name.
func (l *Logger) Name() string { return l.name }

// Parent returns the parent logger, nil for the root.
func (l *Logger) Parent() *Logger { return l.parent }

// Level returns the logger's own level, LevelNotSet if it inherits.
func (l *Logger) Level() Level { return Level(l.level.Load()) }

// EffectiveLevel returns the level records are checked against: the own
// level, or the nearest ancestor's.
func (l *Logger) EffectiveLevel() Level { return Level(l.effective.Load()) }

// Propagate reports whether records go on to the ancestors' handlers.
func (l *Logger) Propagate() bool { return l.propagate.Load() }

// Dropped counts records lost because the queue was full or closed.
func (l *Logger) Dropped() uint64 { return l.dropped.Load() }

// Log checks level and filters and queues the record for the worker.
// msg is copied. maxBlock bounds the wait under the block policy (negative:
// no bound); when it runs out Log returns ErrRetry and nothing happened.
func (l *Logger) Log(level Level, msg []byte, thread *ThreadInfo, maxBlock time.Duration) (LogStatus, error) {
	return l.log(level, msg, thread, nil, maxBlock, false)
}

// LogEx is Log for a record with details: caller, exception and stack
// text, key-values (details may be nil). Its buffers are copied.
func (l *Logger) LogEx(level Level, msg []byte, thread *ThreadInfo, details *RecordDetails, maxBlock time.Duration) (LogStatus, error) {
	return l.log(level, msg, thread, details, maxBlock, false)
}

// TryLogEx is TryLog for a record with details. When the logger's handlers
// want the caller (see CallerWanter) and details carry none, it returns
// ErrNeedCaller and nothing happened: the host captures the caller and
// calls again. Log and LogEx never ask: a C caller without a caller logs
// records whose caller fields are empty.
func (l *Logger) TryLogEx(level Level, msg []byte, thread *ThreadInfo, details *RecordDetails) (LogStatus, error) {
	return l.log(level, msg, thread, details, 0, true)
}

// WantsCaller reports whether some handler reachable from the logger uses
// the caller fields.
func (l *Logger) WantsCaller() bool { return l.targets.Load().caller }

// TryLog is Log that never waits for room: where Log would wait, it
// returns ErrWouldBlock and nothing happened. Everything else it takes
// (the queue's lock, the clock) is held only for moments by threads that
// never wait on the caller, so a caller holding a lock that a worker may
// need (Python's GIL, to run a Python handler) can try first and release
// its lock only for the Log call that may wait.
func (l *Logger) TryLog(level Level, msg []byte, thread *ThreadInfo) (LogStatus, error) {
	return l.log(level, msg, thread, nil, 0, true)
}

func (l *Logger) log(level Level, msg []byte, thread *ThreadInfo, details *RecordDetails, maxBlock time.Duration, noWait bool) (LogStatus, error) {
	if int32(level) < l.effective.Load() {
		return LogFiltered, nil
	}
	if fs := l.filters.Load(); fs != nil {
		probe := Record{Logger: l.name, Level: level, Message: msg}
		for _, f := range *fs {
			if !f.Allow(&probe) {
				return LogFiltered, nil
			}
		}
	}
	d := l.targets.Load()
	if len(d.handlers) == 0 {
		return LogQueued, nil
	}
	if d.caller && noWait && (details == nil || !details.HasCaller) {
		return LogQueued, ErrNeedCaller
	}
	wait := d.policy.wait()
	blocking := d.policy.Kind == PolicyBlock
	if blocking {
		wait = maxBlock
	}
	l.start()
	now := l.mgr.now()
	fill := func(slot *queuedRecord) {
		slot.Logger = l.name
		slot.Level = level
		slot.Message = append(slot.Message[:0], msg...)
		slot.TimeNs = now
		if thread != nil {
			slot.ThreadID, slot.ThreadName = thread.ID, thread.Name
		} else {
			slot.ThreadID, slot.ThreadName = 0, ""
		}
		// The dispatch list is read again here, under the queue's lock:
		// d may predate a configuration swapped in while this push waited
		// for room, and the handlers d names may be closed once the queue
		// positions marked after the swap were delivered.
		slot.targets = l.targets.Load()
		if details != nil || slot.detailed {
			slot.setDetails(details)
		}
	}
	var err error
	if noWait {
		err = l.q.tryPush(fill)
	} else {
		err = l.q.push(wait, fill)
	}
	switch {
	case err == nil:
		return LogQueued, nil
	case err == ErrQueueFull && noWait:
		return LogQueued, ErrWouldBlock
	case err == ErrQueueFull && blocking:
		return LogQueued, ErrRetry
	}
	l.dropped.Add(1)
	reason := "queue full"
	if err == ErrClosed {
		reason = "shutting down"
	}
	l.mgr.opts.Diagnostics.Lost(l.subject, reason, OutcomeDropped, "record dropped", 1)
	return LogDropped, nil
}

// start launches the worker on first use, so loggers that never log (most
// parents) cost no goroutine.
func (l *Logger) start() {
	if !l.started.Load() && l.started.CompareAndSwap(false, true) {
		go l.run()
	}
}

// run is the logger worker: it hands each record to the handlers in the
// dispatch list the record was queued with.
func (l *Logger) run() {
	defer close(l.stopped)
	spins := 0
	w := loggerWorker{l: l}
	for {
		first, second := l.q.acquire()
		n := len(first) + len(second)
		w.done, w.released = 0, 0
		w.deliverAll(first)
		w.deliverAll(second)
		w.flushRun()
		l.q.release(n - w.released)
		l.q.finish(n)
		if n > 0 {
			spins = 0
			l.q.awaitBatch()
			continue
		}
		if l.q.isClosed() && l.q.length() == 0 {
			return
		}
		l.q.park(&spins)
	}
}

// loggerWorker is the logger worker's state within one batch.
type loggerWorker struct {
	l      *Logger
	locked bool
	// run holds consecutive records that share a dispatch list, handed
	// over together to the handlers that take batches.
	run        []*Record
	runTargets *dispatch
	scratch    Record // a pinned record's copy, so its slot is free while Python runs
	done       int    // records of this batch delivered (or in run)
	released   int    // slots of this batch given back
}

// deliverAll hands each record of part to its handlers.
func (w *loggerWorker) deliverAll(part []queuedRecord) {
	l := w.l
	for i := range part {
		item := &part[i]
		targets := item.targets
		w.done++
		if !targets.pinned {
			if targets != w.runTargets {
				w.flushRun()
				w.runTargets = targets
			}
			w.run = append(w.run, &item.Record)
			continue
		}
		w.flushRun()
		if !w.locked {
			runtime.LockOSThread() // for good: see ThreadPinner
			w.locked = true
		}
		// A Python handler may take long: copy the record out and give
		// back every slot delivered so far, so the queue keeps its whole
		// capacity for the callers meanwhile.
		w.scratch.CopyFrom(&item.Record)
		item.releaseLarge()
		l.q.release(w.done - w.released)
		w.released = w.done
		l.deliver(&w.scratch, targets)
		w.scratch.releaseLarge()
	}
}

// flushRun hands the pending run of records to their handlers: in one
// call to each handler that takes batches, one by one to the others.
func (w *loggerWorker) flushRun() {
	if len(w.run) == 0 {
		return
	}
	for _, h := range w.runTargets.handlers {
		if bh, ok := h.(BatchHandler); ok {
			w.l.handBatch(bh, w.run)
			continue
		}
		for _, rec := range w.run {
			w.l.handOne(h, rec)
		}
	}
	for i, rec := range w.run {
		rec.releaseLarge()
		w.run[i] = nil
	}
	w.run, w.runTargets = w.run[:0], nil
}

// deliver gives one record to each target handler. Handlers count their
// own failures; a panic is reported, never raised.
func (l *Logger) deliver(rec *Record, targets *dispatch) {
	for _, h := range targets.handlers {
		l.handOne(h, rec)
	}
}

// handBatch is handOne for a run of records.
func (l *Logger) handBatch(h BatchHandler, recs []*Record) {
	defer func() {
		if r := recover(); r != nil {
			l.mgr.opts.Diagnostics.Report("logger "+l.name+": handler panic", fmt.Sprint(r))
		}
	}()
	h.HandleBatch(recs)
}

// handOne recovers per handler, so that one handler's panic does not keep
// the record from the handlers after it in the list.
func (l *Logger) handOne(h Handler, rec *Record) {
	defer func() {
		if r := recover(); r != nil {
			l.mgr.opts.Diagnostics.Report("logger "+l.name+": handler panic", fmt.Sprint(r))
		}
	}()
	_ = h.Handle(rec)
}

// setTargetsLocked installs a new dispatch list and remembers its
// handlers in fed. The caller holds mgr.mu.
func (l *Logger) setTargetsLocked(d *dispatch) {
	for _, h := range d.handlers {
		if l.fed == nil {
			l.fed = map[Handler]struct{}{}
		}
		l.fed[h] = struct{}{}
	}
	l.targets.Store(d)
}

// mark returns a target for waitDone: everything queued so far.
func (l *Logger) mark() uint64 { return l.q.mark() }

// close stops the queue; the worker drains what is queued, then exits.
func (l *Logger) close() {
	l.q.close()
	if !l.started.Load() && l.started.CompareAndSwap(false, true) {
		close(l.stopped)
	}
}
