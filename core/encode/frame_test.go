package encode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"sort"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"femtologging/core"
)

func sampleRecord() core.Record {
	return core.Record{
		Logger: "app.db", Level: core.LevelWarn, Message: []byte("disk 91% full"),
		TimeNs: 1_700_000_000_123_456_789, ThreadID: 42, ThreadName: "worker-1",
		Filename: "db.py", LineNumber: 17, ModulePath: "app.db",
		KeyValues: []core.KeyValue{core.StringValue("disk", "/dev/sda1")},
	}
}

func TestFrameFormatterWritesTheDocumentedMap(t *testing.T) {
	rec := sampleRecord()
	frame, err := NewFrameFormatter(DefaultMaxFrameSize).Format([]byte("prefix"), &rec)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(frame[:6]); got != "prefix" {
		t.Fatalf("got %q before the frame, want the caller's bytes kept", got)
	}
	frame = frame[6:]
	if got, want := int(binary.BigEndian.Uint32(frame)), len(frame)-FrameHeaderSize; got != want {
		t.Fatalf("got length prefix %d, want %d", got, want)
	}
	var m map[string]any
	if err := msgpack.Unmarshal(frame[FrameHeaderSize:], &m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	wantKeys := []string{"filename", "key_values", "level", "line_number", "logger", "message", "module_path", "thread_id", "thread_name", "timestamp_ns"}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Fatalf("got keys %v, want %v", keys, wantKeys)
	}
	tests := []struct {
		key  string
		want any
	}{
		{"logger", "app.db"}, {"level", "WARN"}, {"message", "disk 91% full"},
		{"timestamp_ns", uint64(1_700_000_000_123_456_789)}, {"filename", "db.py"},
		{"line_number", int8(17)}, {"module_path", "app.db"}, {"thread_id", int8(42)},
		{"thread_name", "worker-1"}, {"key_values", map[string]any{"disk": "/dev/sda1"}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := m[tt.key]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
	// timestamp_ns is always the 8-byte unsigned form (0xcf).
	i := bytes.Index(frame, []byte("timestamp_ns"))
	if got := frame[i+len("timestamp_ns")]; got != 0xcf {
		t.Errorf("got timestamp type byte %#x, want 0xcf (uint 64)", got)
	}
}

func TestFrameFormatterEncodesUnknownFieldsAsNil(t *testing.T) {
	rec := core.Record{Logger: "root", Level: core.LevelInfo, Message: []byte("hi"), TimeNs: 5}
	frame, err := NewFrameFormatter(DefaultMaxFrameSize).Format(nil, &rec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeFrame(frame[FrameHeaderSize:])
	if err != nil {
		t.Fatal(err)
	}
	if got.Filename != nil || got.LineNumber != nil || got.ModulePath != nil || got.ThreadName != nil {
		t.Errorf("got %+v, want nil filename, line_number, module_path and thread_name", got)
	}
	if got.KeyValues == nil || len(got.KeyValues) != 0 {
		t.Errorf("got key_values %#v, want an empty map", got.KeyValues)
	}
}

func TestFrameFormatterDiscardsOversizeFrames(t *testing.T) {
	rec := sampleRecord()
	full, _ := NewFrameFormatter(DefaultMaxFrameSize).Format(nil, &rec)
	size := len(full) - FrameHeaderSize
	tests := []struct {
		name    string
		limit   int
		discard bool
	}{
		{"exactly at the limit", size, false},
		{"one byte over", size - 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := NewFrameFormatter(tt.limit).Format([]byte("x"), &rec)
			if got := errors.Is(err, core.ErrDiscarded); got != tt.discard {
				t.Fatalf("got discarded %v (%v), want %v", got, err, tt.discard)
			}
			if tt.discard && string(out) != "x" {
				t.Errorf("got %q, want dst unchanged", out)
			}
		})
	}
}

func TestFrameFormatterDoesNotAllocate(t *testing.T) {
	rec := sampleRecord()
	f := NewFrameFormatter(DefaultMaxFrameSize)
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() { buf, _ = f.Format(buf[:0], &rec) })
	if allocs != 0 {
		t.Errorf("got %v allocations per frame, want 0", allocs)
	}
}

func TestReadFrame(t *testing.T) {
	rec := sampleRecord()
	frame, _ := NewFrameFormatter(DefaultMaxFrameSize).Format(nil, &rec)
	tests := []struct {
		name    string
		input   []byte
		max     int
		wantErr error
	}{
		{"whole frame", frame, 1 << 20, nil},
		{"clean end", nil, 1 << 20, io.EOF},
		{"cut inside", frame[:len(frame)-1], 1 << 20, io.ErrUnexpectedEOF},
		{"over the limit", frame, 8, ErrFrameTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := ReadFrame(bytes.NewReader(tt.input), nil, tt.max)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				got, derr := DecodeFrame(payload)
				if derr != nil || got.Message != "disk 91% full" {
					t.Errorf("got %+v, %v, want the sample record", got, derr)
				}
			}
		})
	}
}

func FuzzReadFrame(f *testing.F) {
	rec := sampleRecord()
	frame, _ := NewFrameFormatter(DefaultMaxFrameSize).Format(nil, &rec)
	f.Add(frame)
	f.Add([]byte{0, 0, 0, 1, 0xc0})
	f.Fuzz(func(t *testing.T, data []byte) {
		payload, err := ReadFrame(bytes.NewReader(data), nil, 1<<16)
		if err == nil {
			DecodeFrame(payload) // must not panic
		}
	})
}

func TestFrameCarriesRichRecordKeysOnlyWhenSet(t *testing.T) {
	rec := sampleRecord()
	rec.SetDetails(&core.RecordDetails{HasCaller: true, Pathname: "/srv/app/db.py", Filename: "db.py",
		Module: "db", FuncName: "query", LineNumber: 17, ExcText: []byte("Traceback\nValueError: x"),
		StackText: []byte("Stack (most recent call last):"), KeyValues: []core.KeyValue{
			core.IntValue("n", 3), core.FloatValue("f", 0.5), core.BoolValue("ok", true), core.NoneValue("none")}})
	frame, err := NewFrameFormatter(DefaultMaxFrameSize).Format(nil, &rec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeFrame(frame[FrameHeaderSize:])
	if err != nil {
		t.Fatal(err)
	}
	if *got.Pathname != "/srv/app/db.py" || *got.FuncName != "query" || *got.ExcText != "Traceback\nValueError: x" ||
		*got.StackInfo != "Stack (most recent call last):" {
		t.Errorf("got %+v", got)
	}
	// key_values keep their old type (str to str): values are Python's str().
	want := map[string]string{"n": "3", "f": "0.5", "ok": "True", "none": "None"}
	if !reflect.DeepEqual(got.KeyValues, want) {
		t.Errorf("key_values: got %v, want %v", got.KeyValues, want)
	}
	plain := sampleRecord()
	frame, _ = NewFrameFormatter(DefaultMaxFrameSize).Format(nil, &plain)
	var m map[string]any
	if err := msgpack.Unmarshal(frame[FrameHeaderSize:], &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"pathname", "func_name", "exc_text", "stack_info"} {
		if _, ok := m[k]; ok {
			t.Errorf("plain record's frame has %q", k)
		}
	}
}
