package core

import (
	"sync"
	"testing"
	"time"
)

// heldHandler records messages; while gate is set, Handle waits on it, so
// the logger worker can be held and its queue filled deterministically.
type heldHandler struct {
	mu      sync.Mutex
	got     []string
	gate    chan struct{}
	entered chan struct{}
}

func newHeldHandler(held bool) *heldHandler {
	h := &heldHandler{entered: make(chan struct{}, 1)}
	if held {
		h.gate = make(chan struct{})
	}
	return h
}

func (h *heldHandler) Handle(rec *Record) error {
	h.mu.Lock()
	h.got = append(h.got, string(rec.Message))
	gate := h.gate
	h.mu.Unlock()
	if gate != nil {
		select {
		case h.entered <- struct{}{}:
		default:
		}
		<-gate
	}
	return nil
}

func (h *heldHandler) Flush(time.Duration) bool  { return true }
func (h *heldHandler) Close(time.Duration) error { return nil }
func (h *heldHandler) Policy() OverflowPolicy    { return OverflowPolicy{Kind: PolicyBlock} }

func (h *heldHandler) messages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.got...)
}

// A producer that waits for room under the block policy may have read the
// logger's dispatch list before a configuration replaced it. Its record
// must go to the handlers current when it is queued: the replaced ones may
// be closed once the records queued before the swap were delivered.
func TestPushThatWaitedTakesTheCurrentDispatchList(t *testing.T) {
	m := NewManager(ManagerOptions{Diagnostics: NewDiagnostics(nil, time.Hour)})
	t.Cleanup(func() { _ = m.Close(5 * time.Second) })
	old, current := newHeldHandler(true), newHeldHandler(false)
	release := sync.OnceFunc(func() { close(old.gate) })
	t.Cleanup(release)
	configure := func(h Handler) {
		t.Helper()
		err := m.Apply(ConfigPlan{Loggers: []LoggerPlan{
			{Name: RootName},
			{Name: "app", Handlers: []Handler{h}, Propagate: true},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	configure(old)
	l, err := m.Logger("app")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Log(LevelInfo, []byte("park"), nil, -1); err != nil {
		t.Fatal(err)
	}
	select {
	case <-old.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker never reached the held handler")
	}
	for {
		if _, err := l.TryLog(LevelInfo, []byte("fill"), nil); err == ErrWouldBlock {
			break
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.Log(LevelInfo, []byte("late"), nil, -1)
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		l.q.mu.Lock()
		waiting := l.q.spaceWaiters > 0
		l.q.mu.Unlock()
		if waiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the producer never waited for room")
		}
		time.Sleep(time.Millisecond) // poll interval, not synchronisation
	}
	configure(current)
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Log: got %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting producer never got room")
	}
	if !m.Sync(10 * time.Second) {
		t.Fatal("Sync: got false, want true")
	}
	if got := current.messages(); len(got) != 1 || got[0] != "late" {
		t.Errorf("current handler: got %q, want [\"late\"]", got)
	}
	for _, msg := range old.messages() {
		if msg == "late" {
			t.Error("the record queued after the swap reached the replaced handler")
		}
	}
}
