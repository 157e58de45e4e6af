package coretest

import (
	"runtime"
	"testing"
	"time"
)

// WaitTimeout bounds every wait in the core tests: generous, because the
// suite runs under -race on a small, shared machine, yet bounded, so a
// broken wake-up fails the test instead of hanging it.
const WaitTimeout = 10 * time.Second

// Eventually polls cond until it holds or WaitTimeout passes, then fails
// the test naming what it waited for. Polling with a deadline replaces
// sleeping as synchronisation.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !poll(WaitTimeout, cond) {
		t.Fatalf("timed out after %v waiting for %s", WaitTimeout, what)
	}
}

// poll reports whether cond held within timeout, checking with a short,
// growing pause so a busy machine is not kept busier.
func poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	pause := 50 * time.Microsecond
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(pause) // a poll interval, not synchronisation
		pause = min(2*pause, 5*time.Millisecond)
	}
}

// Recv waits up to WaitTimeout for a value on c and fails the test if none
// comes.
func Recv[T any](t testing.TB, what string, c <-chan T) T {
	t.Helper()
	timer := time.NewTimer(WaitTimeout)
	defer timer.Stop()
	select {
	case v := <-c:
		return v
	case <-timer.C:
		t.Fatalf("timed out after %v waiting for %s", WaitTimeout, what)
		panic("unreachable")
	}
}

// CheckNoGoroutineLeak records the number of goroutines and returns a
// function that fails the test unless the count comes back to it (or
// below) within WaitTimeout. Call it before creating what the test closes,
// and call the result after closing: workers exit asynchronously, hence the
// poll.
func CheckNoGoroutineLeak(t testing.TB) func() {
	t.Helper()
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		var now int
		if !poll(WaitTimeout, func() bool { now = runtime.NumGoroutine(); return now <= before }) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: got %d, want at most %d\n%s", now, before, buf)
		}
	}
}
