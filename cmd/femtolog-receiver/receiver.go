package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"femtologging/core/encode"
)

// Output formats.
const (
	formatText  = "text"  // one line per record: time logger [LEVEL] message
	formatJSON  = "json"  // one JSON object per record, the frame's map
	formatCount = "count" // frames are counted, not decoded or written
)

// receiver accepts connections on its listeners and writes every record
// it decodes to one output, so many processes can log to one file.
type receiver struct {
	format   string
	maxFrame int
	// expect, when > 0, closes done once that many frames arrived.
	expect uint64
	// untilIdle closes done when the last open connection closes.
	untilIdle bool
	errOut    io.Writer

	mu  sync.Mutex // serialises out between connections
	out *bufio.Writer

	frames  atomic.Uint64
	done    chan struct{}
	doneOne sync.Once

	lnMu      sync.Mutex
	listeners []net.Listener
	conns     map[net.Conn]struct{}
	wg        sync.WaitGroup
}

func newReceiver(out io.Writer, errOut io.Writer, format string, maxFrame int, expect uint64) (*receiver, error) {
	switch format {
	case formatText, formatJSON, formatCount:
	default:
		return nil, fmt.Errorf("format %q: want %q, %q or %q", format, formatText, formatJSON, formatCount)
	}
	return &receiver{
		format: format, maxFrame: maxFrame, expect: expect, errOut: errOut,
		out: bufio.NewWriterSize(out, 64<<10), done: make(chan struct{}),
		conns: map[net.Conn]struct{}{},
	}, nil
}

// serve accepts connections on ln until it is closed.
func (r *receiver) serve(ln net.Listener) {
	r.lnMu.Lock()
	r.listeners = append(r.listeners, ln)
	r.lnMu.Unlock()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.lnMu.Lock()
			r.conns[c] = struct{}{}
			r.lnMu.Unlock()
			r.wg.Add(1)
			go r.read(c)
		}
	}()
}

// read decodes the frames of one connection.
func (r *receiver) read(c net.Conn) {
	defer r.wg.Done()
	defer func() {
		r.lnMu.Lock()
		delete(r.conns, c)
		idle := len(r.conns) == 0
		r.lnMu.Unlock()
		c.Close()
		if idle && r.untilIdle {
			r.finish()
		}
	}()
	in := bufio.NewReaderSize(c, 64<<10)
	var buf []byte
	for {
		var err error
		buf, err = encode.ReadFrame(in, buf, r.maxFrame)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				fmt.Fprintf(r.errOut, "femtolog-receiver: %s: %v\n", c.RemoteAddr(), err)
			}
			r.flush()
			return
		}
		if err := r.record(buf); err != nil {
			fmt.Fprintf(r.errOut, "femtolog-receiver: %s: %v\n", c.RemoteAddr(), err)
			r.flush()
			return // a stream that does not decode cannot be resynchronised
		}
		if in.Buffered() == 0 {
			r.flush() // write in batches: whenever the sender pauses
		}
		if n := r.frames.Add(1); r.expect > 0 && n >= r.expect {
			r.finish()
		}
	}
}

// record writes one frame's record in the output format.
func (r *receiver) record(payload []byte) error {
	if r.format == formatCount {
		return nil
	}
	rec, err := encode.DecodeFrame(payload)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.format == formatJSON {
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		r.out.Write(b)
		return r.out.WriteByte('\n')
	}
	ts := time.Unix(0, int64(rec.TimestampNs)).UTC().Format(time.RFC3339Nano)
	_, err = fmt.Fprintf(r.out, "%s %s [%s] %s%s\n", ts, rec.Logger, rec.Level, rec.Message, textDetails(&rec))
	return err
}

// textDetails renders what rich records add, for the text output: the
// key-values (sorted) and the exception and stack text on lines of their
// own, as a format-string formatter appends them.
func textDetails(rec *encode.FrameRecord) string {
	var b strings.Builder
	keys := make([]string, 0, len(rec.KeyValues))
	for k := range rec.KeyValues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%q", k, rec.KeyValues[k])
	}
	for _, text := range []*string{rec.ExcText, rec.StackInfo} {
		if text != nil && *text != "" {
			b.WriteString("\n")
			b.WriteString(*text)
		}
	}
	return b.String()
}

// finish flushes the output and tells run to stop.
func (r *receiver) finish() {
	r.flush()
	r.doneOne.Do(func() { close(r.done) })
}

func (r *receiver) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.out.Flush(); err != nil {
		fmt.Fprintf(r.errOut, "femtolog-receiver: write: %v\n", err)
	}
}

// close stops accepting, closes every connection and waits for the
// readers, then flushes the output.
func (r *receiver) close() {
	r.lnMu.Lock()
	for _, ln := range r.listeners {
		ln.Close()
	}
	for c := range r.conns {
		c.Close()
	}
	r.lnMu.Unlock()
	r.wg.Wait()
	r.flush()
}
