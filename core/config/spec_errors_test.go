package config

import (
	"errors"
	"strings"
	"testing"
)

// buildRejects builds spec as a handler and fails the test unless it is
// refused with an ErrInvalid whose message starts with want (the JSON
// path and the bad value). It returns the error for further checks.
func buildRejects(t *testing.T, spec, want string) error {
	t.Helper()
	_, err := BuildHandler(Env{}, []byte(spec))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want an ErrInvalid", err)
	}
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %q, want it to start with %q", err, want)
	}
	return err
}
