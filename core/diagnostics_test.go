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

func TestDiagnosticsNilIsSilent(t *testing.T) {
	var d *Diagnostics
	d.Report("a", "boom") // a handler built without diagnostics must not crash
	if got := d.Count("a"); got != 0 {
		t.Fatalf("got %d, want 0", got)
	}
}

func TestDiagnosticsWithoutWriterStillCounts(t *testing.T) {
	d := NewDiagnostics(nil, time.Second)
	d.Report("a", "boom")
	d.Report("a", "boom")
	if got := d.Count("a"); got != 2 {
		t.Fatalf("got %d, want 2", got)
	}
	if got := d.Count("unknown"); got != 0 {
		t.Fatalf("got %d, want 0", got)
	}
}

func TestDiagnosticsConcurrentReports(t *testing.T) {
	var out bytes.Buffer
	d := NewDiagnostics(&out, time.Hour)
	const goroutines, each = 4, 250
	done := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < each; i++ {
				d.Report("shared", "boom")
			}
		}()
	}
	for g := 0; g < goroutines; g++ {
		<-done
	}
	if got := d.Count("shared"); got != goroutines*each {
		t.Fatalf("got %d, want %d", got, goroutines*each)
	}
	if got := strings.Count(out.String(), "\n"); got != 1 {
		t.Fatalf("got %d lines within the interval, want 1", got)
	}
}
