package core

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PolicyKind says what a producer does when a queue is full.
type PolicyKind int

// The overflow policies. PolicyDrop is the zero value and the default.
const (
	PolicyDrop PolicyKind = iota
	PolicyBlock
	PolicyTimeout
)

// ErrInvalidPolicy reports an overflow policy string that is not one of
// "drop", "block" or "timeout:N".
var ErrInvalidPolicy = errors.New("invalid overflow policy")

// PolicyForms lists the forms ParsePolicy accepts, for messages.
const PolicyForms = `"drop", "block" or "timeout:N" with N milliseconds from 1 to 86400000 (a day)`

// maxPolicyTimeout bounds "timeout:N": beyond it no wait is meant, and
// the conversion to a time.Duration cannot overflow.
const maxPolicyTimeout = 24 * time.Hour

// OverflowPolicy is applied wherever a record is put on a bounded queue.
type OverflowPolicy struct {
	Kind    PolicyKind
	Timeout time.Duration // only for PolicyTimeout; always > 0 there
}

// ParsePolicy parses "drop", "block" or "timeout:N" (N milliseconds, 1 to
// a day). It is the one definition of the grammar: the configuration
// decoder and femtolog_value_check both call it.
func ParsePolicy(s string) (OverflowPolicy, error) {
	switch s {
	case "drop":
		return OverflowPolicy{Kind: PolicyDrop}, nil
	case "block":
		return OverflowPolicy{Kind: PolicyBlock}, nil
	}
	if rest, ok := strings.CutPrefix(s, "timeout:"); ok {
		ms, err := strconv.ParseInt(rest, 10, 64)
		if err == nil && ms > 0 && ms <= int64(maxPolicyTimeout/time.Millisecond) {
			return OverflowPolicy{Kind: PolicyTimeout, Timeout: time.Duration(ms) * time.Millisecond}, nil
		}
	}
	return OverflowPolicy{}, fmt.Errorf("%w %q: want %s", ErrInvalidPolicy, s, PolicyForms)
}

// String returns the policy in the form ParsePolicy accepts.
func (p OverflowPolicy) String() string {
	switch p.Kind {
	case PolicyBlock:
		return "block"
	case PolicyTimeout:
		return fmt.Sprintf("timeout:%d", p.Timeout.Milliseconds())
	}
	return "drop"
}

// wait is how long a producer under this policy waits for room; negative
// means until there is room.
func (p OverflowPolicy) wait() time.Duration {
	switch p.Kind {
	case PolicyBlock:
		return -1
	case PolicyTimeout:
		return p.Timeout
	}
	return 0
}

// stronger returns whichever of p and o makes a producer wait longer: a
// logger feeding several handlers adopts the strongest of their policies,
// so that "block" on one handler holds back all the way to the caller.
func (p OverflowPolicy) stronger(o OverflowPolicy) OverflowPolicy {
	rank := func(x OverflowPolicy) time.Duration {
		if x.Kind == PolicyBlock {
			return time.Duration(1<<62 - 1)
		}
		return x.wait()
	}
	if rank(o) > rank(p) {
		return o
	}
	return p
}
