package encode

import (
	"strconv"
	"time"
	"unicode/utf8"

	"femtologging/core"
)

// JSONRecordFormatter formats a record as one JSON object (no trailing
// newline), the unit of the HTTP handler's batches:
//
//	{"time":"2026-12-07T18:39:33.123456789Z","logger":"app","level":"INFO",
//	 "levelno":20,"message":"hello","thread_id":1,"thread_name":"MainThread",
//	 "fields":{"k":"v"}}
//
// "fields" is present when the record has key-values, with their types
// (string, number, true/false, null; NaN and infinities as strings); later
// duplicates of a key win, as JSON readers usually take the last.
// "pathname", "func_name" and "lineno" are present when the caller was
// captured, "exception" and "stack" when the record carries that text.
type JSONRecordFormatter struct{}

// Format appends rec as a JSON object to dst.
func (JSONRecordFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	dst = append(dst, `{"time":"`...)
	dst = time.Unix(0, rec.TimeNs).UTC().AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `","logger":`...)
	dst = appendJSONString(dst, rec.Logger)
	dst = append(dst, `,"level":"`...)
	dst = append(dst, rec.Level.String()...)
	dst = append(dst, `","levelno":`...)
	dst = strconv.AppendInt(dst, int64(rec.Level), 10)
	dst = append(dst, `,"message":`...)
	dst = appendJSONString(dst, string(rec.Message))
	dst = append(dst, `,"thread_id":`...)
	dst = strconv.AppendUint(dst, rec.ThreadID, 10)
	dst = append(dst, `,"thread_name":`...)
	dst = appendJSONString(dst, rec.ThreadName)
	if rec.HasCaller {
		for _, c := range [...]struct{ k, v string }{{`,"pathname":`, rec.Pathname},
			{`,"func_name":`, rec.FuncName}} {
			dst = append(dst, c.k...)
			dst = appendJSONString(dst, c.v)
		}
		dst = append(dst, `,"lineno":`...)
		dst = strconv.AppendUint(dst, uint64(rec.LineNumber), 10)
	}
	if len(rec.ExcText) > 0 {
		dst = append(dst, `,"exception":`...)
		dst = appendJSONString(dst, string(rec.ExcText))
	}
	if len(rec.StackText) > 0 {
		dst = append(dst, `,"stack":`...)
		dst = appendJSONString(dst, string(rec.StackText))
	}
	if len(rec.KeyValues) > 0 {
		dst = append(dst, `,"fields":`...)
		dst = core.AppendJSONKeyValues(dst, rec.KeyValues)
	}
	return append(dst, '}'), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes
// U+FFFD so that the document stays valid. (string(rec.Message) does not
// allocate: the compiler sees it only read.)
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

var _ core.Formatter = JSONRecordFormatter{}
