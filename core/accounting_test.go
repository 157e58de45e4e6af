package core_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"femtologging/core"
	"femtologging/core/coretest"
)

// TestEveryRecordAccountedForUnderLoad logs from several goroutines on two
// loggers into a small handler queue while another goroutine flushes, and
// checks the books: every record the loggers queued was delivered or
// counted as dropped by the handler, and every record a logger refused was
// counted by the logger. Nothing is lost silently in the rings.
func TestEveryRecordAccountedForUnderLoad(t *testing.T) {
	tests := []struct {
		name   string
		policy core.OverflowPolicy
	}{
		{"drop", dropPolicy},
		{"block", blockPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t)
			sink := coretest.NewMemorySink()
			h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "load", Capacity: 8, Policy: tt.policy}, core.TextFormatter{}, sink)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close(wait)
			m.Root().AddHandler(h)
			loggers := []*core.Logger{mustLogger(t, m, "a"), mustLogger(t, m, "b.c")}
			const goroutines, each = 4, 2000
			stopFlushing := flushContinuously(h)
			queued, refused := logConcurrently(t, loggers, goroutines, each)
			stopFlushing()
			sync_(t, m)
			if err := h.Close(wait); err != nil {
				t.Fatal(err)
			}
			var loggerDropped uint64
			for _, l := range loggers {
				loggerDropped += l.Dropped()
			}
			if got, want := loggerDropped, refused; got != want {
				t.Fatalf("logger drops: got %d, want %d refused", got, want)
			}
			if got, want := h.Delivered()+h.Dropped()+h.Failed(), queued; got != want {
				t.Fatalf("handler delivered %d + dropped %d + failed %d = %d, want %d queued",
					h.Delivered(), h.Dropped(), h.Failed(), got, want)
			}
			if got := uint64(len(sink.Lines())); got != h.Delivered() {
				t.Fatalf("lines: got %d, want %d delivered", got, h.Delivered())
			}
			if tt.policy.Kind == core.PolicyBlock && queued != goroutines*each {
				t.Fatalf("block policy: got %d queued, want all %d", queued, goroutines*each)
			}
		})
	}
}

// flushContinuously flushes h in a loop until the returned stop function
// is called; stop returns once the loop has ended.
func flushContinuously(h core.Handler) (stop func()) {
	quit, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		for {
			select {
			case <-quit:
				return
			default:
				h.Flush(wait)
			}
		}
	}()
	return func() {
		close(quit)
		<-ended // bounded: each Flush waits at most wait
	}
}

// logConcurrently logs each records from each of goroutines goroutines,
// spread over loggers, and counts the records queued and refused.
func logConcurrently(t *testing.T, loggers []*core.Logger, goroutines, each int) (queued, refused uint64) {
	var q, r atomic.Uint64
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := loggers[g%len(loggers)]
			msg := []byte(fmt.Sprintf("g%d", g))
			for i := 0; i < each; i++ {
				switch st, err := l.Log(core.LevelInfo, msg, nil, -1); {
				case err != nil:
					t.Errorf("Log: %v", err)
					return
				case st == core.LogQueued:
					q.Add(1)
				case st == core.LogDropped:
					r.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return q.Load(), r.Load()
}

// TestHandlerChangesWhileLogging changes handler lists, levels and
// propagation while other goroutines log: the race detector checks the
// copy-on-write dispatch, and every record reaches a handler at most once.
func TestHandlerChangesWhileLogging(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app.x")
	hs := []*gatedHandler{newGatedHandler(dropPolicy), newGatedHandler(dropPolicy)}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
					l.Log(core.LevelWarn, []byte(fmt.Sprintf("%d-%d", g, i)), nil, -1)
				}
			}
		}()
	}
	parent := mustLogger(t, m, "app")
	for i := 0; i < 300; i++ {
		h := hs[i%2]
		parent.AddHandler(h)
		l.SetPropagate(i%3 != 0)
		l.SetLevel([]core.Level{core.LevelNotSet, core.LevelError, core.LevelDebug}[i%3])
		parent.RemoveHandler(h)
		if i%50 == 0 {
			parent.ClearHandlers()
		}
	}
	close(stop)
	wg.Wait()
	sync_(t, m)
	for k, h := range hs {
		seen := map[string]bool{}
		for _, line := range h.got() {
			if seen[line] {
				t.Fatalf("handler %d got %q twice", k, line)
			}
			seen[line] = true
		}
	}
}
