package sink

import (
	"testing"
	"time"
)

func TestSyslogUnsentFrames(t *testing.T) {
	buf := []byte("3 abc5 hello2 hi")
	tests := []struct{ n, want int }{{0, 0}, {4, 0}, {5, 5}, {11, 5}, {12, 12}, {15, 12}, {16, 16}}
	for _, tt := range tests {
		if got := unsentOctetCounted(buf, tt.n); got != tt.want {
			t.Errorf("octet counting, %d sent: got %d, want %d", tt.n, got, tt.want)
		}
	}
	lines := []byte("abc\nhello\nhi\n")
	for _, tt := range []struct{ n, want int }{{0, 0}, {3, 0}, {4, 4}, {12, 10}, {13, 13}} {
		if got := unsentLines(lines, tt.n); got != tt.want {
			t.Errorf("lines, %d sent: got %d, want %d", tt.n, got, tt.want)
		}
	}
	if unsentDatagram(buf, 3) != 0 || unsentDatagram(buf, len(buf)) != len(buf) {
		t.Error("a datagram is sent whole or not at all")
	}
}

// at is a fixed record time for tests that compare encoded output.
var at = time.Date(2026, 12, 7, 18, 39, 33, 123456789, time.UTC).UnixNano()
