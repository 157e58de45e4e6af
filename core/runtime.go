package core

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultCloseTimeout bounds a close when the caller gives no timeout, and
// the background closes of handlers nobody waits for.
const DefaultCloseTimeout = 5 * time.Second

// ErrShutDown reports a call that needs the runtime after Shutdown.
var ErrShutDown = fmt.Errorf("library shut down: %w", ErrClosed)

// RuntimeOptions configures a Runtime.
type RuntimeOptions struct {
	// Diagnostics is where loggers and handlers report what they lose.
	Diagnostics *Diagnostics
	// NewHandle numbers registered handlers. The C API passes the counter
	// it numbers every kind of handle with, so that a handle of one kind is
	// never valid as another. nil counts from 1.
	NewHandle func() uint64
}

// HandlerEntry is a registered handler and the settings its front ends
// need.
type HandlerEntry struct {
	Handler Handler
	// Kind names the handler's kind in messages, e.g. "stream".
	Kind string
	// FlushTimeout is the wait of a flush given no timeout.
	FlushTimeout time.Duration
	// Spec is the JSON spec the handler was built from (nil for a handler
	// made in code): a forked child rebuilds the handler from it.
	Spec []byte
	// Recipe is what a front end keeps to rebuild a handler that has no
	// spec (a C callback) in a forked child. Core never looks inside.
	Recipe any
}

// Runtime is the lifecycle of a process's logging: the manager and its
// loggers, the registered handlers, the handlers a configuration built
// (closed once a later configuration no longer uses them), and the order
// of shutdown. The C API holds one and only translates calls to it.
type Runtime struct {
	opts     RuntimeOptions
	manager  atomic.Pointer[Manager]
	handlers handlerTable
	shutDown atomic.Bool
	config   configState
}

// NewRuntime returns a runtime with a fresh manager and no handlers.
func NewRuntime(opts RuntimeOptions) *Runtime {
	if opts.NewHandle == nil {
		var n atomic.Uint64
		opts.NewHandle = func() uint64 { return n.Add(1) }
	}
	r := &Runtime{opts: opts}
	r.manager.Store(NewManager(ManagerOptions{Diagnostics: opts.Diagnostics}))
	return r
}

// Manager returns the current manager; Reset replaces it.
func (r *Runtime) Manager() *Manager { return r.manager.Load() }

// Diagnostics returns where the runtime reports lost records.
func (r *Runtime) Diagnostics() *Diagnostics { return r.opts.Diagnostics }

// IsShutDown reports whether Shutdown was called.
func (r *Runtime) IsShutDown() bool { return r.shutDown.Load() }

// Reset replaces the manager with a fresh one; the old loggers drain
// what they had queued in the background. Handlers stay registered.
func (r *Runtime) Reset() {
	old := r.manager.Swap(NewManager(ManagerOptions{Diagnostics: r.opts.Diagnostics}))
	go old.Close(DefaultCloseTimeout)
}

// Register adds a handler and returns its handle.
func (r *Runtime) Register(h Handler, kind string, flushTimeout time.Duration) uint64 {
	return r.RegisterEntry(HandlerEntry{Handler: h, Kind: kind, FlushTimeout: flushTimeout})
}

// RegisterEntry adds a handler with everything known about it and returns
// its handle.
func (r *Runtime) RegisterEntry(e HandlerEntry) uint64 {
	id := r.opts.NewHandle()
	r.handlers.add(id, &e)
	return id
}

// RegisterAt adds a handler under a handle issued by the parent of a
// forked child, so that the child's front end keeps using the parent's
// handles.
func (r *Runtime) RegisterAt(id uint64, e HandlerEntry) { r.handlers.add(id, &e) }

// EachHandler calls fn for every registered handler, in no order.
func (r *Runtime) EachHandler(fn func(id uint64, e *HandlerEntry)) { r.handlers.each(fn) }

// Handler returns the handler registered as id. It takes no lock: the
// C API looks handlers up on the log path.
func (r *Runtime) Handler(id uint64) (*HandlerEntry, bool) { return r.handlers.get(id) }

// HandlesOf returns the handles of hs, in order: the reverse of Handler,
// so that a front end can ask which registered handlers a logger has
// (Logger.Handlers) instead of keeping its own copy of the list. A handler
// that was never registered (attached in Go code only) has no handle and
// is left out.
func (r *Runtime) HandlesOf(hs []Handler) []uint64 {
	if len(hs) == 0 {
		return nil
	}
	ids := make(map[Handler]uint64)
	r.handlers.each(func(id uint64, e *HandlerEntry) {
		// A handler registered twice keeps its lowest handle, so the
		// answer does not depend on map order.
		if old, ok := ids[e.Handler]; !ok || id < old {
			ids[e.Handler] = id
		}
	})
	out := make([]uint64, 0, len(hs))
	for _, h := range hs {
		if id, ok := ids[h]; ok {
			out = append(out, id)
		}
	}
	return out
}

// Attach appends e's handler to l's handlers. A closed handler is
// refused: attaching it would drop every record silently.
func (r *Runtime) Attach(l *Logger, e *HandlerEntry) error {
	if c, ok := e.Handler.(interface{ Closed() bool }); ok && c.Closed() {
		return fmt.Errorf("handler %s is closed: %w", e.Kind, ErrClosed)
	}
	l.AddHandler(e.Handler)
	return nil
}

// Shutdown flushes and closes everything within timeout, once; later
// calls return nil at once. stopCallbacks is called last, with what is
// left of the timeout: it stops calls into the host and reports whether
// the running ones finished. The error says what did not finish in time.
func (r *Runtime) Shutdown(timeout time.Duration, stopCallbacks func(time.Duration) bool) error {
	if !r.shutDown.CompareAndSwap(false, true) {
		return nil
	}
	deadline := time.Now().Add(timeout)
	left := func() time.Duration { return max(time.Until(deadline), 0) }

	// Order matters: hand queued records to the handlers, stop the loggers
	// (later records are counted as dropped), write and close every
	// handler (formatter callbacks still allowed), and only then stop
	// calling into the host.
	mgr := r.Manager()
	synced := mgr.Sync(left())
	closeErr := mgr.Close(left())
	var stuck []string
	r.handlers.each(func(_ uint64, e *HandlerEntry) { FlusherOf(e.Handler).CloseBegin() })
	r.handlers.each(func(_ uint64, e *HandlerEntry) {
		if e.Handler.Close(left()) != nil {
			stuck = append(stuck, e.Kind)
		}
	})
	callbacksDone := stopCallbacks == nil || stopCallbacks(left())
	// Handlers printed their summaries as they closed; this adds the
	// loggers' (and anything else that lost records) in one line each.
	r.opts.Diagnostics.SummarizeAll()
	if !synced || closeErr != nil || len(stuck) > 0 || !callbacksDone {
		return fmt.Errorf("shutdown did not finish within %v (handlers still draining: %v)", timeout, stuck)
	}
	return nil
}

// FlushAll writes what was logged so far, within timeout; a fatal signal
// calls it before the process dies. Each handler is flushed on its own
// goroutine, so one stuck destination (or a logger stuck in a slow Python
// handler) costs only its own records: the handler first writes what it
// already holds, then waits for the loggers feeding it to hand over what
// they had queued when FlushAll began, and flushes again. Records logged
// meanwhile by other threads are not waited for, so the flush ends even
// under a steady stream.
func (r *Runtime) FlushAll(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	left := func() time.Duration { return max(time.Until(deadline), 0) }
	mgr := r.Manager()
	var wg sync.WaitGroup
	flush := func(work func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { _ = recover() }() // the caller goes on even if a flush panicked
			work()
		}()
	}
	// Python and C callback handlers run on the logger workers.
	flush(func() { mgr.Sync(left()) })
	r.handlers.each(func(_ uint64, e *HandlerEntry) {
		f, ok := e.Handler.(Flusher)
		if !ok {
			return
		}
		marks := mgr.MarksFor(e.Handler)
		first := f.FlushBegin()
		flush(func() {
			f.FlushWait(first, left())
			if WaitMarks(marks, left()) {
				f.FlushWait(f.FlushBegin(), left())
			}
		})
	})
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
	}
}

// handlerTable maps handles to registered handlers. Reads are lock-free
// and allocation-free; writes copy the map, which is fine because
// handlers are created rarely.
type handlerTable struct {
	mu      sync.Mutex
	current atomic.Pointer[map[uint64]*HandlerEntry]
}

func (t *handlerTable) add(id uint64, e *HandlerEntry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	next := map[uint64]*HandlerEntry{}
	if m := t.current.Load(); m != nil {
		for k, v := range *m {
			next[k] = v
		}
	}
	next[id] = e
	t.current.Store(&next)
}

func (t *handlerTable) get(id uint64) (*HandlerEntry, bool) {
	if m := t.current.Load(); m != nil {
		e, ok := (*m)[id]
		return e, ok
	}
	return nil, false
}

func (t *handlerTable) each(fn func(id uint64, e *HandlerEntry)) {
	if m := t.current.Load(); m != nil {
		for id, e := range *m {
			fn(id, e)
		}
	}
}
