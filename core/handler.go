package core

import "time"

// Handler receives records from logger workers. Built-in handlers put the
// record on their own bounded queue; callback handlers (Python objects, C
// functions) run synchronously on the logger worker.
//
// Handle must copy what it keeps: the record's buffers are reused after it
// returns.
type Handler interface {
	Handle(rec *Record) error
	// Flush waits up to timeout for everything handed to the handler so
	// far to be written, and reports whether it all was, without error.
	Flush(timeout time.Duration) bool
	// Close writes what is queued, stops the worker and releases the
	// destination. It is idempotent; it waits at most timeout.
	Close(timeout time.Duration) error
	// Policy is the overflow policy of the handler's queue: a logger
	// feeding the handler applies the strongest policy of its handlers to
	// its own queue, so back pressure reaches the caller.
	Policy() OverflowPolicy
}

// BatchHandler is implemented by handlers that take a run of records at
// once: a logger worker hands them every record of a batch that shares a
// dispatch list, in order, in one call. Like Handle, HandleBatch must copy
// what it keeps, and it counts its own drops.
type BatchHandler interface {
	HandleBatch(recs []*Record)
}

// HandlerStats is implemented by handlers that count what they could not
// deliver.
type HandlerStats interface {
	// Dropped counts records discarded because the queue was full or the
	// handler was closed.
	Dropped() uint64
	// Failed counts records lost to errors: a formatter or callback that
	// failed, or a write to the destination that did not succeed.
	Failed() uint64
	// Delivered counts records written (or handed to a callback) without
	// error.
	Delivered() uint64
}

// ThreadPinner is implemented by handlers and formatters that call into a
// host runtime with per-thread state (Python's thread states). The worker
// that runs them locks itself to one OS thread before the first call, so
// the host sees one stable thread; other workers stay free to migrate,
// which keeps their wake-ups cheap.
type ThreadPinner interface {
	PinsThread() bool
}

// pinsThread reports whether v wants its worker locked to one OS thread.
func pinsThread(v any) bool {
	p, ok := v.(ThreadPinner)
	return ok && p.PinsThread()
}
