package sink

import (
	"crypto/tls"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"femtologging/core/encode"
)

// frameServer is a receiver for tests: it accepts connections on a real
// listener and decodes every frame it reads.
type frameServer struct {
	t  *testing.T
	ln net.Listener

	mu      sync.Mutex
	records []encode.FrameRecord
	conns   []net.Conn
	changed chan struct{} // closed and replaced whenever records grow
	wg      sync.WaitGroup
}

// startFrameServer listens on network/address ("tcp" "127.0.0.1:0", or
// "unix" and a path); tlsCfg, when set, serves TLS.
func startFrameServer(t *testing.T, network, address string, tlsCfg *tls.Config) *frameServer {
	t.Helper()
	ln, err := net.Listen(network, address)
	if err != nil {
		t.Fatalf("listen %s %s: %v", network, address, err)
	}
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	s := &frameServer{t: t, ln: ln, changed: make(chan struct{})}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.stop)
	return s
}

func (s *frameServer) addr() string { return s.ln.Addr().String() }

func (s *frameServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go s.read(c)
	}
}

func (s *frameServer) read(c net.Conn) {
	defer s.wg.Done()
	var buf []byte
	for {
		var err error
		buf, err = encode.ReadFrame(c, buf, 64<<20)
		if err != nil {
			return
		}
		rec, err := encode.DecodeFrame(buf)
		if err != nil {
			s.t.Errorf("server: %v", err)
			return
		}
		s.mu.Lock()
		s.records = append(s.records, rec)
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
	}
}

// stop closes the listener and every connection and waits for the
// goroutines. It is idempotent.
func (s *frameServer) stop() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.conns = nil
	s.mu.Unlock()
	s.wg.Wait()
}

// got returns a copy of the records received so far.
func (s *frameServer) got() []encode.FrameRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]encode.FrameRecord(nil), s.records...)
}

// waitFor waits up to timeout until cond holds for the records received.
func (s *frameServer) waitFor(timeout time.Duration, cond func([]encode.FrameRecord) bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := cond(s.records)
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			s.mu.Lock()
			defer s.mu.Unlock()
			return cond(s.records)
		}
	}
}

// waitCount waits for at least n records.
func (s *frameServer) waitCount(n int, timeout time.Duration) bool {
	return s.waitFor(timeout, func(r []encode.FrameRecord) bool { return len(r) >= n })
}

// noLeaks fails the test if goroutines it started (handler workers,
// servers, dials) outlive it. Call it first: its cleanup then runs last,
// after the handler is closed and the servers are stopped.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("got %d goroutines after the test, want at most %d:\n%s",
					runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(time.Millisecond) // polling: goroutines have no exit signal to wait on
		}
	})
}
