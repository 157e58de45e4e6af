package sink

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
	"femtologging/core/encode"
)

// fastBackoff keeps reconnect tests quick.
var fastBackoff = BackoffConfig{Base: 5 * time.Millisecond, Cap: 20 * time.Millisecond, ResetAfter: time.Second, Deadline: 10 * time.Second}

// socketHandler is a queued handler writing frames to a Socket, as the
// config builder makes it.
type socketHandler struct {
	*core.QueuedHandler
	diag *core.Diagnostics
	sock *Socket
	sent int // records handed to Handle
}

func newSocketHandler(t *testing.T, opts SocketOptions, maxFrame, capacity int) *socketHandler {
	t.Helper()
	if opts.ConnectTimeout == 0 {
		opts.ConnectTimeout = time.Second
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = time.Second
	}
	if opts.Backoff == (BackoffConfig{}) {
		opts.Backoff = fastBackoff
	}
	diag := core.NewDiagnostics(nil, time.Hour)
	opts.Diagnostics = diag
	sock := NewSocket(opts)
	q, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "socket test", Capacity: capacity, Diagnostics: diag},
		encode.NewFrameFormatter(maxFrame), sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close(5 * time.Second) })
	return &socketHandler{QueuedHandler: q, diag: diag, sock: sock}
}

// log hands one record to the handler; a full queue counts as dropped.
func (h *socketHandler) log(msg string) {
	h.sent++
	h.Handle(&core.Record{Logger: "test", Level: core.LevelInfo, Message: []byte(msg), TimeNs: time.Now().UnixNano(), ThreadID: 1})
}

// checkAccounting asserts that every record was delivered or dropped.
func (h *socketHandler) checkAccounting(t *testing.T) {
	t.Helper()
	if got := h.Delivered() + h.Dropped() + h.Failed(); got != uint64(h.sent) {
		t.Errorf("got delivered %d + dropped %d + failed %d = %d, want %d logged",
			h.Delivered(), h.Dropped(), h.Failed(), got, h.sent)
	}
}

func messages(recs []encode.FrameRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Message
	}
	return out
}

func hasMessage(msg string) func([]encode.FrameRecord) bool {
	return func(recs []encode.FrameRecord) bool {
		for _, r := range recs {
			if r.Message == msg {
				return true
			}
		}
		return false
	}
}

func TestSocketDeliversFrames(t *testing.T) {
	tests := []struct {
		network string
		address func(t *testing.T) string
	}{
		{"tcp", func(*testing.T) string { return "127.0.0.1:0" }},
		{"unix", func(t *testing.T) string { return filepath.Join(t.TempDir(), "recv.sock") }},
	}
	for _, tt := range tests {
		t.Run(tt.network, func(t *testing.T) {
			noLeaks(t)
			srv := startFrameServer(t, tt.network, tt.address(t), nil)
			h := newSocketHandler(t, SocketOptions{Network: tt.network, Address: srv.addr()}, encode.DefaultMaxFrameSize, 64)
			for i := 0; i < 5; i++ {
				h.log(fmt.Sprintf("m%d", i))
			}
			if !h.Flush(5 * time.Second) {
				t.Fatal("got flush false, want true")
			}
			if !srv.waitCount(5, 5*time.Second) {
				t.Fatalf("got %v, want 5 records", messages(srv.got()))
			}
			if got, want := fmt.Sprint(messages(srv.got())), "[m0 m1 m2 m3 m4]"; got != want {
				t.Errorf("got %s, want %s", got, want)
			}
			if got := h.Delivered(); got != 5 {
				t.Errorf("got delivered %d, want 5", got)
			}
			h.checkAccounting(t)
		})
	}
}

func TestSocketConnectsLazily(t *testing.T) {
	noLeaks(t)
	h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: freeAddr(t), WriteTimeout: 50 * time.Millisecond}, encode.DefaultMaxFrameSize, 8)
	if !h.Flush(time.Second) {
		t.Fatal("got flush false with nothing logged, want true")
	}
	// The worker connects synchronously: after a flush, an attempt (to an
	// address nothing listens on) would have been reported.
	if got := h.diag.Count(h.sock.Label() + ": connect"); got != 0 {
		t.Fatalf("got %d connect failures before any record, want 0", got)
	}
	h.log("now")
	// The flush cannot succeed (nothing listens); poll instead of relying
	// on the worker having tried within a short flush on a busy machine.
	coretest.Eventually(t, "a connect attempt after a record", func() bool {
		return h.diag.Count(h.sock.Label()+": connect") > 0
	})
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestSocketHoldsRecordsUntilTheServerStarts(t *testing.T) {
	noLeaks(t)
	addr := freeAddr(t)
	h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: addr}, encode.DefaultMaxFrameSize, 64)
	h.log("before the server")
	// The worker is now retrying; a flush cannot finish without a server.
	if h.Flush(50 * time.Millisecond) {
		t.Fatal("got flush true with no server, want false")
	}
	srv := startFrameServer(t, "tcp", addr, nil)
	h.log("after the server")
	if !h.Flush(5 * time.Second) {
		t.Fatal("got flush false once the server is up, want true")
	}
	if !srv.waitCount(2, 5*time.Second) {
		t.Fatalf("got %v, want both records", messages(srv.got()))
	}
	if got := h.Dropped(); got != 0 {
		t.Errorf("got dropped %d, want 0 (within the deadline)", got)
	}
	h.checkAccounting(t)
}

func TestSocketResumesAfterTheServerRestarts(t *testing.T) {
	noLeaks(t)
	srv := startFrameServer(t, "tcp", "127.0.0.1:0", nil)
	addr := srv.addr()
	h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: addr}, encode.DefaultMaxFrameSize, 256)
	for i := 0; i < 10; i++ {
		h.log(fmt.Sprintf("first-%d", i))
	}
	if !h.Flush(5*time.Second) || !srv.waitCount(10, 5*time.Second) {
		t.Fatalf("got %d records at the first server, want 10", len(srv.got()))
	}
	srv.stop()
	for i := 0; i < 10; i++ {
		h.log(fmt.Sprintf("down-%d", i))
	}
	srv2 := startFrameServer(t, "tcp", addr, nil)
	for i := 0; i < 10; i++ {
		h.log(fmt.Sprintf("second-%d", i))
	}
	if !h.Flush(5 * time.Second) {
		t.Fatal("got flush false after the restart, want true")
	}
	if !srv2.waitFor(5*time.Second, hasMessage("second-9")) {
		t.Fatalf("got %v at the second server, want second-9", messages(srv2.got()))
	}
	if got := len(srv.got()) + len(srv2.got()); uint64(got) != h.Delivered() {
		t.Errorf("got %d records received, want delivered %d", got, h.Delivered())
	}
	h.checkAccounting(t)
}

func TestSocketDropsPastTheDeadlineUntilAnAttemptSucceeds(t *testing.T) {
	noLeaks(t)
	addr := freeAddr(t)
	bo := fastBackoff
	bo.Deadline = 30 * time.Millisecond
	h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: addr, Backoff: bo}, encode.DefaultMaxFrameSize, 64)
	for i := 0; i < 3; i++ {
		h.log("lost")
	}
	if h.Flush(5 * time.Second) {
		t.Fatal("got flush true after records were dropped, want false")
	}
	if got := h.Dropped(); got != 3 {
		t.Fatalf("got dropped %d, want 3", got)
	}
	srv := startFrameServer(t, "tcp", addr, nil)
	deadline := time.Now().Add(5 * time.Second)
	for !hasMessage("found")(srv.got()) && time.Now().Before(deadline) {
		h.log("found")
		h.Flush(time.Second)
		srv.waitFor(20*time.Millisecond, hasMessage("found"))
	}
	if !hasMessage("found")(srv.got()) {
		t.Fatal("got no record after the server started, want delivery to resume")
	}
	h.checkAccounting(t)
}

func TestSocketDropsOversizeFrames(t *testing.T) {
	noLeaks(t)
	srv := startFrameServer(t, "tcp", "127.0.0.1:0", nil)
	h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: srv.addr()}, 200, 64)
	h.log("small")
	h.log(string(bytes.Repeat([]byte("x"), 300)))
	h.log("after")
	if h.Flush(5 * time.Second) {
		t.Error("got flush true after a dropped frame, want false")
	}
	if !srv.waitFor(5*time.Second, hasMessage("after")) {
		t.Fatalf("got %v, want small and after", messages(srv.got()))
	}
	if got := fmt.Sprint(messages(srv.got())); got != "[small after]" {
		t.Errorf("got %s, want [small after]", got)
	}
	if h.Dropped() != 1 || h.Delivered() != 2 {
		t.Errorf("got dropped %d delivered %d, want 1 and 2", h.Dropped(), h.Delivered())
	}
	h.checkAccounting(t)
}

func TestUnsentFrames(t *testing.T) {
	f := encode.NewFrameFormatter(encode.DefaultMaxFrameSize)
	var buf []byte
	var ends []int
	for _, m := range []string{"a", "bb", "ccc"} {
		rec := core.Record{Logger: "x", Message: []byte(m)}
		buf, _ = f.Format(buf, &rec)
		ends = append(ends, len(buf))
	}
	tests := []struct {
		name    string
		written int
		want    int
	}{
		{"nothing written", 0, 0},
		{"inside the first frame", ends[0] - 1, 0},
		{"exactly the first frame", ends[0], ends[0]},
		{"inside the second", ends[0] + 3, ends[0]},
		{"all but one byte", ends[2] - 1, ends[1]},
		{"everything", ends[2], ends[2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unsentFrames(buf, tt.written); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}
