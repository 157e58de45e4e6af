package main

/*
#include "femtolog.h"
#include "signals.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
	"unsafe"

	"femtologging/core"
	"femtologging/core/config"
)

// Fork support (issue 12; the choice is in docs/decisions.md).
//
// The Go runtime does not survive fork(): in the child its threads are
// gone. A child that wants to log loads a second, private copy of the
// library (a copy of the file at another inode, so the loader maps it
// afresh with its own runtime) and hands it the description its parent
// wrote just before forking: femtolog_fork_describe in the parent's copy,
// femtolog_fork_restore in the child's. The child's copy then has the same
// handles naming the same loggers, handlers and formatters, so every
// handle the program holds stays valid, and fresh queues and workers of
// its own. Records queued in the parent stay in the parent's (dead, in the
// child) runtime: only the parent writes them.

// forkSnapshotVersion is the version of the description's layout; a child
// rejects any other (parent and child run the same file, so it only
// guards against a caller mixing libraries).
const forkSnapshotVersion = 1

// forkRecipe is how a child builds a handler the parent has: from its
// spec, or as a callback handler calling the same function (the program's
// code and data are in the child's memory too).
type forkRecipe struct {
	fn       C.femtolog_handle_fn
	userData C.uintptr_t
	caller   bool // the callback uses the caller fields
}

// forkSnapshot is the description femtolog_fork_describe writes.
type forkSnapshot struct {
	Version    int               `json:"version"`
	NextHandle uint64            `json:"next_handle"`
	Formatters []forkCallback    `json:"formatters"`
	Handlers   []forkHandler     `json:"handlers"`
	Loggers    []forkLogger      `json:"loggers"`
	Thread     *forkThread       `json:"thread,omitempty"`
	Config     json.RawMessage   `json:"config"` // docs/config-schema.md, handlers by handle
	ConfigIDs  map[string]uint64 `json:"config_ids"`
	// SignalFlushMs is the signal flush timeout; 0: the handlers were removed.
	SignalFlushMs int64 `json:"signal_flush_timeout_ms"`
	// Heap is where the parent's Go heap is mapped, Image the parts of the
	// parent's copy a child may give back: dead in the child, whose copy
	// gives their pages back (fork_memory.go).
	Heap  []memRange `json:"heap,omitempty"`
	Image []memRange `json:"image,omitempty"`
	// PID is the describing process: its heap is dead only in another one.
	PID int `json:"pid"`
}

type forkCallback struct {
	Handle   uint64 `json:"handle"`
	Fn       uint64 `json:"fn"`
	UserData uint64 `json:"user_data"`
	Caller   bool   `json:"caller,omitempty"`
}

type forkHandler struct {
	Handle   uint64          `json:"handle"`
	Kind     string          `json:"kind"`
	Spec     json.RawMessage `json:"spec,omitempty"`
	Callback *forkCallback   `json:"callback,omitempty"`
	Closed   bool            `json:"closed,omitempty"`
	Owned    bool            `json:"owned,omitempty"` // built by a configuration
}

type forkLogger struct {
	Handle uint64 `json:"handle"`
	Name   string `json:"name"`
}

type forkThread struct {
	Handle uint64 `json:"handle"`
	ID     uint64 `json:"id"`
	Name   string `json:"name"`
}

var (
	errNotFresh     = errors.New("fork restore needs a library that has issued no handle yet")
	errSnapshotForm = errors.New("not a fork description")
)

// describeForFork builds the parent's description. thread is the handle of
// the thread about to fork (the only thread the child has), or 0.
func (l *library) describeForFork(thread uint64) ([]byte, error) {
	snap := forkSnapshot{Version: forkSnapshotVersion}
	if !signalsRemoved.Load() {
		snap.SignalFlushMs = time.Duration(signalFlushTimeout.Load()).Milliseconds()
	}
	ids, owned := l.rt.ConfigState()
	snap.ConfigIDs = ids
	l.formatters.each(func(h uint64, f *callbackFormatter) {
		snap.Formatters = append(snap.Formatters, forkCallback{Handle: h, Fn: uint64(uintptr(unsafe.Pointer(f.fn))), UserData: uint64(f.userData), Caller: f.caller})
	})
	handleOf := map[core.Handler]uint64{}
	l.rt.EachHandler(func(h uint64, e *core.HandlerEntry) {
		handleOf[e.Handler] = h
		fh := forkHandler{Handle: h, Kind: e.Kind, Owned: owned[h], Spec: e.Spec}
		recipe, isCallback := e.Recipe.(forkRecipe)
		if c, ok := e.Handler.(interface{ Closed() bool }); ok && c.Closed() {
			fh.Closed, fh.Spec = true, nil
		} else if isCallback {
			fh.Callback = &forkCallback{Fn: uint64(uintptr(unsafe.Pointer(recipe.fn))), UserData: uint64(recipe.userData), Caller: recipe.caller}
		}
		snap.Handlers = append(snap.Handlers, fh)
	})
	mgr := l.rt.Manager()
	states := mgr.Describe()
	for _, st := range states {
		lg, ok := mgr.Lookup(st.Name)
		if !ok {
			continue
		}
		if h, ok := l.loggerHandles.Load(lg); ok {
			snap.Loggers = append(snap.Loggers, forkLogger{Handle: h.(uint64), Name: st.Name})
		}
	}
	if th, ok := l.threads.get(thread); ok && thread != 0 {
		snap.Thread = &forkThread{Handle: thread, ID: th.ID, Name: th.Name}
	}
	doc, err := config.Describe(states, func(h core.Handler) (uint64, bool) {
		n, ok := handleOf[h]
		return n, ok
	})
	if err != nil {
		return nil, err
	}
	snap.Config = doc
	snap.NextHandle = nextHandle.Load()
	snap.Heap, snap.Image, snap.PID = ownHeapMappings(), ownImage(), os.Getpid()
	return json.Marshal(snap)
}

func (l *library) restoreFromFork(data []byte) error {
	var snap forkSnapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return fmt.Errorf("%w: %v", errSnapshotForm, err)
	}
	if snap.Version != forkSnapshotVersion {
		return fmt.Errorf("%w: version %d, want %d", errSnapshotForm, snap.Version, forkSnapshotVersion)
	}
	if !nextHandle.CompareAndSwap(0, snap.NextHandle) {
		return errNotFresh
	}
	if snap.PID != os.Getpid() { // a second copy in the describing process: that one is alive
		releaseDeadCopy(snap.Heap, snap.Image)
	}
	for _, f := range snap.Formatters {
		l.formatters.addAt(f.Handle, &callbackFormatter{fn: C.femtolog_format_fn(pointerFrom(f.Fn)), userData: C.uintptr_t(f.UserData), caller: f.Caller})
	}
	owned := map[uint64]bool{}
	for _, fh := range snap.Handlers {
		l.rt.RegisterAt(fh.Handle, l.restoreHandler(fh))
		if fh.Owned && !fh.Closed {
			owned[fh.Handle] = true
		}
	}
	mgr := l.rt.Manager()
	for _, fl := range snap.Loggers {
		lg, err := mgr.Logger(fl.Name)
		if err != nil {
			return fmt.Errorf("%w: logger %q: %v", errSnapshotForm, fl.Name, err)
		}
		l.loggers.addAt(fl.Handle, lg)
		l.loggerHandles.Store(lg, fl.Handle)
	}
	if t := snap.Thread; t != nil {
		l.threads.addAt(t.Handle, &core.ThreadInfo{ID: t.ID, Name: t.Name})
	}
	// The document names only handlers registered above ({"handle": N}),
	// so applying it builds nothing and retires nothing.
	if err := config.Configure(l.rt, l.configEnv(), snap.Config); err != nil {
		return err
	}
	l.rt.RestoreConfigState(snap.ConfigIDs, owned)
	if snap.SignalFlushMs <= 0 {
		removeSignalHandlers()
	} else {
		signalFlushTimeout.Store(int64(time.Duration(snap.SignalFlushMs) * time.Millisecond))
	}
	return nil
}

func (l *library) restoreHandler(fh forkHandler) core.HandlerEntry {
	e := core.HandlerEntry{Kind: fh.Kind, FlushTimeout: config.DefaultFlushTimeout}
	switch {
	case fh.Closed:
	case fh.Callback != nil:
		fn := C.femtolog_handle_fn(pointerFrom(fh.Callback.Fn))
		ud := C.uintptr_t(fh.Callback.UserData)
		h := newCallbackHandler(fn, ud)
		h.Caller = fh.Callback.Caller
		e.Handler, e.Recipe = h, forkRecipe{fn: fn, userData: ud, caller: h.Caller}
		return e
	case len(fh.Spec) > 0:
		built, err := config.BuildHandler(l.configEnv(), fh.Spec)
		if err == nil {
			e.Handler, e.FlushTimeout, e.Spec = built.Handler, built.FlushTimeout, built.Spec
			return e
		}
		l.diagnostics.Report(fmt.Sprintf("fork: handler %d (%s)", fh.Handle, fh.Kind), "could not be rebuilt in the child, its records are dropped: "+err.Error())
	}
	closed := core.NewCallbackHandler(fmt.Sprintf("%s handler %d", fh.Kind, fh.Handle), func(*core.Record) error { return nil }, l.diagnostics)
	_ = closed.Close(0)
	e.Handler = closed
	return e
}

func pointerFrom(address uint64) unsafe.Pointer {
	p := uintptr(address)
	return *(*unsafe.Pointer)(unsafe.Pointer(&p))
}

//export femtolog_fork_describe
func femtolog_fork_describe(outJSON *C.uint8_t, outCap C.size_t, outLen *C.size_t, thread C.uint64_t) (rc C.int) {
	defer guard(&rc)
	if outLen == nil || (outJSON == nil && outCap > 0) {
		return failErr(errNilPointer)
	}
	out, err := lib.describeForFork(uint64(thread))
	if err != nil {
		return fail(statusErrInternal, err)
	}
	*outLen = C.size_t(len(out))
	if int(outCap) >= len(out) {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(outJSON)), int(outCap)), out)
	}
	return statusOK
}

//export femtolog_fork_restore
func femtolog_fork_restore(snapshot *C.char, snapshotLen C.size_t) (rc C.int) {
	defer guard(&rc)
	data, err := borrow(snapshot, snapshotLen)
	if err != nil {
		return failErr(err)
	}
	if err := lib.restoreFromFork(data); err != nil {
		if errors.Is(err, config.ErrInvalid) {
			return failErr(err)
		}
		return fail(statusErrInvalid, err)
	}
	return statusOK
}
