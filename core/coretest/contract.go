package coretest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
)

// NewHandlerFunc builds a fresh handler for one contract check, and a read
// function returning the lines the handler has written so far: one line
// per record, each containing the record's message.
type NewHandlerFunc func(t *testing.T) (h core.Handler, read func() []string)

// RunHandlerContract checks what every handler kind must do, in the spirit
// of slogtest: a flush writes everything handed over, close writes what
// was queued and is idempotent, records after close are counted as
// dropped, the statistics add up, Handle copies the record, and Handle is
// safe from several goroutines at once. Each check runs as a subtest on a
// fresh handler.
//
// "Handed over" means Handle returned nil: a handler may refuse a record
// (full queue, drop policy) but must then count it, never lose it silently.
func RunHandlerContract(t *testing.T, newHandler NewHandlerFunc) {
	checks := []struct {
		name string
		run  func(t *testing.T, h core.Handler, read func() []string)
	}{
		{"FlushWritesEverythingHandedOver", contractFlush},
		{"FlushWithNothingPendingSucceeds", contractFlushEmpty},
		{"CloseWritesQueuedAndIsIdempotent", contractClose},
		{"RecordsAfterCloseAreDropped", contractAfterClose},
		{"FlushAfterCloseReturns", contractFlushAfterClose},
		{"HandleCopiesTheRecord", contractCopies},
		{"StatsAddUp", contractStats},
		{"ConcurrentHandle", contractConcurrent},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			h, read := newHandler(t)
			t.Cleanup(func() { _ = h.Close(WaitTimeout) })
			c.run(t, h, read)
		})
	}
}

// contractRecord returns the record the contract sends as number i of
// goroutine g; its message parses back with parseContractLine.
func contractRecord(g, i int) *core.Record {
	return &core.Record{
		Logger:     "contract",
		Level:      core.LevelInfo,
		Message:    fmt.Appendf(nil, "rec[%d:%d]", g, i),
		TimeNs:     int64(i),
		ThreadID:   uint64(g),
		ThreadName: fmt.Sprintf("g%d", g),
	}
}

// parseContractLine finds the rec[g:i] tag in a written line.
func parseContractLine(line string) (g, i int, ok bool) {
	at := strings.Index(line, "rec[")
	if at < 0 {
		return 0, 0, false
	}
	_, err := fmt.Sscanf(line[at:], "rec[%d:%d]", &g, &i)
	return g, i, err == nil
}

// handOver hands records 0..n-1 of goroutine g to h and returns the
// numbers of those Handle accepted.
func handOver(h core.Handler, g, n int) (accepted []int) {
	for i := 0; i < n; i++ {
		if h.Handle(contractRecord(g, i)) == nil {
			accepted = append(accepted, i)
		}
	}
	return accepted
}

// wantLines fails unless read returns exactly the accepted records of
// goroutine 0, in order.
func wantLines(t *testing.T, read func() []string, accepted []int) {
	t.Helper()
	lines := read()
	if len(lines) != len(accepted) {
		t.Fatalf("got %d lines, want %d: %q", len(lines), len(accepted), lines)
	}
	for k, line := range lines {
		g, i, ok := parseContractLine(line)
		if !ok || g != 0 || i != accepted[k] {
			t.Fatalf("line %d: got %q, want rec[0:%d]", k, line, accepted[k])
		}
	}
}

func contractFlush(t *testing.T, h core.Handler, read func() []string) {
	accepted := handOver(h, 0, 50)
	if len(accepted) == 0 {
		t.Fatal("got 0 records accepted of 50, want some")
	}
	if !h.Flush(WaitTimeout) {
		t.Fatal("Flush: got false, want true")
	}
	wantLines(t, read, accepted)
}

func contractFlushEmpty(t *testing.T, h core.Handler, read func() []string) {
	if !h.Flush(WaitTimeout) {
		t.Fatal("Flush: got false, want true")
	}
	if lines := read(); len(lines) != 0 {
		t.Fatalf("got %q, want no lines", lines)
	}
}

func contractClose(t *testing.T, h core.Handler, read func() []string) {
	accepted := handOver(h, 0, 50)
	if err := h.Close(WaitTimeout); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	wantLines(t, read, accepted)
	for k := 0; k < 3; k++ {
		if err := h.Close(WaitTimeout); err != nil {
			t.Fatalf("Close again: got %v, want nil", err)
		}
	}
	wantLines(t, read, accepted)
}

func contractAfterClose(t *testing.T, h core.Handler, read func() []string) {
	if err := h.Close(WaitTimeout); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	const n = 5
	for i := 0; i < n; i++ {
		if err := h.Handle(contractRecord(0, i)); !errors.Is(err, core.ErrClosed) {
			t.Fatalf("Handle after Close: got %v, want ErrClosed", err)
		}
	}
	if lines := read(); len(lines) != 0 {
		t.Fatalf("got %q, want no lines", lines)
	}
	if st, ok := h.(core.HandlerStats); ok {
		if got := st.Dropped(); got != n {
			t.Fatalf("Dropped: got %d, want %d", got, n)
		}
	}
}

func contractFlushAfterClose(t *testing.T, h core.Handler, read func() []string) {
	handOver(h, 0, 10)
	if err := h.Close(WaitTimeout); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	done := make(chan bool, 1)
	go func() { done <- h.Flush(time.Second) }()
	Recv(t, "Flush after Close to return", done)
}

func contractCopies(t *testing.T, h core.Handler, read func() []string) {
	rec := contractRecord(0, 0)
	if err := h.Handle(rec); err != nil {
		t.Fatalf("Handle: got %v, want nil", err)
	}
	// The caller reuses its buffers as soon as Handle returns.
	copy(rec.Message, strings.Repeat("X", len(rec.Message)))
	rec.Logger = "reused"
	if !h.Flush(WaitTimeout) {
		t.Fatal("Flush: got false, want true")
	}
	wantLines(t, read, []int{0})
}

func contractStats(t *testing.T, h core.Handler, read func() []string) {
	st, ok := h.(core.HandlerStats)
	if !ok {
		t.Skip("handler does not implement HandlerStats")
	}
	const n, late = 100, 7
	handOver(h, 0, n)
	if err := h.Close(WaitTimeout); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	handOver(h, 0, late)
	delivered, dropped, failed := st.Delivered(), st.Dropped(), st.Failed()
	if got := delivered + dropped + failed; got != n+late {
		t.Fatalf("delivered %d + dropped %d + failed %d: got %d, want %d", delivered, dropped, failed, got, n+late)
	}
	if got := uint64(len(read())); got != delivered {
		t.Fatalf("lines: got %d, want Delivered() = %d", got, delivered)
	}
	if dropped < late {
		t.Fatalf("Dropped: got %d, want at least the %d records after Close", dropped, late)
	}
}

// contractConcurrent hands records over from several goroutines and checks
// that each goroutine's accepted records were written once each, in order.
func contractConcurrent(t *testing.T, h core.Handler, read func() []string) {
	const goroutines, perG = 4, 200
	accepted := make([][]int, goroutines)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			accepted[g] = handOver(h, g, perG)
		}()
	}
	close(start)
	wg.Wait()
	if err := h.Close(WaitTimeout); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	next := make([]int, goroutines) // index into accepted[g] of the next line expected
	for k, line := range read() {
		g, i, ok := parseContractLine(line)
		if !ok || g < 0 || g >= goroutines {
			t.Fatalf("line %d: got %q, want rec[g:i]", k, line)
		}
		if next[g] >= len(accepted[g]) || accepted[g][next[g]] != i {
			t.Fatalf("line %d: got %q out of order or not accepted", k, line)
		}
		next[g]++
	}
	for g := range next {
		if next[g] != len(accepted[g]) {
			t.Fatalf("goroutine %d: got %d lines, want %d", g, next[g], len(accepted[g]))
		}
	}
}
