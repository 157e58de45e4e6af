package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
)

// fillLoggerQueue holds the worker inside h with one record, then fills the
// logger's queue: afterwards the queue has no room until release.
func fillLoggerQueue(t *testing.T, l *core.Logger, h *gatedHandler) (release func()) {
	t.Helper()
	release = h.hold(t)
	logOK(t, l, "held")
	h.waitEntered(t)
	// The record the worker is delivering keeps its slot until delivered:
	// the queue holds LoggerQueueCapacity records including that one.
	for i := 0; i < core.LoggerQueueCapacity-1; i++ {
		st, err := l.Log(core.LevelInfo, []byte("fill"), nil, 0)
		if st != core.LogQueued || err != nil {
			t.Fatalf("record %d: got %v, %v, want LogQueued", i, st, err)
		}
	}
	return release
}

func TestLoggerDropsWhenQueueFull(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app")
	h := newGatedHandler(dropPolicy)
	l.AddHandler(h)
	release := fillLoggerQueue(t, l, h)
	for i := 0; i < 3; i++ {
		if st, err := l.Log(core.LevelInfo, []byte("lost"), nil, -1); st != core.LogDropped || err != nil {
			t.Fatalf("got %v, %v, want LogDropped, nil", st, err)
		}
	}
	if got := l.Dropped(); got != 3 {
		t.Fatalf("Dropped: got %d, want 3", got)
	}
	if got := m.Diagnostics().Count("logger app: queue full"); got != 3 {
		t.Fatalf("drop reports: got %d, want 3", got)
	}
	release()
	sync_(t, m)
	if got, want := len(h.got()), core.LoggerQueueCapacity; got != want {
		t.Fatalf("delivered: got %d, want %d", got, want)
	}
}

// TestLoggerBlockPolicyRetries: under "block" a full queue makes Log return
// ErrRetry after the caller's slice, with nothing queued or dropped; an
// unbounded wait is released by the worker making room.
func TestLoggerBlockPolicyRetries(t *testing.T) {
	m := newManager(t)
	h := newGatedHandler(blockPolicy)
	m.Root().AddHandler(h) // the strongest policy reaches the child's queue
	l := mustLogger(t, m, "app")
	l.AddHandler(newGatedHandler(dropPolicy))
	release := fillLoggerQueue(t, l, h)
	for _, slice := range []time.Duration{0, 20 * time.Millisecond} {
		start := time.Now()
		st, err := l.Log(core.LevelInfo, []byte("retry"), nil, slice)
		if !errors.Is(err, core.ErrRetry) || st == core.LogDropped {
			t.Fatalf("slice %v: got %v, %v, want ErrRetry", slice, st, err)
		}
		if took := time.Since(start); took < slice {
			t.Fatalf("returned after %v, want at least the slice %v", took, slice)
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.Log(core.LevelInfo, []byte("waited"), nil, -1)
		done <- err
	}()
	release()
	if err := recv(t, "the blocked Log", done); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	sync_(t, m)
	if got := l.Dropped(); got != 0 {
		t.Fatalf("Dropped: got %d, want 0 under block", got)
	}
	got := h.got()
	if len(got) != core.LoggerQueueCapacity+1 || got[len(got)-1] != "app [INFO] waited" {
		t.Fatalf("got %d records ending %q, want %d ending with the waited one", len(got), got[len(got)-1], core.LoggerQueueCapacity+1)
	}
}

func TestLoggerTimeoutPolicyDropsAfterItsWait(t *testing.T) {
	m := newManager(t)
	const policyWait = 20 * time.Millisecond
	h := newGatedHandler(core.OverflowPolicy{Kind: core.PolicyTimeout, Timeout: policyWait})
	l := mustLogger(t, m, "app")
	l.AddHandler(h)
	fillLoggerQueue(t, l, h)
	start := time.Now()
	// The caller's block slice does not apply: only "block" retries.
	st, err := l.Log(core.LevelInfo, []byte("late"), nil, 0)
	if st != core.LogDropped || err != nil {
		t.Fatalf("got %v, %v, want LogDropped, nil", st, err)
	}
	if took := time.Since(start); took < policyWait {
		t.Fatalf("dropped after %v, want at least %v", took, policyWait)
	}
	if got := l.Dropped(); got != 1 {
		t.Fatalf("Dropped: got %d, want 1", got)
	}
}

// TestRemoveAffectsOnlyLaterRecords: a record keeps the handler list that
// was current when it was logged (copy-on-write dispatch).
func TestRemoveAffectsOnlyLaterRecords(t *testing.T) {
	tests := []struct {
		name      string
		detach    func(l *core.Logger, h core.Handler)
		wantOther []string
	}{
		{"remove", func(l *core.Logger, h core.Handler) {
			if !l.RemoveHandler(h) {
				t.Fatal("RemoveHandler: got false, want true")
			}
		}, []string{"app [INFO] held", "app [INFO] queued 1", "app [INFO] queued 2", "app [INFO] after"}},
		{"clear", func(l *core.Logger, h core.Handler) { l.ClearHandlers() },
			[]string{"app [INFO] held", "app [INFO] queued 1", "app [INFO] queued 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t)
			l := mustLogger(t, m, "app")
			held, other := newGatedHandler(dropPolicy), newGatedHandler(dropPolicy)
			l.AddHandler(held)
			l.AddHandler(other)
			release := held.hold(t)
			logOK(t, l, "held")
			held.waitEntered(t)
			logOK(t, l, "queued 1")
			logOK(t, l, "queued 2")
			tt.detach(l, held)
			logOK(t, l, "after")
			release()
			sync_(t, m)
			want := []string{"app [INFO] held", "app [INFO] queued 1", "app [INFO] queued 2"}
			if got := held.got(); !slices.Equal(got, want) {
				t.Fatalf("detached handler: got %q, want %q", got, want)
			}
			if got := other.got(); !slices.Equal(got, tt.wantOther) {
				t.Fatalf("other handler: got %q, want %q", got, tt.wantOther)
			}
		})
	}
}

func TestRemoveUnknownHandler(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app")
	h := newGatedHandler(dropPolicy)
	if l.RemoveHandler(h) {
		t.Fatal("RemoveHandler of a handler never added: got true")
	}
	l.AddHandler(h)
	l.AddHandler(h)
	if !l.RemoveHandler(h) || len(l.Handlers()) != 1 {
		t.Fatalf("RemoveHandler removes one occurrence: %d left, want 1", len(l.Handlers()))
	}
}

// TestPerGoroutineOrder: records from one goroutine reach the handler in
// the order they were logged, whatever the other goroutines do.
func TestPerGoroutineOrder(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app")
	h := newGatedHandler(blockPolicy) // no drops: every record must arrive
	l.AddHandler(h)
	const goroutines, each = 4, 500
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th := &core.ThreadInfo{ID: uint64(g)}
			for i := 0; i < each; i++ {
				if _, err := l.Log(core.LevelInfo, fmt.Appendf(nil, "%d %d", g, i), th, -1); err != nil {
					t.Errorf("Log: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	sync_(t, m)
	next := make([]int, goroutines)
	for _, line := range h.got() {
		var g, i int
		if _, err := fmt.Sscanf(strings.TrimPrefix(line, "app [INFO] "), "%d %d", &g, &i); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if i != next[g] {
			t.Fatalf("goroutine %d: got record %d, want %d", g, i, next[g])
		}
		next[g]++
	}
	for g, n := range next {
		if n != each {
			t.Fatalf("goroutine %d: got %d records, want %d", g, n, each)
		}
	}
}

func TestSyncAndWaitMarks(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app")
	h := newGatedHandler(dropPolicy)
	l.AddHandler(h)
	if !m.Sync(0) {
		t.Fatal("Sync with nothing logged: got false, want true")
	}
	release := h.hold(t)
	logOK(t, l, "held")
	h.waitEntered(t)
	logOK(t, l, "queued")
	marks := m.Marks()
	if m.Sync(20*time.Millisecond) || core.WaitMarks(marks, 20*time.Millisecond) {
		t.Fatal("Sync with a held worker: got true, want false")
	}
	release()
	if !core.WaitMarks(marks, wait) {
		t.Fatal("WaitMarks after release: got false, want true")
	}
	// True means handed over: no poll needed.
	if got := len(h.got()); got != 2 {
		t.Fatalf("records handed over when WaitMarks returned: got %d, want 2", got)
	}
}

func TestManagerCloseDrainsThenDrops(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app")
	idle := mustLogger(t, m, "idle") // never logged: no worker yet
	h := newGatedHandler(blockPolicy)
	m.Root().AddHandler(h)
	const n = 300
	for i := 0; i < n; i++ {
		logOK(t, l, fmt.Sprint(i))
	}
	if err := m.Close(wait); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	if got := len(h.got()); got != n {
		t.Fatalf("delivered by Close: got %d, want %d", got, n)
	}
	for _, x := range []*core.Logger{l, idle} {
		if st, err := x.Log(core.LevelInfo, []byte("late"), nil, -1); st != core.LogDropped || err != nil {
			t.Fatalf("%s after Close: got %v, %v, want LogDropped", x.Name(), st, err)
		}
		if got := x.Dropped(); got != 1 {
			t.Fatalf("%s Dropped: got %d, want 1", x.Name(), got)
		}
	}
	if got := m.Diagnostics().Count("logger app: shutting down"); got != 1 {
		t.Fatalf("reports: got %d, want 1", got)
	}
	if err := m.Close(wait); err != nil {
		t.Fatalf("second Close: got %v, want nil", err)
	}
}

// TestManagerCloseCoversLaterLoggers: a logger created after Close belongs
// to a closed manager too: its records are dropped, and it starts no
// worker that nothing would ever stop.
func TestManagerCloseCoversLaterLoggers(t *testing.T) {
	m := newManager(t)
	h := newGatedHandler(dropPolicy)
	m.Root().AddHandler(h)
	if err := m.Close(wait); err != nil {
		t.Fatal(err)
	}
	late := mustLogger(t, m, "late.child")
	if st, err := late.Log(core.LevelInfo, []byte("x"), nil, -1); st != core.LogDropped || err != nil {
		t.Fatalf("got %v, %v, want LogDropped", st, err)
	}
	if got := len(h.got()); got != 0 {
		t.Fatalf("delivered after Close: got %d, want 0", got)
	}
}

func TestManagerCloseIsBounded(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "stuck")
	h := newGatedHandler(dropPolicy)
	l.AddHandler(h)
	release := h.hold(t)
	logOK(t, l, "held")
	h.waitEntered(t)
	err := m.Close(20 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "stuck") {
		t.Fatalf("got %v, want an error naming the stuck logger", err)
	}
	release()
	if err := m.Close(wait); err != nil {
		t.Fatalf("Close after release: got %v, want nil", err)
	}
}

func recv[T any](t *testing.T, what string, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(wait):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}
