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
	begin := lib.rt.BeginFlush
	if close {
		begin = lib.rt.BeginClose
	}
	t := begin(e.Handler)
	*outTicket = C.uint64_t(lib.tickets.add(t))
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
	st := t.Wait(time.Duration(sliceMs) * time.Millisecond)
	if st != core.TicketPending {
		lib.tickets.remove(uint64(ticketHandle))
	}
	return ticketStatus(st)
}

// errNotWritten reports a flush or close after which some records since
// the previous flush had not been written.
var errNotWritten = errors.New("some records since the previous flush could not be written")

// ticketStatus encodes where a ticket stands.
func ticketStatus(st core.TicketStatus) C.int {
	switch st {
	case core.TicketPending:
		return statusPending
	case core.TicketFailed:
		return fail(statusErrIO, errNotWritten)
	}
	return statusOK
}

//export femtolog_ticket_release
func femtolog_ticket_release(ticketHandle C.uint64_t) (rc C.int) {
	defer guard(&rc)
	t, ok := lib.tickets.get(uint64(ticketHandle))
	if !ok {
		return fail(statusErrHandle, errTicketHandle)
	}
	lib.tickets.remove(uint64(ticketHandle))
	t.Abandon()
	return statusOK
}
