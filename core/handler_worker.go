package core

import (
	"errors"
	"fmt"
	"runtime"
)

// batchChunk bounds the formatted bytes the worker holds before it writes
// them: a batch of huge records is written in chunks, so formatting ahead
// never costs more than about this much memory.
const batchChunk = 1 << 20

// maxRetainedBatch bounds the formatted-batch buffer a worker keeps for
// reuse between batches, so one burst of huge records does not pin memory.
const maxRetainedBatch = 4 << 20

// run is the QueuedHandler's worker. Each round it takes every queued
// record, formats them all into one buffer, gives their slots back to the
// producers, then writes the formatted records to the sink one by one
// (one Write per record, so rotating sinks never split a record). It
// flushes the sink when a flush was requested, when FlushEvery records
// have been written since the last flush (checked after each batch, so
// records that arrive together are flushed together), or, with FlushEvery
// 0, when the queue runs empty. Only after the flush are records counted
// as delivered and marked done, so a flush waiting on its mark knows they
// reached the destination.
func (h *QueuedHandler) run() {
	if pinsThread(h.format) {
		runtime.LockOSThread() // see ThreadPinner
	}
	defer close(h.stopped)
	w := handlerWriter{h: h, copyOut: pinsThread(h.format)}
	spins := 0
	for {
		first, second := h.q.acquire()
		n := len(first) + len(second)
		w.out, w.ends, w.released, w.formatted = w.out[:0], w.ends[:0], 0, 0
		w.formatAll(first)
		w.formatAll(second)
		// The formatted bytes are the worker's own now: producers may
		// refill the slots while the sink writes, however slowly.
		w.writeChunk()
		w.taken += uint64(n)
		target := h.flushTarget.Load()
		requested := target > w.honoured && w.taken >= target
		if requested {
			w.honoured = target
		}
		due := h.opts.FlushEvery > 0 && w.sinceFlush >= h.opts.FlushEvery
		idle := h.opts.FlushEvery == 0 && w.pending > 0 && h.q.length() == 0
		if requested || due || idle {
			w.flush()
		}
		if n > 0 || requested {
			spins = 0
			h.q.awaitBatch()
			continue
		}
		if h.q.isClosed() && h.q.length() == 0 {
			w.flush()
			if err := guard(h.sink.Close); err != nil {
				h.opts.Diagnostics.Report(h.opts.Name+": close", err.Error())
			}
			// One line with the totals if the handler lost records.
			h.opts.Diagnostics.Summarize(h.opts.Name)
			return
		}
		h.q.park(&spins)
	}
}

// handlerWriter is the worker's state between sink flushes.
type handlerWriter struct {
	h          *QueuedHandler
	out        []byte // the current batch, formatted
	ends       []int  // where each formatted record ends in out
	pending    int    // records taken off the queue since the last flush
	pendingOK  int    // of those, records the sink accepted into its buffer
	sinceFlush int
	taken      uint64 // records taken off the queue in all
	honoured   uint64 // the last flush target flushed for

	// copyOut: the formatter is Python code, which may take long, so each
	// record is copied out and its slot given back before it is formatted.
	copyOut   bool
	scratch   Record
	formatted int // records of this batch formatted so far
	released  int // slots of this batch given back so far
}

// formatAll formats each record onto w.out. A record the formatter fails
// (or discards) is counted and left out; it never reaches the caller.
func (w *handlerWriter) formatAll(part []Record) {
	for i := range part {
		w.pending++
		w.sinceFlush++
		rec := &part[i]
		if w.copyOut {
			w.scratch.CopyFrom(rec)
			rec.releaseLarge()
			w.h.q.release(w.formatted + 1 - w.released)
			w.released = w.formatted + 1
			rec = &w.scratch
		}
		w.formatted++
		start := len(w.out)
		out, err := w.formatOne(rec)
		rec.releaseLarge()
		switch {
		case errors.Is(err, ErrDiscarded):
			w.out = w.out[:start]
			w.h.noteDiscard(1, err.Error())
		case err != nil:
			w.out = w.out[:start]
			w.h.noteFailure(1, fmt.Sprintf("formatter failed: %v", err))
		default:
			w.out = out
			w.ends = append(w.ends, len(w.out))
		}
		if len(w.out) >= batchChunk {
			w.writeChunk()
		}
	}
}

// writeChunk gives back the slots of the records formatted so far and
// writes them, emptying w.out.
func (w *handlerWriter) writeChunk() {
	w.h.q.release(w.formatted - w.released)
	w.released = w.formatted
	w.writeAll()
	w.out, w.ends = w.out[:0], w.ends[:0]
}

// formatOne appends one formatted record to w.out; a panicking formatter
// is an error, not a crash of the host process.
func (w *handlerWriter) formatOne(rec *Record) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = w.out, fmt.Errorf("panic: %v", r)
		}
	}()
	return w.h.format.Format(w.out, rec)
}

// writeAll hands each formatted record of the batch to the sink.
func (w *handlerWriter) writeAll() {
	start := 0
	for _, end := range w.ends {
		w.writeOne(w.out[start:end])
		start = end
	}
	if cap(w.out) > maxRetainedBatch {
		w.out = nil
	}
}

// writeOne writes one formatted record. Failures are counted, never
// raised: a worker never raises into the caller.
func (w *handlerWriter) writeOne(p []byte) {
	h := w.h
	err := guard(func() error { return h.sink.Write(p) })
	switch {
	case errors.Is(err, ErrDiscarded):
		h.noteDiscard(w.pendingOK+1, err.Error())
		w.pendingOK = 0
	case err != nil:
		// A failed write may take the sink's buffered records with it:
		// count them as failed too rather than as delivered, unless the
		// sink says exactly how many it lost (the rest stay pending).
		lost := w.pendingOK + 1
		if n, ok := LostRecords(err); ok {
			lost = min(max(n, 0), w.pendingOK+1)
		}
		if lost > 0 {
			h.noteFailure(lost, fmt.Sprintf("write failed: %v", err))
		}
		w.pendingOK += 1 - lost
	default:
		w.pendingOK++
	}
}

// flush flushes the sink, settles the counts of the pending records and
// marks them done.
func (w *handlerWriter) flush() {
	h := w.h
	if err := guard(h.sink.Flush); errors.Is(err, ErrDiscarded) {
		h.noteDiscard(w.pendingOK, err.Error())
	} else if err != nil {
		lost := w.pendingOK
		if n, ok := LostRecords(err); ok {
			lost = min(max(n, 0), w.pendingOK)
		}
		if lost > 0 {
			h.noteFailure(lost, fmt.Sprintf("flush failed: %v", err))
		} else {
			h.opts.Diagnostics.Report(h.opts.Name+": error", fmt.Sprintf("flush failed: %v", err))
		}
		h.delivered.Add(uint64(w.pendingOK - lost))
	} else {
		h.delivered.Add(uint64(w.pendingOK))
	}
	h.q.finish(w.pending)
	w.pending, w.pendingOK, w.sinceFlush = 0, 0, 0
}
