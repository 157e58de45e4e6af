package core_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"femtologging/core"
)

// TestCallbackHandlerFailuresAreCountedNeverRaised: an error or a panic in
// the callback becomes a count and a diagnostic, never a panic in the
// logger worker.
func TestCallbackHandlerFailuresAreCountedNeverRaised(t *testing.T) {
	tests := []struct {
		name    string
		fn      func(*core.Record) error
		wantErr string
		failed  uint64
	}{
		{"success", func(*core.Record) error { return nil }, "", 0},
		{"error", func(*core.Record) error { return errors.New("handler said no") }, "handler said no", 1},
		{"panic", func(*core.Record) error { panic("handler exploded") }, "panic: handler exploded", 1},
		{"panic with error", func(*core.Record) error { panic(errors.New("boom")) }, "panic: boom", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := core.NewDiagnostics(nil, time.Hour)
			h := core.NewCallbackHandler("cb", tt.fn, d)
			err := h.Handle(rec("x"))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
			if got := h.Failed(); got != tt.failed {
				t.Fatalf("Failed: got %d, want %d", got, tt.failed)
			}
			if got := h.Delivered(); got != 1-tt.failed {
				t.Fatalf("Delivered: got %d, want %d", got, 1-tt.failed)
			}
			if got := d.Count("cb: error"); got != tt.failed {
				t.Fatalf("reports: got %d, want %d", got, tt.failed)
			}
		})
	}
}

func TestCallbackHandlerAfterClose(t *testing.T) {
	calls := 0
	h := core.NewCallbackHandler("cb", func(*core.Record) error { calls++; return nil }, nil)
	if got := h.Policy(); got.Kind != core.PolicyDrop {
		t.Fatalf("Policy: got %v, want drop", got)
	}
	if err := h.Close(0); err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(rec("late")); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("got %v, want ErrClosed", err)
	}
	if calls != 0 || h.Dropped() != 1 {
		t.Fatalf("calls %d, Dropped %d: want 0 and 1", calls, h.Dropped())
	}
	if !h.Flush(0) {
		t.Fatal("Flush: got false, want true")
	}
}

// TestCallbackHandlerFailureReadsAsTheHandlersOwnError: a callback that
// says which handler failed and how (a Python handler's repr and its
// exception) is reported under that name, not the callback's.
func TestCallbackHandlerFailureReadsAsTheHandlersOwnError(t *testing.T) {
	var out bytes.Buffer
	d := core.NewDiagnostics(&out, time.Hour)
	h := core.NewCallbackHandler("callback handler 0x1", func(*core.Record) error {
		return &core.CallbackError{Handler: "handler <app.Bad object>", Message: "ValueError: boom"}
	}, d)
	for range 3 {
		if err := h.Handle(rec("x")); err == nil {
			t.Fatal("got nil, want the callback's error")
		}
	}
	if err := h.Close(0); err != nil {
		t.Fatal(err)
	}
	want := "femtologging: handler <app.Bad object>: error: ValueError: boom (1 so far)\n" +
		"femtologging: handler <app.Bad object>: in all: 3 failed (error: ValueError: boom)\n"
	if got := out.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
