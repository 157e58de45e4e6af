// Package otlpwire writes the parts of OTLP protobuf messages that both the
// record encoder (package encode) and the OTLP sink (package sink) write:
// strings, attributes (KeyValue with an AnyValue), length-prefixed fields,
// and the envelope the encoder hands the sink. It knows no record type, so
// the sink stays free of core.Record. Encoding by hand with protowire keeps
// a record to a few appends and no allocation.
package otlpwire

import (
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the OTLP messages written here and by the encoder
// (opentelemetry/proto common/v1/common.proto and logs/v1/logs.proto).
const (
	kvKey   protowire.Number = 1
	kvValue protowire.Number = 2

	// AnyString is AnyValue.string_value.
	AnyString protowire.Number = 1
	anyBool   protowire.Number = 2
	anyInt    protowire.Number = 3
	anyDouble protowire.Number = 4

	// ScopeLogsScope is ScopeLogs.scope.
	ScopeLogsScope protowire.Number = 1
	// ScopeLogsRecords is ScopeLogs.log_records.
	ScopeLogsRecords protowire.Number = 2
	// ScopeName is InstrumentationScope.name.
	ScopeName protowire.Number = 1
)

// AppendStringField appends a string field; s must be valid UTF-8
// (see ValidUTF8).
func AppendStringField(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

// AnyStringSize is the encoded size of an AnyValue holding a string of n
// bytes.
func AnyStringSize(n int) int {
	return protowire.SizeTag(AnyString) + protowire.SizeBytes(n)
}

// ValidUTF8 replaces each invalid byte of s with U+FFFD. Protobuf strings
// must be valid UTF-8, and a message may carry anything (lone surrogates
// from Python, raw bytes from C); a collector would reject the whole
// request for one such record.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r) // invalid bytes decode as utf8.RuneError
	}
	return string(out)
}

// AttrKind is the type of an attribute value.
type AttrKind uint8

// The attribute value types: AnyValue's string, int, double and bool
// values, and an AnyValue with none set.
const (
	AttrString AttrKind = iota
	AttrInt
	AttrDouble
	AttrBool
	AttrEmpty // a value that is not set (Python's None)
)

// AttrValue is one attribute value as the mapping encodes it.
type AttrValue struct {
	Kind  AttrKind
	Str   string
	Int   int64 // AttrInt's value; AttrBool's, as 0 or 1
	Float float64
}

// AppendKeyValue appends field num holding a KeyValue with a string value,
// unless value is empty.
func AppendKeyValue(b []byte, num protowire.Number, key, value string) []byte {
	if value == "" {
		return b
	}
	return AppendAttr(b, num, key, AttrValue{Kind: AttrString, Str: value})
}

// AppendAttr appends field num holding a KeyValue: key and v as an
// AnyValue (an empty AnyValue for AttrEmpty).
func AppendAttr(b []byte, num protowire.Number, key string, v AttrValue) []byte {
	key = ValidUTF8(key)
	if v.Kind == AttrString {
		v.Str = ValidUTF8(v.Str)
	}
	anySize := AnyValueSize(v)
	kvSize := protowire.SizeTag(kvKey) + protowire.SizeBytes(len(key)) +
		protowire.SizeTag(kvValue) + protowire.SizeBytes(anySize)
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(kvSize))
	b = AppendStringField(b, kvKey, key)
	b = protowire.AppendTag(b, kvValue, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(anySize))
	switch v.Kind {
	case AttrString:
		b = AppendStringField(b, AnyString, v.Str)
	case AttrInt:
		b = protowire.AppendTag(b, anyInt, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(v.Int))
	case AttrDouble:
		b = protowire.AppendTag(b, anyDouble, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, math.Float64bits(v.Float))
	case AttrBool:
		b = protowire.AppendTag(b, anyBool, protowire.VarintType)
		b = protowire.AppendVarint(b, protowire.EncodeBool(v.Int != 0))
	}
	return b
}

// AnyValueSize is the encoded size of the AnyValue for v (string valid).
func AnyValueSize(v AttrValue) int {
	switch v.Kind {
	case AttrString:
		return AnyStringSize(len(v.Str))
	case AttrInt:
		return protowire.SizeTag(anyInt) + protowire.SizeVarint(uint64(v.Int))
	case AttrDouble:
		return protowire.SizeTag(anyDouble) + protowire.SizeFixed64()
	case AttrBool:
		return protowire.SizeTag(anyBool) + 1
	}
	return 0
}

// AppendLengthPrefixed appends a field num whose message body is written
// by body, inserting the length once it is known: one pass, and one move
// of a body that is a few hundred bytes.
func AppendLengthPrefixed(b []byte, num protowire.Number, body func([]byte) []byte) []byte {
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

// SplitEnvelope takes a Format output apart: the scope name and the
// encoded log_records field.
func SplitEnvelope(p []byte) (scope, field []byte, ok bool) {
	name, n := protowire.ConsumeBytes(p)
	if n < 0 {
		return nil, nil, false
	}
	return name, p[n:], true
}
