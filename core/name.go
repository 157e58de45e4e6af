package core

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RootName is the name of the root logger, the ancestor of every logger.
const RootName = "root"

// ErrInvalidName reports a logger name the user guide forbids.
var ErrInvalidName = errors.New("invalid logger name")

// ValidateName checks a logger name: not empty, no leading or trailing dot,
// no two dots in a row, valid UTF-8 without control characters. A name is
// written into every record, so invalid UTF-8 would corrupt the output and
// a NUL, newline or escape sequence would forge or garble lines; C callers
// get the same check as Python.
func ValidateName(name string) error {
	if err := validateNameText(name); err != nil {
		return err
	}
	switch {
	case name == "":
		return fmt.Errorf("%w %q: must not be empty", ErrInvalidName, name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("%w %q: must not start with '.'", ErrInvalidName, name)
	case strings.HasSuffix(name, "."):
		return fmt.Errorf("%w %q: must not end with '.'", ErrInvalidName, name)
	case strings.Contains(name, ".."):
		return fmt.Errorf("%w %q: must not contain consecutive dots", ErrInvalidName, name)
	}
	return nil
}

// validateNameText rejects invalid UTF-8 and control characters (C0, DEL
// and C1), naming the first offending byte offset.
func validateNameText(name string) error {
	for i, r := range name {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(name[i:]); size <= 1 {
				return fmt.Errorf("%w %q: not valid UTF-8 at byte %d", ErrInvalidName, name, i)
			}
		}
		if unicode.IsControl(r) {
			what := fmt.Sprintf("control character %U", r)
			if r == 0 {
				what = "NUL (U+0000)"
			}
			return fmt.Errorf("%w %q: must not contain %s (at byte %d)", ErrInvalidName, name, what, i)
		}
	}
	return nil
}

// parentName returns the dotted parent of name, or RootName for a top-level
// name. The root has no parent and returns "".
func parentName(name string) string {
	if name == RootName {
		return ""
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return RootName
}
