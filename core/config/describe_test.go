package config

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"femtologging/core"
)

type nopHandler struct{}

func (nopHandler) Handle(*core.Record) error   { return nil }
func (nopHandler) Flush(time.Duration) bool    { return true }
func (nopHandler) Close(time.Duration) error   { return nil }
func (nopHandler) Policy() core.OverflowPolicy { return core.OverflowPolicy{} }
func (nopHandler) Allow(*core.Record) bool     { return true }
func handleOf(handles map[core.Handler]uint64) func(core.Handler) (uint64, bool) {
	return func(h core.Handler) (uint64, bool) { n, ok := handles[h]; return n, ok }
}

// TestDescribeRoundTrips applies a described manager's document to a
// fresh manager and checks that it describes the same.
func TestDescribeRoundTrips(t *testing.T) {
	h1, h2 := &nopHandler{}, &struct{ nopHandler }{}
	handles := map[core.Handler]uint64{h1: 7, h2: 9}
	src := core.NewManager(core.ManagerOptions{})
	if err := src.Apply(core.ConfigPlan{Loggers: []core.LoggerPlan{
		{Name: core.RootName, Level: core.LevelWarn, Handlers: []core.Handler{h1}, Propagate: true},
		{Name: "app.db", Level: core.LevelDebug, Handlers: []core.Handler{h2}, Propagate: false,
			Filters: []core.Filter{core.LevelFilter{MaxLevel: core.LevelInfo}, core.NameFilter{Prefix: "app."}}},
		{Name: "app.quiet", Level: core.LevelNotSet, Propagate: false},
	}}); err != nil {
		t.Fatal(err)
	}
	doc, err := Describe(src.Describe(), handleOf(handles))
	if err != nil {
		t.Fatal(err)
	}
	byHandle := map[uint64]core.Handler{7: h1, 9: h2}
	prepared, err := Prepare(DocEnv{Handler: func(h uint64) (core.Handler, error) {
		if x, ok := byHandle[h]; ok {
			return x, nil
		}
		return nil, errors.New("unknown")
	}}, doc)
	if err != nil {
		t.Fatalf("the description is not a valid document: %v\n%s", err, doc)
	}
	dst := core.NewManager(core.ManagerOptions{})
	if err := dst.Apply(prepared.Plan); err != nil {
		t.Fatal(err)
	}
	again, err := Describe(dst.Describe(), handleOf(handles))
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	_ = json.Unmarshal(doc, &a)
	_ = json.Unmarshal(again, &b)
	if string(mustJSON(t, a)) != string(mustJSON(t, b)) {
		t.Fatalf("got %s, want %s", again, doc)
	}
	if _, ok := a.(map[string]any)["loggers"].(map[string]any)["app"]; ok {
		t.Errorf("a logger in its default state was described: %s", doc)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type oddFilter struct{}

func (oddFilter) Allow(*core.Record) bool { return true }

func TestDescribeRefusesWhatTheSchemaCannotName(t *testing.T) {
	m := core.NewManager(core.ManagerOptions{})
	h := &nopHandler{}
	m.Root().AddHandler(h)
	if _, err := Describe(m.Describe(), handleOf(nil)); !errors.Is(err, ErrUndescribable) {
		t.Errorf("handler without a handle: got %v, want ErrUndescribable", err)
	}
	lg, _ := m.Logger("x")
	lg.SetFilters([]core.Filter{oddFilter{}})
	if _, err := Describe(m.Describe(), handleOf(map[core.Handler]uint64{h: 1})); !errors.Is(err, ErrUndescribable) {
		t.Errorf("unknown filter: got %v, want ErrUndescribable", err)
	}
}
