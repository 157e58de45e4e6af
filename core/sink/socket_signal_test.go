package sink

import (
	"net"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// brokenConn returns a client connection whose peer has reset it, so the
// next send fails with EPIPE.
func brokenConn(t *testing.T) net.Conn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	peer.(*net.TCPConn).SetLinger(0) // close with RST
	peer.Close()
	// Wait for the reset to arrive: a send then fails with EPIPE at once.
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("got data from a reset peer, want an error")
	}
	return c
}

// sigpipeDuring reports whether write raised SIGPIPE. A SIGWINCH sent to
// ourselves afterwards marks the end: Go hands pending signals to
// Notify channels in ascending number, so a SIGPIPE (13) raised during the
// write arrives before the marker (28).
func sigpipeDuring(t *testing.T, write func()) bool {
	t.Helper()
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, syscall.SIGPIPE, syscall.SIGWINCH)
	defer signal.Stop(ch)
	write()
	syscall.Kill(os.Getpid(), syscall.SIGWINCH)
	timeout := time.After(5 * time.Second)
	got := false
	for {
		select {
		case s := <-ch:
			if s == syscall.SIGPIPE {
				got = true
				continue
			}
			return got
		case <-timeout:
			t.Fatal("the SIGWINCH marker did not arrive within 5s")
		}
	}
}

func TestSocketWritesNeverRaiseSIGPIPE(t *testing.T) {
	tests := []struct {
		name       string
		write      func(c net.Conn) error
		wantSignal bool
	}{
		// The control proves the harness sees a SIGPIPE when there is one.
		{"plain write(2), the control", func(c net.Conn) error {
			raw, _ := c.(syscall.Conn).SyscallConn()
			var werr error
			raw.Write(func(fd uintptr) bool { _, werr = syscall.Write(int(fd), []byte("x")); return true })
			return werr
		}, true},
		{"nosignalConn", func(c net.Conn) error {
			nc, err := newNosignalConn(c)
			if err != nil {
				return err
			}
			_, err = nc.Write([]byte("x"))
			return err
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := brokenConn(t)
			defer c.Close()
			var werr error
			got := sigpipeDuring(t, func() { werr = tt.write(c) })
			if werr == nil {
				t.Fatal("got a successful write to a reset connection, want EPIPE")
			}
			if got != tt.wantSignal {
				t.Errorf("got SIGPIPE %v, want %v (write error: %v)", got, tt.wantSignal, werr)
			}
		})
	}
}
