// Package sink holds the destinations handlers write formatted records to:
// standard streams, files, rotating files and sockets.
package sink

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"syscall"
)

// streamBufferSize is large enough to batch a burst of lines into a few
// write calls, small enough not to matter per handler.
const streamBufferSize = 64 << 10

// Stream writes to a duplicate of a standard stream's descriptor.
//
// Why a duplicate: Go's runtime turns EPIPE on its own descriptors 1 and 2
// into a SIGPIPE that kills the process (as in `python app.py | head -1`).
// On a duplicate, EPIPE is an ordinary write error: counted and reported.
type Stream struct {
	name string
	file *os.File
	w    *bufio.Writer
}

// NewStdStream opens a stream on a duplicate of fd (1 for stdout, 2 for
// stderr).
func NewStdStream(fd int) (*Stream, error) {
	name := fmt.Sprintf("fd %d", fd)
	switch fd {
	case 1:
		name = "stdout"
	case 2:
		name = "stderr"
	}
	dup, err := syscall.Dup(fd)
	if err != nil {
		return nil, fmt.Errorf("duplicate %s: %w", name, err)
	}
	syscall.CloseOnExec(dup)
	return NewStream(name, os.NewFile(uintptr(dup), name)), nil
}

// NewStream writes to file, which the Stream owns and closes.
func NewStream(name string, file *os.File) *Stream {
	return &Stream{name: name, file: file, w: bufio.NewWriterSize(file, streamBufferSize)}
}

// Write buffers one formatted record.
func (s *Stream) Write(p []byte) error {
	_, err := s.w.Write(p)
	if err != nil {
		s.w.Reset(s.file) // drop what could not be written, so the next write starts clean
		return fmt.Errorf("%s: %w", s.name, err)
	}
	return nil
}

// Flush writes the buffer to the descriptor.
func (s *Stream) Flush() error {
	if err := s.w.Flush(); err != nil {
		s.w.Reset(s.file)
		return fmt.Errorf("%s: %w", s.name, err)
	}
	return nil
}

// Close flushes and closes the duplicate descriptor; the process's own
// stdout or stderr stays open.
func (s *Stream) Close() error {
	ferr := s.Flush()
	cerr := s.file.Close()
	if ferr != nil {
		return ferr
	}
	if cerr != nil {
		return fmt.Errorf("%s: %w", s.name, cerr)
	}
	return nil
}

// DupWriter returns a writer on a duplicate of fd for diagnostics, so that
// reporting a broken stderr can never raise SIGPIPE either.
func DupWriter(fd int) (io.Writer, error) {
	dup, err := syscall.Dup(fd)
	if err != nil {
		return nil, err
	}
	syscall.CloseOnExec(dup)
	return os.NewFile(uintptr(dup), fmt.Sprintf("fd %d (dup)", fd)), nil
}
