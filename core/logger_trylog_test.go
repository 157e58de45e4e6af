package core_test

import (
	"errors"
	"testing"
	"time"

	"femtologging/core"
)

// TestLoggerTryLogNeverWaits: under every policy, TryLog on a full queue
// returns ErrWouldBlock at once with nothing queued, dropped or reported;
// with room it queues like Log.
func TestLoggerTryLogNeverWaits(t *testing.T) {
	policies := map[string]core.OverflowPolicy{
		"drop":  dropPolicy,
		"block": blockPolicy,
		// A wait this long would time the test out: TryLog must not take it.
		"timeout": {Kind: core.PolicyTimeout, Timeout: time.Hour},
	}
	for name, policy := range policies {
		t.Run(name, func(t *testing.T) {
			m := newManager(t)
			l := mustLogger(t, m, "app")
			h := newGatedHandler(policy)
			l.AddHandler(h)
			release := fillLoggerQueue(t, l, h)
			done := make(chan error, 1)
			go func() {
				st, err := l.TryLog(core.LevelInfo, []byte("refused"), nil)
				if st == core.LogDropped {
					err = errors.New("counted as dropped")
				}
				done <- err
			}()
			if err := recv(t, "TryLog on a full queue", done); !errors.Is(err, core.ErrWouldBlock) {
				t.Fatalf("got %v, want ErrWouldBlock", err)
			}
			if got := l.Dropped(); got != 0 {
				t.Fatalf("Dropped: got %d, want 0", got)
			}
			if got := m.Diagnostics().Count("logger app: queue full"); got != 0 {
				t.Fatalf("drop reports: got %d, want 0", got)
			}
			release()
			sync_(t, m)
			if st, err := l.TryLog(core.LevelInfo, []byte("queued"), nil); st != core.LogQueued || err != nil {
				t.Fatalf("with room: got %v, %v, want LogQueued, nil", st, err)
			}
			sync_(t, m)
			got := h.got()
			if len(got) != core.LoggerQueueCapacity+1 || got[len(got)-1] != "app [INFO] queued" {
				t.Fatalf("got %d records ending %q, want %d ending with the queued one",
					len(got), got[len(got)-1], core.LoggerQueueCapacity+1)
			}
		})
	}
}

// TestLoggerTryLogFiltersAndDropsAfterClose: TryLog applies the level like
// Log, and after close it drops and counts (closing does not wait).
func TestLoggerTryLogFiltersAndDropsAfterClose(t *testing.T) {
	m := core.NewManager(core.ManagerOptions{Diagnostics: core.NewDiagnostics(nil, time.Hour)})
	l := mustLogger(t, m, "app")
	l.AddHandler(newGatedHandler(dropPolicy))
	if st, err := l.TryLog(core.LevelDebug, []byte("low"), nil); st != core.LogFiltered || err != nil {
		t.Fatalf("below the level: got %v, %v, want LogFiltered, nil", st, err)
	}
	if err := m.Close(wait); err != nil {
		t.Fatal(err)
	}
	if st, err := l.TryLog(core.LevelInfo, []byte("late"), nil); st != core.LogDropped || err != nil {
		t.Fatalf("after close: got %v, %v, want LogDropped, nil", st, err)
	}
	if got := l.Dropped(); got != 1 {
		t.Fatalf("Dropped: got %d, want 1", got)
	}
}
