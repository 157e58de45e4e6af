package core_test

import (
	"testing"

	"femtologging/core"
	"femtologging/core/coretest"
)

// The leak tests count goroutines before and after: a worker that outlives
// Close is a leak in a process that builds and drops handlers (dictConfig
// swaps, reset_manager). They do not run in parallel with other tests, so
// the count is theirs.

func TestQueuedHandlerCloseLeavesNoGoroutine(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, h *core.QueuedHandler, sink *coretest.MemorySink)
	}{
		{"idle", func(*testing.T, *core.QueuedHandler, *coretest.MemorySink) {}},
		{"after records", func(t *testing.T, h *core.QueuedHandler, _ *coretest.MemorySink) {
			for i := 0; i < 100; i++ {
				h.Handle(rec("x"))
			}
		}},
		{"with a blocked producer", func(t *testing.T, h *core.QueuedHandler, sink *coretest.MemorySink) {
			release := blockWorker(t, h, sink)
			h.Handle(rec("fills the queue"))
			done := make(chan error, 1)
			go func() { done <- h.Offer(rec("blocked"), -1) }()
			h.CloseBegin()
			coretest.Recv(t, "the blocked producer", done)
			release()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := coretest.CheckNoGoroutineLeak(t)
			sink := coretest.NewMemorySink()
			h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "leak", Capacity: 1}, core.TextFormatter{}, sink)
			if err != nil {
				t.Fatal(err)
			}
			tt.run(t, h, sink)
			if err := h.Close(wait); err != nil {
				t.Fatal(err)
			}
			check()
		})
	}
}

func TestManagerCloseLeavesNoGoroutine(t *testing.T) {
	check := coretest.CheckNoGoroutineLeak(t)
	m := core.NewManager(core.ManagerOptions{})
	sink := coretest.NewMemorySink()
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "leak", Capacity: 64, Policy: blockPolicy}, core.TextFormatter{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	m.Root().AddHandler(h)
	for _, name := range []string{"a", "a.b", "c"} {
		l := mustLogger(t, m, name)
		for i := 0; i < 50; i++ {
			logOK(t, l, "x")
		}
	}
	mustLogger(t, m, "never.logged")
	if err := m.Close(wait); err != nil {
		t.Fatal(err)
	}
	mustLogger(t, m, "after.close").Log(core.LevelInfo, []byte("x"), nil, -1)
	if err := h.Close(wait); err != nil {
		t.Fatal(err)
	}
	check()
	if got := len(sink.Lines()); got != 150 {
		t.Fatalf("lines: got %d, want 150", got)
	}
}

// TestLoggerWithoutHandlersStartsNoWorker: most loggers (parents) never
// have handlers; logging on them must not cost a goroutine.
func TestLoggerWithoutHandlersStartsNoWorker(t *testing.T) {
	check := coretest.CheckNoGoroutineLeak(t)
	m := core.NewManager(core.ManagerOptions{})
	l := mustLogger(t, m, "quiet")
	if st, err := l.Log(core.LevelError, []byte("x"), nil, -1); st != core.LogQueued || err != nil {
		t.Fatalf("got %v, %v, want LogQueued", st, err)
	}
	check()
	if err := m.Close(wait); err != nil {
		t.Fatal(err)
	}
}
