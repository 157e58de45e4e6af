package sink

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"femtologging/core"
)

// dupFD returns a fresh descriptor on f, closed when the test ends.
func dupFD(t *testing.T, f *os.File) int {
	t.Helper()
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	return fd
}

func TestStreamFollowsTheDescriptorRedirectedAfterItWasBuilt(t *testing.T) {
	dir := t.TempDir()
	before, err := os.Create(filepath.Join(dir, "before"))
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	after, err := os.Create(filepath.Join(dir, "after"))
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	fd := dupFD(t, before)
	s, err := NewStdStream(fd)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write([]byte("first\n")); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	// What pytest's capfd and a redirecting daemon do to descriptor 1 or 2.
	if err := syscall.Dup2(int(after.Fd()), fd); err != nil {
		t.Fatal(err)
	}
	if err := s.Write([]byte("second\n")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, before.Name()); got != "first\n" {
		t.Errorf("before the redirection: got %q, want %q", got, "first\n")
	}
	if got := readFile(t, after.Name()); got != "second\n" {
		t.Errorf("after the redirection: got %q, want %q", got, "second\n")
	}
	// Close leaves the descriptor open: it is the process's, not the sink's.
	if _, err := syscall.Write(fd, nil); err != nil {
		t.Errorf("descriptor closed by the sink: %v", err)
	}
}

func TestStreamBrokenPipeIsACountedError(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fd := dupFD(t, w)
	w.Close()
	r.Close()
	s, _ := NewStdStream(fd)
	for _, line := range []string{"a\n", "b\n", "c\n"} {
		if err := s.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	err = s.Flush()
	if !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("got %v, want EPIPE", err)
	}
	if n, ok := core.LostRecords(err); !ok || n != 3 {
		t.Errorf("records lost: got %d (%v), want 3", n, ok)
	}
}

func TestStreamWriteCutShortCountsOnlyTheRecordsNotWrittenWhole(t *testing.T) {
	var out bytes.Buffer
	room := 7 // "one\ntw": one record whole, one cut, then nothing
	s := newStream("test", func(p []byte) (int, error) {
		n := min(len(p), room)
		room -= n
		out.Write(p[:n])
		return n, syscall.EPIPE
	})
	for _, line := range []string{"one\n", "two\n", "three\n"} {
		if err := s.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Flush()
	if n, _ := core.LostRecords(err); n != 2 {
		t.Errorf("records lost: got %d (%v), want 2", n, err)
	}
	if err := s.Write([]byte("four\n")); err != nil {
		t.Fatal(err)
	}
	if n, _ := core.LostRecords(s.Flush()); n != 1 {
		t.Errorf("the buffer was not emptied after the failure: %d lost, want 1", n)
	}
}

func TestStreamWaitsForANonBlockingDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fd, err := syscall.Dup(int(w.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := syscall.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("y", 99) + "\n"
	const n = 20000 // 2 MB: far more than a pipe holds
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()
	s, _ := NewStdStream(fd)
	for range n {
		if err := s.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(); err != nil {
		syscall.Close(fd)
		t.Fatal(err)
	}
	syscall.Close(fd) // the reader sees EOF
	if b := <-got; len(b) != n*len(line) {
		t.Errorf("got %d bytes, want %d", len(b), n*len(line))
	}
}
