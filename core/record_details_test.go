package core_test

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// recordingHandler keeps deep copies of the records it receives and can
// claim to use the caller fields.
type recordingHandler struct {
	caller bool
	mu     sync.Mutex
	recs   []core.Record
}

func (h *recordingHandler) Handle(rec *core.Record) error {
	var c core.Record
	c.CopyFrom(rec)
	h.mu.Lock()
	h.recs = append(h.recs, c)
	h.mu.Unlock()
	return nil
}
func (h *recordingHandler) Flush(time.Duration) bool    { return true }
func (h *recordingHandler) Close(time.Duration) error   { return nil }
func (h *recordingHandler) Policy() core.OverflowPolicy { return dropPolicy }
func (h *recordingHandler) WantsCaller() bool           { return h.caller }

func (h *recordingHandler) all() []core.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]core.Record(nil), h.recs...)
}

func TestLogExCarriesDetailsAndPlainRecordsReusingTheSlotHaveNone(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "rich")
	h := &recordingHandler{}
	l.AddHandler(h)
	d := &core.RecordDetails{
		TimeNs: 1234, HasCaller: true, Pathname: "/src/app.py", Filename: "app.py", Module: "app",
		FuncName: "main", LineNumber: 42, ExcText: []byte("Traceback ..."), StackText: []byte("Stack ..."),
		KeyValues: []core.KeyValue{core.StringValue("user", "ann"), core.IntValue("n", -3),
			core.FloatValue("f", 0.5), core.BoolValue("ok", true), core.NoneValue("none")},
	}
	if st, err := l.LogEx(core.LevelError, []byte("boom"), nil, d, -1); st != core.LogQueued || err != nil {
		t.Fatalf("LogEx: got %v, %v", st, err)
	}
	d.ExcText[0] = 'X' // the logger copied it
	// Enough plain records to land in the same slot again, waiting for the
	// worker every quarter queue so that the drop policy never drops one,
	// however late the worker is scheduled.
	for i := 0; i < core.LoggerQueueCapacity; i++ {
		if i%(core.LoggerQueueCapacity/4) == 0 {
			sync_(t, m)
		}
		logOK(t, l, "plain")
	}
	sync_(t, m)
	recs := h.all()
	first := recs[0]
	if !first.HasCaller || first.Pathname != "/src/app.py" || first.Filename != "app.py" ||
		first.ModulePath != "app" || first.FuncName != "main" || first.LineNumber != 42 || first.TimeNs != 1234 {
		t.Errorf("caller fields: got %+v", first)
	}
	if string(first.ExcText) != "Traceback ..." || string(first.StackText) != "Stack ..." {
		t.Errorf("got exc %q stack %q", first.ExcText, first.StackText)
	}
	if len(first.KeyValues) != 5 || first.KeyValues[1].Int != -3 || !first.KeyValues[3].Bool() {
		t.Errorf("got key-values %+v", first.KeyValues)
	}
	last := recs[len(recs)-1]
	if last.HasCaller || last.Pathname != "" || len(last.ExcText) != 0 || len(last.KeyValues) != 0 {
		t.Errorf("a plain record reusing the slot kept details: %+v", last)
	}
}

func TestTryLogAsksForTheCallerOnlyWhenAHandlerWantsIt(t *testing.T) {
	m := newManager(t)
	l := mustLogger(t, m, "callers")
	plain := &recordingHandler{}
	l.AddHandler(plain)
	if _, err := l.TryLog(core.LevelInfo, []byte("m"), nil); err != nil {
		t.Fatalf("no handler wants a caller: got %v", err)
	}
	wanting := &recordingHandler{caller: true}
	m.Root().AddHandler(wanting) // reachable through propagation
	if !l.WantsCaller() {
		t.Fatal("WantsCaller: got false, want true")
	}
	if _, err := l.TryLog(core.LevelInfo, []byte("m"), nil); !errors.Is(err, core.ErrNeedCaller) {
		t.Fatalf("TryLog: got %v, want ErrNeedCaller", err)
	}
	if _, err := l.TryLogEx(core.LevelInfo, []byte("m"), nil, &core.RecordDetails{HasCaller: true}); err != nil {
		t.Fatalf("TryLogEx with a caller: got %v", err)
	}
	// Log never asks: C callers without a caller still log.
	if st, err := l.Log(core.LevelInfo, []byte("m"), nil, -1); st != core.LogQueued || err != nil {
		t.Fatalf("Log: got %v, %v", st, err)
	}
	l.SetPropagate(false)
	if l.WantsCaller() {
		t.Fatal("WantsCaller after propagation stopped: got true, want false")
	}
}

func TestQueuedHandlerLevelSkipsLowerRecords(t *testing.T) {
	s := coretest.NewMemorySink()
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "lvl", Capacity: 8, Level: core.LevelWarn,
		Diagnostics: core.NewDiagnostics(nil, time.Hour)}, core.TextFormatter{}, s)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(wait)
	for _, lv := range []core.Level{core.LevelInfo, core.LevelWarn, core.LevelError} {
		rec := core.Record{Logger: "x", Level: lv, Message: []byte("m")}
		_ = h.Handle(&rec)
	}
	h.HandleBatch([]*core.Record{{Logger: "x", Level: core.LevelDebug, Message: []byte("b")}})
	if !h.Flush(wait) {
		t.Fatal("flush failed")
	}
	if got, want := strings.Join(s.Lines(), "|"), "x [WARN] m|x [ERROR] m"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if h.Dropped() != 0 {
		t.Fatalf("skipped records counted as dropped: %d", h.Dropped())
	}
}

func TestKeyValueTextIsPythonStr(t *testing.T) {
	tests := []struct {
		kv   core.KeyValue
		want string
	}{
		{core.StringValue("k", "v"), "v"},
		{core.IntValue("k", -12), "-12"},
		{core.BoolValue("k", true), "True"},
		{core.BoolValue("k", false), "False"},
		{core.NoneValue("k"), "None"},
		{core.FloatValue("k", 1), "1.0"},
		{core.FloatValue("k", 0.1), "0.1"},
		{core.FloatValue("k", 1e16), "1e+16"},
		{core.FloatValue("k", 1e15), "1000000000000000.0"},
		{core.FloatValue("k", 123456789.125), "123456789.125"},
		{core.FloatValue("k", 0.0001), "0.0001"},
		{core.FloatValue("k", 0.00001), "1e-05"},
		{core.FloatValue("k", -2.5e-7), "-2.5e-07"},
		{core.FloatValue("k", 1.7976931348623157e308), "1.7976931348623157e+308"},
		{core.FloatValue("k", math.Inf(-1)), "-inf"},
		{core.FloatValue("k", math.NaN()), "nan"},
		{core.FloatValue("k", math.Copysign(0, -1)), "-0.0"},
	}
	for _, tt := range tests {
		if got := tt.kv.Text(); got != tt.want {
			t.Errorf("Text(%+v): got %q, want %q", tt.kv, got, tt.want)
		}
	}
}
