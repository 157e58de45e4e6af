package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"fmt"
	"time"

	"femtologging/core"
)

//export femtolog_version
func femtolog_version() C.int { return C.FEMTOLOG_VERSION }

//export femtolog_noop
func femtolog_noop() C.int { return statusOK }

//export femtolog_shutdown
func femtolog_shutdown(timeoutMs C.int) (rc C.int) {
	defer guard(&rc)
	if !lib.shutDown.CompareAndSwap(false, true) {
		return statusOK
	}
	timeout := time.Duration(timeoutMs) * time.Millisecond
	if timeoutMs < 0 {
		timeout = defaultCloseTimeout
	}
	deadline := time.Now().Add(timeout)
	left := func() time.Duration { return max(time.Until(deadline), 0) }

	// Order matters: hand queued records to the handlers, stop the loggers
	// (later records are counted as dropped), write and close every
	// handler (formatter callbacks still allowed), and only then stop
	// calling into the host.
	mgr := lib.manager.Load()
	synced := mgr.Sync(left())
	closeErr := mgr.Close(left())
	var stuck []string
	lib.handlers.each(func(_ uint64, e *handlerEntry) {
		if q, ok := e.handler.(*core.QueuedHandler); ok {
			q.CloseBegin()
		}
	})
	lib.handlers.each(func(_ uint64, e *handlerEntry) {
		if e.handler.Close(left()) != nil {
			stuck = append(stuck, e.kind)
		}
	})
	callbacksDone := lib.callbacks.disable(left())
	// Handlers printed their summaries as they closed; this adds the
	// loggers' (and anything else that lost records) in one line each.
	lib.diagnostics.SummarizeAll()
	if !synced || closeErr != nil || len(stuck) > 0 || !callbacksDone {
		return fail(statusErrTimeout, fmt.Errorf("shutdown did not finish within %v (handlers still draining: %v)", timeout, stuck))
	}
	return statusOK
}
