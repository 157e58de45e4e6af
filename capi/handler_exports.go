package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	"femtologging/core"
	"femtologging/core/config"
)

// errShutDown reports a call that needs the library after femtolog_shutdown.
var errShutDown = core.ErrShutDown

// lookupHandler resolves a handler handle.
func lookupHandler(h C.uint64_t) (*core.HandlerEntry, error) {
	return found(lib.rt.Handler(uint64(h)))
}

//export femtolog_handler_create
func femtolog_handler_create(outHandler *C.uint64_t, specJSON *C.char, specLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if outHandler == nil {
		return failErr(errNilPointer)
	}
	if lib.rt.IsShutDown() {
		return failErr(errShutDown)
	}
	spec, err := borrow(specJSON, specLen)
	if err != nil {
		return failErr(err)
	}
	built, err := config.BuildHandler(lib.configEnv(), spec)
	if err != nil {
		return failErr(err)
	}
	*outHandler = C.uint64_t(lib.rt.RegisterEntry(core.HandlerEntry{Handler: built.Handler, Kind: built.Kind, FlushTimeout: built.FlushTimeout, Spec: built.Spec}))
	return statusOK
}

//export femtolog_handler_create_callback
func femtolog_handler_create_callback(outHandler *C.uint64_t, fn C.femtolog_handle_fn, userData unsafe.Pointer) (rc C.int) {
	defer guard(&rc)
	if outHandler == nil || fn == nil {
		return failErr(errNilPointer)
	}
	h := newCallbackHandler(fn, C.uintptr_t(uintptr(userData)))
	*outHandler = C.uint64_t(lib.rt.RegisterEntry(core.HandlerEntry{Handler: h, Kind: "callback", FlushTimeout: config.DefaultFlushTimeout, Recipe: forkRecipe{fn: fn, userData: C.uintptr_t(uintptr(userData))}}))
	return statusOK
}

//export femtolog_formatter_create_callback
func femtolog_formatter_create_callback(outFormatter *C.uint64_t, fn C.femtolog_format_fn, userData unsafe.Pointer) (rc C.int) {
	defer guard(&rc)
	if outFormatter == nil || fn == nil {
		return failErr(errNilPointer)
	}
	*outFormatter = C.uint64_t(lib.formatters.add(&callbackFormatter{fn: fn, userData: C.uintptr_t(uintptr(userData))}))
	return statusOK
}

//export femtolog_handler_handle
func femtolog_handler_handle(handler C.uint64_t, logger *C.char, loggerLen C.size_t, level C.int, message *C.char, messageLen C.size_t, thread C.uint64_t) (rc C.int) {
	defer guard(&rc)
	e, err := lookupHandler(handler)
	if err != nil {
		return failErr(err)
	}
	lv, err := core.LevelFromInt(int(level))
	if err != nil {
		return failErr(err)
	}
	name, err := borrowString(logger, loggerLen)
	if err != nil {
		return failErr(err)
	}
	msg, err := borrow(message, messageLen)
	if err != nil {
		return failErr(err)
	}
	th, ok := lib.thread(uint64(thread))
	if !ok {
		return failErr(errHandle)
	}
	rec := core.Record{Logger: name, Level: lv, Message: msg, TimeNs: time.Now().UnixNano(), ThreadID: th.ID, ThreadName: th.Name}
	err = core.OfferInSlices(e.Handler, &rec, blockSlice)
	if errors.Is(err, core.ErrRetry) {
		return statusRetry
	}
	if err != nil {
		return failErr(err)
	}
	return statusOK
}

//export femtolog_handler_flush
func femtolog_handler_flush(handler C.uint64_t, timeoutMs C.int) (rc C.int) {
	defer guard(&rc)
	e, err := lookupHandler(handler)
	if err != nil {
		return failErr(err)
	}
	return runTicket(lib.rt.BeginFlush(e.Handler), timeoutOr(timeoutMs, e.FlushTimeout), "flush")
}

//export femtolog_handler_close
func femtolog_handler_close(handler C.uint64_t, timeoutMs C.int) (rc C.int) {
	defer guard(&rc)
	e, err := lookupHandler(handler)
	if err != nil {
		return failErr(err)
	}
	return runTicket(lib.rt.BeginClose(e.Handler), timeoutOr(timeoutMs, defaultCloseTimeout), "close")
}

// timeoutOr is the timeout a call was given in milliseconds, or def for a
// negative one: flush, close and shutdown all take a negative timeout as
// "the default", so the rule is written once.
func timeoutOr(timeoutMs C.int, def time.Duration) time.Duration {
	if timeoutMs < 0 {
		return def
	}
	return time.Duration(timeoutMs) * time.Millisecond
}

// runTicket waits for a flush or close within timeout in one call.
func runTicket(t *core.Ticket, timeout time.Duration, what string) C.int {
	st := t.Wait(timeout)
	if st == core.TicketPending {
		t.Abandon()
		return fail(statusErrTimeout, fmt.Errorf("%s did not finish within %v", what, timeout))
	}
	return ticketStatus(st)
}

//export femtolog_handler_get_stats
func femtolog_handler_get_stats(outStats *C.femtolog_handler_stats, handler C.uint64_t) (rc C.int) {
	defer guard(&rc)
	e, err := lookupHandler(handler)
	if err != nil {
		return failErr(err)
	}
	if outStats == nil {
		return failErr(errNilPointer)
	}
	*outStats = C.femtolog_handler_stats{}
	if s, ok := e.Handler.(core.HandlerStats); ok {
		outStats.delivered = C.uint64_t(s.Delivered())
		outStats.dropped = C.uint64_t(s.Dropped())
		outStats.failed = C.uint64_t(s.Failed())
	}
	return statusOK
}
