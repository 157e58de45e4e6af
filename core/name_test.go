package core

import (
	"errors"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"app", true},
		{"api.v1", true},
		{"root", true},
		{"", false},
		{".app", false},
		{"app.", false},
		{"a..b", false},
		{".", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.name)
			if tt.ok != (err == nil) {
				t.Fatalf("got %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidName) {
				t.Fatalf("got %v, want ErrInvalidName", err)
			}
		})
	}
}

func TestParentName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a.b.c", "a.b"},
		{"a", RootName},
		{RootName, ""},
	}
	for _, tt := range tests {
		if got := parentName(tt.in); got != tt.want {
			t.Fatalf("parentName(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"a.b", "", ".a", "a..b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateName(s) == nil && s != RootName {
			if p := parentName(s); p == "" {
				t.Fatalf("valid name %q has no parent", s)
			}
		}
	})
}
