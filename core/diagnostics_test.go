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

func newTestDiagnostics(out *bytes.Buffer) (*Diagnostics, *time.Time) {
	d := NewDiagnostics(out, 5*time.Second)
	now := time.Unix(100, 0)
	d.SetClock(func() time.Time { return now })
	return d, &now
}

func outLines(out *bytes.Buffer) []string {
	s := strings.TrimSpace(out.String())
	out.Reset()
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestDiagnosticsFirstLineAtOnceThenRunningTotalsOncePerInterval(t *testing.T) {
	var out bytes.Buffer
	d, now := newTestDiagnostics(&out)
	d.Lost("logger app", "queue full", OutcomeDropped, "record dropped", 1)
	if got, want := outLines(&out), []string{"femtologging: logger app: queue full: record dropped (1 so far)"}; !equal(got, want) {
		t.Fatalf("first drop: got %q, want %q", got, want)
	}
	*now = now.Add(time.Second)
	for range 96164 {
		d.Lost("logger app", "queue full", OutcomeDropped, "record dropped", 1)
	}
	if got := outLines(&out); got != nil {
		t.Fatalf("within the interval: got %q, want nothing", got)
	}
	*now = now.Add(4 * time.Second)
	d.Lost("logger app", "queue full", OutcomeDropped, "record dropped", 1)
	if got, want := outLines(&out), []string{"femtologging: logger app: queue full: record dropped (96166 so far)"}; !equal(got, want) {
		t.Fatalf("after the interval: got %q, want %q", got, want)
	}
	d.SummarizeAll()
	if got, want := outLines(&out), []string{"femtologging: logger app: in all: 96166 dropped (queue full)"}; !equal(got, want) {
		t.Fatalf("summary: got %q, want %q", got, want)
	}
}

func TestDiagnosticsSummaryIsOneLinePerSubjectWithTotalsAndReasons(t *testing.T) {
	var out bytes.Buffer
	d, _ := newTestDiagnostics(&out)
	d.Lost("stream stderr", "queue full", OutcomeDropped, "record dropped", 100)
	d.Lost("stream stderr", "error", OutcomeFailed, "write failed: stderr: broken pipe", 5)
	d.Lost("logger app", "queue full", OutcomeDropped, "record dropped", 7)
	d.Report("rotating file x: rotation failed", "EACCES") // not records: no summary
	outLines(&out)

	d.Summarize("stream stderr") // the handler closed
	want := []string{"femtologging: stream stderr: in all: 100 dropped (queue full), 5 failed (error: write failed: stderr: broken pipe)"}
	if got := outLines(&out); !equal(got, want) {
		t.Fatalf("at close: got %q, want %q", got, want)
	}
	d.SummarizeAll() // exit: only what was not summarized yet
	want = []string{"femtologging: logger app: in all: 7 dropped (queue full)"}
	if got := outLines(&out); !equal(got, want) {
		t.Fatalf("at exit: got %q, want %q", got, want)
	}
	d.SummarizeAll()
	if got := outLines(&out); got != nil {
		t.Fatalf("second summary: got %q, want nothing", got)
	}
}

func equal(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n") && len(a) == len(b)
}
