package sink

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"femtologging/core/loss"
)

// socketBatchSize is how many bytes of frames the sink gathers before it
// sends them without waiting for the end of the worker's batch.
const socketBatchSize = 64 << 10

// DefaultCloseGrace is added to the write timeout to bound close(): time to
// connect and send what is queued when the handler closes.
const DefaultCloseGrace = 250 * time.Millisecond

// SocketOptions configures a Socket.
type SocketOptions struct {
	// Network is "tcp" or "unix"; Address is "host:port" or a socket path.
	Network, Address string
	ConnectTimeout   time.Duration
	WriteTimeout     time.Duration
	// TLS, when set, wraps TCP connections in TLS; nil sends plaintext.
	TLS *tls.Config
	// Backoff is the reconnect schedule.
	Backoff BackoffConfig
	// CloseGrace bounds close() together with WriteTimeout; 0 means
	// DefaultCloseGrace.
	CloseGrace time.Duration
	// Diagnostics receives rate-limited connect failures.
	Diagnostics Reporter
	// Jitter replaces the random jitter of the backoff (tests).
	Jitter func() float64
	// Frames finds frame boundaries in the send buffer: it returns the
	// offset of the first frame the first n bytes do not cover completely,
	// so a broken write resends whole frames. nil means MessagePack frames
	// with their 4-byte length prefix; other protocols (syslog) bring their
	// own framing.
	Frames func(buf []byte, n int) int
	// Datagram sends each frame as one datagram as soon as it is written
	// (Network "udp" or "unixgram"), with the same reconnect schedule.
	Datagram bool
	// Label names the sink in diagnostics; empty means
	// "socket <network> <address>".
	Label string
}

// Socket sends frames over TCP (optionally TLS) or a Unix stream socket.
//
// It connects lazily, on the first record. While there is no connection,
// Write and Flush wait for the backoff schedule with the records held (the
// handler's queue fills meanwhile and its policy applies); once an outage
// passes its deadline, records are discarded (loss.ErrDiscarded, counted as
// dropped) until an attempt succeeds. Frames never cross connections
// half-sent: after a broken write, the whole frames not fully sent are sent
// again on the next connection.
//
// Write, Flush and Close are called by the handler's worker only;
// BeginClose may be called from any goroutine.
type Socket struct {
	opts  SocketOptions
	label string
	now   func() time.Time

	conn  net.Conn      // nil while disconnected
	nc    *nosignalConn // conn itself, or the transport under TLS
	buf   []byte        // whole frames not yet sent
	bo    backoff
	lastE string // the last connect error, for the discard message

	// ctx ends when a close has used up its budget: every wait and dial
	// watches it, so close() is bounded even with the peer gone.
	ctx           context.Context
	cancel        context.CancelFunc
	closeDeadline atomic.Int64 // unix ns; 0 until BeginClose
	closeOnce     sync.Once
	closeTimer    atomic.Pointer[time.Timer]
}

// NewSocket returns a sink for opts; it does not connect yet.
func NewSocket(opts SocketOptions) *Socket {
	if opts.CloseGrace <= 0 {
		opts.CloseGrace = DefaultCloseGrace
	}
	if opts.Frames == nil {
		opts.Frames = unsentFrames
	}
	s := &Socket{opts: opts, now: time.Now, bo: newBackoff(opts.Backoff, opts.Jitter)}
	s.label = opts.Label
	if s.label == "" {
		s.label = "socket " + opts.Network + " " + opts.Address
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Label names the destination in diagnostics, e.g. "socket tcp 127.0.0.1:9020".
func (s *Socket) Label() string { return s.label }

// Write buffers one frame, connecting first if needed.
func (s *Socket) Write(frame []byte) error {
	if s.opts.Datagram {
		s.buf = append(s.buf[:0], frame...)
		return s.Flush()
	}
	if len(s.buf) > 0 && len(s.buf)+len(frame) > socketBatchSize {
		if err := s.Flush(); err != nil {
			return err // discarded: the buffered frames and this one
		}
	}
	if s.conn == nil {
		if err := s.connect(); err != nil {
			return err
		}
	}
	s.buf = append(s.buf, frame...)
	return nil
}

// Flush sends the buffered frames, reconnecting as the schedule allows.
// It returns an error wrapping loss.ErrDiscarded when it gave up on them.
func (s *Socket) Flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	if s.conn != nil && s.peerClosed() {
		s.breakConn(errPeerClosed)
	}
	for {
		if s.conn == nil {
			if err := s.connect(); err != nil {
				s.buf = s.buf[:0]
				return err
			}
		}
		if s.send() == nil {
			return nil
		}
	}
}

// BeginClose starts close()'s budget: from now on, waits and dials end at
// WriteTimeout + CloseGrace, and what cannot be sent by then is discarded.
func (s *Socket) BeginClose() {
	s.closeOnce.Do(func() {
		budget := s.opts.WriteTimeout + s.opts.CloseGrace
		s.closeDeadline.Store(s.now().Add(budget).UnixNano())
		s.closeTimer.Store(time.AfterFunc(budget, s.cancel))
	})
}

// Close sends what is buffered (within the close budget) and closes the
// connection.
func (s *Socket) Close() error {
	s.BeginClose()
	err := s.Flush()
	if t := s.closeTimer.Load(); t != nil {
		t.Stop()
	}
	s.cancel()
	if s.conn != nil {
		s.conn.Close()
		s.conn, s.nc = nil, nil
	}
	return err
}

// connect waits for a connection while the outage is within its deadline,
// making attempts as the backoff schedule allows.
func (s *Socket) connect() error {
	for {
		now := s.now()
		if s.closeExpired(now) {
			return s.discard("the handler closed before the records could be sent")
		}
		if s.bo.due(now) {
			err := s.dial()
			now = s.now()
			if err == nil {
				s.bo.connected(now)
				return nil
			}
			s.lastE = err.Error()
			s.bo.attemptFailed(now)
			report(s.opts.Diagnostics, s.label+": connect", err.Error())
		}
		if s.bo.pastDeadline(now) {
			return s.discard(fmt.Sprintf("no connection for %v (last error: %s)", s.opts.Backoff.Deadline, s.lastE))
		}
		if !s.sleepUntil(s.bo.waitUntil()) {
			return s.discard("the handler closed before the records could be sent")
		}
	}
}

// closeExpired reports whether a close has used up its budget. The budget's
// timer cancels ctx too; checking the time as well keeps a worker from
// reconnecting in the instant between the deadline and the timer.
func (s *Socket) closeExpired(now time.Time) bool {
	if s.ctx.Err() != nil {
		return true
	}
	cd := s.closeDeadline.Load()
	return cd != 0 && now.UnixNano() >= cd
}

// discard builds the error that makes the handler count records as dropped.
func (s *Socket) discard(why string) error {
	return fmt.Errorf("%s: %w", why, loss.ErrDiscarded)
}

// sleepUntil waits until t, or returns false early when a close ran out of
// time.
func (s *Socket) sleepUntil(t time.Time) bool {
	d := t.Sub(s.now())
	if d <= 0 {
		return s.ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// dial makes one connection attempt, TLS handshake included, within the
// connect timeout (and the close budget).
func (s *Socket) dial() error {
	ctx, cancel := context.WithTimeout(s.ctx, s.opts.ConnectTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, s.opts.Network, s.opts.Address)
	if err != nil {
		return err
	}
	nc, err := newNosignalConn(c)
	if err != nil {
		c.Close()
		return err
	}
	var conn net.Conn = nc
	if s.opts.TLS != nil {
		tc := tls.Client(nc, s.opts.TLS)
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return fmt.Errorf("TLS handshake: %w", err)
		}
		conn = tc
	}
	s.conn, s.nc = conn, nc
	return nil
}

// send writes the buffer. On failure it keeps the frames not fully sent
// and drops the connection.
func (s *Socket) send() error {
	deadline := s.now().Add(s.opts.WriteTimeout)
	if cd := s.closeDeadline.Load(); cd != 0 && cd < deadline.UnixNano() {
		deadline = time.Unix(0, cd)
	}
	s.conn.SetWriteDeadline(deadline)
	n, err := s.conn.Write(s.buf)
	if err == nil {
		s.buf = s.buf[:0]
		s.bo.sent()
		return nil
	}
	keep := s.opts.Frames(s.buf, n)
	s.buf = s.buf[:copy(s.buf, s.buf[keep:])]
	s.breakConn(err)
	return err
}

// lengthPrefixSize is the size of the big-endian length that starts each
// record a socket sends, unless Frames says otherwise: the frame format
// (package encode) writes it, the sink only splits bytes at it.
const lengthPrefixSize = 4

// unsentFrames returns the offset of the first frame of buf that the first
// n bytes do not cover completely.
func unsentFrames(buf []byte, n int) int {
	off := 0
	for off+lengthPrefixSize <= len(buf) {
		end := off + lengthPrefixSize + int(binary.BigEndian.Uint32(buf[off:]))
		if end > n {
			break
		}
		off = end
	}
	return off
}

// breakConn closes a connection that failed and starts the outage.
func (s *Socket) breakConn(err error) {
	report(s.opts.Diagnostics, s.label+": connection lost", err.Error())
	s.conn.Close()
	s.conn, s.nc = nil, nil
	s.bo.broken(s.now())
}

// peerClosed reports whether the receiver closed the connection while we
// were idle. Checking before each send means records logged after a
// receiver restart are not written into a dead connection and lost.
func (s *Socket) peerClosed() bool {
	closed, pending := s.nc.peek()
	if closed || !pending {
		return closed
	}
	tc, ok := s.conn.(*tls.Conn)
	if !ok {
		return false // a receiver sent data; it is alive
	}
	// TLS: read through the protocol (session tickets, or a close_notify
	// alert). A read timeout leaves the TLS connection usable.
	var scratch [512]byte
	tc.SetReadDeadline(s.now().Add(time.Millisecond))
	_, err := tc.Read(scratch[:])
	return err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
}
