package core

import (
	"reflect"
	"testing"
)

func TestDescribeReportsEveryLoggerRootFirst(t *testing.T) {
	m := NewManager(ManagerOptions{})
	h1, h2 := newStub(1), newStub(2)
	f := NameFilter{Prefix: "app"}
	if err := m.Apply(ConfigPlan{Loggers: []LoggerPlan{
		{Name: RootName, Level: LevelError, Handlers: []Handler{h1}, Propagate: true},
		{Name: "app.db", Level: LevelDebug, Handlers: []Handler{h2, h1}, Filters: []Filter{f}, Propagate: false},
	}}); err != nil {
		t.Fatal(err)
	}
	got := m.Describe()
	want := []LoggerState{
		{Name: RootName, Level: LevelError, Propagate: true, Handlers: []Handler{h1}},
		{Name: "app", Level: LevelNotSet, Propagate: true},
		{Name: "app.db", Level: LevelDebug, Propagate: false, Handlers: []Handler{h2, h1}, Filters: []Filter{f}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	tests := []struct {
		state LoggerState
		want  bool
	}{
		{want[1], true},
		{want[0], false},
		{LoggerState{Name: "x", Propagate: false}, false},
		{LoggerState{Name: "x", Propagate: true, Filters: []Filter{f}}, false},
	}
	for _, tt := range tests {
		if got := tt.state.Default(); got != tt.want {
			t.Errorf("%+v.Default(): got %v, want %v", tt.state, got, tt.want)
		}
	}
}

func TestDescribeCopiesSoLaterChangesDoNotLeakIn(t *testing.T) {
	m := NewManager(ManagerOptions{})
	root := m.Root()
	root.AddHandler(newStub(1))
	states := m.Describe()
	root.AddHandler(newStub(2))
	if n := len(states[0].Handlers); n != 1 {
		t.Fatalf("got %d handlers in the earlier description, want 1", n)
	}
}
