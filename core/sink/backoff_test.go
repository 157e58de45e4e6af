package sink

import (
	"testing"
	"time"
)

var testBackoff = BackoffConfig{Base: 100 * time.Millisecond, Cap: time.Second, ResetAfter: 10 * time.Second, Deadline: 30 * time.Second}

func TestBackoffDelaysDoubleUpToTheCap(t *testing.T) {
	tests := []struct {
		name     string
		jitter   float64
		wantNext []time.Duration // after each failure
	}{
		// Equal jitter: each step waits between half and all of it.
		{"no jitter draws the half", 0, []time.Duration{50, 100, 200, 400, 500, 500}},
		{"full jitter draws the step", 0.999999999, []time.Duration{100, 200, 400, 800, 1000, 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBackoff(testBackoff, func() float64 { return tt.jitter })
			now := time.Unix(1000, 0)
			for i, want := range tt.wantNext {
				b.attemptFailed(now)
				got := b.next.Sub(now).Round(time.Millisecond)
				if got != want*time.Millisecond {
					t.Fatalf("failure %d: got delay %v, want %v", i+1, got, want*time.Millisecond)
				}
				if b.due(now) || !b.due(b.next) {
					t.Fatalf("failure %d: due before next, or not at next", i+1)
				}
				now = b.next
			}
		})
	}
}

func TestBackoffJitterSpreadsDelays(t *testing.T) {
	b := newBackoff(testBackoff, nil)
	seen := map[time.Duration]bool{}
	now := time.Unix(0, 0)
	for i := 0; i < 20; i++ {
		b.failures = 3
		b.attemptFailed(now)
		d := b.next.Sub(now)
		if d < 400*time.Millisecond || d > 800*time.Millisecond {
			t.Fatalf("got delay %v, want within [400ms, 800ms]", d)
		}
		seen[d] = true
	}
	if len(seen) < 2 {
		t.Errorf("got %d distinct delays in 20 draws, want jitter", len(seen))
	}
}

func TestBackoffResetsAfterAHealthyConnection(t *testing.T) {
	tests := []struct {
		name          string
		healthy       time.Duration
		wantImmediate bool
		wantFailures  int
	}{
		{"healthy long enough", 10 * time.Second, true, 0},
		{"broke too soon", 9 * time.Second, false, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBackoff(testBackoff, func() float64 { return 0 })
			now := time.Unix(0, 0)
			for i := 0; i < 3; i++ {
				b.attemptFailed(now)
			}
			b.connected(now)
			b.sent()
			now = now.Add(tt.healthy)
			b.broken(now)
			if got := b.due(now); got != tt.wantImmediate {
				t.Errorf("got due at once %v, want %v", got, tt.wantImmediate)
			}
			if b.failures != tt.wantFailures {
				t.Errorf("got %d failures, want %d", b.failures, tt.wantFailures)
			}
		})
	}
}

func TestBackoffDeadline(t *testing.T) {
	b := newBackoff(testBackoff, func() float64 { return 0 })
	start := time.Unix(0, 0)
	if b.pastDeadline(start.Add(time.Hour)) {
		t.Fatal("got past the deadline before any failure, want not")
	}
	b.attemptFailed(start)
	b.attemptFailed(start.Add(time.Second))
	if b.pastDeadline(start.Add(29 * time.Second)) {
		t.Error("got past the deadline at 29s, want not (deadline 30s from the first failure)")
	}
	if !b.pastDeadline(start.Add(30 * time.Second)) {
		t.Error("got within the deadline at 30s, want past")
	}
	b.connected(start.Add(31 * time.Second))
	if !b.pastDeadline(start.Add(31 * time.Second)) {
		t.Error("got the outage ended by a connect alone, want it to end when frames are sent")
	}
	b.sent()
	if b.pastDeadline(start.Add(time.Hour)) {
		t.Error("got past the deadline after a send, want the outage over")
	}
}

func TestBackoffWaitUntilStopsAtTheDeadline(t *testing.T) {
	cfg := testBackoff
	cfg.Deadline = 80 * time.Millisecond
	b := newBackoff(cfg, func() float64 { return 0.999 })
	start := time.Unix(0, 0)
	b.attemptFailed(start) // next ≈ 100ms, deadline at 80ms
	if got, want := b.waitUntil(), start.Add(80*time.Millisecond); !got.Equal(want) {
		t.Errorf("got wait until %v, want the deadline %v", got.Sub(start), want.Sub(start))
	}
}
