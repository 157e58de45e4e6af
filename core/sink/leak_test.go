package sink

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"femtologging/core/coretest"
)

// The leak tests count goroutines before and after, as core's do: a sink
// that leaves a goroutine behind (a connector, a housekeeper) leaks one per
// handler a reconfiguration swaps out. They do not run in parallel with
// other tests, so the count is theirs.

func TestSocketCloseLeavesNoGoroutine(t *testing.T) {
	check := coretest.CheckNoGoroutineLeak(t)
	srv := startFrameServer(t, "tcp", "127.0.0.1:0", nil)
	h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: srv.addr()}, 1<<20, 64)
	for i := 0; i < 20; i++ {
		h.log(fmt.Sprint("record ", i))
	}
	if !h.Flush(5 * time.Second) {
		t.Fatal("flush failed")
	}
	if err := h.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	srv.stop()
	check()
}

func TestSocketToNobodyCloseLeavesNoGoroutine(t *testing.T) {
	check := coretest.CheckNoGoroutineLeak(t)
	h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: freeAddr(t)}, 1<<20, 64)
	h.log("nobody listens")
	if err := h.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	check()
}

func TestRotatingFileWithRetentionCloseLeavesNoGoroutine(t *testing.T) {
	check := coretest.CheckNoGoroutineLeak(t)
	path := filepath.Join(t.TempDir(), "app.log")
	s, err := OpenRotatingFileRetention(path, FileOptions{MaxBytes: 64, BackupCount: 2}, Retention{Compression: "gzip"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if err := s.Write([]byte(fmt.Sprintf("line %02d of a rotating file\n", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check()
}
