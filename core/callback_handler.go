package core

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// CallbackHandler runs a function on the logger worker for each record: the
// way Python handler objects and C callbacks receive records. It has no
// queue of its own, so a slow callback slows its logger's worker, as the
// user guide warns.
type CallbackHandler struct {
	name        string
	fn          func(rec *Record) error
	diagnostics *Diagnostics
	closed      atomic.Bool
	// Caller says the callback uses the caller fields (a Python handler
	// that declared wants_caller_info), so loggers capture them for it.
	Caller bool
	// shown is the name the callback gave itself when it failed (a
	// Python handler's repr), used in its summary instead of name.
	shown atomic.Pointer[string]

	failed, delivered, dropped atomic.Uint64
}

// NewCallbackHandler wraps fn; name identifies it in diagnostics.
func NewCallbackHandler(name string, fn func(rec *Record) error, diagnostics *Diagnostics) *CallbackHandler {
	return &CallbackHandler{name: name, fn: fn, diagnostics: diagnostics}
}

// CallbackError is a failure a callback described itself: Handler names
// the handler as its user knows it (a Python handler's repr), Message says
// what went wrong ("ValueError: boom"). Diagnostics use both instead of
// the callback's return code.
type CallbackError struct {
	Handler, Message string
}

func (e *CallbackError) Error() string {
	if e.Handler == "" {
		return e.Message
	}
	return e.Handler + ": " + e.Message
}

// Handle calls the function, counting (never raising) its failure. The
// callback is responsible for printing its own error (Python prints the
// traceback); the count is what monitoring reads.
func (h *CallbackHandler) Handle(rec *Record) (err error) {
	if h.closed.Load() {
		h.dropped.Add(1)
		h.diagnostics.Lost(h.name, "closed", OutcomeDropped, "record dropped", 1)
		return fmt.Errorf("handler %s: %w", h.name, ErrClosed)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
		if err != nil {
			h.failed.Add(1)
			subject, detail := h.name, err.Error()
			var said *CallbackError
			if errors.As(err, &said) {
				if said.Handler != "" {
					subject = said.Handler
					h.shown.Store(&subject)
				}
				detail = said.Message
			}
			h.diagnostics.Lost(subject, "error", OutcomeFailed, detail, 1)
			return
		}
		h.delivered.Add(1)
	}()
	return h.fn(rec)
}

// WantsCaller reports whether the callback uses the caller fields.
func (h *CallbackHandler) WantsCaller() bool { return h.Caller }

// PinsThread is true: callbacks reach Python, which keeps per-thread state.
func (h *CallbackHandler) PinsThread() bool { return true }

// Flush has nothing to wait for: the callback ran on the logger worker.
func (h *CallbackHandler) Flush(time.Duration) bool { return true }

// Close makes later records count as dropped, and prints the handler's
// summary line if it lost records.
func (h *CallbackHandler) Close(time.Duration) error {
	if !h.closed.Swap(true) {
		h.diagnostics.Summarize(h.name)
		if shown := h.shown.Load(); shown != nil {
			h.diagnostics.Summarize(*shown)
		}
	}
	return nil
}

// Closed reports whether Close was called.
func (h *CallbackHandler) Closed() bool { return h.closed.Load() }

// Policy is drop: a callback handler has no queue to overflow.
func (h *CallbackHandler) Policy() OverflowPolicy { return OverflowPolicy{} }

// Dropped counts records that arrived after Close.
func (h *CallbackHandler) Dropped() uint64 { return h.dropped.Load() }

// Failed counts callbacks that returned an error or panicked.
func (h *CallbackHandler) Failed() uint64 { return h.failed.Load() }

// Delivered counts callbacks that succeeded.
func (h *CallbackHandler) Delivered() uint64 { return h.delivered.Load() }

// FlushBegin has nothing to start: the callback ran on the logger worker.
func (h *CallbackHandler) FlushBegin() uint64 { return 0 }

// FlushWait has nothing to wait for: see Flush.
func (h *CallbackHandler) FlushWait(uint64, time.Duration) (done, ok bool) { return true, true }

// CloseBegin closes the handler at once: see Close.
func (h *CallbackHandler) CloseBegin() { _ = h.Close(0) }

// CloseWait has nothing to wait for: CloseBegin closed the handler.
func (h *CallbackHandler) CloseWait(time.Duration) bool { return true }
