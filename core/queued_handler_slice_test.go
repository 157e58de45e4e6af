package core_test

import (
	"errors"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// TestOfferSliceRetriesWithoutCountingDrops: a blocking producer waiting in
// slices (the C API under "block") must not have each expired slice
// counted as a dropped record.
func TestOfferSliceRetriesWithoutCountingDrops(t *testing.T) {
	sink := coretest.NewMemorySink()
	release := sink.Block()
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "t", Capacity: 1, Policy: core.OverflowPolicy{Kind: core.PolicyBlock}}, core.TextFormatter{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	rec := core.Record{Logger: "a", Level: core.LevelInfo, Message: []byte("m")}
	// The worker takes the first record and blocks in Write; the second
	// fills the queue (retry until the worker has taken the first).
	if err := h.Offer(&rec, 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.OfferSlice(&rec, time.Millisecond) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the worker never took the first record")
		}
	}
	for i := 0; i < 3; i++ {
		if err := h.OfferSlice(&rec, 5*time.Millisecond); !errors.Is(err, core.ErrQueueFull) {
			t.Fatalf("slice %d: got %v, want ErrQueueFull", i, err)
		}
	}
	if got := h.Dropped(); got != 0 {
		t.Errorf("Dropped after expired slices: got %d, want 0", got)
	}
	release()
	if err := h.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if got, want := len(sink.Lines()), 2; got != want {
		t.Errorf("lines: got %d, want %d", got, want)
	}
	if err := h.OfferSlice(&rec, time.Millisecond); !errors.Is(err, core.ErrClosed) || h.Dropped() != 1 {
		t.Errorf("after close: got %v with %d dropped, want ErrClosed with 1 dropped", err, h.Dropped())
	}
}

// gateSink signals when a Write starts and holds it until released.
type gateSink struct {
	*coretest.MemorySink
	entered chan struct{}
	gate    chan struct{}
	once    bool
}

func (s *gateSink) Write(p []byte) error {
	if !s.once {
		s.once = true
		close(s.entered)
		<-s.gate
	}
	return s.MemorySink.Write(p)
}

// TestFlushWaitsForRecordsBeyondTheCurrentBatch: a flush requested while
// the worker is busy with an earlier batch must still cover the records
// queued behind it, even when FlushEvery would not flush them.
func TestFlushWaitsForRecordsBeyondTheCurrentBatch(t *testing.T) {
	sink := &gateSink{MemorySink: coretest.NewMemorySink(), entered: make(chan struct{}), gate: make(chan struct{})}
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "t", Capacity: 64, FlushEvery: 16}, core.TextFormatter{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(5 * time.Second)
	rec := core.Record{Logger: "a", Level: core.LevelInfo, Message: []byte("m")}
	if err := h.Offer(&rec, 0); err != nil {
		t.Fatal(err)
	}
	<-sink.entered // the worker holds a batch of one record
	for i := 0; i < 8; i++ {
		if err := h.Offer(&rec, 0); err != nil {
			t.Fatal(err)
		}
	}
	mark := h.FlushBegin()
	close(sink.gate)
	done, ok := h.FlushWait(mark, 5*time.Second)
	if !done || !ok {
		t.Fatalf("FlushWait: got done=%v ok=%v, want true, true", done, ok)
	}
	if got := h.Delivered(); got != 9 {
		t.Errorf("Delivered: got %d, want 9", got)
	}
}
