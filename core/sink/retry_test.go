package sink

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestClassifyStatus(t *testing.T) {
	tests := []struct {
		code int
		want Verdict
	}{
		{200, Accepted}, {204, Accepted},
		{429, Retry}, {502, Retry}, {503, Retry}, {504, Retry},
		{400, Rejected}, {401, Rejected}, {403, Rejected}, {404, Rejected}, {408, Rejected},
		{413, Rejected}, {500, Rejected}, {501, Rejected}, {301, Rejected},
	}
	for _, tt := range tests {
		if got := ClassifyStatus(tt.code); got != tt.want {
			t.Errorf("ClassifyStatus(%d): got %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		err   bool
	}{
		{"3", 3 * time.Second, false},
		{" 0 ", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, false},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, false},
		{"", 0, true},
		{"-1", 0, true},
		{"soon", 0, true},
		{"1.5", 0, true},
		// Past a day (here past uint64): capped, so the wait cannot
		// overflow; any deadline drops such a batch at once.
		{"90000", 24 * time.Hour, false},
		{"99999999999999999999999", 24 * time.Hour, false},
		{"Mon, 07 Dec 2026 12:00:30 GMT", 30 * time.Second, false},
	}
	for _, tt := range tests {
		got, err := ParseRetryAfter(tt.value, now)
		if tt.err {
			if !errors.Is(err, ErrBadRetryAfter) {
				t.Errorf("ParseRetryAfter(%q): got %v, %v, want ErrBadRetryAfter", tt.value, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseRetryAfter(%q): got %v, %v, want %v", tt.value, got, err, tt.want)
		}
	}
}

func TestRetryScheduleBackoffAndDeadline(t *testing.T) {
	p := RetryPolicy{Base: 100 * time.Millisecond, Cap: 400 * time.Millisecond, Deadline: time.Second}
	r := newRetrySchedule(p, func() float64 { return 0.999999 }) // the top of each step
	t0 := time.Unix(1000, 0)
	if !r.due(t0) || r.hopeless(t0) {
		t.Fatal("a fresh schedule must allow an attempt and not be hopeless")
	}
	wantWaits := []time.Duration{100, 200, 400, 400}
	now := t0
	for i, w := range wantWaits {
		if r.hopeless(now) {
			t.Errorf("hopeless after %d failures, %v into a 1s deadline", i, now.Sub(t0))
		}
		r.failed(now, 0)
		got := r.next().Sub(now)
		if got < w*time.Millisecond*99/100 || got > w*time.Millisecond {
			t.Errorf("wait after failure %d: got %v, want about %v", i+1, got, w*time.Millisecond)
		}
		if r.due(now) {
			t.Errorf("due right after failure %d", i+1)
		}
		now = r.next()
	}
	// The next attempt (at 1.1s) would come after the deadline (1s).
	if !r.hopeless(now) || !r.hopeless(t0.Add(time.Second)) {
		t.Error("not hopeless, though the next attempt is past the deadline")
	}
	r.reached()
	if r.hopeless(t0.Add(time.Hour)) || !r.due(t0) {
		t.Error("a reached server must end the outage")
	}
}

func TestRetryScheduleHonoursRetryAfter(t *testing.T) {
	r := newRetrySchedule(RetryPolicy{Base: 100 * time.Millisecond, Cap: time.Second, Deadline: 10 * time.Second}, nil)
	t0 := time.Unix(1000, 0)
	r.failed(t0, 3*time.Second)
	if got := r.next().Sub(t0); got != 3*time.Second {
		t.Errorf("wait: got %v, want the server's 3s", got)
	}
	if r.hopeless(t0) {
		t.Error("hopeless, though Retry-After is within the deadline")
	}
	r.failed(t0, 11*time.Second)
	if !r.hopeless(t0) {
		t.Error("not hopeless, though Retry-After is beyond the deadline")
	}
	if got := r.waitUntil(); !got.Equal(t0.Add(10 * time.Second)) {
		t.Errorf("waitUntil: got %v, want the deadline", got.Sub(t0))
	}
}
