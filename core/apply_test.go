package core

import (
	"errors"
	"io"
	"testing"
	"time"
)

// stubHandler is a handler that does nothing; tests compare identities.
type stubHandler struct{ id int }

func (*stubHandler) Handle(*Record) error      { return nil }
func (*stubHandler) Flush(time.Duration) bool  { return true }
func (*stubHandler) Close(time.Duration) error { return nil }
func (*stubHandler) Policy() OverflowPolicy    { return OverflowPolicy{} }
func newStub(id int) *stubHandler              { return &stubHandler{id: id} }
func handlersOf(t *testing.T, m *Manager, name string) []Handler {
	t.Helper()
	l, err := m.Logger(name)
	if err != nil {
		t.Fatal(err)
	}
	return l.Handlers()
}

func TestApplySetsLevelsHandlersFiltersPropagate(t *testing.T) {
	m := NewManager(ManagerOptions{})
	h1, h2 := newStub(1), newStub(2)
	f := LevelFilter{MaxLevel: LevelInfo}
	err := m.Apply(ConfigPlan{Loggers: []LoggerPlan{
		{Name: RootName, Level: LevelWarn, Handlers: []Handler{h1}, Propagate: true},
		{Name: "app.db", Level: LevelDebug, Handlers: []Handler{h2}, Filters: []Filter{f}, Propagate: false},
	}})
	if err != nil {
		t.Fatal(err)
	}
	db, _ := m.Lookup("app.db")
	app, _ := m.Lookup("app")
	tests := []struct {
		name      string
		got, want any
	}{
		{"root level", m.Root().Level(), LevelWarn},
		{"db level", db.Level(), LevelDebug},
		{"app inherits", app.EffectiveLevel(), LevelWarn},
		{"db propagate", db.Propagate(), false},
		{"db handlers", len(db.Handlers()), 1},
		{"db dispatch excludes root (no propagation)", len(db.targets.Load().handlers), 1},
		{"app dispatch is root's", len(app.targets.Load().handlers), 1},
		{"db filters", len(*db.filters.Load()), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestApplyRootWithoutLevelKeepsLevel(t *testing.T) {
	m := NewManager(ManagerOptions{})
	if err := m.Root().SetLevel(LevelError); err != nil {
		t.Fatal(err)
	}
	if err := m.Apply(ConfigPlan{Loggers: []LoggerPlan{{Name: RootName}}}); err != nil {
		t.Fatal(err)
	}
	if got := m.Root().Level(); got != LevelError {
		t.Errorf("got %v, want %v", got, LevelError)
	}
}

func TestApplyDisableExistingKeepsAncestors(t *testing.T) {
	tests := []struct {
		name    string
		disable bool
		logger  string
		want    int
	}{
		{"unrelated cleared", true, "other", 0},
		{"ancestor kept", true, "a", 1},
		{"unrelated kept without disable", false, "other", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManager(ManagerOptions{})
			for _, n := range []string{"other", "a"} {
				l, _ := m.Logger(n)
				l.AddHandler(newStub(0))
				l.SetFilters([]Filter{NameFilter{Prefix: "x"}})
			}
			err := m.Apply(ConfigPlan{DisableExisting: tt.disable, Loggers: []LoggerPlan{
				{Name: RootName}, {Name: "a.b", Propagate: true},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(handlersOf(t, m, tt.logger)); got != tt.want {
				t.Errorf("handlers: got %d, want %d", got, tt.want)
			}
			l, _ := m.Lookup(tt.logger)
			if got := l.filters.Load() != nil; got != (tt.want == 1) {
				t.Errorf("filters kept: got %v, want %v", got, tt.want == 1)
			}
		})
	}
}

func TestApplyInvalidChangesNothing(t *testing.T) {
	tests := []struct {
		name string
		plan ConfigPlan
		want error
	}{
		{"bad name", ConfigPlan{Loggers: []LoggerPlan{{Name: RootName, Level: LevelDebug}, {Name: "a..b"}}}, ErrInvalidName},
		{"bad level", ConfigPlan{Loggers: []LoggerPlan{{Name: RootName, Level: LevelDebug}, {Name: "a", Level: 7}}}, ErrInvalidLevel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManager(ManagerOptions{})
			err := m.Apply(tt.plan)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if got := m.Root().Level(); got != LevelInfo {
				t.Errorf("root level: got %v, want %v", got, LevelInfo)
			}
			if got := len(m.Loggers()); got != 1 {
				t.Errorf("loggers: got %d, want 1", got)
			}
		})
	}
}

func TestAttachedHandlers(t *testing.T) {
	m := NewManager(ManagerOptions{})
	h := newStub(1)
	l, _ := m.Logger("x")
	l.AddHandler(h)
	if got := m.AttachedHandlers(); !got[h] || len(got) != 1 {
		t.Errorf("got %v, want only %v", got, h)
	}
}

// TestApplyWhileLogging runs Apply against concurrent logging, for the
// race detector: a record sees the old configuration or the new one.
func TestApplyWhileLogging(t *testing.T) {
	m := NewManager(ManagerOptions{Diagnostics: NewDiagnostics(io.Discard, time.Hour)})
	l, _ := m.Logger("app.db")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 2000; i++ {
			_, _ = l.Log(LevelError, []byte("x"), nil, time.Millisecond)
		}
	}()
	for i := 0; i < 50; i++ {
		err := m.Apply(ConfigPlan{Loggers: []LoggerPlan{
			{Name: RootName, Level: LevelDebug, Handlers: []Handler{newStub(i)}},
			{Name: "app", Filters: []Filter{NameFilter{Prefix: "app"}}, Propagate: i%2 == 0},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	<-done
	if err := m.Close(time.Second); err != nil {
		t.Errorf("got %v, want nil", err)
	}
}
