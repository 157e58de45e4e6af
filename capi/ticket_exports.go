package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"errors"
	"time"

	"femtologging/core"
)

// ticket is a flush or close in progress. It first waits for the logger
// workers to hand over every record queued before it began (records still
// in a logger queue are part of "everything queued"), then for the handler
// itself.
type ticket struct {
	entry   *handlerEntry
	close   bool
	marks   []core.LoggerMark
	phase   int // 0: loggers, 1: handler, 2: done
	flushAt uint64
	ok      bool
}

func newTicket(e *handlerEntry, close bool) *ticket {
	return &ticket{entry: e, close: close, marks: lib.manager.Load().MarksFor(e.handler), ok: true}
}

// abandon is called when nobody waits for the ticket any more (its
// timeout ran out, or the caller released it, e.g. on Ctrl-C). A close
// must still happen: the handler stops accepting records now and its
// worker finishes in the background, instead of staying open for good
// because some logger feeding it was slow to hand over its records.
func (t *ticket) abandon() {
	if t.close && t.phase == 0 {
		t.phase = 1
		t.begin()
		if _, ok := t.queued(); !ok {
			go t.entry.handler.Close(defaultCloseTimeout)
		}
	}
}

// wait advances the ticket for at most slice and returns statusOK,
// statusPending or statusErrIO.
func (t *ticket) wait(slice time.Duration) C.int {
	deadline := time.Now().Add(slice)
	if t.phase == 0 {
		if !core.WaitMarks(t.marks, time.Until(deadline)) {
			return statusPending
		}
		t.phase = 1
		t.begin()
	}
	if t.phase == 1 {
		done, ok := t.waitHandler(time.Until(deadline))
		if !done {
			return statusPending
		}
		t.phase, t.ok = 2, ok
	}
	if !t.ok {
		return statusErrIO
	}
	return statusOK
}

// queued is the handler as a QueuedHandler, when it is one.
func (t *ticket) queued() (*core.QueuedHandler, bool) {
	q, ok := t.entry.handler.(*core.QueuedHandler)
	return q, ok
}

func (t *ticket) begin() {
	q, ok := t.queued()
	switch {
	case ok && t.close:
		q.CloseBegin()
	case ok:
		t.flushAt = q.FlushBegin()
	}
}

func (t *ticket) waitHandler(timeout time.Duration) (done, ok bool) {
	q, isQueued := t.queued()
	switch {
	case isQueued && t.close:
		return q.CloseWait(timeout), true
	case isQueued:
		return q.FlushWait(t.flushAt, timeout)
	case t.close:
		return true, t.entry.handler.Close(timeout) == nil
	}
	return true, t.entry.handler.Flush(timeout)
}

// errTicketHandle reports an unknown ticket.
var errTicketHandle = errors.New("unknown or finished ticket")

//export femtolog_handler_flush_begin
func femtolog_handler_flush_begin(outTicket *C.uint64_t, handler C.uint64_t) (rc C.int) {
	return beginTicket(outTicket, handler, false)
}

//export femtolog_handler_close_begin
func femtolog_handler_close_begin(outTicket *C.uint64_t, handler C.uint64_t) (rc C.int) {
	return beginTicket(outTicket, handler, true)
}

func beginTicket(outTicket *C.uint64_t, handler C.uint64_t, close bool) (rc C.int) {
	defer guard(&rc)
	if outTicket == nil {
		return failErr(errNilPointer)
	}
	e, err := lookupHandler(handler)
	if err != nil {
		return failErr(err)
	}
	*outTicket = C.uint64_t(lib.tickets.add(newTicket(e, close)))
	return statusOK
}

//export femtolog_ticket_wait
func femtolog_ticket_wait(ticketHandle C.uint64_t, sliceMs C.int) (rc C.int) {
	defer guard(&rc)
	t, ok := lib.tickets.get(uint64(ticketHandle))
	if !ok {
		return fail(statusErrHandle, errTicketHandle)
	}
	if sliceMs < 0 {
		sliceMs = 0
	}
	st := t.wait(time.Duration(sliceMs) * time.Millisecond)
	if st != statusPending {
		lib.tickets.remove(uint64(ticketHandle))
	}
	if st == statusErrIO {
		return fail(statusErrIO, errors.New("some records since the previous flush could not be written"))
	}
	return st
}

//export femtolog_ticket_release
func femtolog_ticket_release(ticketHandle C.uint64_t) (rc C.int) {
	defer guard(&rc)
	t, ok := lib.tickets.get(uint64(ticketHandle))
	if !ok {
		return fail(statusErrHandle, errTicketHandle)
	}
	lib.tickets.remove(uint64(ticketHandle))
	t.abandon()
	return statusOK
}
