// Package sink holds the destinations handlers write formatted records to:
// standard streams, files, rotating files and sockets.
package sink

import (
	"errors"
	"fmt"
	"io"
	"syscall"
	"time"

	"femtologging/core/loss"
)

// streamBufferSize is large enough to batch a burst of lines into a few
// write calls, small enough not to matter per handler.
const streamBufferSize = 64 << 10

// stallTimeout bounds how long a write waits for a non-blocking
// descriptor (a terminal or pipe someone set O_NONBLOCK on) to take more.
const stallTimeout = time.Second

// Stream writes to a standard stream: whatever descriptor 1 or 2 is when
// the records are written, not when the handler was built, so a later
// dup2 (pytest's capfd, a daemon redirecting its output, a supervisor
// swapping descriptors) is followed.
//
// It writes with the write system call, never through Go's os.Stdout or
// os.Stderr: Go turns EPIPE on those into a SIGPIPE that kills the process
// (as in `python app.py | head -1`). A raw write's EPIPE is an ordinary
// error (the signal the kernel sends is ignored by Go's handler), counted
// by the handler.
type Stream struct {
	name  string
	write func(p []byte) (int, error)
	buf   recordBuffer
}

// NewStdStream opens a stream on descriptor fd (1 for stdout, 2 for
// stderr), looked up at each write.
func NewStdStream(fd int) (*Stream, error) {
	name := fmt.Sprintf("fd %d", fd)
	switch fd {
	case 1:
		name = "stdout"
	case 2:
		name = "stderr"
	}
	return newStream(name, fdWriter(fd).Write), nil
}

func newStream(name string, write func(p []byte) (int, error)) *Stream {
	return &Stream{name: name, write: write, buf: newRecordBuffer(streamBufferSize)}
}

// Write buffers one formatted record, writing the buffer first when the
// record would not fit.
func (s *Stream) Write(p []byte) error {
	if len(s.buf.b)+len(p) > streamBufferSize && s.buf.records() > 0 {
		if err := s.writeBuffer(); err != nil {
			return alsoLost(err)
		}
	}
	s.buf.add(p)
	if len(s.buf.b) >= streamBufferSize {
		return s.writeBuffer()
	}
	return nil
}

// Flush writes the buffer to the descriptor.
func (s *Stream) Flush() error { return s.writeBuffer() }

// writeBuffer writes the buffered records; on error it drops them and
// counts those not written whole.
func (s *Stream) writeBuffer() error {
	if s.buf.records() == 0 {
		return nil
	}
	n, err := s.write(s.buf.b)
	if err == nil {
		s.buf.reset()
		return nil
	}
	kept, _ := s.buf.whole(n)
	lost := s.buf.records() - kept
	s.buf.reset()
	return &loss.LostRecordsError{Lost: lost, Err: fmt.Errorf("%s: %w", s.name, err)}
}

// Close flushes; the process's own stdout or stderr stays open.
func (s *Stream) Close() error { return s.Flush() }

// fdWriter writes to a descriptor number with the write system call.
type fdWriter int

// Write writes all of p, retrying after interrupted and short writes and
// waiting (up to stallTimeout per stall) when the descriptor is
// non-blocking and full.
func (fd fdWriter) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		n, err := syscall.Write(int(fd), p[done:])
		if n > 0 {
			done += n
		}
		switch {
		case err == nil && n == 0:
			return done, io.ErrShortWrite
		case err == nil, errors.Is(err, syscall.EINTR):
		case errors.Is(err, syscall.EAGAIN):
			if werr := waitWritable(int(fd), stallTimeout); werr != nil {
				return done, werr
			}
		default:
			return done, err
		}
	}
	return done, nil
}

// waitWritable waits up to timeout for fd to take more bytes.
func waitWritable(fd int, timeout time.Duration) error {
	var set syscall.FdSet
	if fd < 0 || fd >= len(set.Bits)*64 {
		return syscall.EAGAIN
	}
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("stalled for %v: %w", timeout, syscall.EAGAIN)
		}
		set = syscall.FdSet{}
		set.Bits[fd/64] |= 1 << (uint(fd) % 64)
		tv := syscall.NsecToTimeval(left.Nanoseconds())
		n, err := syscall.Select(fd+1, nil, &set, nil, &tv)
		switch {
		case err == nil && n > 0:
			return nil
		case err == nil, errors.Is(err, syscall.EINTR):
		default:
			return err
		}
	}
}

// FDWriter returns a writer on descriptor fd as it is at each write, for
// diagnostics: reports follow a redirected stderr like stream handlers do,
// and a broken stderr is an error, never a SIGPIPE.
func FDWriter(fd int) io.Writer { return fdWriter(fd) }
