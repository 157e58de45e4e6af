package core

import (
	"strings"
	"testing"
	"time"

	"femtologging/core/coretest"
)

func TestQueuedHandlerCapacityBounds(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		wantErr  string
	}{
		{"zero", 0, "capacity 0: must be greater than zero"},
		{"negative", -1, "capacity -1: must be greater than zero"},
		{"one", 1, ""},
		{"at the bound", MaxCapacity, ""},
		{"above the bound", MaxCapacity + 1, "must be at most"},
		{"absurd", 10_000_000_000, "capacity 10000000000: must be at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewQueuedHandler(QueuedHandlerOptions{Name: "t", Capacity: tt.capacity}, TextFormatter{}, coretest.DiscardSink{})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if err := h.Close(5 * time.Second); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
