package core_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// TestQueuedHandlerContract runs the handler contract over every overflow
// policy and flush mode a queued handler has, with a queue small enough
// that the drop policy really drops.
func TestQueuedHandlerContract(t *testing.T) {
	tests := []struct {
		name string
		opts core.QueuedHandlerOptions
	}{
		{"drop", core.QueuedHandlerOptions{Capacity: 1024}},
		{"drop small queue", core.QueuedHandlerOptions{Capacity: 2}},
		{"block", core.QueuedHandlerOptions{Capacity: 4, Policy: core.OverflowPolicy{Kind: core.PolicyBlock}}},
		{"timeout", core.QueuedHandlerOptions{Capacity: 4, Policy: core.OverflowPolicy{Kind: core.PolicyTimeout, Timeout: time.Millisecond}}},
		{"flush every 3", core.QueuedHandlerOptions{Capacity: 16, FlushEvery: 3, Policy: core.OverflowPolicy{Kind: core.PolicyBlock}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			coretest.RunHandlerContract(t, func(t *testing.T) (core.Handler, func() []string) {
				sink := coretest.NewMemorySink()
				opts := tt.opts
				opts.Name = "contract " + tt.name
				h, err := core.NewQueuedHandler(opts, core.TextFormatter{}, sink)
				if err != nil {
					t.Fatal(err)
				}
				return h, sink.Lines
			})
		})
	}
}

// TestCallbackHandlerContract runs the handler contract over a callback
// handler, the way Python handler objects receive records.
func TestCallbackHandlerContract(t *testing.T) {
	coretest.RunHandlerContract(t, func(t *testing.T) (core.Handler, func() []string) {
		var mu sync.Mutex
		var lines []string
		h := core.NewCallbackHandler("contract callback", func(rec *core.Record) error {
			line, err := core.TextFormatter{}.Format(nil, rec)
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, strings.TrimSuffix(string(line), "\n"))
			return err
		}, nil)
		return h, func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), lines...)
		}
	})
}
