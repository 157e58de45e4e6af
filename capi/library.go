package main

import (
	"sync"
	"time"

	"femtologging/core"
	"femtologging/core/config"
	"femtologging/core/sink"
)

// blockSlice bounds one wait of a producer under the "block" policy; the
// caller gets FEMTOLOG_RETRY and calls again, which lets Python deliver
// Ctrl-C between slices.
const blockSlice = 100 * time.Millisecond

// defaultCloseTimeout bounds femtolog_handler_close when the caller passes
// a negative timeout.
const defaultCloseTimeout = core.DefaultCloseTimeout

// library is the process-wide state behind the C interface. There is one,
// because a process has one libfemtolog. The lifecycle (loggers, handlers,
// configuration, shutdown) is the runtime's; what is kept here are the
// handles that name Go objects across the boundary.
type library struct {
	rt            *core.Runtime
	resetMu       sync.Mutex
	loggerHandles sync.Map // *core.Logger -> handle, for the current manager

	diagnostics *core.Diagnostics
	loggers     growTable[core.Logger]
	formatters  handleTable[*callbackFormatter]
	threads     growTable[core.ThreadInfo]
	tickets     handleTable[*core.Ticket]
	callbacks   callbackGate
	interned    internTable // caller strings and keys of rich records
	startNs     int64       // when the library loaded: relativeCreated's origin
}

var lib = newLibrary()

func newLibrary() *library {
	// Diagnostics follow descriptor 2 as it is at each report, like
	// stream handlers, and never raise SIGPIPE.
	l := &library{diagnostics: core.NewDiagnostics(sink.FDWriter(2), core.DefaultReportInterval), startNs: time.Now().UnixNano()}
	l.rt = core.NewRuntime(core.RuntimeOptions{Diagnostics: l.diagnostics, NewHandle: func() uint64 { return nextHandle.Add(1) }})
	return l
}

// configEnv is what the config package needs to build handlers here.
func (l *library) configEnv() config.Env {
	return config.Env{
		Diagnostics: l.diagnostics,
		StartNs:     l.startNs,
		Formatter: func(h uint64) (core.Formatter, error) {
			f, ok := l.formatters.get(h)
			if !ok {
				return nil, errHandle
			}
			return f, nil
		},
	}
}

// loggerHandle returns the one handle of a logger, registering it on first
// use.
func (l *library) loggerHandle(lg *core.Logger) uint64 {
	if h, ok := l.loggerHandles.Load(lg); ok {
		return h.(uint64)
	}
	l.resetMu.Lock()
	defer l.resetMu.Unlock()
	if h, ok := l.loggerHandles.Load(lg); ok {
		return h.(uint64)
	}
	h := l.loggers.add(lg)
	l.loggerHandles.Store(lg, h)
	return h
}

// reset replaces the manager; old logger handles go stale and the old
// loggers drain what they had queued in the background.
func (l *library) reset() {
	l.resetMu.Lock()
	defer l.resetMu.Unlock()
	l.rt.Reset()
	l.loggers.clear()
	l.loggerHandles.Clear()
}

// anonymousThread is the identity of records logged with thread handle 0.
// It is not the OS thread id: asking the kernel for it costs a system call
// per record (~230 ns here), more than the rest of the call.
var anonymousThread = &core.ThreadInfo{}

// thread returns the identity to stamp on a record: a registered thread,
// or for handle 0 none.
func (l *library) thread(h uint64) (*core.ThreadInfo, bool) {
	if h == 0 {
		return anonymousThread, true
	}
	return l.threads.get(h)
}
