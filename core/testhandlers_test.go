package core_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// gatedHandler collects records as text lines, and can hold the logger
// worker inside Handle until released: the deterministic way to fill a
// logger queue. Its policy is what the logger sees, so it also stands for
// a block or timeout handler.
type gatedHandler struct {
	policy  core.OverflowPolicy
	entered chan struct{} // one signal each time Handle reaches a closed gate

	mu    sync.Mutex
	lines []string
	gate  chan struct{}
}

func newGatedHandler(policy core.OverflowPolicy) *gatedHandler {
	return &gatedHandler{policy: policy, entered: make(chan struct{}, 1)}
}

func (h *gatedHandler) Handle(rec *core.Record) error {
	line, _ := core.TextFormatter{}.Format(nil, rec)
	h.mu.Lock()
	h.lines = append(h.lines, strings.TrimSuffix(string(line), "\n"))
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

func (h *gatedHandler) Flush(time.Duration) bool  { return true }
func (h *gatedHandler) Close(time.Duration) error { return nil }
func (h *gatedHandler) Policy() core.OverflowPolicy {
	return h.policy
}

// hold makes the next Handle calls wait until release (idempotent, also
// run at cleanup so a failing test never leaves a worker stuck).
func (h *gatedHandler) hold(t *testing.T) (release func()) {
	gate := make(chan struct{})
	h.mu.Lock()
	h.gate = gate
	h.mu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			h.mu.Lock()
			h.gate = nil
			h.mu.Unlock()
			close(gate)
		})
	}
	t.Cleanup(release)
	return release
}

// waitEntered waits until the worker is held inside Handle.
func (h *gatedHandler) waitEntered(t *testing.T) {
	t.Helper()
	coretest.Recv(t, "the logger worker to enter the held handler", h.entered)
}

func (h *gatedHandler) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.lines...)
}

// newManager returns a manager reporting to a counting Diagnostics, closed
// at cleanup.
func newManager(t *testing.T) *core.Manager {
	t.Helper()
	m := core.NewManager(core.ManagerOptions{Diagnostics: core.NewDiagnostics(nil, time.Hour)})
	t.Cleanup(func() { _ = m.Close(wait) })
	return m
}

func mustLogger(t *testing.T, m *core.Manager, name string) *core.Logger {
	t.Helper()
	l, err := m.Logger(name)
	if err != nil {
		t.Fatalf("Logger(%q): %v", name, err)
	}
	return l
}

// logOK logs msg at INFO and fails unless it was queued.
func logOK(t *testing.T, l *core.Logger, msg string) {
	t.Helper()
	st, err := l.Log(core.LevelInfo, []byte(msg), nil, -1)
	if st != core.LogQueued || err != nil {
		t.Fatalf("Log(%q): got %v, %v, want LogQueued, nil", msg, st, err)
	}
}

func sync_(t *testing.T, m *core.Manager) {
	t.Helper()
	if !m.Sync(wait) {
		t.Fatal("Sync: got false, want true")
	}
}

var (
	dropPolicy  = core.OverflowPolicy{Kind: core.PolicyDrop}
	blockPolicy = core.OverflowPolicy{Kind: core.PolicyBlock}
)
