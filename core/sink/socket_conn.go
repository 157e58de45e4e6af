package sink

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// errPeerClosed reports a connection the receiver closed while we were idle.
var errPeerClosed = errors.New("connection closed by the receiver")

// nosignalConn is a stream socket whose writes use send(2) with
// MSG_NOSIGNAL: a peer that went away gives EPIPE, never a SIGPIPE that
// would kill a host program (C programs keep SIGPIPE's default action).
// Deadlines still apply: RawConn.Write waits through Go's poller.
type nosignalConn struct {
	net.Conn
	raw syscall.RawConn
}

// newNosignalConn wraps a TCP or Unix connection.
func newNosignalConn(c net.Conn) (*nosignalConn, error) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil, fmt.Errorf("%T has no file descriptor", c)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	return &nosignalConn{Conn: c, raw: raw}, nil
}

// Write sends all of p or returns how much went out and why the rest did
// not (EPIPE, ECONNRESET, or os.ErrDeadlineExceeded from the poller).
func (c *nosignalConn) Write(p []byte) (int, error) {
	var n int
	var sendErr error
	err := c.raw.Write(func(fd uintptr) bool {
		for n < len(p) {
			m, e := syscall.SendmsgN(int(fd), p[n:], nil, nil, syscall.MSG_NOSIGNAL)
			if m > 0 {
				n += m
			}
			switch e {
			case nil:
			case syscall.EINTR:
			case syscall.EAGAIN:
				return false // wait until writable (or the deadline)
			default:
				sendErr = e
				return true
			}
		}
		return true
	})
	if sendErr != nil {
		err = sendErr
	}
	if err != nil {
		return n, &net.OpError{Op: "write", Net: c.LocalAddr().Network(), Addr: c.RemoteAddr(), Err: err}
	}
	return n, nil
}

// peek looks at the receive side without blocking. Receivers never send,
// so end of stream or an error means the peer closed; pending data (TLS
// session tickets) means the caller must read through its protocol layer
// to find out.
func (c *nosignalConn) peek() (closed, pending bool) {
	var b [1]byte
	c.raw.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == syscall.EAGAIN || err == syscall.EINTR:
		case err != nil, n == 0:
			closed = true
		default:
			pending = true
		}
		return true // never wait
	})
	return closed, pending
}
