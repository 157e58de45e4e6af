package core_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

const wait = coretest.WaitTimeout

func rec(msg string) *core.Record {
	return &core.Record{Logger: "qh", Level: core.LevelInfo, Message: []byte(msg)}
}

// newQueued builds a handler on a memory sink and closes it at cleanup.
func newQueued(t *testing.T, opts core.QueuedHandlerOptions) (*core.QueuedHandler, *coretest.MemorySink) {
	t.Helper()
	sink := coretest.NewMemorySink()
	if opts.Name == "" {
		opts.Name = "test"
	}
	h, err := core.NewQueuedHandler(opts, core.TextFormatter{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(wait) })
	return h, sink
}

// blockWorker gates the sink and hands over one record, returning once the
// worker is stuck writing it: the queue is then empty and nothing drains.
func blockWorker(t *testing.T, h *core.QueuedHandler, sink *coretest.MemorySink) (release func()) {
	t.Helper()
	release = sink.Block()
	t.Cleanup(release)
	if err := h.Handle(rec("blocker")); err != nil {
		t.Fatal(err)
	}
	coretest.Eventually(t, "the worker to block in Write", func() bool { return sink.Waiting() == 1 })
	return release
}

func TestNewQueuedHandlerRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts core.QueuedHandlerOptions
		want string
	}{
		{"zero capacity", core.QueuedHandlerOptions{Capacity: 0}, "capacity 0"},
		{"negative capacity", core.QueuedHandlerOptions{Capacity: -3}, "capacity -3"},
		{"negative flush interval", core.QueuedHandlerOptions{Capacity: 1, FlushEvery: -1}, "flush interval -1"},
		{"capacity beyond the cap", core.QueuedHandlerOptions{Capacity: core.MaxQueueCapacity + 1}, fmt.Sprintf("capacity %d", core.MaxQueueCapacity+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := core.NewQueuedHandler(tt.opts, core.TextFormatter{}, coretest.NewMemorySink())
			if err == nil {
				h.Close(wait)
				t.Fatal("got nil error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %q, want it to name %q", err, tt.want)
			}
		})
	}
}

// TestQueuedHandlerFlushEveryCoalescesABatch: records the worker takes in
// one batch are flushed together, once, even with FlushEvery 1.
func TestQueuedHandlerFlushEveryCoalescesABatch(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 16, FlushEvery: 1})
	release := blockWorker(t, h, sink) // the worker holds "blocker" in Write
	for i := 0; i < 4; i++ {
		if err := h.Handle(rec(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	release()
	coretest.Eventually(t, "every record written", func() bool { return len(sink.Lines()) == 5 })
	coretest.Eventually(t, "two flushes", func() bool { return sink.Flushes() >= 2 })
	if got := sink.Flushes(); got != 2 {
		t.Fatalf("flushes: got %d, want 2 (the blocker's batch, then the other four together)", got)
	}
}

func TestQueuedHandlerFlushEvery(t *testing.T) {
	tests := []struct {
		name        string
		flushEvery  int
		records     int
		wantFlushes int // by the worker alone, once it has written every record
	}{
		{"every 3 of 7", 3, 7, 2},
		{"every 1 of 4", 1, 4, 4},
		{"every 10 of 4", 10, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 16, FlushEvery: tt.flushEvery})
			// One record per batch: the worker checks FlushEvery after
			// each batch, so this makes the count of flushes exact.
			for i := 0; i < tt.records; i++ {
				if err := h.Handle(rec(fmt.Sprint(i))); err != nil {
					t.Fatal(err)
				}
				coretest.Eventually(t, "the record written", func() bool { return len(sink.Lines()) == i+1 })
			}
			coretest.Eventually(t, "the due flushes", func() bool { return sink.Flushes() >= tt.wantFlushes })
			if got := sink.Flushes(); got != tt.wantFlushes {
				t.Fatalf("flushes: got %d, want %d", got, tt.wantFlushes)
			}
			// Records are delivered when flushed, not when written.
			if got, want := h.Delivered(), uint64(tt.wantFlushes*tt.flushEvery); got != want {
				t.Fatalf("Delivered before Flush: got %d, want %d", got, want)
			}
			if !h.Flush(wait) {
				t.Fatal("Flush: got false, want true")
			}
			if got := h.Delivered(); got != uint64(tt.records) {
				t.Fatalf("Delivered after Flush: got %d, want %d", got, tt.records)
			}
		})
	}
}

// TestQueuedHandlerFlushesWhenQueueEmpties checks FlushEvery 0: the worker
// flushes as soon as it has nothing more to write, with no Flush call.
func TestQueuedHandlerFlushesWhenQueueEmpties(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 16})
	if err := h.Handle(rec("one")); err != nil {
		t.Fatal(err)
	}
	coretest.Eventually(t, "a flush and delivery", func() bool { return sink.Flushes() >= 1 && h.Delivered() == 1 })
}

// TestQueuedHandlerFlushCoversRecordsQueuedWhileWriting: a record handed
// over while the worker is busy writing must be part of the next Flush,
// even when FlushEvery leaves the worker no reason to flush by itself.
func TestQueuedHandlerFlushCoversRecordsQueuedWhileWriting(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 16, FlushEvery: 100})
	release := blockWorker(t, h, sink)
	if err := h.Handle(rec("queued while writing")); err != nil {
		t.Fatal(err)
	}
	mark := h.FlushBegin()
	release()
	done, ok := h.FlushWait(mark, wait)
	if !done || !ok {
		t.Fatalf("FlushWait: got done=%v ok=%v, want true true", done, ok)
	}
	if got := h.Delivered(); got != 2 {
		t.Fatalf("Delivered: got %d, want 2", got)
	}
}

func TestQueuedHandlerFlushReportsFailuresOnce(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 16})
	sink.SetFailing(true)
	if err := h.Handle(rec("lost")); err != nil {
		t.Fatal(err)
	}
	if h.Flush(wait) {
		t.Fatal("Flush after a failed write: got true, want false")
	}
	if got := h.Failed(); got != 1 {
		t.Fatalf("Failed: got %d, want 1", got)
	}
	sink.SetFailing(false)
	if err := h.Handle(rec("kept")); err != nil {
		t.Fatal(err)
	}
	if !h.Flush(wait) {
		t.Fatal("Flush once writes succeed again: got false, want true")
	}
	if got := sink.Lines(); len(got) != 1 || got[0] != "qh [INFO] kept" {
		t.Fatalf("got %q, want [\"qh [INFO] kept\"]", got)
	}
}

func TestQueuedHandlerCloseIsIdempotentAndBounded(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 4})
	release := blockWorker(t, h, sink)
	if err := h.Handle(rec("queued")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := h.Close(20 * time.Millisecond); err == nil {
		t.Fatal("Close with a stuck sink: got nil, want a timeout error")
	}
	if took := time.Since(start); took > wait {
		t.Fatalf("Close took %v, want it bounded by its timeout", took)
	}
	if !h.Closed() {
		t.Fatal("Closed: got false, want true")
	}
	release()
	for i := 0; i < 2; i++ {
		if err := h.Close(wait); err != nil {
			t.Fatalf("Close: got %v, want nil", err)
		}
	}
	if got := sink.Lines(); len(got) != 2 {
		t.Fatalf("got %q, want the blocker and the queued record", got)
	}
	if !sink.Closed() {
		t.Fatal("sink not closed")
	}
}

func TestQueuedHandlerOfferWaits(t *testing.T) {
	var diag bytes.Buffer
	d := core.NewDiagnostics(&syncWriter{w: &diag}, time.Hour)
	h, sink := newQueued(t, core.QueuedHandlerOptions{Name: "offer", Capacity: 1, Diagnostics: d})
	release := blockWorker(t, h, sink)
	if err := h.Offer(rec("fills the queue"), 0); err != nil {
		t.Fatal(err)
	}
	if err := h.Offer(rec("no room"), 0); !errors.Is(err, core.ErrQueueFull) {
		t.Fatalf("Offer with no wait: got %v, want ErrQueueFull", err)
	}
	start := time.Now()
	if err := h.Offer(rec("no room in time"), 20*time.Millisecond); !errors.Is(err, core.ErrQueueFull) {
		t.Fatalf("Offer with a short wait: got %v, want ErrQueueFull", err)
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Fatalf("Offer gave up after %v, want at least 20ms", took)
	}
	done := make(chan error, 1)
	go func() { done <- h.Offer(rec("waits for room"), -1) }()
	release()
	if err := coretest.Recv(t, "the waiting Offer", done); err != nil {
		t.Fatalf("Offer waiting for room: got %v, want nil", err)
	}
	if err := h.Close(wait); err != nil {
		t.Fatal(err)
	}
	if h.Delivered() != 3 || h.Dropped() != 2 || h.Failed() != 0 {
		t.Fatalf("delivered %d dropped %d failed %d: want 3 2 0", h.Delivered(), h.Dropped(), h.Failed())
	}
	if got := d.Count("offer: queue full"); got != 2 {
		t.Fatalf("drop reports: got %d, want 2", got)
	}
	if !strings.Contains(diag.String(), "femtologging: offer: queue full: record dropped (1 so far)") {
		t.Fatalf("diagnostics: got %q", diag.String())
	}
}

// TestQueuedHandlerCloseReleasesBlockedProducers: a producer waiting for
// room under the block policy gets ErrClosed when the handler closes, and
// the record is counted as dropped.
func TestQueuedHandlerCloseReleasesBlockedProducers(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 1, Policy: core.OverflowPolicy{Kind: core.PolicyBlock}})
	release := blockWorker(t, h, sink)
	if err := h.Handle(rec("fills the queue")); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- h.Handle(rec("blocked")) }()
	h.CloseBegin()
	if err := coretest.Recv(t, "the blocked producer", done); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("got %v, want ErrClosed", err)
	}
	release()
	if !h.CloseWait(wait) {
		t.Fatal("CloseWait: got false, want true")
	}
	if h.Delivered() != 2 || h.Dropped() != 1 {
		t.Fatalf("delivered %d dropped %d: want 2 1", h.Delivered(), h.Dropped())
	}
}

// syncWriter makes a buffer safe for the workers' diagnostics under -race.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestQueuedHandlerOfferSliceRetriesWithoutDropping: a caller waiting in
// slices gets ErrRetry and no drop is counted until the record is queued;
// after close the record is dropped.
func TestQueuedHandlerOfferSliceRetriesWithoutDropping(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 1, Policy: core.OverflowPolicy{Kind: core.PolicyBlock}})
	release := blockWorker(t, h, sink)
	if err := h.OfferSlice(rec("fills the queue"), 0); err != nil {
		t.Fatal(err)
	}
	for _, slice := range []time.Duration{0, 10 * time.Millisecond} {
		if err := h.OfferSlice(rec("retried"), slice); !errors.Is(err, core.ErrRetry) {
			t.Fatalf("slice %v: got %v, want ErrRetry", slice, err)
		}
	}
	if got := h.Dropped(); got != 0 {
		t.Fatalf("Dropped while retrying: got %d, want 0", got)
	}
	release()
	if err := h.OfferSlice(rec("retried"), wait); err != nil {
		t.Fatalf("after release: got %v, want nil", err)
	}
	if err := h.Close(wait); err != nil {
		t.Fatal(err)
	}
	if err := h.OfferSlice(rec("late"), wait); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("after close: got %v, want ErrClosed", err)
	}
	if h.Delivered() != 3 || h.Dropped() != 1 {
		t.Fatalf("delivered %d dropped %d: want 3 1", h.Delivered(), h.Dropped())
	}
}

// TestQueuedHandlerHandleBatchOverflowsUnderThePolicy: a batch larger than
// the free room queues what fits at once and offers the rest under the
// drop policy, counting what finds no room.
func TestQueuedHandlerHandleBatchOverflowsUnderThePolicy(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 3})
	release := blockWorker(t, h, sink) // the blocker is formatted and held in Write
	var recs []*core.Record
	for i := 0; i < 5; i++ {
		recs = append(recs, rec(fmt.Sprint(i)))
	}
	h.HandleBatch(recs)
	if got := h.Dropped(); got != 2 {
		t.Fatalf("Dropped: got %d, want 2 (3 slots free)", got)
	}
	release()
	if !h.Flush(wait) {
		t.Fatal("Flush: got false, want true")
	}
	want := []string{"qh [INFO] blocker", "qh [INFO] 0", "qh [INFO] 1", "qh [INFO] 2"}
	if got := sink.Lines(); !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
