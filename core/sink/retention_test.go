package sink

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

func gunzip(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(b)
}

func TestTimedFileCompressesBackupsKeepingTheirContentAndAge(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	check := coretest.CheckNoGoroutineLeak(t)
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, nil, TimedOptions{
		Schedule: Schedule{When: "H", Interval: 1, UTC: true}, BackupCount: 5,
		Retention: Retention{Compression: "gzip"},
	})
	want := map[string]string{}
	for h := 10; h < 13; h++ {
		var lines []string
		for i := 0; i < 1000; i++ {
			lines = append(lines, fmt.Sprintf("hour %d record %d", h, i))
		}
		writeTimed(t, s, lines...)
		want[fmt.Sprintf("app.log.2026-12-07_%d.gz", h)] = strings.Join(lines, "\n") + "\n"
		clock.advance(time.Hour)
	}
	writeTimed(t, s, "live")
	coretest.Eventually(t, "three compressed backups and no plain ones", func() bool {
		return strings.Join(dirNames(t, dir), " ") == "app.log app.log.2026-12-07_10.gz app.log.2026-12-07_11.gz app.log.2026-12-07_12.gz"
	})
	for name, content := range want {
		if got := gunzip(t, filepath.Join(dir, name)); got != content {
			t.Errorf("%s: got %d bytes, want the %d rotated", name, len(got), len(content))
		}
	}
	s.Close()
	check()
}

func TestRotatingFileCompressesAndShiftsCompressedBackups(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	check := coretest.CheckNoGoroutineLeak(t)
	sink, err := OpenRotatingFileRetention(path, FileOptions{MaxBytes: 10, BackupCount: 3}, Retention{Compression: "gzip"})
	if err != nil {
		t.Fatal(err)
	}
	// Each record is its own file; rotations race the compressor, which
	// must follow a backup that moves up while it compresses it.
	for i := 0; i < 20; i++ {
		if err := sink.Write([]byte(fmt.Sprintf("rec %04d\n", i))); err != nil {
			t.Fatal(err)
		}
		sink.Flush()
	}
	coretest.Eventually(t, "three compressed backups", func() bool {
		return strings.Join(dirNames(t, dir), " ") == "app.log app.log.1.gz app.log.2.gz app.log.3.gz"
	})
	for n := 1; n <= 3; n++ {
		if got, want := gunzip(t, fmt.Sprintf("%s.%d.gz", path, n)), fmt.Sprintf("rec %04d\n", 19-n); got != want {
			t.Errorf(".%d.gz: got %q, want %q", n, got, want)
		}
	}
	sink.Close()
	check()
}

func TestRetentionDeletesBackupsOlderThanMaxAge(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	clock := newSyncClock(now)
	for _, b := range []struct {
		name string
		age  time.Duration
	}{{"app.log.2026-12-01", 6 * 24 * time.Hour}, {"app.log.2026-12-04.gz", 3 * 24 * time.Hour}, {"app.log.2026-12-06", 1 * 24 * time.Hour}} {
		name := filepath.Join(dir, b.name)
		os.WriteFile(name, []byte("x\n"), 0o644)
		os.Chtimes(name, now.Add(-b.age), now.Add(-b.age))
	}
	s := openTimed(t, path, clock, nil, TimedOptions{
		Schedule:  Schedule{When: "midnight", Interval: 1, UTC: true},
		Retention: Retention{MaxAge: 2 * 24 * time.Hour},
	})
	defer s.Close()
	coretest.Eventually(t, "backups past max age deleted", func() bool {
		return strings.Join(dirNames(t, dir), " ") == "app.log app.log.2026-12-06"
	})
}

func TestRetentionCountsAFailedCompressionAndRetries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	d := core.NewDiagnostics(nil, time.Hour)
	os.WriteFile(path+".2026-12-06", []byte("yesterday\n"), 0o644)
	// A non-empty directory where the temporary .gz goes makes the
	// compression fail, as a full or read-only disk would.
	blocker := path + ".2026-12-06.gz.tmp"
	os.MkdirAll(filepath.Join(blocker, "x"), 0o755)
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, d, TimedOptions{
		Schedule:  Schedule{When: "midnight", Interval: 1, UTC: true},
		Retention: Retention{Compression: "gzip", RetryInterval: 10 * time.Millisecond},
	})
	defer s.Close()
	source := "timed rotating file " + path + ": compressing a backup failed"
	coretest.Eventually(t, "the failure counted", func() bool { return d.Count(source) >= 1 })
	if got := readFile(t, path+".2026-12-06"); got != "yesterday\n" {
		t.Errorf("uncompressed backup after a failure: got %q, want it kept", got)
	}
	writeTimed(t, s, "still writing")
	os.RemoveAll(blocker)
	coretest.Eventually(t, "compressed on a retry", func() bool {
		return strings.Join(dirNames(t, dir), " ") == "app.log app.log.2026-12-06.gz"
	})
	if got := gunzip(t, path+".2026-12-06.gz"); got != "yesterday\n" {
		t.Errorf("after the retry: got %q", got)
	}
	if c, _ := s.keeper.failures(); c < 1 {
		t.Errorf("compression failures: got %d, want at least 1", c)
	}
}

func TestRetentionCloseAbandonsACompressionInProgress(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	big := strings.Repeat("a fairly long line of log text to compress\n", 200000)
	os.WriteFile(path+".2026-12-06", []byte(big), 0o644)
	check := coretest.CheckNoGoroutineLeak(t)
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, nil, TimedOptions{
		Schedule:  Schedule{When: "midnight", Interval: 1, UTC: true},
		Retention: Retention{Compression: "gzip"},
	})
	s.Close()
	check()
	// Either it finished before the close or the original is intact.
	names := strings.Join(dirNames(t, dir), " ")
	switch names {
	case "app.log app.log.2026-12-06.gz":
		if gunzip(t, path+".2026-12-06.gz") != big {
			t.Error("compressed content differs")
		}
	case "app.log app.log.2026-12-06":
		if readFile(t, path+".2026-12-06") != big {
			t.Error("original content changed")
		}
	default:
		t.Errorf("files after close: got %s", names)
	}
}
