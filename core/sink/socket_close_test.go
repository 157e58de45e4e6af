package sink

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"

	"femtologging/core/encode"
)

// stalledServer accepts connections and never reads from them, like a
// receiver that hung.
func stalledServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().String()
}

// TestSocketCloseIsBounded checks that close gives up on a destination
// that cannot take the queued records: it returns, counts what it could not
// send as dropped, and leaves no goroutine behind. The sink's own budget is
// WriteTimeout + CloseGrace (under half a second here); the test only
// catches close ignoring it (waiting for the hour-long outage deadline or
// a write that never completes), with a bound twenty times the budget, so a
// slow machine does not fail it.
func TestSocketCloseIsBounded(t *testing.T) {
	const writeTimeout = 200 * time.Millisecond
	const hang = 10 * time.Second
	longOutage := BackoffConfig{Base: 5 * time.Millisecond, Cap: 20 * time.Millisecond, ResetAfter: time.Minute, Deadline: time.Hour}
	tests := []struct {
		name    string
		address func(t *testing.T) string
		records int
	}{
		// Enough bytes to fill both sides' socket buffers, so writes block.
		{"peer stopped reading", stalledServer, 400},
		// Records held for a reconnect within a deadline of an hour.
		{"no server at all", freeAddr, 20},
	}
	big := string(bytes.Repeat([]byte("y"), 64<<10))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: tt.address(t), WriteTimeout: writeTimeout, Backoff: longOutage}, encode.DefaultMaxFrameSize, 1024)
			for i := 0; i < tt.records; i++ {
				h.log(big)
			}
			if err := h.Close(hang); err != nil {
				t.Fatalf("got %v, want close to give up within its %v budget", err, writeTimeout+DefaultCloseGrace)
			}
			if h.Dropped() == 0 {
				t.Error("got nothing dropped, want the records that could not be sent counted")
			}
			h.checkAccounting(t)
		})
	}
}

func TestSocketBrokenPeerIsAnErrorNotASignal(t *testing.T) {
	nc, err := newNosignalConn(brokenConn(t))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// The first write may still be accepted; the reset then fails the next.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err = nc.Write([]byte("frame")); err != nil {
			break
		}
	}
	if err == nil {
		t.Fatal("got no error writing to a closed peer, want EPIPE or ECONNRESET")
	}
	if closed, _ := nc.peek(); !closed {
		t.Error("got peek open on a reset connection, want closed")
	}
}
