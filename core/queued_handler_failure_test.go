package core_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// Failures inside a handler's worker (formatter, write, flush, close) are
// counted and reported, never raised, and make the next Flush say false.

// failingFlushSink accepts writes into a buffer that its Flush then fails
// to write, like a stream whose descriptor broke.
type failingFlushSink struct{ coretest.MemorySink }

func (s *failingFlushSink) Flush() error { return coretest.ErrInjected }

func TestQueuedHandlerCountsRecordsLostToFlushFailure(t *testing.T) {
	var diag bytes.Buffer
	d := core.NewDiagnostics(&syncWriter{w: &diag}, time.Hour)
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "ff", Capacity: 8, Diagnostics: d}, core.TextFormatter{}, &failingFlushSink{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(wait)
	for i := 0; i < 3; i++ {
		if err := h.Handle(rec("x")); err != nil {
			t.Fatal(err)
		}
	}
	if h.Flush(wait) {
		t.Fatal("Flush: got true, want false")
	}
	if got, want := h.Failed()+h.Delivered(), uint64(3); got != want || h.Delivered() != 0 {
		t.Fatalf("Failed %d, Delivered %d: want 3 failed", h.Failed(), h.Delivered())
	}
	if got := d.Count("ff: error"); got == 0 {
		t.Fatal("flush failure not reported")
	}
}

type failingFormatter struct{ panics bool }

func (f failingFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	if string(rec.Message) == "bad" {
		if f.panics {
			panic("formatter exploded")
		}
		return dst, errors.New("cannot format")
	}
	return core.TextFormatter{}.Format(dst, rec)
}

func TestQueuedHandlerFormatterFailuresAreCounted(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panics=%v", panics), func(t *testing.T) {
			sink := coretest.NewMemorySink()
			d := core.NewDiagnostics(nil, time.Hour)
			h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "fmt", Capacity: 8, Diagnostics: d}, failingFormatter{panics}, sink)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close(wait)
			for _, m := range []string{"good", "bad", "good"} {
				if err := h.Handle(rec(m)); err != nil {
					t.Fatal(err)
				}
			}
			if h.Flush(wait) {
				t.Fatal("Flush: got true, want false")
			}
			if h.Failed() != 1 || h.Delivered() != 2 {
				t.Fatalf("Failed %d, Delivered %d: want 1 and 2", h.Failed(), h.Delivered())
			}
			if got := len(sink.Lines()); got != 2 {
				t.Fatalf("lines: got %d, want 2", got)
			}
			if got := d.Count("fmt: error"); got != 1 {
				t.Fatalf("reports: got %d, want 1", got)
			}
		})
	}
}

// brokenSink fails or panics in Flush and Close, as a buggy destination
// might: the worker must survive it, count it and still close.
type brokenSink struct {
	coretest.MemorySink
	panics bool
}

func (s *brokenSink) Flush() error {
	if s.panics {
		panic("flush exploded")
	}
	return coretest.ErrInjected
}

func (s *brokenSink) Close() error {
	if s.panics {
		panic("close exploded")
	}
	return coretest.ErrInjected
}

func TestQueuedHandlerSurvivesBrokenSink(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panics=%v", panics), func(t *testing.T) {
			d := core.NewDiagnostics(nil, time.Hour)
			h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "broken", Capacity: 8, Diagnostics: d}, core.TextFormatter{}, &brokenSink{panics: panics})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if err := h.Handle(rec("x")); err != nil {
					t.Fatal(err)
				}
			}
			if h.Flush(wait) {
				t.Fatal("Flush: got true, want false")
			}
			if err := h.Close(wait); err != nil {
				t.Fatalf("Close: got %v, want nil", err)
			}
			if h.Failed() != 2 || h.Delivered() != 0 {
				t.Fatalf("Failed %d, Delivered %d: want 2 and 0", h.Failed(), h.Delivered())
			}
			if got := d.Count("broken: close"); got != 1 {
				t.Fatalf("close failure reports: got %d, want 1", got)
			}
		})
	}
}

// TestQueuedHandlerCloseSummarizesWhatItLost: close prints one line with
// the handler's totals and reasons if it lost records, none otherwise.
func TestQueuedHandlerCloseSummarizesWhatItLost(t *testing.T) {
	var diag bytes.Buffer
	d := core.NewDiagnostics(&syncWriter{w: &diag}, time.Hour)
	lossy, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "ff", Capacity: 8, Diagnostics: d}, core.TextFormatter{}, &failingFlushSink{})
	if err != nil {
		t.Fatal(err)
	}
	clean, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "ok", Capacity: 8, Diagnostics: d}, core.TextFormatter{}, coretest.NewMemorySink())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := lossy.Handle(rec("x")); err != nil {
			t.Fatal(err)
		}
		if err := clean.Handle(rec("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := lossy.Close(wait); err != nil {
		t.Fatal(err)
	}
	if err := clean.Close(wait); err != nil {
		t.Fatal(err)
	}
	var summaries []string
	for _, line := range strings.Split(diag.String(), "\n") {
		if strings.Contains(line, ": in all: ") {
			summaries = append(summaries, line)
		}
	}
	want := fmt.Sprintf("femtologging: ff: in all: 3 failed (error: flush failed: %v)", coretest.ErrInjected)
	if len(summaries) != 1 || summaries[0] != want {
		t.Fatalf("got %q, want [%q]", summaries, want)
	}
}
