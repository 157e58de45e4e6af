package core

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"time"
	"unicode/utf8"
)

// JSONFields are the keys a JSONFormatter may write, in the order it
// writes them (docs/json-lines.md is the schema):
//
//	time       RFC 3339 with microseconds ("2026-12-07T18:39:33.123456Z")
//	level      stdlib's level name (WARNING, not WARN)
//	logger     the logger's name
//	message    the message, arguments applied
//	thread     the thread id (integer)
//	thread_name
//	process    the process id
//	pathname, filename, module, func_name, lineno: the caller (only when
//	           captured; asking for one of them makes the handlers capture it)
//	exception  the rendered exception (only when present)
//	stack      the rendered stack (only when present)
//	fields     the key-values, an object (only when present)
var JSONFields = []string{"time", "level", "logger", "message", "thread", "thread_name", "process",
	"pathname", "filename", "module", "func_name", "lineno", "exception", "stack", "fields"}

// DefaultJSONFields are written when no list is given: all but the caller,
// which costs a frame walk per record.
var DefaultJSONFields = []string{"time", "level", "logger", "message", "thread", "thread_name", "process",
	"exception", "stack", "fields"}

// JSONFormatter writes one JSON object per record and line. Every string
// is escaped so that the line is valid JSON whatever the message holds
// (quotes, control characters, invalid UTF-8 becomes U+FFFD).
type JSONFormatter struct {
	want   map[string]bool
	utc    bool
	caller bool
	pid    int64
}

// NewJSONFormatter returns a formatter writing the given fields (nil:
// DefaultJSONFields); utc selects UTC times ("Z"), otherwise local time
// with its offset.
func NewJSONFormatter(fields []string, utc bool) (*JSONFormatter, error) {
	if fields == nil {
		fields = DefaultJSONFields
	}
	known := map[string]bool{}
	for _, k := range JSONFields {
		known[k] = true
	}
	f := &JSONFormatter{want: map[string]bool{}, utc: utc, pid: int64(os.Getpid())}
	for _, k := range fields {
		if !known[k] {
			return nil, fmt.Errorf("%w: unknown JSON field %q: want some of %v", ErrBadFormat, k, JSONFields)
		}
		f.want[k] = true
		switch k {
		case "pathname", "filename", "module", "func_name", "lineno":
			f.caller = true
		}
	}
	return f, nil
}

// WantsCaller reports whether a caller field was asked for.
func (f *JSONFormatter) WantsCaller() bool { return f.caller }

// Format appends the record's JSON object and a newline.
func (f *JSONFormatter) Format(dst []byte, rec *Record) ([]byte, error) {
	dst = append(dst, '{')
	first := true
	key := func(k string) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, '"')
		dst = append(dst, k...)
		dst = append(dst, '"', ':')
	}
	str := func(k, v string) {
		key(k)
		dst = AppendJSONString(dst, v)
	}
	if f.want["time"] {
		key("time")
		t := time.Unix(0, rec.TimeNs)
		if f.utc {
			t = t.UTC()
		} else {
			t = t.Local()
		}
		dst = append(dst, '"')
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05.000000Z07:00")
		dst = append(dst, '"')
	}
	if f.want["level"] {
		str("level", PythonLevelName(rec.Level))
	}
	if f.want["logger"] {
		str("logger", rec.Logger)
	}
	if f.want["message"] {
		str("message", strView(rec.Message))
	}
	if f.want["thread"] {
		key("thread")
		dst = strconv.AppendUint(dst, rec.ThreadID, 10)
	}
	if f.want["thread_name"] {
		str("thread_name", rec.ThreadName)
	}
	if f.want["process"] {
		key("process")
		dst = strconv.AppendInt(dst, f.pid, 10)
	}
	if rec.HasCaller {
		for _, c := range [...]struct{ k, v string }{{"pathname", rec.Pathname}, {"filename", rec.Filename},
			{"module", rec.ModulePath}, {"func_name", rec.FuncName}} {
			if f.want[c.k] {
				str(c.k, c.v)
			}
		}
		if f.want["lineno"] {
			key("lineno")
			dst = strconv.AppendUint(dst, uint64(rec.LineNumber), 10)
		}
	}
	if f.want["exception"] && len(rec.ExcText) > 0 {
		str("exception", strView(rec.ExcText))
	}
	if f.want["stack"] && len(rec.StackText) > 0 {
		str("stack", strView(rec.StackText))
	}
	if f.want["fields"] && len(rec.KeyValues) > 0 {
		key("fields")
		dst = AppendJSONKeyValues(dst, rec.KeyValues)
	}
	return append(dst, '}', '\n'), nil
}

// AppendJSONKeyValues appends key-values as a JSON object with typed
// values (a float that JSON cannot hold, NaN or an infinity, is written
// as a string). A key given twice keeps its last value.
func AppendJSONKeyValues(dst []byte, kvs []KeyValue) []byte {
	dst = append(dst, '{')
	n := 0
	for i := range kvs {
		kv := &kvs[i]
		if laterKey(kvs[i+1:], kv.Key) {
			continue
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		dst = AppendJSONString(dst, kv.Key)
		dst = append(dst, ':')
		switch kv.Kind {
		case ValueString:
			dst = AppendJSONString(dst, kv.Str)
		case ValueInt:
			dst = strconv.AppendInt(dst, kv.Int, 10)
		case ValueFloat:
			if math.IsNaN(kv.Float) || math.IsInf(kv.Float, 0) {
				dst = AppendJSONString(dst, kv.Text())
			} else {
				dst = strconv.AppendFloat(dst, kv.Float, 'g', -1, 64)
			}
		case ValueBool:
			dst = strconv.AppendBool(dst, kv.Bool())
		default:
			dst = append(dst, "null"...)
		}
	}
	return append(dst, '}')
}

func laterKey(kvs []KeyValue, key string) bool {
	for i := range kvs {
		if kvs[i].Key == key {
			return true
		}
	}
	return false
}

// AppendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, U+2028/U+2029 escaped (so the line is also
// valid JavaScript), invalid UTF-8 replaced by U+FFFD.
func AppendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\\ufffd"...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
