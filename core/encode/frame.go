package encode

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/vmihailenco/msgpack/v5"

	"femtologging/core"
)

// FrameHeaderSize is the size of a frame's big-endian length prefix.
const FrameHeaderSize = 4

// DefaultMaxFrameSize is the default limit on a frame's payload (the
// MessagePack map, without the length prefix): one MiB, as the user guide
// says.
const DefaultMaxFrameSize = 1 << 20

// MaxFrameLimit is the largest payload a 4-byte length prefix can describe.
const MaxFrameLimit = 1<<32 - 1

// ErrFrameTooLarge reports a frame whose payload exceeds the limit.
var ErrFrameTooLarge = errors.New("frame too large")

// frameKeys is the number of keys of every frame's map; see docs/socket-frames.md.
const frameKeys = 10

// FrameFormatter encodes each record as one socket frame: a 4-byte
// big-endian payload length, then a MessagePack map with the keys logger,
// level, message, timestamp_ns, filename, line_number, module_path,
// thread_id, thread_name and key_values.
//
// A record whose payload would exceed MaxFrameSize is discarded (an error
// wrapping core.ErrDiscarded, counted as dropped), never sent truncated.
// A FrameFormatter reuses its encoder: one per handler, used by its worker
// only.
type FrameFormatter struct {
	MaxFrameSize int
	enc          *msgpack.Encoder
	w            appendWriter
	text         []byte // scratch for key-values rendered as text
}

// NewFrameFormatter returns a formatter with the given payload limit.
func NewFrameFormatter(maxFrameSize int) *FrameFormatter {
	f := &FrameFormatter{MaxFrameSize: maxFrameSize}
	f.enc = msgpack.NewEncoder(&f.w)
	return f
}

// Format appends rec's frame to dst.
func (f *FrameFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	start := len(dst)
	f.w.buf = append(dst, 0, 0, 0, 0)
	err := f.encode(rec)
	out := f.w.buf
	f.w.buf = nil
	if err != nil {
		return out[:start], fmt.Errorf("encode frame: %w", err)
	}
	size := len(out) - start - FrameHeaderSize
	if size > f.MaxFrameSize {
		return out[:start], fmt.Errorf("frame of %d bytes exceeds max_frame_size %d: %w", size, f.MaxFrameSize, core.ErrDiscarded)
	}
	binary.BigEndian.PutUint32(out[start:], uint32(size))
	return out, nil
}

// encode writes the map. Optional fields the record lacks are nil, so a
// reader can tell "unknown" from an empty value.
func (f *FrameFormatter) encode(rec *core.Record) error {
	e := f.enc
	e.EncodeMapLen(frameKeys + detailKeys(rec))
	e.EncodeString("logger")
	e.EncodeString(rec.Logger)
	e.EncodeString("level")
	e.EncodeString(rec.Level.String())
	e.EncodeString("message")
	e.EncodeString(bytesAsString(rec.Message))
	e.EncodeString("timestamp_ns")
	// Always the 8-byte unsigned form: readers get a uint64 whatever the value.
	e.EncodeUint64(uint64(rec.TimeNs))
	e.EncodeString("filename")
	encodeOptionalString(e, rec.Filename)
	e.EncodeString("line_number")
	if rec.LineNumber > 0 {
		e.EncodeUint(uint64(rec.LineNumber))
	} else {
		e.EncodeNil()
	}
	e.EncodeString("module_path")
	encodeOptionalString(e, rec.ModulePath)
	e.EncodeString("thread_id")
	e.EncodeUint(rec.ThreadID)
	e.EncodeString("thread_name")
	encodeOptionalString(e, rec.ThreadName)
	e.EncodeString("key_values")
	e.EncodeMapLen(len(rec.KeyValues))
	for _, kv := range rec.KeyValues {
		e.EncodeString(kv.Key)
		if kv.Kind == core.ValueString {
			e.EncodeString(kv.Str)
		} else {
			f.text = kv.AppendText(f.text[:0])
			e.EncodeString(bytesAsString(f.text))
		}
	}
	// Keys added with rich records (issue 11): present only when set, so
	// a plain record's frame is what it always was.
	encodeDetail(e, "pathname", rec.Pathname)
	encodeDetail(e, "func_name", rec.FuncName)
	encodeDetail(e, "exc_text", bytesAsString(rec.ExcText))
	encodeDetail(e, "stack_info", bytesAsString(rec.StackText))
	return nil // appendWriter never fails
}

// detailKeys counts the optional detail keys rec's frame carries.
func detailKeys(rec *core.Record) int {
	n := 0
	for _, present := range [...]bool{rec.Pathname != "", rec.FuncName != "", len(rec.ExcText) != 0, len(rec.StackText) != 0} {
		if present {
			n++
		}
	}
	return n
}

// encodeDetail writes key and s when s is not empty.
func encodeDetail(e *msgpack.Encoder, key, s string) {
	if s != "" {
		e.EncodeString(key)
		e.EncodeString(s)
	}
}

func encodeOptionalString(e *msgpack.Encoder, s string) {
	if s == "" {
		e.EncodeNil()
		return
	}
	e.EncodeString(s)
}

// bytesAsString views b as a string without copying: the encoder only
// reads it during the call, so no string outlives the record's buffer.
func bytesAsString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// appendWriter is the encoder's destination: it appends to a byte slice,
// so encoding a frame does not allocate once the slice has grown.
type appendWriter struct{ buf []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	return len(p), nil
}

func (w *appendWriter) WriteByte(c byte) error {
	w.buf = append(w.buf, c)
	return nil
}

// FrameRecord is a decoded frame, for receivers and tests.
type FrameRecord struct {
	Logger      string            `msgpack:"logger" json:"logger"`
	Level       string            `msgpack:"level" json:"level"`
	Message     string            `msgpack:"message" json:"message"`
	TimestampNs uint64            `msgpack:"timestamp_ns" json:"timestamp_ns"`
	Filename    *string           `msgpack:"filename" json:"filename"`
	LineNumber  *uint32           `msgpack:"line_number" json:"line_number"`
	ModulePath  *string           `msgpack:"module_path" json:"module_path"`
	ThreadID    uint64            `msgpack:"thread_id" json:"thread_id"`
	ThreadName  *string           `msgpack:"thread_name" json:"thread_name"`
	KeyValues   map[string]string `msgpack:"key_values" json:"key_values"`
	Pathname    *string           `msgpack:"pathname" json:"pathname"`
	FuncName    *string           `msgpack:"func_name" json:"func_name"`
	ExcText     *string           `msgpack:"exc_text" json:"exc_text"`
	StackInfo   *string           `msgpack:"stack_info" json:"stack_info"`
}

// ReadFrame reads one frame's payload from r into buf (grown as needed)
// and returns it. It returns io.EOF at a clean end between frames,
// io.ErrUnexpectedEOF inside one, and ErrFrameTooLarge (without reading
// the payload) when the length exceeds maxSize.
func ReadFrame(r io.Reader, buf []byte, maxSize int) ([]byte, error) {
	var head [FrameHeaderSize]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return buf, err
	}
	n := binary.BigEndian.Uint32(head[:])
	if uint64(n) > uint64(maxSize) {
		return buf, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, n, maxSize)
	}
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return buf, err
	}
	return buf, nil
}

// DecodeFrame decodes a frame's payload.
func DecodeFrame(payload []byte) (FrameRecord, error) {
	var rec FrameRecord
	if err := msgpack.Unmarshal(payload, &rec); err != nil {
		return FrameRecord{}, fmt.Errorf("decode frame: %w", err)
	}
	return rec, nil
}

var _ core.Formatter = (*FrameFormatter)(nil)
