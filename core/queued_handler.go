package core

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// MaxQueueCapacity bounds a handler queue: the ring allocates every slot
// up front, so an unchecked capacity from a spec (say 10^12) would abort
// the whole process with an out-of-memory error instead of failing the
// call. A million records is far beyond any sane queue.
const MaxQueueCapacity = 1 << 20

// QueuedHandlerOptions configures a QueuedHandler.
type QueuedHandlerOptions struct {
	// Name identifies the handler in diagnostics, e.g. "stream stderr".
	Name string
	// Capacity bounds the queue; it must be > 0.
	Capacity int
	// Policy says what a producer does when the queue is full.
	Policy OverflowPolicy
	// FlushEvery is the number of records between flushes of the sink;
	// 0 flushes whenever the queue runs empty (streams).
	FlushEvery int
	// Diagnostics receives rate-limited reports of drops and failures.
	Diagnostics *Diagnostics
	// Level is the handler's own threshold, as stdlib handlers have:
	// records below it are skipped (neither queued nor counted). 0 (NOTSET)
	// takes every record.
	Level Level
	// Filters are the handler's own filters, as stdlib handlers have: a
	// record any of them rejects is skipped like a record below Level
	// (neither queued nor counted). They run on the producer's goroutine,
	// in order, after Level.
	Filters []Filter
}

// QueuedHandler is a bounded queue drained by one worker goroutine that
// formats each record and writes it to a sink. Producers never touch the
// sink, so slow IO never blocks logging unless the policy says to wait.
type QueuedHandler struct {
	opts   QueuedHandlerOptions
	format Formatter
	sink   Sink
	q      *ring[Record]

	dropped, failed, delivered atomic.Uint64
	// discarded counts records a formatter or sink dropped on purpose
	// (ErrDiscarded): part of Dropped, and like a failure it makes the
	// next flush report false, since the caller was never told.
	discarded atomic.Uint64
	// reportedFailed is the failure count the last flush saw: a flush is
	// successful when no record failed since then.
	reportedFailed atomic.Uint64
	// flushTarget is the highest mark a flush was requested for: the
	// worker flushes once it has taken every record up to it, not merely
	// at its next batch, which may end before the records the flush waits
	// for.
	flushTarget atomic.Uint64

	closeOnce sync.Once
	stopped   chan struct{}

	// Built once: a storm of drops must not format strings per record.
	errFull, errClosed error
}

// NewQueuedHandler starts the worker of a handler writing to sink.
func NewQueuedHandler(opts QueuedHandlerOptions, format Formatter, sink Sink) (*QueuedHandler, error) {
	if opts.Capacity <= 0 {
		return nil, fmt.Errorf("capacity %d: must be greater than zero", opts.Capacity)
	}
	if opts.Capacity > MaxQueueCapacity {
		return nil, fmt.Errorf("capacity %d: must be at most %d", opts.Capacity, MaxQueueCapacity)
	}
	if opts.FlushEvery < 0 {
		return nil, fmt.Errorf("flush interval %d: must not be negative", opts.FlushEvery)
	}
	// The worker never reads Filters, but producers do: the handler keeps
	// its own copy so a caller reusing the slice cannot race with them.
	opts.Filters = slices.Clone(opts.Filters)
	h := &QueuedHandler{
		opts:    opts,
		format:  format,
		sink:    sink,
		q:       newRing[Record](opts.Capacity),
		stopped: make(chan struct{}),
	}
	h.errFull = fmt.Errorf("handler %s: %w", opts.Name, ErrQueueFull)
	h.errClosed = fmt.Errorf("handler %s: %w", opts.Name, ErrClosed)
	go h.run()
	return h, nil
}

// Handle copies rec onto the queue, waiting as the policy allows.
func (h *QueuedHandler) Handle(rec *Record) error {
	return h.Offer(rec, h.opts.Policy.wait())
}

// Offer copies rec onto the queue, waiting up to wait for room (negative:
// until there is room). A record that finds no room is counted as dropped.
func (h *QueuedHandler) Offer(rec *Record, wait time.Duration) error {
	if !h.accepts(rec) {
		return nil
	}
	return h.settle(h.q.push(wait, func(slot *Record) { slot.CopyFrom(rec) }))
}

// HandleBatch copies a run of records onto the queue under one lock; the
// records that find no room are offered one by one under the policy.
func (h *QueuedHandler) HandleBatch(recs []*Record) {
	if h.opts.Level > LevelNotSet || len(h.opts.Filters) > 0 {
		for _, rec := range recs {
			_ = h.Handle(rec)
		}
		return
	}
	n, err := h.q.pushBatch(len(recs), func(i int, slot *Record) { slot.CopyFrom(recs[i]) })
	if err != nil {
		n = 0
	}
	for _, rec := range recs[n:] {
		_ = h.Handle(rec)
	}
}

// accepts reports whether rec passes the handler's level and filters; a
// record that does not is skipped without being counted.
func (h *QueuedHandler) accepts(rec *Record) bool {
	if rec.Level < h.opts.Level {
		return false
	}
	for _, f := range h.opts.Filters {
		if !f.Allow(rec) {
			return false
		}
	}
	return true
}

// settle counts and reports a push that failed.
func (h *QueuedHandler) settle(err error) error {
	if err == nil {
		return nil
	}
	h.dropped.Add(1)
	if err == ErrQueueFull {
		h.opts.Diagnostics.Lost(h.opts.Name, "queue full", OutcomeDropped, "record dropped", 1)
		return h.errFull
	}
	h.opts.Diagnostics.Lost(h.opts.Name, "closed", OutcomeDropped, "record dropped", 1)
	return h.errClosed
}

// OfferSlice is Offer for a caller that waits in slices and calls again
// (the C API under the block policy, so that Python sees Ctrl-C between
// slices): when the slice runs out it returns ErrRetry and counts nothing,
// because the record is not lost, only not yet queued. After close the
// record is dropped and counted, as with Offer.
func (h *QueuedHandler) OfferSlice(rec *Record, slice time.Duration) error {
	if !h.accepts(rec) {
		return nil
	}
	err := h.q.push(slice, func(slot *Record) { slot.CopyFrom(rec) })
	switch err {
	case nil:
		return nil
	case ErrQueueFull:
		return ErrRetry
	}
	h.dropped.Add(1)
	h.opts.Diagnostics.Lost(h.opts.Name, "closed", OutcomeDropped, "record dropped", 1)
	return h.errClosed
}

// WantsCaller reports whether the handler's formatter uses the caller
// fields.
func (h *QueuedHandler) WantsCaller() bool { return wantsCaller(h.format) }

// Policy returns the handler's overflow policy.
func (h *QueuedHandler) Policy() OverflowPolicy { return h.opts.Policy }

// Dropped counts records that found the queue full or the handler closed.
func (h *QueuedHandler) Dropped() uint64 { return h.dropped.Load() + h.discarded.Load() }

// Failed counts records lost to formatter or sink errors.
func (h *QueuedHandler) Failed() uint64 { return h.failed.Load() }

// Delivered counts records written to the sink without error.
func (h *QueuedHandler) Delivered() uint64 { return h.delivered.Load() }

// FlushBegin asks the worker to flush and returns the mark FlushWait waits
// for: everything queued before this call.
func (h *QueuedHandler) FlushBegin() uint64 {
	mark := h.q.mark()
	for {
		cur := h.flushTarget.Load()
		if mark <= cur || h.flushTarget.CompareAndSwap(cur, mark) {
			break
		}
	}
	h.q.poke()
	return mark
}

// FlushWait waits up to timeout for the records up to mark to be flushed.
// done reports whether they were; ok whether no record failed since the
// previous flush.
func (h *QueuedHandler) FlushWait(mark uint64, timeout time.Duration) (done, ok bool) {
	if !h.q.waitDone(mark, timeout) {
		return false, false
	}
	lost := h.failed.Load() + h.discarded.Load()
	return true, h.reportedFailed.Swap(lost) == lost
}

// Flush requests a flush and waits for it; see Handler.
func (h *QueuedHandler) Flush(timeout time.Duration) bool {
	done, ok := h.FlushWait(h.FlushBegin(), timeout)
	return done && ok
}

// CloseBegin stops the queue accepting records; the worker writes what is
// queued, flushes and closes the sink. It is idempotent.
func (h *QueuedHandler) CloseBegin() {
	h.closeOnce.Do(func() {
		if cs, ok := h.sink.(CloseStarter); ok {
			cs.BeginClose()
		}
		h.q.close()
	})
}

// CloseWait waits up to timeout for the worker to finish and reports
// whether it did.
func (h *QueuedHandler) CloseWait(timeout time.Duration) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-h.stopped:
		return true
	case <-t.C:
		return false
	}
}

// Close closes the handler, waiting at most timeout; see Handler.
func (h *QueuedHandler) Close(timeout time.Duration) error {
	h.CloseBegin()
	if !h.CloseWait(timeout) {
		return fmt.Errorf("handler %s: close did not finish within %v", h.opts.Name, timeout)
	}
	return nil
}

// Closed reports whether Close (or CloseBegin) was called.
func (h *QueuedHandler) Closed() bool { return h.q.isClosed() }

// guard runs a sink call, turning a panic into an error: a panic on the
// worker goroutine would abort the whole process (the Python interpreter
// with it), and sinks include code as intricate as sockets with TLS.
func guard(call func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return call()
}

// noteFailure counts n failed records, which makes the next flush report
// False, and reports the failure.
func (h *QueuedHandler) noteFailure(n int, detail string) {
	h.failed.Add(uint64(n))
	h.opts.Diagnostics.Lost(h.opts.Name, "error", OutcomeFailed, detail, uint64(n))
}

// noteDiscard counts n records a formatter or sink dropped on purpose.
func (h *QueuedHandler) noteDiscard(n int, detail string) {
	if n == 0 {
		return
	}
	h.discarded.Add(uint64(n))
	h.opts.Diagnostics.Lost(h.opts.Name, "dropped", OutcomeDropped, detail, uint64(n))
}
