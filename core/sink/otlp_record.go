package sink

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	"femtologging/core"
)

// This file maps a record to an OTLP LogRecord (the OpenTelemetry log data
// model), encoded by hand with protowire: the generated message types
// would allocate several objects per record, and the encoding of a few
// strings and integers is simple enough to keep exact. Field numbers are
// those of opentelemetry/proto/logs/v1/logs.proto and common/v1/common.proto;
// the tests decode the output with the generated types to hold them to it.

// Field numbers of the OTLP messages written here.
const (
	lrTimeUnixNano         protowire.Number = 1 // fixed64
	lrSeverityNumber       protowire.Number = 2 // enum
	lrSeverityText         protowire.Number = 3 // string
	lrBody                 protowire.Number = 5 // AnyValue
	lrAttributes           protowire.Number = 6 // repeated KeyValue
	lrObservedTimeUnixNano protowire.Number = 11

	kvKey   protowire.Number = 1
	kvValue protowire.Number = 2

	anyString protowire.Number = 1
	anyBool   protowire.Number = 2
	anyInt    protowire.Number = 3
	anyDouble protowire.Number = 4

	scopeLogsScope   protowire.Number = 1
	scopeLogsRecords protowire.Number = 2
	scopeName        protowire.Number = 1
)

// logFields are the parts of a record that the OTLP mapping reads. They
// are gathered in one place (fieldsOf) so that a field added to
// core.Record is mapped by filling it here; appendLogRecord already
// encodes every field below.
type logFields struct {
	TimeNs     int64
	Level      core.Level
	Body       []byte
	KeyValues  []core.KeyValue // attributes, in order, before the others
	ThreadID   uint64          // thread.id, when non-zero
	ThreadName string          // thread.name, when not empty
	FilePath   string          // code.file.path
	Line       uint32          // code.line.number, when non-zero
	Namespace  string          // code.namespace: the module
	Function   string          // code.function.name
	// Exception is the exception logged with the record as Python's
	// traceback module renders it; exception.type and exception.message
	// come from its last line (see splitException).
	Exception []byte
	// Stack is the stack the caller asked to log (stack_info).
	Stack []byte
}

// fieldsOf gathers what the mapping reads from rec. The caller fields are
// read only when the caller was captured (rec.HasCaller): otherwise they
// are empty and left out of the attributes.
func fieldsOf(rec *core.Record) logFields {
	f := logFields{
		TimeNs:     rec.TimeNs,
		Level:      rec.Level,
		Body:       rec.Message,
		KeyValues:  rec.KeyValues,
		ThreadID:   rec.ThreadID,
		ThreadName: rec.ThreadName,
		Exception:  rec.ExcText,
		Stack:      rec.StackText,
	}
	if rec.HasCaller {
		f.FilePath = rec.Pathname // the full path; rec.Filename is its base
		f.Line = rec.LineNumber
		f.Namespace = rec.ModulePath
		f.Function = rec.FuncName
	}
	return f
}

// severityNumber maps a level to the data model's SeverityNumber: each
// level is the first ("default") number of its range, CRITICAL is FATAL.
func severityNumber(l core.Level) uint64 {
	switch {
	case l <= core.LevelTrace:
		return 1 // TRACE
	case l <= core.LevelDebug:
		return 5 // DEBUG
	case l <= core.LevelInfo:
		return 9 // INFO
	case l <= core.LevelWarn:
		return 13 // WARN
	case l <= core.LevelError:
		return 17 // ERROR
	}
	return 21 // FATAL
}

// appendLogRecord appends f encoded as the body of a LogRecord message.
// Time and observed time are the same instant: the library observes the
// event when the caller logs it, as OpenTelemetry SDKs do.
func appendLogRecord(b []byte, f *logFields) []byte {
	if f.TimeNs > 0 {
		b = protowire.AppendTag(b, lrTimeUnixNano, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, uint64(f.TimeNs))
		b = protowire.AppendTag(b, lrObservedTimeUnixNano, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, uint64(f.TimeNs))
	}
	b = protowire.AppendTag(b, lrSeverityNumber, protowire.VarintType)
	b = protowire.AppendVarint(b, severityNumber(f.Level))
	b = appendStringField(b, lrSeverityText, f.Level.String())
	body := f.Body
	if !utf8.Valid(body) {
		body = []byte(validUTF8(string(body)))
	}
	b = protowire.AppendTag(b, lrBody, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(anyStringSize(len(body))))
	b = protowire.AppendTag(b, anyString, protowire.BytesType)
	b = protowire.AppendBytes(b, body)
	for _, kv := range f.KeyValues {
		b = appendAttr(b, lrAttributes, kv.Key, keyValueAttr(kv))
	}
	if f.ThreadID != 0 {
		b = appendIntAttr(b, "thread.id", int64(f.ThreadID))
	}
	b = appendStringAttr(b, "thread.name", f.ThreadName)
	b = appendStringAttr(b, "code.file.path", f.FilePath)
	if f.Line != 0 {
		b = appendIntAttr(b, "code.line.number", int64(f.Line))
	}
	b = appendStringAttr(b, "code.namespace", f.Namespace)
	b = appendStringAttr(b, "code.function.name", f.Function)
	if len(f.Exception) > 0 {
		typ, msg := splitException(f.Exception)
		b = appendStringAttr(b, "exception.type", typ)
		b = appendStringAttr(b, "exception.message", msg)
		b = appendStringAttr(b, "exception.stacktrace", string(f.Exception))
	}
	if len(f.Stack) > 0 {
		b = appendStringAttr(b, "code.stacktrace", string(f.Stack))
	}
	return b
}

// splitException takes the exception type and message from the last line
// of a Python traceback ("ValueError: bad value", "KeyError: 'k'", or a
// bare "StopIteration"). Text that is not shaped so gives no type and the
// whole last line as the message.
func splitException(text []byte) (typ, msg string) {
	s := strings.TrimRight(string(text), "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	name, rest, found := strings.Cut(s, ":")
	if isDottedName(name) {
		return name, strings.TrimSpace(rest)
	}
	if !found && isDottedName(strings.TrimSpace(s)) {
		return strings.TrimSpace(s), ""
	}
	return "", strings.TrimSpace(s)
}

// isDottedName reports whether s looks like a (qualified) class name.
func isDottedName(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for i, r := range part {
			if r != '_' && !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r)) {
				return false
			}
		}
	}
	return true
}

// appendStringField appends a string field; s must be valid UTF-8
// (see validUTF8).
func appendStringField(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

// anyStringSize is the encoded size of an AnyValue holding a string of n
// bytes.
func anyStringSize(n int) int {
	return protowire.SizeTag(anyString) + protowire.SizeBytes(n)
}

// validUTF8 replaces each invalid byte of s with U+FFFD. Protobuf strings
// must be valid UTF-8, and a message may carry anything (lone surrogates
// from Python, raw bytes from C); a collector would reject the whole
// request for one such record.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r) // invalid bytes decode as utf8.RuneError
	}
	return string(out)
}

// attrKind is the type of an attribute value.
type attrKind uint8

const (
	attrString attrKind = iota
	attrInt
	attrDouble
	attrBool
	attrEmpty // a value that is not set (Python's None)
)

// attrValue is one attribute value as the mapping encodes it.
type attrValue struct {
	kind attrKind
	str  string
	i    int64
	f    float64
}

// keyValueAttr maps one of the record's key-values to an attribute value
// of the same type: str -> string, int -> int, float -> double, bool ->
// bool, None -> an empty AnyValue. It is the one place that knows
// core.KeyValue's shape.
func keyValueAttr(kv core.KeyValue) attrValue {
	switch kv.Kind {
	case core.ValueInt:
		return attrValue{kind: attrInt, i: kv.Int}
	case core.ValueFloat:
		return attrValue{kind: attrDouble, f: kv.Float}
	case core.ValueBool:
		return attrValue{kind: attrBool, i: kv.Int}
	case core.ValueNone:
		return attrValue{kind: attrEmpty}
	}
	return attrValue{kind: attrString, str: kv.Str}
}

// appendStringAttr appends one attributes entry with a string value; an
// empty value means "not captured" and is left out.
func appendStringAttr(b []byte, key, value string) []byte {
	return appendKeyValue(b, lrAttributes, key, value)
}

// appendKeyValue appends field num holding a KeyValue with a string value,
// unless value is empty.
func appendKeyValue(b []byte, num protowire.Number, key, value string) []byte {
	if value == "" {
		return b
	}
	return appendAttr(b, num, key, attrValue{kind: attrString, str: value})
}

// appendIntAttr appends one attributes entry with an integer value.
func appendIntAttr(b []byte, key string, value int64) []byte {
	return appendAttr(b, lrAttributes, key, attrValue{kind: attrInt, i: value})
}

// appendAttr appends field num holding a KeyValue: key and v as an
// AnyValue (an empty AnyValue for attrEmpty).
func appendAttr(b []byte, num protowire.Number, key string, v attrValue) []byte {
	key = validUTF8(key)
	if v.kind == attrString {
		v.str = validUTF8(v.str)
	}
	anySize := anyValueSize(v)
	kvSize := protowire.SizeTag(kvKey) + protowire.SizeBytes(len(key)) +
		protowire.SizeTag(kvValue) + protowire.SizeBytes(anySize)
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(kvSize))
	b = appendStringField(b, kvKey, key)
	b = protowire.AppendTag(b, kvValue, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(anySize))
	switch v.kind {
	case attrString:
		b = appendStringField(b, anyString, v.str)
	case attrInt:
		b = protowire.AppendTag(b, anyInt, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(v.i))
	case attrDouble:
		b = protowire.AppendTag(b, anyDouble, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, math.Float64bits(v.f))
	case attrBool:
		b = protowire.AppendTag(b, anyBool, protowire.VarintType)
		b = protowire.AppendVarint(b, protowire.EncodeBool(v.i != 0))
	}
	return b
}

// anyValueSize is the encoded size of the AnyValue for v (string valid).
func anyValueSize(v attrValue) int {
	switch v.kind {
	case attrString:
		return anyStringSize(len(v.str))
	case attrInt:
		return protowire.SizeTag(anyInt) + protowire.SizeVarint(uint64(v.i))
	case attrDouble:
		return protowire.SizeTag(anyDouble) + protowire.SizeFixed64()
	case attrBool:
		return protowire.SizeTag(anyBool) + 1
	}
	return 0
}

// appendLengthPrefixed appends a field num whose message body is written
// by body, inserting the length once it is known: one pass, and one move
// of a body that is a few hundred bytes.
func appendLengthPrefixed(b []byte, num protowire.Number, body func([]byte) []byte) []byte {
	start := len(b)
	b = body(b)
	n := len(b) - start
	var prefix [16]byte
	p := protowire.AppendTag(prefix[:0], num, protowire.BytesType)
	p = protowire.AppendVarint(p, uint64(n))
	b = append(b, p...) // grow by the prefix
	copy(b[start+len(p):], b[start:start+n])
	copy(b[start:], p)
	return b
}

// OTLPFormatter encodes each record for the OTLP sink: the logger name
// (the instrumentation scope, as a uvarint length and the bytes) followed
// by the record as a ScopeLogs.log_records field, ready to be copied into
// a request. The sink groups records by scope without decoding them.
type OTLPFormatter struct {
	// MaxRecordSize discards (and counts) a record whose encoding is
	// larger: it could never fit in a request the collector accepts.
	MaxRecordSize int
}

// ErrRecordTooLarge is wrapped (with core.ErrDiscarded) by the error for a
// record larger than OTLPFormatter.MaxRecordSize.
var ErrRecordTooLarge = fmt.Errorf("record too large for an OTLP request")

// Format appends rec's envelope to dst.
func (f OTLPFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	start := len(dst)
	dst = protowire.AppendString(dst, rec.Logger)
	fields := fieldsOf(rec)
	dst = appendLengthPrefixed(dst, scopeLogsRecords, func(b []byte) []byte {
		return appendLogRecord(b, &fields)
	})
	if f.MaxRecordSize > 0 && len(dst)-start > f.MaxRecordSize {
		return dst[:start], fmt.Errorf("%d bytes, more than %d: %w: %w", len(dst)-start, f.MaxRecordSize, ErrRecordTooLarge, core.ErrDiscarded)
	}
	return dst, nil
}

// splitEnvelope takes a Format output apart: the scope name and the
// encoded log_records field.
func splitEnvelope(p []byte) (scope, field []byte, ok bool) {
	name, n := protowire.ConsumeBytes(p)
	if n < 0 {
		return nil, nil, false
	}
	return name, p[n:], true
}
