package main

/*
#include "femtolog.h"
#include "signals.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// Flush-on-signal (issue 9; the choice is in docs/decisions.md).
//
// A process killed by SIGTERM (docker stop, systemd, kill), SIGHUP or
// SIGINT's default action used to lose whatever was still queued or
// buffered. signals.c installs, at load, a C handler for those of the
// three signals still at their default action; the handler writes the
// signal number to a pipe. watchSignals reads it, flushes everything with
// a deadline and dies by the same signal.
//
// Why not os/signal: signal.Notify installs Go's handler, which in a
// c-shared library takes the signal for Go and does not chain to a handler
// the host installs later (Python's, a C program's), and it would replace
// handlers installed before. Why not a Python handler: Python runs signal
// handlers only on the main thread between bytecodes, so a main thread
// blocked in C code would delay the flush, and the process's death, for
// good; C programs would get nothing.

// defaultSignalFlushTimeout bounds the flush a signal triggers unless
// femtolog_signals_set_flush_timeout says otherwise.
const defaultSignalFlushTimeout = time.Second

// signalFlushTimeout is the current bound, in nanoseconds.
var signalFlushTimeout atomic.Int64

// signalsRemoved is set once the program removed the library's handlers
// (a timeout of 0); a forked child's copy removes its own too.
var signalsRemoved atomic.Bool

// removeSignalHandlers restores the default action where ours is installed.
func removeSignalHandlers() {
	signalsRemoved.Store(true)
	C.femtolog_signals_uninstall_()
}

func init() {
	signalFlushTimeout.Store(int64(defaultSignalFlushTimeout))
	if C.femtolog_signals_recheck_() > 0 {
		go watchSignals()
	}
}

// watchSignals waits for a caught signal, flushes, and dies by it. It
// returns only if the pipe fails, or if the process survived the re-raise
// (another handler was installed between the flush and the raise).
func watchSignals() {
	defer func() { _ = recover() }() // a panic here must not take the host down
	for {
		sig := C.femtolog_signals_wait_()
		if sig <= 0 {
			return
		}
		lib.flushForSignal(time.Duration(signalFlushTimeout.Load()))
		C.femtolog_signals_die_(sig)
	}
}

// flushForSignal writes what was logged so far, within timeout: see
// core.Runtime.FlushAll.
func (l *library) flushForSignal(timeout time.Duration) { l.rt.FlushAll(timeout) }

// errNegativeTimeout reports a negative signal flush timeout.
var errNegativeTimeout = errors.New("signal flush timeout must not be negative")

// maxSignalFlushMs bounds the signal flush timeout: a process asked to stop
// should not linger past an hour for its logs.
const maxSignalFlushMs = 3600 * 1000

// errLongTimeout reports a signal flush timeout above maxSignalFlushMs.
var errLongTimeout = fmt.Errorf("signal flush timeout must be at most %d ms (1 hour)", maxSignalFlushMs)

//export femtolog_signals_set_flush_timeout
func femtolog_signals_set_flush_timeout(timeoutMs C.int64_t) (rc C.int) {
	defer guard(&rc)
	switch {
	case timeoutMs < 0:
		return fail(statusErrInvalid, fmt.Errorf("%w: got %d ms", errNegativeTimeout, int64(timeoutMs)))
	case timeoutMs > maxSignalFlushMs:
		return fail(statusErrInvalid, fmt.Errorf("%w: got %d ms", errLongTimeout, int64(timeoutMs)))
	case timeoutMs == 0:
		removeSignalHandlers()
	default:
		signalFlushTimeout.Store(int64(time.Duration(timeoutMs) * time.Millisecond))
	}
	return statusOK
}
