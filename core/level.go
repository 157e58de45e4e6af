package core

import (
	"errors"
	"fmt"
	"strings"
)

// Level is a record severity in CPython's numbering, so that Python callers
// can compare levels with the same integers they know from stdlib logging.
type Level int32

// The levels femtologging knows. LevelNotSet marks a logger without a level
// of its own; it is never a record's level.
const (
	LevelNotSet   Level = 0
	LevelTrace    Level = 5
	LevelDebug    Level = 10
	LevelInfo     Level = 20
	LevelWarn     Level = 30
	LevelError    Level = 40
	LevelCritical Level = 50
)

// ErrInvalidLevel reports a level name or number that is not one of the
// seven known levels.
var ErrInvalidLevel = errors.New("invalid level")

// levelNames maps the accepted upper-case names to levels; WARNING is an
// alias of WARN, as in the user guide.
var levelNames = map[string]Level{
	"TRACE":    LevelTrace,
	"DEBUG":    LevelDebug,
	"INFO":     LevelInfo,
	"WARN":     LevelWarn,
	"WARNING":  LevelWarn,
	"ERROR":    LevelError,
	"CRITICAL": LevelCritical,
}

// ParseLevel turns a case-insensitive level name into a Level.
func ParseLevel(name string) (Level, error) {
	if l, ok := levelNames[strings.ToUpper(name)]; ok {
		return l, nil
	}
	return 0, fmt.Errorf("%w %q: want one of TRACE, DEBUG, INFO, WARN, WARNING, ERROR, CRITICAL", ErrInvalidLevel, name)
}

// LevelFromInt checks that n is one of the known level numbers.
func LevelFromInt(n int) (Level, error) {
	l := Level(n)
	switch l {
	case LevelTrace, LevelDebug, LevelInfo, LevelWarn, LevelError, LevelCritical:
		return l, nil
	}
	return 0, fmt.Errorf("%w %d: want one of 5, 10, 20, 30, 40, 50", ErrInvalidLevel, n)
}

// String returns the canonical name; WARNING prints as WARN.
func (l Level) String() string {
	switch l {
	case LevelTrace:
		return "TRACE"
	case LevelDebug:
		return "DEBUG"
	case LevelInfo:
		return "INFO"
	case LevelWarn:
		return "WARN"
	case LevelError:
		return "ERROR"
	case LevelCritical:
		return "CRITICAL"
	case LevelNotSet:
		return "NOTSET"
	}
	return fmt.Sprintf("LEVEL(%d)", int32(l))
}
