package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"femtologging/core"
)

func TestManagerCreatesParentsUpToRoot(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "a.b.c")
	var chain []string
	for p := l; p != nil; p = p.Parent() {
		chain = append(chain, p.Name())
	}
	if want := []string{"a.b.c", "a.b", "a", "root"}; !slices.Equal(chain, want) {
		t.Fatalf("got %v, want %v", chain, want)
	}
	for _, name := range []string{"a", "a.b"} {
		if got, ok := m.Lookup(name); !ok || got.Name() != name {
			t.Fatalf("Lookup(%q): got %v, %v", name, got, ok)
		}
	}
	if m.Root().Parent() != nil || m.Root().Name() != core.RootName {
		t.Fatal("root must be named root and have no parent")
	}
	if got := mustLogger(t, m, "root"); got != m.Root() {
		t.Fatal(`Logger("root") is not the root`)
	}
	var names []string
	for _, x := range m.Loggers() {
		names = append(names, x.Name())
	}
	if want := []string{"a", "a.b", "a.b.c", "root"}; !slices.Equal(names, want) {
		t.Fatalf("Loggers: got %v, want %v", names, want)
	}
}

func TestManagerOneLoggerPerName(t *testing.T) {
	m := newManager(t)
	const goroutines = 8
	got := make([]*core.Logger, goroutines)
	var wg sync.WaitGroup
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g], _ = m.Logger("svc.db")
		}()
	}
	wg.Wait()
	for g := range got {
		if got[g] == nil || got[g] != got[0] {
			t.Fatalf("goroutine %d got a different logger", g)
		}
	}
	if mustLogger(t, m, "svc").Parent() != m.Root() || got[0].Parent() != mustLogger(t, m, "svc") {
		t.Fatal("parents not shared")
	}
}

func TestManagerRejectsInvalidNames(t *testing.T) {
	for _, name := range []string{"", ".a", "a.", "a..b", "."} {
		t.Run(name, func(t *testing.T) {
			m := newManager(t)
			l, err := m.Logger(name)
			if !errors.Is(err, core.ErrInvalidName) || l != nil {
				t.Fatalf("got %v, %v, want ErrInvalidName", l, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) {
				t.Fatalf("got %q, want it to quote the name", err)
			}
			if got := len(m.Loggers()); got != 1 {
				t.Fatalf("loggers after a bad name: got %d, want 1 (root)", got)
			}
		})
	}
}

func TestLoggerLevels(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]core.Level // own levels, applied in sorted order
		want map[string]core.Level // effective levels
	}{
		{"root INFO by default", nil,
			map[string]core.Level{"root": core.LevelInfo, "a": core.LevelInfo, "a.b.c": core.LevelInfo}},
		{"own level", map[string]core.Level{"a.b.c": core.LevelError},
			map[string]core.Level{"a.b.c": core.LevelError, "a.b": core.LevelInfo}},
		{"nearest ancestor", map[string]core.Level{"a": core.LevelDebug, "a.b": core.LevelWarn},
			map[string]core.Level{"a.b.c": core.LevelWarn, "a": core.LevelDebug, "x": core.LevelInfo}},
		{"root change reaches descendants", map[string]core.Level{"root": core.LevelTrace},
			map[string]core.Level{"a.b.c": core.LevelTrace}},
		{"unset inherits again", map[string]core.Level{"a": core.LevelError, "b.c": core.LevelNotSet},
			map[string]core.Level{"a.b": core.LevelError, "b.c": core.LevelInfo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t)
			for _, name := range []string{"a.b.c", "b.c", "x"} {
				mustLogger(t, m, name)
			}
			keys := make([]string, 0, len(tt.set))
			for k := range tt.set {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if err := mustLogger(t, m, k).SetLevel(tt.set[k]); err != nil {
					t.Fatalf("SetLevel(%s, %v): %v", k, tt.set[k], err)
				}
			}
			for name, want := range tt.want {
				if got := mustLogger(t, m, name).EffectiveLevel(); got != want {
					t.Fatalf("%s: got %v, want %v", name, got, want)
				}
			}
		})
	}
}

func TestLoggerLevelOfNewChildFollowsParent(t *testing.T) {
	m := newManager(t)
	if err := mustLogger(t, m, "a").SetLevel(core.LevelError); err != nil {
		t.Fatal(err)
	}
	l := mustLogger(t, m, "a.new")
	if got := l.EffectiveLevel(); got != core.LevelError {
		t.Fatalf("got %v, want ERROR", got)
	}
	if got := l.Level(); got != core.LevelNotSet {
		t.Fatalf("own level: got %v, want NOTSET", got)
	}
}

func TestSetLevelRejects(t *testing.T) {
	m := newManager(t)
	if err := m.Root().SetLevel(core.LevelNotSet); !errors.Is(err, core.ErrRootLevel) {
		t.Fatalf("unset root: got %v, want ErrRootLevel", err)
	}
	if got := m.Root().EffectiveLevel(); got != core.LevelInfo {
		t.Fatalf("root after refused unset: got %v, want INFO", got)
	}
	for _, bad := range []core.Level{7, -1, 60} {
		if err := mustLogger(t, m, "a").SetLevel(bad); !errors.Is(err, core.ErrInvalidLevel) {
			t.Fatalf("SetLevel(%d): got %v, want ErrInvalidLevel", bad, err)
		}
	}
}

func TestLogFiltersBelowEffectiveLevel(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app")
	h := newGatedHandler(dropPolicy)
	l.AddHandler(h)
	for _, lv := range []core.Level{core.LevelTrace, core.LevelDebug} {
		if st, err := l.Log(lv, []byte("quiet"), nil, -1); st != core.LogFiltered || err != nil {
			t.Fatalf("Log at %v: got %v, %v, want LogFiltered", lv, st, err)
		}
	}
	for _, lv := range []core.Level{core.LevelInfo, core.LevelCritical} {
		if st, err := l.Log(lv, []byte("loud"), nil, -1); st != core.LogQueued || err != nil {
			t.Fatalf("Log at %v: got %v, %v, want LogQueued", lv, st, err)
		}
	}
	sync_(t, m)
	if got, want := h.got(), []string{"app [INFO] loud", "app [CRITICAL] loud"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestRecordReachesEachAncestorOnce checks propagation: a record goes to
// the handlers of its logger and of every ancestor, once each, until a
// logger with propagate off.
func TestRecordReachesEachAncestorOnce(t *testing.T) {
	tests := []struct {
		name      string
		logOn     string
		noPropate string // logger with propagate off, if any
		want      map[string]int
	}{
		{"deep logger", "a.b.c", "", map[string]int{"root": 1, "a": 1, "a.b": 1}},
		{"middle logger", "a", "", map[string]int{"root": 1, "a": 1, "a.b": 0}},
		{"root", "root", "", map[string]int{"root": 1, "a": 0, "a.b": 0}},
		{"stopped at a.b", "a.b.c", "a.b", map[string]int{"root": 0, "a": 0, "a.b": 1}},
		{"stopped at the logger itself", "a.b", "a.b", map[string]int{"root": 0, "a": 0, "a.b": 1}},
		{"stopped below", "a", "a.b", map[string]int{"root": 1, "a": 1, "a.b": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t)
			mustLogger(t, m, "a.b.c")
			handlers := map[string]*gatedHandler{}
			for name := range tt.want {
				handlers[name] = newGatedHandler(dropPolicy)
				mustLogger(t, m, name).AddHandler(handlers[name])
			}
			if tt.noPropate != "" {
				l := mustLogger(t, m, tt.noPropate)
				l.SetPropagate(false)
				if l.Propagate() {
					t.Fatal("Propagate: got true after SetPropagate(false)")
				}
			}
			logOK(t, mustLogger(t, m, tt.logOn), "hello")
			sync_(t, m)
			for name, want := range tt.want {
				if got := len(handlers[name].got()); got != want {
					t.Fatalf("handler on %s: got %d records, want %d", name, got, want)
				}
			}
		})
	}
}

func TestSetPropagateBackOn(t *testing.T) {
	m := newManager(t)
	root := newGatedHandler(dropPolicy)
	m.Root().AddHandler(root)
	l := mustLogger(t, m, "app")
	if !l.Propagate() {
		t.Fatal("Propagate: got false by default, want true")
	}
	l.SetPropagate(false)
	logOK(t, l, "hidden")
	l.SetPropagate(true)
	logOK(t, l, "seen")
	sync_(t, m)
	if got, want := root.got(), []string{"app [INFO] seen"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestRecordFields(t *testing.T) {
	m := core.NewManager(core.ManagerOptions{Now: func() int64 { return 1234 }})
	t.Cleanup(func() { m.Close(wait) })
	got := make(chan core.Record, 1)
	h := core.NewCallbackHandler("fields", func(rec *core.Record) error {
		var c core.Record
		c.CopyFrom(rec)
		got <- c
		return nil
	}, nil)
	l := mustLogger(t, m, "svc")
	l.AddHandler(h)
	msg := []byte("payload")
	if st, err := l.Log(core.LevelWarn, msg, &core.ThreadInfo{ID: 42, Name: "worker-1"}, -1); st != core.LogQueued || err != nil {
		t.Fatalf("got %v, %v", st, err)
	}
	copy(msg, "XXXXXXX") // the caller's buffer is its own again
	r := <-got
	if r.Logger != "svc" || r.Level != core.LevelWarn || string(r.Message) != "payload" ||
		r.TimeNs != 1234 || r.ThreadID != 42 || r.ThreadName != "worker-1" {
		t.Fatalf("got %+v", r)
	}
}

// recordingFilter notes its name on every call, so the test sees the order.
type recordingFilter struct {
	name  string
	allow bool
	calls *[]string
}

func (f recordingFilter) Allow(*core.Record) bool {
	*f.calls = append(*f.calls, f.name)
	return f.allow
}

func TestFiltersRunInOrder(t *testing.T) {
	tests := []struct {
		name      string
		allow     []bool
		wantCalls []string
		want      core.LogStatus
	}{
		{"all pass", []bool{true, true, true}, []string{"f0", "f1", "f2"}, core.LogQueued},
		{"second rejects", []bool{true, false, true}, []string{"f0", "f1"}, core.LogFiltered},
		{"first rejects", []bool{false, true}, []string{"f0"}, core.LogFiltered},
		{"no filters", nil, nil, core.LogQueued},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t)
			l := mustLogger(t, m, "app")
			h := newGatedHandler(dropPolicy)
			l.AddHandler(h)
			var calls []string
			var filters []core.Filter
			for i, a := range tt.allow {
				filters = append(filters, recordingFilter{fmt.Sprintf("f%d", i), a, &calls})
			}
			l.SetFilters(filters)
			if st, _ := l.Log(core.LevelInfo, []byte("x"), nil, -1); st != tt.want {
				t.Fatalf("got %v, want %v", st, tt.want)
			}
			if !slices.Equal(calls, tt.wantCalls) {
				t.Fatalf("calls: got %v, want %v", calls, tt.wantCalls)
			}
			sync_(t, m)
			if got, want := len(h.got()), map[core.LogStatus]int{core.LogQueued: 1}[tt.want]; got != want {
				t.Fatalf("records delivered: got %d, want %d", got, want)
			}
		})
	}
}

// TestLevelAndNameFiltersOnALogger: filters see the logger's name and the
// record's level, and apply only to records logged on that logger.
func TestLevelAndNameFiltersOnALogger(t *testing.T) {
	m := newManager(t)
	h := newGatedHandler(dropPolicy)
	m.Root().AddHandler(h)
	app := mustLogger(t, m, "app")
	app.SetFilters([]core.Filter{core.LevelFilter{MaxLevel: core.LevelWarn}, core.NameFilter{Prefix: "app"}})
	child := mustLogger(t, m, "app.db")
	for _, l := range []*core.Logger{app, child} {
		for _, lv := range []core.Level{core.LevelInfo, core.LevelError} {
			l.Log(lv, []byte("m"), nil, -1)
		}
	}
	sync_(t, m)
	// Two loggers, two workers: only each logger's own order is defined.
	want := []string{"app [INFO] m", "app.db [ERROR] m", "app.db [INFO] m"}
	got := h.got()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// panickingHandler stands for a custom Handler that breaks the rule and
// panics.
type panickingHandler struct{ gatedHandler }

func (h *panickingHandler) Handle(*core.Record) error { panic("handler bug") }

// TestPanickingHandlerDoesNotStarveOthers: one handler's panic is reported
// and must not keep the record from the other handlers, nor stop the
// worker.
func TestPanickingHandlerDoesNotStarveOthers(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "app")
	good := newGatedHandler(dropPolicy)
	l.AddHandler(&panickingHandler{})
	l.AddHandler(good)
	logOK(t, l, "one")
	logOK(t, l, "two")
	sync_(t, m)
	if got, want := good.got(), []string{"app [INFO] one", "app [INFO] two"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := m.Diagnostics().Count("logger app: handler panic"); got != 2 {
		t.Fatalf("panic reports: got %d, want 2", got)
	}
}
