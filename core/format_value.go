package core

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// fieldID names a record attribute a format string may use, with
// stdlib's LogRecord names.
type fieldID uint8

const (
	fieldExtra fieldID = iota // a key-value, looked up by name
	fieldName
	fieldLevelName
	fieldLevelNo
	fieldMessage
	fieldMsg
	fieldAscTime
	fieldCreated
	fieldMsecs
	fieldRelativeCreated
	fieldThread
	fieldThreadName
	fieldProcess
	fieldPathname
	fieldFilename
	fieldModule
	fieldLineNo
	fieldFuncName
	fieldExcText
	fieldStackInfo
)

// recordFields maps stdlib's attribute names to fields.
var recordFields = map[string]fieldID{
	"name": fieldName, "levelname": fieldLevelName, "levelno": fieldLevelNo,
	"message": fieldMessage, "msg": fieldMsg, "asctime": fieldAscTime, "created": fieldCreated,
	"msecs": fieldMsecs, "relativeCreated": fieldRelativeCreated, "thread": fieldThread,
	"threadName": fieldThreadName, "process": fieldProcess, "pathname": fieldPathname,
	"filename": fieldFilename, "module": fieldModule, "lineno": fieldLineNo,
	"funcName": fieldFuncName, "exc_text": fieldExcText, "stack_info": fieldStackInfo,
}

// callerField reports whether id is one of the caller fields.
func (id fieldID) callerField() bool {
	switch id {
	case fieldPathname, fieldFilename, fieldModule, fieldLineNo, fieldFuncName:
		return true
	}
	return false
}

// fvalue is one attribute's value while a record is formatted: the Python
// type it has in stdlib's LogRecord decides how conversions treat it.
type fvalue struct {
	kind ValueKind
	s    string
	i    int64
	f    float64
}

// unknownCaller is stdlib's pathname/filename/module when no caller is
// known; unknownFunc its funcName.
const (
	unknownCaller = "(unknown file)"
	unknownFunc   = "(unknown function)"
)

// PythonLevelName returns stdlib's level name for a level: WARNING (not
// WARN), CRITICAL, TRACE for 5, and "Level N" for numbers without a name.
func PythonLevelName(l Level) string {
	switch l {
	case LevelWarn:
		return "WARNING"
	case LevelNotSet:
		return "NOTSET"
	}
	if _, err := LevelFromInt(int(l)); err == nil {
		return l.String()
	}
	return "Level " + strconv.Itoa(int(l))
}

// strView views b as a string without copying; the string must not
// outlive the formatting of the record.
func strView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// errMissingField reports a format field neither a record attribute nor a
// key-value of the record: stdlib's "Formatting field not found in
// record".
type errMissingField struct{ name string }

func (e errMissingField) Error() string {
	return fmt.Sprintf("formatting field not found in record: %q", e.name)
}

// createdSeconds returns stdlib's created (seconds, float) and msecs, as
// Python 3.11 computes them from time.time().
func createdSeconds(ns int64) (created, msecs float64) {
	created = float64(ns) / 1e9
	msecs = math.Trunc((created-math.Trunc(created))*1000) + 0.0
	return created, msecs
}

// runeCount counts code points, Python's measure for widths.
func runeCount(s string) int { return utf8.RuneCountInString(s) }
