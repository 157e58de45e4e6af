// Package config turns JSON documents into handlers and whole logging
// configurations. Every front end (Python builders, basicConfig,
// dictConfig, fileConfig, C programs) ends here, so validation and its
// messages are the same everywhere.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"femtologging/core"
)

// ErrInvalid wraps every validation failure; messages start with the JSON
// path of the bad item, e.g. `$.handlers.console.capacity: 0: must be
// greater than zero`.
var ErrInvalid = errors.New("invalid configuration")

// Error is a validation failure at a JSON path.
type Error struct {
	Path string
	Msg  string
	// Reason is set by the value rules (see badValue): why the value
	// breaks its rule, without the path or the value, e.g. `must not be
	// negative` or `want "gzip" or "none"`. CheckValue's callers word
	// their own message from it, showing the value as their users wrote it.
	Reason string
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

// Unwrap lets errors.Is match ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }

// errorf builds an Error at path.
func errorf(path, format string, args ...any) error {
	return &Error{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// badValue reports a value at path that breaks its rule: the message is
// the value as the spec spelt it (strings quoted) and the reason.
func badValue(path string, value any, reason string) error {
	shown := fmt.Sprint(value)
	if text, ok := value.(string); ok {
		shown = strconv.Quote(text)
	}
	return &Error{Path: path, Msg: shown + ": " + reason, Reason: reason}
}

// decodeStrict decodes data into v, rejecting unknown fields (keys are
// matched exactly, see checkKeys) and trailing data, and reports failures
// at path.
func decodeStrict(path string, data []byte, v any) error {
	if err := checkKeys(path, data, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return jsonError(path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(path, "unexpected data after the document")
	}
	return nil
}

// jsonError reports a decoding failure at the path of the bad item: a
// value of the wrong type at path.field (e.g. `$.capacity: got JSON
// string, want an integer`), anything else at path.
func jsonError(path string, err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if field := jsonFieldPath(typeErr.Field); field != "" {
			path += "." + field
		}
		return errorf(path, "got JSON %s, want %s", typeErr.Value, jsonTypeName(typeErr.Type.Kind().String()))
	}
	return errorf(path, "%s", describeJSONError(err))
}

// embeddedSpecs are the Go names of structs embedded in handler specs:
// encoding/json puts them in a field's path, but they are not JSON keys.
var embeddedSpecs = map[string]bool{"formattedSpec": true, "queueSpec": true}

// jsonFieldPath is encoding/json's field path without embedded struct names.
func jsonFieldPath(field string) string {
	parts := strings.Split(field, ".")
	kept := parts[:0]
	for _, p := range parts {
		if !embeddedSpecs[p] {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

// describeJSONError rewrites encoding/json's messages into ones that name
// the field, without Go type names.
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := jsonFieldPath(typeErr.Field)
		if field == "" {
			field = "value"
		}
		return fmt.Sprintf("field %q: got JSON %s, want %s", field, typeErr.Value, jsonTypeName(typeErr.Type.Kind().String()))
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "unknown field " + rest
	}
	return strings.TrimPrefix(msg, "json: ")
}

func jsonTypeName(goKind string) string {
	switch goKind {
	case "int", "int32", "int64":
		return "an integer"
	case "uint", "uint32", "uint64", "uint16":
		return "a non-negative integer"
	case "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "map", "struct":
		return "an object"
	case "slice":
		return "an array"
	}
	return goKind
}

// positive checks that an optional integer field, when present, is > 0.
func positive(path, field string, v *int) error {
	if v != nil && *v <= 0 {
		return badValue(path+"."+field, *v, "must be greater than zero")
	}
	return nil
}

// nonNegative checks that an integer field is >= 0.
func nonNegative[T int | int64](path, field string, v T) error {
	if v < 0 {
		return badValue(path+"."+field, v, "must not be negative")
	}
	return nil
}

// orDefault returns *v, or def when the field was absent.
func orDefault(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

// strOr returns *v, or def when the field was absent.
func strOr(v *string, def string) string {
	if v == nil {
		return def
	}
	return *v
}

// maxMillis bounds every field given in milliseconds to a day, as the
// "timeout:N" policy is bounded: beyond about 10^13 ms the conversion to
// time.Duration overflows into a negative wait, and no real setting comes
// near a day.
const maxMillis = int(24 * time.Hour / time.Millisecond)

// millis checks an optional field of milliseconds (> 0, at most a day) and
// returns it as a duration, or def when the field was absent.
func millis(path, field string, v *int, def time.Duration) (time.Duration, error) {
	if v == nil {
		return def, nil
	}
	if err := positive(path, field, v); err != nil {
		return 0, err
	}
	if *v > maxMillis {
		return 0, badValue(path+"."+field, *v, fmt.Sprintf("must be at most %d (a day)", maxMillis))
	}
	return time.Duration(*v) * time.Millisecond, nil
}

// queueCapacity checks an optional "capacity" field (> 0, at most
// core.MaxQueueCapacity, since a queue allocates its slots up front) and
// returns it, or DefaultCapacity when absent.
func queueCapacity(path string, v *int) (int, error) {
	if err := positive(path, "capacity", v); err != nil {
		return 0, err
	}
	if v != nil && *v > core.MaxQueueCapacity {
		return 0, badValue(path+".capacity", *v, fmt.Sprintf("must be at most %d", core.MaxQueueCapacity))
	}
	return orDefault(v, DefaultCapacity), nil
}
