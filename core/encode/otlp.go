package encode

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	"femtologging/core"
	"femtologging/core/otlpwire"
)

// This file maps a record to an OTLP LogRecord (the OpenTelemetry log data
// model), encoded by hand with protowire: the generated message types
// would allocate several objects per record, and the encoding of a few
// strings and integers is simple enough to keep exact. Field numbers are
// those of opentelemetry/proto/logs/v1/logs.proto and common/v1/common.proto;
// the tests decode the output with the generated types to hold them to it.

// Field numbers of LogRecord (opentelemetry/proto/logs/v1/logs.proto).
const (
	lrTimeUnixNano         protowire.Number = 1 // fixed64
	lrSeverityNumber       protowire.Number = 2 // enum
	lrSeverityText         protowire.Number = 3 // string
	lrBody                 protowire.Number = 5 // AnyValue
	lrAttributes           protowire.Number = 6 // repeated KeyValue
	lrObservedTimeUnixNano protowire.Number = 11
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
	b = otlpwire.AppendStringField(b, lrSeverityText, f.Level.String())
	body := f.Body
	if !utf8.Valid(body) {
		body = []byte(otlpwire.ValidUTF8(string(body)))
	}
	b = protowire.AppendTag(b, lrBody, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(otlpwire.AnyStringSize(len(body))))
	b = protowire.AppendTag(b, otlpwire.AnyString, protowire.BytesType)
	b = protowire.AppendBytes(b, body)
	for _, kv := range f.KeyValues {
		b = otlpwire.AppendAttr(b, lrAttributes, kv.Key, keyValueAttr(kv))
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

// keyValueAttr maps one of the record's key-values to an attribute value
// of the same type: str -> string, int -> int, float -> double, bool ->
// bool, None -> an empty AnyValue. It is the one place that knows
// core.KeyValue's shape.
func keyValueAttr(kv core.KeyValue) otlpwire.AttrValue {
	switch kv.Kind {
	case core.ValueInt:
		return otlpwire.AttrValue{Kind: otlpwire.AttrInt, Int: kv.Int}
	case core.ValueFloat:
		return otlpwire.AttrValue{Kind: otlpwire.AttrDouble, Float: kv.Float}
	case core.ValueBool:
		return otlpwire.AttrValue{Kind: otlpwire.AttrBool, Int: kv.Int}
	case core.ValueNone:
		return otlpwire.AttrValue{Kind: otlpwire.AttrEmpty}
	}
	return otlpwire.AttrValue{Kind: otlpwire.AttrString, Str: kv.Str}
}

// appendStringAttr appends one attributes entry with a string value; an
// empty value means "not captured" and is left out.
func appendStringAttr(b []byte, key, value string) []byte {
	return otlpwire.AppendKeyValue(b, lrAttributes, key, value)
}

// appendIntAttr appends one attributes entry with an integer value.
func appendIntAttr(b []byte, key string, value int64) []byte {
	return otlpwire.AppendAttr(b, lrAttributes, key, otlpwire.AttrValue{Kind: otlpwire.AttrInt, Int: value})
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
	dst = otlpwire.AppendLengthPrefixed(dst, otlpwire.ScopeLogsRecords, func(b []byte) []byte {
		return appendLogRecord(b, &fields)
	})
	if f.MaxRecordSize > 0 && len(dst)-start > f.MaxRecordSize {
		return dst[:start], fmt.Errorf("%d bytes, more than %d: %w: %w", len(dst)-start, f.MaxRecordSize, ErrRecordTooLarge, core.ErrDiscarded)
	}
	return dst, nil
}

var _ core.Formatter = OTLPFormatter{}
