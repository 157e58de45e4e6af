package core

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestDiagnosticsRateLimitsPerSource(t *testing.T) {
	var out bytes.Buffer
	d := NewDiagnostics(&out, time.Second)
	now := time.Unix(100, 0)
	d.SetClock(func() time.Time { return now })
	for i := 0; i < 5; i++ {
		d.Report("a", "boom")
	}
	d.Report("b", "bang")
	now = now.Add(2 * time.Second)
	d.Report("a", "boom")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		"femtologging: a: boom (1 so far)",
		"femtologging: b: bang (1 so far)",
		"femtologging: a: boom (6 so far)",
	}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", lines, want)
	}
	if got := d.Count("a"); got != 6 {
		t.Fatalf("got %d, want 6", got)
	}
}
