package core

import (
	"errors"
	"fmt"
	"strings"
)

// RootName is the name of the root logger, the ancestor of every logger.
const RootName = "root"

// ErrInvalidName reports a logger name the user guide forbids.
var ErrInvalidName = errors.New("invalid logger name")

// ValidateName checks a logger name: not empty, no leading or trailing dot,
// no two dots in a row.
func ValidateName(name string) error {
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
