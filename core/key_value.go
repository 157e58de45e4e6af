package core

import (
	"math"
	"strconv"
	"strings"
)

// ValueKind is the type a key-value's value had in the caller's language.
// Python's str, int, float, bool and None are kept as such; anything else
// is converted to a string on the caller's thread.
type ValueKind uint8

// The kinds of KeyValue values. The numbers are the C API's
// FEMTOLOG_VALUE_* constants.
const (
	ValueString ValueKind = iota
	ValueInt
	ValueFloat
	ValueBool
	ValueNone
)

// KeyValue is one structured field of a record. Which of Str, Int and
// Float holds the value depends on Kind; a bool is Int 0 or 1.
type KeyValue struct {
	Key   string
	Kind  ValueKind
	Str   string
	Int   int64
	Float float64
}

// StringValue, IntValue, FloatValue, BoolValue and NoneValue build
// key-values of each kind.
func StringValue(key, v string) KeyValue { return KeyValue{Key: key, Kind: ValueString, Str: v} }

// IntValue builds an integer key-value.
func IntValue(key string, v int64) KeyValue { return KeyValue{Key: key, Kind: ValueInt, Int: v} }

// FloatValue builds a float key-value.
func FloatValue(key string, v float64) KeyValue {
	return KeyValue{Key: key, Kind: ValueFloat, Float: v}
}

// BoolValue builds a bool key-value.
func BoolValue(key string, v bool) KeyValue {
	kv := KeyValue{Key: key, Kind: ValueBool}
	if v {
		kv.Int = 1
	}
	return kv
}

// NoneValue builds a key-value whose value is None (JSON null).
func NoneValue(key string) KeyValue { return KeyValue{Key: key, Kind: ValueNone} }

// Bool returns the value of a ValueBool key-value.
func (kv KeyValue) Bool() bool { return kv.Int != 0 }

// AppendText appends the value as Python's str() shows it: True/False,
// None, and floats in repr form (1.0, 1e+16, inf, nan). Text destinations
// (syslog structured data, the format-string formatter) use it.
func (kv KeyValue) AppendText(dst []byte) []byte {
	switch kv.Kind {
	case ValueInt:
		return strconv.AppendInt(dst, kv.Int, 10)
	case ValueFloat:
		return AppendPyFloat(dst, kv.Float)
	case ValueBool:
		if kv.Bool() {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	case ValueNone:
		return append(dst, "None"...)
	}
	return append(dst, kv.Str...)
}

// Text returns AppendText as a string.
func (kv KeyValue) Text() string {
	if kv.Kind == ValueString {
		return kv.Str
	}
	return string(kv.AppendText(nil))
}

// AppendPyFloat appends f as Python's repr(float) writes it: the shortest
// digits that read back to f, in positional notation for decimal exponents
// from -4 to 15 and scientific ("1e+16", "1.5e-05") otherwise.
func AppendPyFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	// 'e' with -1 precision gives the shortest digits: d.ddddde±XX.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	if neg {
		dst = append(dst, '-')
	}
	if exp < -4 || exp >= 16 {
		dst = append(dst, digits[0])
		if len(digits) > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, "0."...)
		for i := 0; i < -exp-1; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	intLen := exp + 1
	if len(digits) <= intLen {
		dst = append(dst, digits...)
		for i := len(digits); i < intLen; i++ {
			dst = append(dst, '0')
		}
		return append(dst, ".0"...)
	}
	dst = append(dst, digits[:intLen]...)
	dst = append(dst, '.')
	return append(dst, digits[intLen:]...)
}
