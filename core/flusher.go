package core

import "time"

// Flusher is a handler whose flush and close can be started and waited
// for apart. The C API needs the split: Python waits for a flush or close
// in short slices (so Ctrl-C gets through between them), and a flush must
// first wait for the loggers feeding the handler before it asks the
// handler itself (see Ticket). QueuedHandler and CallbackHandler implement
// it; Runtime adapts any other Handler through its Flush and Close.
type Flusher interface {
	// FlushBegin asks for a flush of everything handed over so far and
	// returns the mark FlushWait waits for.
	FlushBegin() uint64
	// FlushWait waits up to timeout for the records up to mark to be
	// flushed. done reports whether they were; ok whether no record failed
	// since the previous flush.
	FlushWait(mark uint64, timeout time.Duration) (done, ok bool)
	// CloseBegin stops the handler accepting records; what it holds is
	// written and the destination closed in the background. Idempotent.
	CloseBegin()
	// CloseWait waits up to timeout for the close to finish and reports
	// whether it did.
	CloseWait(timeout time.Duration) bool
}

var (
	_ Flusher = (*QueuedHandler)(nil)
	_ Flusher = (*CallbackHandler)(nil)
	_ Flusher = syncFlusher{}
)

// FlusherOf returns h as a Flusher: h itself when it is one, otherwise an
// adapter whose waits call h.Flush and h.Close.
func FlusherOf(h Handler) Flusher {
	if f, ok := h.(Flusher); ok {
		return f
	}
	return syncFlusher{h}
}

// syncFlusher adapts a Handler that can only flush and close in one call:
// the work happens in the waits.
type syncFlusher struct{ h Handler }

func (f syncFlusher) FlushBegin() uint64 { return 0 }

func (f syncFlusher) FlushWait(_ uint64, timeout time.Duration) (done, ok bool) {
	return true, f.h.Flush(timeout)
}

func (f syncFlusher) CloseBegin() {}

func (f syncFlusher) CloseWait(timeout time.Duration) bool { return f.h.Close(timeout) == nil }

// OfferInSlices hands rec to h. A handler whose queue blocks when full
// waits at most slice and then returns ErrRetry, with nothing queued or
// counted, so that a caller blocking in slices (the C API under the block
// policy, which lets Python see Ctrl-C between them) calls again; any
// other handler takes the record as Handle does.
func OfferInSlices(h Handler, rec *Record, slice time.Duration) error {
	if s, ok := h.(interface {
		OfferSlice(rec *Record, slice time.Duration) error
	}); ok && h.Policy().Kind == PolicyBlock {
		return s.OfferSlice(rec, slice)
	}
	return h.Handle(rec)
}
