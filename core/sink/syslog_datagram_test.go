package sink

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"femtologging/core"
)

// listenUnixgram opens a Unix datagram socket at path, closed with the test.
func listenUnixgram(t *testing.T, path string) *net.UnixConn {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readDatagram(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 65536)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("reading a datagram: %v", err)
	}
	return string(buf[:n])
}

// TestSyslogDatagramsSurviveADaemonRestart: each Write is one datagram;
// when the daemon's socket goes away and comes back, the message that
// failed is sent again on a new connection, not lost.
func TestSyslogDatagramsSurviveADaemonRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.sock")
	first := listenUnixgram(t, path)
	s := NewSyslog(SocketOptions{Network: SyslogUnix, Address: path, ConnectTimeout: time.Second,
		WriteTimeout: time.Second, Backoff: fastBackoff, Diagnostics: core.NewDiagnostics(nil, time.Hour)}, false)
	defer s.Close()
	for _, msg := range []string{"one", "two"} {
		if err := s.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	if got := readDatagram(t, first) + readDatagram(t, first); got != "onetwo" {
		t.Fatalf("got %q, want two datagrams", got)
	}
	first.Close() // the daemon stops; its socket file stays, refusing
	done := make(chan error, 1)
	go func() { done <- s.Write([]byte("three")) }()
	// The write waits for the backoff schedule meanwhile.
	second := listenUnixgramReplacing(t, path)
	if err := <-done; err != nil {
		t.Fatalf("write across the restart: %v", err)
	}
	if got := readDatagram(t, second); got != "three" {
		t.Errorf("got %q, want %q", got, "three")
	}
}

// listenUnixgramReplacing binds path again once the old socket file is
// removed, as a restarting daemon does.
func listenUnixgramReplacing(t *testing.T, path string) *net.UnixConn {
	t.Helper()
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return listenUnixgram(t, path)
}
