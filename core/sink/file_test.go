package sink

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeClock is a settable clock for the check and retry intervals.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(b)
}

func mustWrite(t *testing.T, s *File, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if err := s.Write([]byte(l + "\n")); err != nil {
			t.Fatalf("Write(%q): %v", l, err)
		}
	}
}

func TestOpenFileAppendsAndCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	for i, line := range []string{"first", "second"} {
		s, err := OpenFile(path, FileOptions{})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		mustWrite(t, s, line)
		if err := s.Close(); err != nil {
			t.Fatalf("close %d: %v", i, err)
		}
	}
	if got, want := readFile(t, path), "first\nsecond\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestOpenFileErrorsArePathErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		path  string
		errno syscall.Errno
	}{
		{"missing directory", filepath.Join(dir, "nope", "app.log"), syscall.ENOENT},
		{"path is a directory", dir, syscall.EISDIR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := OpenFile(tt.path, FileOptions{})
			var pe *fs.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v (%T), want a *fs.PathError", err, err)
			}
			if !errors.Is(err, tt.errno) {
				t.Errorf("got errno of %v, want %v", err, tt.errno)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("got %q, want the path %q in it", err, tt.path)
			}
		})
	}
}

func TestFileBuffersUntilFlush(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	s, err := OpenFile(path, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustWrite(t, s, "a", "b")
	if got := readFile(t, path); got != "" {
		t.Errorf("before Flush: got %q, want nothing written", got)
	}
	if got, want := s.Size(), int64(4); got != want {
		t.Errorf("Size: got %d, want %d (buffered bytes count)", got, want)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := readFile(t, path), "a\nb\n"; got != want {
		t.Errorf("after Flush: got %q, want %q", got, want)
	}
}

func TestFileWritesThroughWhenBufferFills(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	s, err := OpenFile(path, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	line := strings.Repeat("x", 1000)
	for i := 0; i < 200; i++ {
		mustWrite(t, s, line)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() < fileBufferSize || info.Size()%1001 != 0 {
		t.Errorf("file size before Flush: got %d, want at least %d in whole records", info.Size(), fileBufferSize)
	}
}

func TestFileDevFullFailsAndKeepsGoing(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	s, err := OpenFile("/dev/full", FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 3; i++ {
		mustWrite(t, s, "lost")
		err := s.Flush()
		if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "/dev/full") {
			t.Fatalf("flush %d: got %v, want ENOSPC naming /dev/full", i, err)
		}
	}
}

func TestFileReopensWhenPathGoesAway(t *testing.T) {
	clock := newClock()
	dir := filepath.Join(t.TempDir(), "logs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "app.log")
	s, err := OpenFile(path, FileOptions{Now: clock.now, CheckInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// The file is deleted: the next check reopens the path.
	os.Remove(path)
	clock.advance(time.Second)
	mustWrite(t, s, "after delete")
	if err := s.Flush(); err != nil {
		t.Fatalf("flush after delete: %v", err)
	}
	if got, want := readFile(t, path), "after delete\n"; got != want {
		t.Errorf("after delete: got %q, want %q", got, want)
	}

	// The directory is removed: writes fail, naming the path, until it is back.
	os.RemoveAll(dir)
	clock.advance(time.Second)
	mustWrite(t, s, "lost")
	if err := s.Flush(); !errors.Is(err, syscall.ENOENT) || !strings.Contains(err.Error(), path) {
		t.Fatalf("flush with the directory gone: got %v, want ENOENT naming %s", err, path)
	}
	if err := s.Write([]byte("lost too\n")); err == nil {
		t.Fatal("write while broken: got nil, want the reopen error")
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Second)
	mustWrite(t, s, "resumed")
	if err := s.Flush(); err != nil {
		t.Fatalf("flush after the directory came back: %v", err)
	}
	if got, want := readFile(t, path), "resumed\n"; got != want {
		t.Errorf("after recovery: got %q, want %q", got, want)
	}
}
