package core

import "time"

// TicketStatus is where a Ticket stands after a wait.
type TicketStatus int

// The states of a Ticket after Wait.
const (
	// TicketDone: the flush or close finished and every record was
	// written.
	TicketDone TicketStatus = iota
	// TicketPending: the wait ran out first; wait again or abandon.
	TicketPending
	// TicketFailed: the flush or close finished, but some records since
	// the previous flush could not be written.
	TicketFailed
)

// Ticket is a flush or close of one handler in progress. It first waits
// for the logger workers to hand over every record queued before it began
// (records still in a logger queue are part of "everything queued"), then
// for the handler itself. A Ticket is used by one goroutine at a time.
type Ticket struct {
	handler Handler
	f       Flusher
	close   bool
	marks   []LoggerMark
	phase   int // 0: loggers, 1: handler, 2: done
	flushAt uint64
	ok      bool
}

// BeginFlush starts a flush of h: see Ticket.
func (r *Runtime) BeginFlush(h Handler) *Ticket { return r.newTicket(h, false) }

// BeginClose starts a close of h: see Ticket.
func (r *Runtime) BeginClose(h Handler) *Ticket { return r.newTicket(h, true) }

func (r *Runtime) newTicket(h Handler, close bool) *Ticket {
	return &Ticket{handler: h, f: FlusherOf(h), close: close, marks: r.Manager().MarksFor(h), ok: true}
}

// Wait advances the ticket for at most slice.
func (t *Ticket) Wait(slice time.Duration) TicketStatus {
	deadline := time.Now().Add(slice)
	if t.phase == 0 {
		if !WaitMarks(t.marks, time.Until(deadline)) {
			return TicketPending
		}
		t.phase = 1
		t.begin()
	}
	if t.phase == 1 {
		done, ok := t.waitHandler(time.Until(deadline))
		if !done {
			return TicketPending
		}
		t.phase, t.ok = 2, ok
	}
	if !t.ok {
		return TicketFailed
	}
	return TicketDone
}

// Abandon is called when nobody waits for the ticket any more (its
// timeout ran out, or the caller released it, e.g. on Ctrl-C). A close
// must still happen: the handler stops accepting records now and its
// worker finishes in the background, instead of staying open for good
// because some logger feeding it was slow to hand over its records.
func (t *Ticket) Abandon() {
	if t.close && t.phase == 0 {
		t.phase = 1
		t.begin()
		if _, adapted := t.f.(syncFlusher); adapted {
			go t.handler.Close(DefaultCloseTimeout)
		}
	}
}

func (t *Ticket) begin() {
	if t.close {
		t.f.CloseBegin()
		return
	}
	t.flushAt = t.f.FlushBegin()
}

func (t *Ticket) waitHandler(timeout time.Duration) (done, ok bool) {
	if !t.close {
		return t.f.FlushWait(t.flushAt, timeout)
	}
	if a, adapted := t.f.(syncFlusher); adapted {
		// A handler that closes in one call: its error is the outcome.
		return true, a.h.Close(timeout) == nil
	}
	return t.f.CloseWait(timeout), true
}
