// Package coretest holds test helpers shared by the core packages' tests:
// sinks that record, fail or block on demand.
package coretest

import (
	"bytes"
	"errors"
	"strings"
	"sync"

	"femtologging/core"
)

// ErrInjected is the error FailingSink returns.
var ErrInjected = errors.New("injected write failure")

// MemorySink keeps every record written, flushed or not, and can be made to
// fail or to block writes until released.
type MemorySink struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	flushes int
	closed  bool
	fail    bool
	gate    chan struct{}
	waiting int // writes held at the gate
}

// NewMemorySink returns an empty sink.
func NewMemorySink() *MemorySink { return &MemorySink{} }

// Write appends p, or fails when SetFailing(true), or waits while Block is
// in force.
func (s *MemorySink) Write(p []byte) error {
	s.mu.Lock()
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		s.mu.Lock()
		s.waiting++
		s.mu.Unlock()
		<-gate
		s.mu.Lock()
		s.waiting--
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return ErrInjected
	}
	s.buf.Write(p)
	return nil
}

// Flush counts flushes.
func (s *MemorySink) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushes++
	return nil
}

// Close marks the sink closed.
func (s *MemorySink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// SetFailing makes later writes fail (true) or succeed (false).
func (s *MemorySink) SetFailing(fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fail
}

// Block makes writes wait until the returned function is called.
func (s *MemorySink) Block() (release func()) {
	gate := make(chan struct{})
	s.mu.Lock()
	s.gate = gate
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.gate = nil
			s.mu.Unlock()
			close(gate)
		})
	}
}

// Waiting returns how many writes are held at the gate: a test that blocks
// the sink polls it to know the handler's worker is stuck in Write.
func (s *MemorySink) Waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiting
}

// Lines returns what was written, split into lines.
func (s *MemorySink) Lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	text := strings.TrimSuffix(s.buf.String(), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// Closed reports whether Close was called.
func (s *MemorySink) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Flushes returns how many times Flush was called.
func (s *MemorySink) Flushes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushes
}

// DiscardSink throws records away: for benchmarks.
type DiscardSink struct{}

func (DiscardSink) Write([]byte) error { return nil }
func (DiscardSink) Flush() error       { return nil }
func (DiscardSink) Close() error       { return nil }

var (
	_ core.Sink = (*MemorySink)(nil)
	_ core.Sink = DiscardSink{}
)
