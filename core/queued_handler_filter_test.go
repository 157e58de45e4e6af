package core_test

import (
	"slices"
	"testing"

	"femtologging/core"
)

// TestQueuedHandlerFiltersSkipWithoutCounting: a record a handler's filter
// rejects is skipped like a record below the handler's level: not written,
// and counted neither as dropped nor as failed, through Handle, HandleBatch
// and OfferSlice alike.
func TestQueuedHandlerFiltersSkipWithoutCounting(t *testing.T) {
	h, sink := newQueued(t, core.QueuedHandlerOptions{
		Capacity: 16,
		Filters:  []core.Filter{core.SubtreeFilter{Name: "app"}, core.LevelFilter{MaxLevel: core.LevelWarn}},
	})
	mk := func(logger string, lv core.Level, msg string) *core.Record {
		return &core.Record{Logger: logger, Level: lv, Message: []byte(msg)}
	}
	if err := h.Handle(mk("app.db", core.LevelInfo, "kept")); err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(mk("apple", core.LevelInfo, "other logger")); err != nil {
		t.Fatalf("a filtered record is not an error: %v", err)
	}
	if err := h.Handle(mk("app", core.LevelError, "too severe")); err != nil {
		t.Fatal(err)
	}
	h.HandleBatch([]*core.Record{
		mk("web", core.LevelInfo, "batch other"),
		mk("app", core.LevelWarn, "batch kept"),
		mk("app.x", core.LevelCritical, "batch too severe"),
	})
	if err := h.OfferSlice(mk("web", core.LevelInfo, "slice other"), wait); err != nil {
		t.Fatal(err)
	}
	if err := h.OfferSlice(mk("app.y", core.LevelDebug, "slice kept"), wait); err != nil {
		t.Fatal(err)
	}
	if !h.Flush(wait) {
		t.Fatal("Flush: got false, want true")
	}
	want := []string{"app.db [INFO] kept", "app [WARN] batch kept", "app.y [DEBUG] slice kept"}
	if got := sink.Lines(); !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if h.Delivered() != 3 || h.Dropped() != 0 || h.Failed() != 0 {
		t.Fatalf("delivered %d dropped %d failed %d: want 3 0 0", h.Delivered(), h.Dropped(), h.Failed())
	}
}

// TestQueuedHandlerFiltersRunAfterLevel: the handler's level is checked
// first, so a filter never sees a record below it, and the filters' slice
// is the handler's own copy.
func TestQueuedHandlerFiltersRunAfterLevel(t *testing.T) {
	seen := &countingFilter{}
	filters := []core.Filter{seen}
	h, sink := newQueued(t, core.QueuedHandlerOptions{Capacity: 4, Level: core.LevelWarn, Filters: filters})
	filters[0] = core.LevelFilter{MaxLevel: core.LevelDebug} // must not reach the handler
	if err := h.Handle(&core.Record{Logger: "x", Level: core.LevelInfo, Message: []byte("below")}); err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(&core.Record{Logger: "x", Level: core.LevelError, Message: []byte("above")}); err != nil {
		t.Fatal(err)
	}
	if !h.Flush(wait) {
		t.Fatal("Flush: got false, want true")
	}
	if seen.n != 1 {
		t.Fatalf("filter ran %d times, want 1 (only for the record at or above the level)", seen.n)
	}
	if got, want := sink.Lines(), []string{"x [ERROR] above"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// countingFilter passes everything and counts its calls (one producer
// goroutine here, so no locking).
type countingFilter struct{ n int }

func (f *countingFilter) Allow(*core.Record) bool { f.n++; return true }
