package sink

import (
	"path/filepath"
	"testing"
	"time"
)

// The timed file's only cost between rollovers is one clock read and a
// comparison per record: these two benchmarks show it beside the plain
// file's Write (flushing every 64 records, as a busy handler does).

func benchmarkWrite(b *testing.B, write func([]byte) error, flush func() error) {
	line := []byte("bench.timed [INFO] a typical log line of about sixty bytes\n")
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for i := 0; i < b.N; i++ {
		if err := write(line); err != nil {
			b.Fatal(err)
		}
		if i%64 == 63 {
			if err := flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkFileWrite(b *testing.B) {
	s, err := OpenFile(filepath.Join(b.TempDir(), "a.log"), FileOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchmarkWrite(b, s.Write, s.Flush)
}

func BenchmarkTimedFileWrite(b *testing.B) {
	s, err := OpenTimedRotatingFile(filepath.Join(b.TempDir(), "a.log"), FileOptions{},
		TimedOptions{Schedule: Schedule{When: "midnight", Interval: 1}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchmarkWrite(b, s.Write, s.Flush)
}

// BenchmarkTimedFileWriteRotating rolls over every 10,000 records (a fake
// clock one second further each time) to show a rollover's cost spread.
func BenchmarkTimedFileWriteRotating(b *testing.B) {
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s, err := OpenTimedRotatingFile(filepath.Join(b.TempDir(), "a.log"), FileOptions{Now: clock.now},
		TimedOptions{Schedule: Schedule{When: "S", Interval: 1, UTC: true}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := 0
	benchmarkWrite(b, func(p []byte) error {
		if n++; n%10000 == 0 {
			clock.advance(time.Second)
		}
		return s.Write(p)
	}, s.Flush)
}
