package main

/*
#include <stdlib.h>
#include "femtolog.h"
#include "helpers.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"femtologging/core"
)

// errCallbacksOff reports a callback skipped because the library shut down:
// after the exit hook, Go must never call into Python again.
var errCallbacksOff = errors.New("callbacks are disabled after shutdown")

// callbackGate lets shutdown stop callbacks and wait for the ones running.
type callbackGate struct {
	disabled atomic.Bool
	inflight atomic.Int64
}

func (g *callbackGate) enter() bool {
	g.inflight.Add(1)
	if g.disabled.Load() {
		g.inflight.Add(-1)
		return false
	}
	return true
}

func (g *callbackGate) leave() { g.inflight.Add(-1) }

// disable stops new callbacks and waits up to timeout for running ones.
func (g *callbackGate) disable(timeout time.Duration) bool {
	g.disabled.Store(true)
	deadline := time.Now().Add(timeout)
	for g.inflight.Load() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond) // a bounded poll at exit; nothing to wake us
	}
	return true
}

// newCallbackHandler wraps a C handle function as a core handler that runs
// on the logger worker.
//
// userData is kept as an integer: it is the caller's opaque value (Python
// passes small tokens such as 1), and an unsafe.Pointer holding a value that
// is no Go pointer makes the runtime abort when it copies the stack.
func newCallbackHandler(fn C.femtolog_handle_fn, userData C.uintptr_t) *core.CallbackHandler {
	name := fmt.Sprintf("callback handler %#x", uintptr(userData))
	return core.NewCallbackHandler(name, func(rec *core.Record) error {
		if !lib.callbacks.enter() {
			return errCallbacksOff
		}
		defer lib.callbacks.leave()
		ex := newExView(rec)
		defer ex.release()
		rc := C.femtolog_call_handle_(fn, userData,
			cString(rec.Logger), C.size_t(len(rec.Logger)), C.int(rec.Level),
			cBytes(rec.Message), C.size_t(len(rec.Message)), C.int64_t(rec.TimeNs),
			C.uint64_t(rec.ThreadID), cString(rec.ThreadName), C.size_t(len(rec.ThreadName)), &ex.ex)
		if rc != 0 {
			// The worker running callbacks is locked to its OS thread, so
			// what the callback said about itself is keyed by that thread.
			if said := takeCallbackError(); said != nil {
				return said
			}
			return fmt.Errorf("callback returned %d", int(rc))
		}
		return nil
	}, lib.diagnostics)
}

// callbackErrors holds, per OS thread, what a failing handler callback
// said through femtolog_callback_error, until its caller reads it.
var callbackErrors struct {
	mu   sync.Mutex
	said map[int]*core.CallbackError // by thread id
}

// takeCallbackError returns and forgets what a callback on this OS thread
// said about its failure, or nil.
func takeCallbackError() *core.CallbackError {
	tid := syscall.Gettid()
	callbackErrors.mu.Lock()
	defer callbackErrors.mu.Unlock()
	said := callbackErrors.said[tid]
	delete(callbackErrors.said, tid)
	return said
}

//export femtolog_callback_error
func femtolog_callback_error(handler *C.char, handlerLen C.size_t, message *C.char, messageLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if (handler == nil && handlerLen > 0) || (message == nil && messageLen > 0) {
		return failErr(errNilPointer)
	}
	said := &core.CallbackError{
		Handler: C.GoStringN(handler, C.int(handlerLen)),
		Message: C.GoStringN(message, C.int(messageLen)),
	}
	callbackErrors.mu.Lock()
	defer callbackErrors.mu.Unlock()
	if callbackErrors.said == nil {
		callbackErrors.said = map[int]*core.CallbackError{}
	}
	callbackErrors.said[syscall.Gettid()] = said
	return statusOK
}

// callbackFormatter renders records through a C format function.
type callbackFormatter struct {
	fn       C.femtolog_format_fn
	userData C.uintptr_t // an opaque value, not a Go pointer: see newCallbackHandler
	caller   bool        // the function uses the caller fields
}

// WantsCaller reports whether the function uses the caller fields.
func (f *callbackFormatter) WantsCaller() bool { return f.caller }

// PinsThread is true: a callback formatter may be Python code.
func (f *callbackFormatter) PinsThread() bool { return true }

// Format calls the C function and appends what it wrote to dst.
func (f *callbackFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	if !lib.callbacks.enter() {
		return dst, errCallbacksOff
	}
	defer lib.callbacks.leave()
	var out *C.char
	var outLen C.size_t
	ex := newExView(rec)
	defer ex.release()
	rc := C.femtolog_call_format_(f.fn, f.userData,
		cString(rec.Logger), C.size_t(len(rec.Logger)), C.int(rec.Level),
		cBytes(rec.Message), C.size_t(len(rec.Message)), C.int64_t(rec.TimeNs),
		C.uint64_t(rec.ThreadID), cString(rec.ThreadName), C.size_t(len(rec.ThreadName)),
		&ex.ex, &out, &outLen)
	if out != nil {
		defer C.free(unsafe.Pointer(out))
		dst = append(dst, unsafe.Slice((*byte)(unsafe.Pointer(out)), int(outLen))...)
	}
	if rc != 0 {
		if said := takeCallbackError(); said != nil {
			return dst, said
		}
		return dst, fmt.Errorf("formatter callback returned %d", int(rc))
	}
	return dst, nil
}

var _ core.Formatter = (*callbackFormatter)(nil)
