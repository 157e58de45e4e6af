package core

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// discardingSink discards on purpose: a Write of "discard-write" drops the
// record and what is buffered; a Flush after a Write of "discard-flush"
// drops the whole buffer.
type discardingSink struct {
	gate         chan struct{} // the first Write waits for it
	buffered     int
	failFlush    bool
	sent         int
	beginClosed  atomic.Bool
	closedBefore atomic.Bool // BeginClose came before Close
}

func (s *discardingSink) Write(p []byte) error {
	if s.gate != nil {
		<-s.gate
		s.gate = nil
	}
	switch {
	case strings.HasSuffix(string(p), "] discard-write\n"):
		s.buffered = 0
		return fmt.Errorf("gone: %w", ErrDiscarded)
	case strings.HasSuffix(string(p), "] discard-flush\n"):
		s.failFlush = true
	}
	s.buffered++
	return nil
}

func (s *discardingSink) Flush() error {
	n := s.buffered
	s.buffered = 0
	if s.failFlush {
		s.failFlush = false
		return fmt.Errorf("gone: %w", ErrDiscarded)
	}
	s.sent += n
	return nil
}

func (s *discardingSink) Close() error {
	s.closedBefore.Store(s.beginClosed.Load())
	return nil
}

func (s *discardingSink) BeginClose() { s.beginClosed.Store(true) }

// discardingFormatter discards records whose message is "too big".
type discardingFormatter struct{ TextFormatter }

func (f discardingFormatter) Format(dst []byte, rec *Record) ([]byte, error) {
	if string(rec.Message) == "too big" {
		return dst, fmt.Errorf("frame too large: %w", ErrDiscarded)
	}
	return f.TextFormatter.Format(dst, rec)
}

func TestQueuedHandlerCountsDiscardsAsDropped(t *testing.T) {
	tests := []struct {
		name                       string
		messages                   []string
		wantDelivered, wantDropped uint64
	}{
		{"formatter discards one record", []string{"a", "too big", "b"}, 2, 1},
		{"sink write discards the buffered records too", []string{"a", "b", "discard-write", "c"}, 1, 3},
		{"sink flush discards the batch", []string{"a", "discard-flush"}, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gate := make(chan struct{})
			sink := &discardingSink{gate: gate}
			diag := NewDiagnostics(nil, time.Hour)
			h, err := NewQueuedHandler(QueuedHandlerOptions{Name: "d", Capacity: 16, Diagnostics: diag}, discardingFormatter{}, sink)
			if err != nil {
				t.Fatal(err)
			}
			// The first write waits until everything is queued, so the
			// worker (which flushes when the queue runs empty) sees one batch.
			for _, m := range tt.messages {
				if err := h.Handle(&Record{Logger: "x", Level: LevelInfo, Message: []byte(m)}); err != nil {
					t.Fatal(err)
				}
			}
			close(gate)
			if h.Flush(5 * time.Second) {
				t.Error("got flush true after discards, want false: the caller was never told")
			}
			if err := h.Close(5 * time.Second); err != nil {
				t.Fatal(err)
			}
			if h.Delivered() != tt.wantDelivered || h.Dropped() != tt.wantDropped || h.Failed() != 0 {
				t.Errorf("got delivered %d dropped %d failed %d, want %d %d 0",
					h.Delivered(), h.Dropped(), h.Failed(), tt.wantDelivered, tt.wantDropped)
			}
			if diag.Count("d: dropped") == 0 {
				t.Error("got no diagnostics for the discards, want a report")
			}
			if !sink.closedBefore.Load() {
				t.Error("got Close without BeginClose first, want BeginClose at CloseBegin")
			}
		})
	}
}

func TestErrDiscardedIsDistinct(t *testing.T) {
	if errors.Is(ErrDiscarded, ErrQueueFull) || errors.Is(ErrDiscarded, ErrClosed) {
		t.Error("got ErrDiscarded matching another sentinel, want it distinct")
	}
}
