package core_test

import (
	"errors"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

func newTestHandler(t *testing.T, policy core.OverflowPolicy, capacity int) (*core.QueuedHandler, *coretest.MemorySink) {
	t.Helper()
	sink := coretest.NewMemorySink()
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "runtime", Capacity: capacity, Policy: policy}, core.TextFormatter{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(wait) })
	return h, sink
}

func TestRuntimeAttachRefusesAClosedHandler(t *testing.T) {
	rt := core.NewRuntime(core.RuntimeOptions{})
	h, _ := newTestHandler(t, core.OverflowPolicy{}, 8)
	e, _ := rt.Handler(rt.Register(h, "memory", time.Second))
	if err := h.Close(wait); err != nil {
		t.Fatal(err)
	}
	if err := rt.Attach(rt.Manager().Root(), e); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("got %v, want ErrClosed", err)
	}
	if got := len(rt.Manager().Root().Handlers()); got != 0 {
		t.Fatalf("root has %d handlers, want 0", got)
	}
}

func TestRuntimeShutdownClosesEverythingOnce(t *testing.T) {
	rt := core.NewRuntime(core.RuntimeOptions{})
	h, sink := newTestHandler(t, blockPolicy, 64)
	e, _ := rt.Handler(rt.Register(h, "memory", time.Second))
	if err := rt.Attach(rt.Manager().Root(), e); err != nil {
		t.Fatal(err)
	}
	logOK(t, rt.Manager().Root(), "before")
	stopped := 0
	stop := func(time.Duration) bool { stopped++; return true }
	if err := rt.Shutdown(wait, stop); err != nil {
		t.Fatal(err)
	}
	if err := rt.Shutdown(wait, stop); err != nil || stopped != 1 {
		t.Fatalf("second shutdown: got %v with callbacks stopped %d times, want nil and once", err, stopped)
	}
	if !rt.IsShutDown() || !h.Closed() || !sink.Closed() {
		t.Fatalf("after shutdown: runtime %v, handler closed %v, sink closed %v", rt.IsShutDown(), h.Closed(), sink.Closed())
	}
	if got := sink.Lines(); len(got) != 1 || got[0] != "root [INFO] before" {
		t.Fatalf("lines: got %q", got)
	}
	if err := rt.Configure(nil); !errors.Is(err, core.ErrShutDown) {
		t.Fatalf("configure after shutdown: got %v, want ErrShutDown", err)
	}
}

func TestRuntimeConfigureFailureChangesNothing(t *testing.T) {
	rt := core.NewRuntime(core.RuntimeOptions{})
	boom := errors.New("boom")
	if err := rt.Configure(func(func(uint64) (core.Handler, error)) (*core.Configuration, error) { return nil, boom }); err != boom {
		t.Fatalf("got %v, want boom", err)
	}
	h, _ := newTestHandler(t, core.OverflowPolicy{}, 8)
	discarded := false
	bad := func(func(uint64) (core.Handler, error)) (*core.Configuration, error) {
		return &core.Configuration{
			Plan:    core.ConfigPlan{Loggers: []core.LoggerPlan{{Name: "bad..name", Handlers: []core.Handler{h}}}},
			Built:   map[string]core.HandlerEntry{"h": {Handler: h, Kind: "memory"}},
			Discard: func() { discarded = true },
		}, nil
	}
	if err := rt.Configure(bad); !errors.Is(err, core.ErrInvalidName) || !discarded {
		t.Fatalf("got %v (discarded %v), want ErrInvalidName and the built handlers discarded", err, discarded)
	}
	if _, ok := rt.ConfiguredHandler("h"); ok {
		t.Fatal("a failed configuration registered its handler")
	}
}

func TestRuntimeConfigureRetiresWhatTheLastOneBuilt(t *testing.T) {
	rt := core.NewRuntime(core.RuntimeOptions{})
	configure := func(h core.Handler, mine core.Handler) {
		t.Helper()
		err := rt.Configure(func(lookup func(uint64) (core.Handler, error)) (*core.Configuration, error) {
			return &core.Configuration{
				Plan:  core.ConfigPlan{Loggers: []core.LoggerPlan{{Name: core.RootName, Handlers: []core.Handler{h, mine}}}},
				Built: map[string]core.HandlerEntry{"h": {Handler: h, Kind: "memory"}},
			}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	mine, _ := newTestHandler(t, core.OverflowPolicy{}, 8) // created by the caller, never retired
	first, _ := newTestHandler(t, core.OverflowPolicy{}, 8)
	second, _ := newTestHandler(t, core.OverflowPolicy{}, 8)
	configure(first, mine)
	id1, _ := rt.ConfiguredHandler("h")
	configure(second, mine)
	id2, _ := rt.ConfiguredHandler("h")
	if e, _ := rt.Handler(id2); id1 == id2 || e.Handler != second {
		t.Fatalf("ids %d then %d: the second configuration's handler should be registered anew", id1, id2)
	}
	coretest.Eventually(t, "the first configuration's handler to close", first.Closed)
	if second.Closed() || mine.Closed() {
		t.Fatal("a handler still in use was closed")
	}
}

func TestOfferInSlicesRetriesOnlyUnderBlock(t *testing.T) {
	blocking, sink := newTestHandler(t, blockPolicy, 1)
	release := sink.Block()
	defer release()
	rec := &core.Record{Logger: "x", Level: core.LevelInfo, Message: []byte("m")}
	// The worker takes the first record and blocks in the sink; the second
	// fills the queue; the third finds no room within its slice.
	deadline := time.Now().Add(wait)
	var err error
	for time.Now().Before(deadline) {
		if err = core.OfferInSlices(blocking, rec, time.Millisecond); errors.Is(err, core.ErrRetry) {
			break
		}
	}
	if !errors.Is(err, core.ErrRetry) {
		t.Fatalf("got %v, want ErrRetry", err)
	}
	if blocking.Dropped() != 0 {
		t.Fatalf("dropped %d, want 0: a retry loses nothing", blocking.Dropped())
	}
}

func TestRuntimeHandlesOfMapsALoggersHandlersBackInOrder(t *testing.T) {
	rt := core.NewRuntime(core.RuntimeOptions{})
	a, _ := newTestHandler(t, core.OverflowPolicy{}, 8)
	b, _ := newTestHandler(t, core.OverflowPolicy{}, 8)
	unregistered, _ := newTestHandler(t, core.OverflowPolicy{}, 8)
	idA, idB := rt.Register(a, "memory", time.Second), rt.Register(b, "memory", time.Second)
	root := rt.Manager().Root()
	for _, h := range []core.Handler{b, a, unregistered, b} {
		root.AddHandler(h)
	}
	got := rt.HandlesOf(root.Handlers())
	want := []uint64{idB, idA, idB}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("got handles %v, want %v (the unregistered handler left out)", got, want)
	}
	if got := rt.HandlesOf(nil); len(got) != 0 {
		t.Fatalf("no handlers: got %v", got)
	}
}
